import Foundation
import TestSupport
import Testing

@testable import LadderCore

/// What a build holds while it writes course backups: the curriculum without the texts its
/// packages were rendered from, everything else as loaded.
struct CurriculumWithoutTextsTests {
    @Test func theTextsGoAndEverythingElseStays() throws {
        let (c, _) = try TestSupport.loadSample()
        let slim = c.withoutTexts()
        let pairs = zip(c.responsibilities, slim.responsibilities)
        #expect(c.responsibilities.count == slim.responsibilities.count)
        // The sample has texts of each kind, so the test can fail.
        #expect(c.responsibilities.contains { $0.module?.pages.contains { !$0.markdown.isEmpty } == true })
        #expect(c.responsibilities.contains { $0.assessment?.questions.isEmpty == false })
        #expect(c.responsibilities.contains { $0.shadowing?.behaviours.isEmpty == false })
        for (full, s) in pairs {
            #expect(s.module?.pages.allSatisfy { $0.markdown.isEmpty } ?? true, "\(s.id)")
            #expect(s.assessment?.questions.isEmpty ?? true, "\(s.id)")
            #expect((s.shadowing?.observe.isEmpty ?? true) && (s.shadowing?.behaviours.isEmpty ?? true), "\(s.id)")
            #expect(s.id == full.id && s.level == full.level && s.statement == full.statement && s.skills == full.skills)
            #expect(s.module?.title == full.module?.title && s.module?.objectives == full.module?.objectives)
            #expect(s.module?.pages.map(\.path) == full.module?.pages.map(\.path))
            #expect(s.module?.pages.map(\.images) == full.module?.pages.map(\.images))
            #expect(s.assessment?.path == full.assessment?.path && s.assessment?.masteryScore == full.assessment?.masteryScore)
            #expect(s.shadowing?.path == full.shadowing?.path && s.shadowing?.title == full.shadowing?.title)
        }
        #expect(slim.id == c.id && slim.title == c.title && slim.summary == c.summary && slim.root == c.root)
        #expect(slim.levels.map(\.id) == c.levels.map(\.id) && slim.skills == c.skills)
        // The original keeps its texts: the copy has arrays of its own.
        #expect(c.responsibilities.contains { $0.module?.pages.contains { !$0.markdown.isEmpty } == true })
    }
}
