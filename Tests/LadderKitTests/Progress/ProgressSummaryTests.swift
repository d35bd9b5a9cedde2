import Foundation
import GRDB
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// `item_progress` holds one row per learner and item summarising the attempts; the reports
/// read it instead of grouping the attempts. Every writer must keep it equal to a fresh grouping.
@Suite("Progress: item summaries stay current")
struct ProgressSummaryTests {
    @Test func importsKeepTheSummariesCurrent() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        _ = try importAllFixtures(s)
        #expect(try count(s, "SELECT COUNT(*) FROM item_progress") > 0)
        #expect(try s.summaryDrift() == 0)
        // A later file that changes a few attempts (a small share of the store) refreshes only
        // those items, through the other path of refreshSummaries.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-summary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let late = dir.appendingPathComponent("late.csv")
        try """
            learner,item,attempt,status,score,score_max,last,seconds
            ana.silva@example.com,inform-customers.assessment,9,passed,19,20,2026-03-19T10:00:00Z,600
            new.person@example.com,inform-customers.module,1,completed,,,2026-03-19T11:00:00Z,300
            """.write(to: late, atomically: true, encoding: .utf8)
        let before = try count(s, "SELECT attempts FROM item_progress WHERE learner_id = 'ana.silva@example.com' AND item_id = 'inform-customers.assessment'")
        let sum = try s.importFiles([late.path], options: ImportOptions(source: .csv, plan: ProgressFixtures.plan))
        #expect(sum.issues.isEmpty, "\(sum.issues)")
        #expect(try s.summaryDrift() == 0)
        #expect(try count(s, "SELECT attempts FROM item_progress WHERE learner_id = 'ana.silva@example.com' AND item_id = 'inform-customers.assessment'") == before + 1)
        #expect(try count(s, "SELECT CAST(best AS INTEGER) FROM item_progress WHERE learner_id = 'ana.silva@example.com' AND item_id = 'inform-customers.assessment'") == 95)
        #expect(try count(s, "SELECT status FROM item_progress WHERE learner_id = 'new.person@example.com'") == 4)
    }

    @Test func previewCommitsKeepTheSummariesCurrent() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let key = SCOKey(learner: "ana", package: "customer-service-onboarding-P1", sco: "ITEM-inform-customers-assessment")
        func commit(_ status: String, _ raw: String) throws {
            try s.commitRuntime(key, state: CMIState(attempt: try s.runtimeState(key)?.attempt ?? 1,
                                                     values: ["cmi.core.lesson_status": status, "cmi.core.score.raw": raw, "cmi.core.score.max": "100"],
                                                     interactions: []), learnerName: nil, curriculum: "customer-service")
        }
        try commit("failed", "40")
        #expect(try count(s, "SELECT status FROM item_progress WHERE learner_id = 'ana'") == LessonStatus.failed.rawValue)
        _ = try s.startNewAttempt(key)
        try commit("passed", "90")
        #expect(try count(s, "SELECT attempts FROM item_progress WHERE learner_id = 'ana'") == 2)
        #expect(try count(s, "SELECT status FROM item_progress WHERE learner_id = 'ana'") == LessonStatus.passed.rawValue)
        #expect(try s.summaryDrift() == 0)
        // And the report reads them.
        let report = try s.report(ReportOptions(plan: ProgressFixtures.plan, learner: "ana", asOf: ProgressFixtures.asOf))
        let p1 = try #require(report.learners.first?.levels.first { $0.level == "P1" })
        let result = try #require(p1.assessments.first { $0.item == "inform-customers.assessment" })
        #expect(result.attempts == 2)
        #expect(result.bestScore == 90)
        #expect(result.passed)
    }

    @Test func aStoreFromBeforeTheSummariesIsBackfilledByTheMigration() throws {
        // A v2 store with attempts, written the way the previous version wrote it.
        let s = try oldStore(upTo: "v2", """
            INSERT INTO attempts (learner_id, curriculum, item_id, attempt, kind, level, status, score, score_max, last_at, seconds, observer, source)
            VALUES ('lee', 'cs', 'a.assessment', 1, 'assessment', 'P1', 3, 8, 20, '2026-01-01', 100, NULL, 'csv'),
                   ('lee', 'cs', 'a.assessment', 2, 'assessment', 'P1', 5, 18, 20, '2026-01-02', 200, NULL, 'csv'),
                   ('lee', 'cs', 'a.shadowing', 1, 'shadowing', 'P1', 4, NULL, NULL, '2026-01-03', NULL, 'Kim', 'csv')
            """)
        defer { removeStore(s) }
        #expect(try s.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5"])
        #expect(try count(s, "SELECT COUNT(*) FROM item_progress") == 2)
        #expect(try count(s, "SELECT attempts FROM item_progress WHERE item_id = 'a.assessment'") == 2)
        #expect(try count(s, "SELECT CAST(best AS INTEGER) FROM item_progress WHERE item_id = 'a.assessment'") == 90)
        #expect(try count(s, "SELECT seconds FROM item_progress WHERE item_id = 'a.assessment'") == 300)
        #expect(try count(s, "SELECT COUNT(*) FROM item_progress WHERE item_id = 'a.shadowing' AND observer = 'Kim' AND signed_at = '2026-01-03'") == 1)
        #expect(try s.summaryDrift() == 0)
    }
}

@Suite("Progress: report date arithmetic")
struct ReportDatesTests {
    @Test func daysMatchFoundationsCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let asOf = ISO8601DateFormatter().date(from: "2026-03-20T15:30:00Z")!
        var day = ISO8601DateFormatter().date(from: "1996-02-27T00:00:00Z")!
        let f = DateFormatter()
        f.calendar = calendar
        f.timeZone = calendar.timeZone
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd"
        // Every 37th day over 30 years, leap days included, with and without a time part.
        while day < asOf {
            let text = f.string(from: day)
            let expected = Int(asOf.timeIntervalSince(day) / 86400)
            #expect(ReportDates.days(from: text, to: asOf) == expected, "\(text)")
            #expect(ReportDates.days(from: text + "T23:59:59Z", to: asOf) == expected, "\(text)T…")
            day = calendar.date(byAdding: .day, value: 37, to: day)!
        }
        #expect(ReportDates.daysSinceEpoch(year: 1970, month: 1, day: 1) == 0)
        #expect(ReportDates.daysSinceEpoch(year: 2000, month: 3, day: 1) == 11017)
        #expect(ReportDates.days(from: "2026-03-21", to: asOf) == 0, "a future date is 0 days")
        for bad in ["", "2026-3-01", "2026/03/01", "2026-13-01", "abcd-ef-gh"] {
            #expect(ReportDates.days(from: bad, to: asOf) == 0, "\(bad)")
        }
    }
}
