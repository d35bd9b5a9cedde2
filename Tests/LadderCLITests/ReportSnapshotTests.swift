import Foundation
import TestSupport
import Testing

/// `ladder progress report` in every format, of a small fixed store: the Moodle, TalentLMS and
/// generic-CSV fixtures imported with `ladder progress import`, reported as of 2026-03-20.
/// Pinned in __Snapshots__/ReportSnapshotTests (the HTML file opens in a browser as it is).
/// Re-record with `LADDER_RECORD_SNAPSHOTS=1 swift test --filter ReportSnapshotTests`.
@Suite("Snapshots: progress reports", .serialized)
struct ReportSnapshotTests {
    static let fixtures = "Tests/LadderKitTests/Fixtures/progress"

    /// Moodle writes dates in the downloading user's zone and the import's default is this
    /// machine's: `--timezone UTC` keeps the stored times, and so the reports, the same on
    /// every machine. The store lives in a new temporary folder; only its path varies, and no
    /// output prints it.
    static func importFixtures(into db: String) throws -> String {
        let imports: [(from: String, files: [String])] = [
            ("moodle", ["moodle/basic-report.txt", "moodle/interactions-report.txt"]),
            ("talentlms", ["talentlms/course-progress.csv", "talentlms/unit-matrix.csv"]),
            ("csv", ["csv/signoffs.csv"]),
        ]
        var transcript = ""
        for (from, files) in imports {
            let args = ["progress", "import", "--from", from] + files.map { "\(fixtures)/\($0)" }
                + ["--curriculum", "curricula/customer-service", "--timezone", "UTC", "--db", db]
            transcript += try Ladder.transcript(args).replacingOccurrences(of: db, with: "<store>")
        }
        return transcript
    }

    @Test func everyFormatOfTheFixtureStore() throws {
        let dir = try TestSupport.temporaryFolder("ladder-report-snapshots")
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("progress.sqlite").path
        Snapshot.expect(try Self.importFixtures(into: db), named: "import.txt")
        for format in ["text", "csv", "json", "html"] {
            let run = try Ladder.run([
                "progress", "report", "--db", db, "--curriculum", "curricula/customer-service", "--as-of", "2026-03-20",
                "--format", format,
            ])
            #expect(run.status == 0 && run.stderr.isEmpty, "\(format): \(run.stderr)")
            #expect(!run.stdout.contains(dir.path), "the store's temporary path is not in the \(format) report")
            Snapshot.expect(run.stdout, named: "report.\(format == "text" ? "txt" : format)")
        }
        let detail = try Ladder.run([
            "progress", "report", "--db", db, "--curriculum", "curricula/customer-service", "--as-of", "2026-03-20",
            "--learner", "dana.reyes@example.com",
        ])
        #expect(detail.status == 0 && detail.stderr.isEmpty, "\(detail.stderr)")
        Snapshot.expect(detail.stdout, named: "report-one-learner.txt")
    }
}
