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

    /// A track's items are hashed in pieces (`PlanItemsJSON.write`): the pieces are the JSON's
    /// bytes in order, and the keys are those of the whole JSON, so earlier caches still match.
    @Test func trackItemsHashedInPiecesGiveTheSameKeys() throws {
        let curriculum = try #require(CurriculumLoader.load(folder: TestSupport.sample.path).curriculum)
        let plan = Planner.plan(curriculum)
        var pieces: [[UInt8]] = []
        PlanItemsJSON.write(plan.items, pieceBytes: 2000) { pieces.append($0) }
        #expect(pieces.count > 3)
        #expect(pieces.dropLast().allSatisfy { $0.count >= 2000 })
        #expect(Data(pieces.joined()) == PlanItemsJSON.encoded(plan.items))

        let builder = PackageBuilder(curriculum: curriculum, plan: plan)
        let request = BuildRequest(
            tracks: plan.tracks, lms: .moodle, mode: .track, outputFolder: URL(fileURLWithPath: "/nonexistent"), schemasFolder: nil, jobs: 1)
        let jobs = builder.jobs(for: request).filter { $0.items.count > 1 }
        #expect(!jobs.isEmpty)
        for job in jobs {
            let whole = builder.buildKey(job, sourceDigest: "s", request: request, sharedDigest: "d", itemsJSON: PlanItemsJSON.encoded(job.items))
            let streamed = builder.buildKey(job, sourceDigest: "s", request: request, sharedDigest: "d") { h in
                PlanItemsJSON.write(job.items, pieceBytes: 1000) { h.update($0) }
            }
            #expect(streamed == whole)
        }
    }
}
