import Foundation
import TestSupport
import Testing

@testable import LadderCore

/// Files read on several threads give what reading them one by one gives (issue 15, point 3):
/// the same diagnostics in the same order, and the same plan, byte for byte.
struct ParallelLoadingTests {
    static func expectSame(_ folder: URL, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> LoadResult {
        let serial = CurriculumLoader.load(folder: folder.path, jobs: 1)
        for jobs in [2, 3, 8] {
            let parallel = CurriculumLoader.load(folder: folder.path, jobs: jobs)
            #expect(parallel.diagnostics.all == serial.diagnostics.all, "jobs \(jobs): diagnostics differ", sourceLocation: sourceLocation)
            #expect((parallel.curriculum == nil) == (serial.curriculum == nil), sourceLocation: sourceLocation)
            if let a = serial.curriculum, let b = parallel.curriculum {
                #expect(try PlanJSON.encode(Planner.plan(a)) == PlanJSON.encode(Planner.plan(b)), "jobs \(jobs): plan differs", sourceLocation: sourceLocation)
                let pagesA = a.responsibilities.flatMap { $0.module?.pages ?? [] }
                let pagesB = b.responsibilities.flatMap { $0.module?.pages ?? [] }
                #expect(pagesA.map(\.markdown) == pagesB.map(\.markdown) && pagesA.map(\.images) == pagesB.map(\.images), sourceLocation: sourceLocation)
                #expect(
                    a.responsibilities.map { $0.assessment?.questions.map(\.prompt) ?? [] } == b.responsibilities.map { $0.assessment?.questions.map(\.prompt) ?? [] },
                    sourceLocation: sourceLocation)
            }
        }
        return serial
    }

    @Test func theSampleLoadsTheSameOnOneThreadAndOnMany() throws {
        let serial = try Self.expectSame(TestSupport.sample)
        #expect(serial.curriculum != nil && !serial.diagnostics.hasErrors)
    }

    /// Problems in many files at once, each reported where the loader meets it.
    @Test func brokenFilesAreReportedInTheSameOrderOnManyThreads() throws {
        let copy = try copySample()
        defer { removeCopy(copy) }
        let modules = try FileManager.default.contentsOfDirectory(atPath: copy.appendingPathComponent("modules").path).sorted()
        var broken = 0
        for (i, m) in modules.enumerated() {
            let folder = "modules/\(m)"
            let pages = try FileManager.default.contentsOfDirectory(atPath: copy.appendingPathComponent(folder).path).filter { $0.hasSuffix(".md") }.sorted()
            guard let page = pages.first else { continue }
            switch i % 4 {
            case 0: try write(copy, "\(folder)/\(page)", "no front matter here\n")
            case 1: try write(copy, "\(folder)/\(page)", "---\ntitle: [unclosed\n---\nBody ![x](missing.png)\n")
            case 2: try write(copy, "\(folder)/\(page)", "---\ntitle: T\ntitle: again\nextra: 1\n---\n")
            default: continue
            }
            broken += 1
        }
        let assessments = try FileManager.default.contentsOfDirectory(atPath: copy.appendingPathComponent("assessments").path).sorted()
        for (i, a) in assessments.enumerated() where i % 3 == 0 {
            try write(copy, "assessments/\(a)", i % 2 == 0 ? "title: x\nquestions: [\n" : "title: 1\nmastery_score: 200\nquestions: []\n")
            broken += 1
        }
        #expect(broken > 10)
        let serial = try Self.expectSame(copy)
        #expect(serial.diagnostics.errorCount >= broken, "\(serial.diagnostics.sorted.map(\.description))")
    }
}
