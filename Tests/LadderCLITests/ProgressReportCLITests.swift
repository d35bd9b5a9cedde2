import Foundation
import TestSupport
import Testing

/// `ladder progress report` end to end.
@Suite("ladder progress report")
struct ProgressReportCLITests {
    @Test func csvReportGuardsAFormulaLearnerName() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-cli-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
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
}
