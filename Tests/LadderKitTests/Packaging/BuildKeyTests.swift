import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderPackaging

/// The build keys hash each package's plan items as `JSONEncoder` with sorted keys writes them;
/// `PlanItemsJSON` writes those bytes by hand, so keys recorded by earlier builds still match.
struct BuildKeyTests {
    @Test func planItemsAreWrittenAsJSONEncoderWritesThem() throws {
        let curriculum = try #require(CurriculumLoader.load(folder: TestSupport.sample.path).curriculum)
        var items = Planner.plan(curriculum).items
        #expect(items.count > 50)
        #expect(items.contains { $0.masteryScore != nil } && items.contains { $0.masteryScore == nil })
        #expect(items.contains { $0.summary != nil } && items.contains { $0.learningObjectives != nil })
        // Every optional absent, and texts to escape: quotes, backslashes, slashes, controls, non-ASCII.
        var odd = items[0]
        odd.title = "A \"quoted\" \\ title/with slashes\n\t\u{8}\u{C}\u{1} é ✓ \u{2028}"
        odd.sources = ["modules/a b/ü.md", ""]
        odd.masteryScore = nil
        odd.summary = nil
        odd.learningObjectives = nil
        odd.draft = true
        odd.minutes = -3
        items.append(odd)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(String(decoding: PlanItemsJSON.encoded(items), as: UTF8.self) == String(decoding: try encoder.encode(items), as: UTF8.self))
        #expect(PlanItemsJSON.encoded([odd]) == (try encoder.encode([odd])))
        #expect(PlanItemsJSON.encoded([]) == (try encoder.encode([PlanItem]())))
    }
}
