import Foundation
import Testing

@testable import LadderCore
@testable import LadderProgress

/// The store's report reads SQLite on a thread of its own and hands learners over in batches
/// (`ReportScan.run`); these check what crosses the hand-over against the store itself.
@Suite("Progress: report scan across threads")
struct ReportScanTests {
    struct Stop: Error {}

    /// A store of 150 learners (more than two of the reading thread's batches of 64) from the
    /// benchmark's generator: 9 items over P1-P5, two attempts each.
    func benchmarkStore() throws -> ProgressStore {
        let s = try freshStore()
        let csv = URL(fileURLWithPath: s.path).deletingLastPathComponent().appendingPathComponent("bench.csv").path
        try BenchmarkData.writeCSV(path: csv, learners: 150, items: 9, attempts: 2)
        _ = try s.importFiles([csv], options: ImportOptions(source: .csv))
        return s
    }

    /// Every learner's time, last activity and done count per level equal what SQL counts from
    /// the learner's own summaries (done: a passed assessment, a completed module or task).
    @Test func everyLearnerGetsTheirOwnItems() throws {
        let s = try benchmarkStore()
        defer { removeStore(s) }
        let r = try s.report(ReportOptions(asOf: ISO8601DateFormatter().date(from: "2026-03-31T00:00:00Z")!))
        #expect(r.learners.count == 150)
        #expect(r.learners.map(\.id) == r.learners.map(\.id).sorted())
        for l in r.learners {
            let q = "FROM item_progress WHERE learner_id = '\(l.id)'"
            #expect(l.seconds == (try count(s, "SELECT SUM(seconds) \(q)")), "\(l.id)")
            #expect(l.name == "Learner \(Int(l.id.dropFirst("learner-".count))!)")
            let last = try count(s, "SELECT CAST(replace(MAX(last_at), '-', '') AS INTEGER) \(q)")
            #expect(l.lastActivity.map { Int($0.prefix(10).replacingOccurrences(of: "-", with: "")) } == last, "\(l.id)")
            for lv in l.levels {
                let done = try count(s, """
                    SELECT COUNT(*) \(q) AND item_id IN (SELECT id FROM items WHERE level = '\(lv.level)')
                      AND ((item_id LIKE '%.assessment' AND status = 5) OR (item_id NOT LIKE '%.assessment' AND status >= 4))
                    """)
                #expect(lv.done == done, "\(l.id) \(lv.level)")
            }
        }
    }

    /// A writer that fails part-way ends the report with its error; the reading thread stops
    /// and the store serves the next report.
    @Test func aFailingWriterStopsTheScan() throws {
        let s = try benchmarkStore()
        defer { removeStore(s) }
        var seen = 0
        #expect(throws: Stop.self) {
            try s.withReport(ReportOptions()) { source in
                _ = try source.run { _ in
                    seen += 1
                    if seen == 70 { throw Stop() }
                }
            }
        }
        #expect(seen == 70)
        #expect(try s.report(ReportOptions()).learners.count == 150)
    }
}
