import Foundation
import Testing
import TestSupport

@testable import LadderCore

/// LMS reports name items by title, so two items with one title cannot be told apart when
/// their results come back: `ladder check` warns at the second (issue 10, review finding D4).
@Suite("Loading: duplicate item titles")
struct DuplicateTitleTests {
    @Test func aSecondItemWithAnotherItemsTitleIsAWarningAtItsTitle() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let p5 = root.appendingPathComponent("shadowing/advise-on-tooling.yaml")
        let text = try String(contentsOf: p5, encoding: .utf8)
        // The P2 task's title, in another case and with a trailing space, as an LMS shows it.
        try text.replacingOccurrences(of: "title: Shadowing a service tooling evaluation", with: "title: shadowing a FEEDBACK review cycle ")
            .write(to: p5, atomically: true, encoding: .utf8)
        let result = load(root)
        #expect(result.curriculum != nil)
        let warnings = result.diagnostics.sorted.map(\.description)
        #expect(warnings.count == 1, "\(warnings)")
        let w = try #require(warnings.first)
        #expect(w.hasSuffix("shadowing/advise-on-tooling.yaml:1:8: warning: item 'advise-on-tooling.shadowing' has the title of"
            + " 'analyze-feedback-patterns.shadowing' ('shadowing a FEEDBACK review cycle'): LMS reports name items by title,"
            + " so an import could not tell their results apart; give each a title of its own"), "\(w)")
    }
}
