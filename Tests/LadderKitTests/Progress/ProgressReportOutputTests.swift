import Foundation
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// Names that need escaping reach every format once: CSV guarded against formulas, JSON
/// escaped, HTML escaped exactly once.
@Suite("Progress: report output of hostile names")
struct ProgressReportOutputTests {
    static let name = "=HYPERLINK(\"http://evil.example/?x\",\"O'Neill & <Sons>\")"

    static func store() throws -> ProgressStore {
        let s = try freshStore()
        let p = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-hostile-\(UUID().uuidString).csv").path
        let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        try Data("learner,name,level,item,status\nmo,\(quoted),P1,inform-customers.module,completed\n".utf8).write(to: URL(fileURLWithPath: p))
        defer { try? FileManager.default.removeItem(atPath: p) }
        _ = try s.importFiles([p], options: ImportOptions(source: .csv, plan: ProgressFixtures.plan))
        return s
    }

    static func written(_ s: ProgressStore, _ format: ReportFormat) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("report.\(format.rawValue)").path
        try ReportRenderer.write(store: s, options: ReportOptions(plan: ProgressFixtures.plan, asOf: ProgressFixtures.asOf),
                                 format: format, detail: true, to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["report.\(format.rawValue)"], "no temporary left")
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func csvGuardsAFormulaName() throws {
        let s = try Self.store()
        defer { removeStore(s) }
        let text = try Self.written(s, .csv)
        let rows = try parseCSV(text)
        let mo = try #require(rows.first { $0.first == "mo" })
        #expect(mo[1] == "'" + Self.name)
        #expect(!text.contains(",=HYPERLINK") && !text.contains(",\"=HYPERLINK"))
    }

    @Test func jsonAndHTMLCarryTheNameExactly() throws {
        let s = try Self.store()
        defer { removeStore(s) }
        let json = try JSONDecoder().decode(ProgressReport.self, from: Data(try Self.written(s, .json).utf8))
        #expect(json.learners.first?.name == Self.name)
        let html = try Self.written(s, .html)
        let rows = try htmlRows(html)
        #expect(rows.first?[1] as? String == Self.name)
        #expect(!html.contains("<Sons>") && html.contains("O'Neill \\u0026 \\u003cSons\\u003e"), "escaped once, for a script element")
        #expect(!html.contains("&amp;amp;") && !html.contains("&amp;lt;") && !html.contains("&amp;#39;"))
    }

    /// 100,000 rows stay a compact array the page pages through (no table of 100,000 rows).
    @Test func htmlListsEveryLearnerInItsRows() throws {
        var learners: [LearnerProgress] = []
        for i in 0..<2500 {
            learners.append(LearnerProgress(
                id: "l\(i)", name: "Learner \(i)", email: nil, level: "P1", currentLevel: nil, currentLevelSource: nil, reached: nil,
                next: "P1", ready: false, readyFor: nil, verdict: "working on P1: 1 of 1 missing", lastActivity: "2026-03-01T10:00:00Z",
                stalled: false, seconds: nil,
                levels: [LevelProgress(level: "P1", required: 1, done: 0, percent: 0, complete: false, started: false, missing: ["a.module"],
                                       assessments: [], shadowing: [], seconds: nil)]))
        }
        let r = ProgressReport(
            curriculum: "c", title: "T", asOf: "2026-03-20", stalledDays: 30, levels: ["P1"], titles: ["a.module": "Module A"], learners: learners,
            cohort: Cohort(learners: 2500, ready: [], atLevel: [], currentUnknown: 2500, funnel: [], stalled: [], hardest: []))
        let html = ReportRenderer.render(r, as: .html, detail: false)
        #expect(try htmlRows(html).count == 2500)
        #expect(!html.contains("<td>Learner 1 (l1)</td>"), "rows are drawn by the page, a page at a time")
        #expect(html.contains("id=\"ladder-items\">[\"Module A\"]"))
    }
}
