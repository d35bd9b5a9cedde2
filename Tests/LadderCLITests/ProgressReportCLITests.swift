import Foundation
import TestSupport
import Testing

/// `ladder progress report` end to end.
@Suite("ladder progress report")
struct ProgressReportCLITests {
    /// A fresh temporary folder; the caller removes it.
    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-cli-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func csvReportGuardsAFormulaLearnerName() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("in.csv")
        try Data("learner,name,item,item_level,status\nmo,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",a.module,P1,completed\n".utf8).write(to: csv)
        let db = dir.appendingPathComponent("p.sqlite").path
        let imported = try Ladder.run(["progress", "import", "--from", "csv", csv.path, "--db", db])
        #expect(imported.status == 0, "\(imported.stderr)")
        let run = try Ladder.run(["progress", "report", "--db", db, "--format", "csv", "--as-of", "2026-03-20"])
        #expect(run.status == 0, "\(run.stderr)")
        let line = try #require(run.stdout.split(separator: "\r\n").first { $0.hasPrefix("mo,") })
        #expect(line.hasPrefix("mo,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","))
        let out = dir.appendingPathComponent("r.csv").path
        let again = try Ladder.run(["progress", "report", "--db", db, "--format", "csv", "--as-of", "2026-03-20", "--out", out])
        let written = try String(contentsOfFile: out, encoding: .utf8)
        #expect(again.status == 0 && written == run.stdout)
        let over = try Ladder.run(["progress", "report", "--db", db, "--out", db])
        #expect(over.status == 73 && over.stderr.contains("which this command reads"), "\(over.stderr)")
    }

    @Test func aLearnersFileEntryThatMatchesNoStoredLearnerIsSaid() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("in.csv")
        try Data("learner,name,level,item,status\nAna.Silva@Example.com,Ana Silva,P1,inform-customers.module,completed\n".utf8).write(to: csv)
        let cohort = dir.appendingPathComponent("cohort.csv")
        try Data("learner_id,name,current_level,target_level\nana.silva@EXAMPLE.com,Ana Silva,P2,P3\namara,Amara Nwosu,P1,P2\n".utf8).write(to: cohort)
        let db = dir.appendingPathComponent("p.sqlite").path
        let sample = "curricula/customer-service"
        let imported = try Ladder.run(["progress", "import", "--from", "csv", "--curriculum", sample, csv.path, "--db", db])
        #expect(imported.status == 0, "\(imported.stderr)")
        let run = try Ladder.run(["progress", "report", "--curriculum", sample, "--learners", cohort.path, "--db", db, "--as-of", "2026-03-20",
                                  "--learner", "ANA.SILVA@example.com"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Ana Silva (ana.silva@example.com): current P2"), "\(run.stdout)")
        #expect(run.stderr.contains(cohort.path + ":3:1: warning: learner 'amara' (Amara Nwosu) matches no learner in the progress store"), "\(run.stderr)")
        #expect(run.stderr.contains(cohort.path + ": warning: 1 of the file's 2 entries matches no learner in the progress store"), "\(run.stderr)")
    }
}
