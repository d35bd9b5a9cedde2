import Foundation
import GRDB
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// The merge rules (docs/progress.md, "Imports"): the verdict must not depend on the order
/// files are imported in (issue 10, D3, D8 and D12 of the review).
@Suite("Progress: merges that do not depend on import order")
struct ProgressMergeOrderTests {
    static let plan = ProgressFixtures.plan
    static let header = "learner,level,item,attempt,status,score,last\n"

    /// A file in a fresh temporary folder; remove it with the store's folder.
    static func file(_ text: String, _ ext: String = "csv") throws -> String {
        let p = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-merge-\(UUID().uuidString).\(ext)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }

    /// Imports each text as its own command, in order; the summaries of each.
    @discardableResult
    static func importEach(_ s: ProgressStore, _ texts: [String], source: ImportSource = .csv, ext: String = "csv") throws -> [ImportSummary] {
        try texts.map { t in
            let p = try file(t, ext)
            defer { try? FileManager.default.removeItem(atPath: p) }
            let sum = try s.importFiles([p], options: ImportOptions(source: source, plan: plan, timeZone: TimeZone(identifier: "Europe/London")!))
            #expect(sum.issues.isEmpty, "\(sum.issues)")
            return sum
        }
    }

    /// Rows completing `items` at `level`, dated `last`.
    static func rows(_ learner: String, level: String, _ items: [PlanItem], last: String) -> String {
        items.map { i in
            let (status, score) = i.kind == .assessment ? ("passed", "90") : ("completed", "")
            return "\(learner),\(level),\(i.id),1,\(status),\(score),\(last)\n"
        }.joined()
    }

    static func learner(_ s: ProgressStore, _ id: String) throws -> LearnerProgress {
        try #require(try s.report(ReportOptions(plan: plan, asOf: ProgressFixtures.asOf)).learners.first { $0.id == id })
    }

    /// D3: a January sheet (level P1, P1 and P2 done) imported after the March one (level P2)
    /// reset the level to P1, and the learner, promoted in between, showed "ready for P2".
    @Test func theLevelStatedLatestWinsInEitherOrder() throws {
        let items = ProgressStandingTests.items
        let january = Self.header + Self.rows("ana", level: "P1", items("P1") + items("P2"), last: "2026-01-20")
        let march = Self.header + Self.rows("ana", level: "P2", [items("P3")[0]], last: "2026-03-10")
        var verdicts: [String] = []
        for order in [[january, march], [march, january]] {
            let s = try freshStore()
            defer { removeStore(s) }
            try Self.importEach(s, order)
            let ana = try Self.learner(s, "ana")
            #expect(ana.currentLevel == "P2" && !ana.ready && ana.reached == "P2", "\(ana.verdict)")
            #expect(try text(s, "SELECT level || ' ' || level_at FROM enrolments") == "P2 2026-03-10")
            verdicts.append(ana.verdict)
        }
        #expect(verdicts[0] == verdicts[1] && verdicts[0].hasPrefix("working on P3"), "\(verdicts)")

        // On the same date, and between undated rows, the level that sorts last wins; an
        // undated level never replaces a dated one.
        let p1 = "learner,level,item,status,last\nbo,P1,\(items("P1")[0].id),completed,2026-02-01\n"
        let p2 = "learner,level,item,status,last\nbo,P2,\(items("P1")[1].id),completed,2026-02-01\n"
        let undated = "learner,level,item,status\nbo,P3,\(items("P1")[2].id),completed\n"
        for order in [[p1, p2, undated], [undated, p2, p1], [p2, undated, p1]] {
            let s = try freshStore()
            defer { removeStore(s) }
            try Self.importEach(s, order)
            #expect(try text(s, "SELECT level || ' ' || level_at FROM enrolments") == "P2 2026-02-01")
        }
        let s = try freshStore()
        defer { removeStore(s) }
        try Self.importEach(s, [undated, "learner,level,item,status\nbo,P2,\(items("P1")[2].id),completed\n"])
        #expect(try text(s, "SELECT level || ' ' || COALESCE(level_at, 'undated') FROM enrolments") == "P3 undated")

        // The track follows the same rule (it gives the current level when no level does).
        let onboarding = "learner,track,item,status,last\ncy,onboarding-P1,\(items("P1")[0].id),completed,2026-01-10\n"
        let promotion = "learner,track,item,status,last\ncy,promotion-P1-P2,\(items("P1")[1].id),completed,2026-03-10\n"
        for order in [[onboarding, promotion], [promotion, onboarding]] {
            let t = try freshStore()
            defer { removeStore(t) }
            try Self.importEach(t, order)
            #expect(try text(t, "SELECT track || ' ' || track_at || ' ' || COALESCE(level, '-') FROM enrolments") == "promotion-P1-P2 2026-03-10 -")
        }
    }

    /// A Moodle basic report of one attempt at the "Informing customers check", last accessed at `last`.
    static func moodle(last: String, score: Int) -> String {
        "Name\t\"Email address\"\tAttempt\t\"Started on\"\t\"Last accessed on\"\tScore\t\"Informing customers check\"\n"
            + "\"Ana Silva\"\tana@example.com\t1\t\"Monday, 2 March 2026, 10:00 AM\"\t\"\(last)\"\t\(score)\t\(score)/100\n"
    }

    static func attemptRow(_ s: ProgressStore) throws -> String {
        try text(s, "SELECT status || ' ' || score || '/' || COALESCE(score_max, '-') || ' ' || score_at || ' ' || last_at FROM attempts")
    }

    /// D8: the quiz retried inside attempt 1 (60 on 3 March, 90 by 6 March; Moodle shows the
    /// latest score): the older download imported last replaced 90 by 60, and a passed check
    /// became failed; two downloads imported alternately flipped the score on every import.
    @Test func theScoreReadLatestWinsAndAnOlderFileChangesNothing() throws {
        let older = Self.moodle(last: "Tuesday, 3 March 2026, 10:40 AM", score: 60)
        let newer = Self.moodle(last: "Friday, 6 March 2026, 2:00 PM", score: 90)
        var rows: [String] = []
        for order in [[older, newer], [newer, older]] {
            let s = try freshStore()
            defer { removeStore(s) }
            let sums = try Self.importEach(s, order, source: .moodle, ext: "txt")
            rows.append(try Self.attemptRow(s))
            let check = try #require(try Self.learner(s, "ana@example.com").levels[0].assessments.first)
            #expect(check.passed && check.bestScore == 90)
            if order[0] == newer { #expect(sums[1].files[0].changedAttempts == 0, "the older file changes nothing") }
            // Alternating imports (the retry fixture's earlier and later files) never move it.
            for again in [older, newer, older] {
                try Self.importEach(s, [again], source: .moodle, ext: "txt")
                #expect(try Self.attemptRow(s) == rows.last!)
            }
        }
        #expect(rows[0] == rows[1] && rows[0] == "4 90.0/100.0 2026-03-06T14:00:00Z 2026-03-06T14:00:00Z", "\(rows)")
    }

    /// The status follows the latest view too (the furthest one on the same date), and rows
    /// without dates decide by the lower score, in any order.
    @Test func statusAndUndatedScoresMergeTheSameInAnyOrder() throws {
        let item = ProgressStandingTests.items("P1").first { $0.kind == .assessment }!.id
        let passed = "learner,item,status,score,last\nlee,\(item),passed,90,2026-03-03\n"
        let failed = "learner,item,status,score,last\nlee,\(item),failed,40,2026-03-06\n"
        let undatedHigh = "learner,item,status,score\nlee,\(item),completed,95\n"
        let undatedLow = "learner,item,status,score\nlee,\(item),completed,70\n"
        var rows: Set<String> = []
        for order in [[passed, failed], [failed, passed]] {
            let s = try freshStore()
            defer { removeStore(s) }
            try Self.importEach(s, order + [undatedHigh])
            rows.insert(try Self.attemptRow(s))
        }
        #expect(rows == ["3 40.0/- 2026-03-06 2026-03-06"], "the 6 March view: failed 40")
        rows = []
        for order in [[undatedHigh, undatedLow], [undatedLow, undatedHigh]] {
            let s = try freshStore()
            defer { removeStore(s) }
            try Self.importEach(s, order)
            rows.insert(try text(s, "SELECT score FROM attempts"))
        }
        #expect(rows == ["70.0"])
    }

    /// D12: "not attempted" or "failed" with a score at or above mastery was reported passed.
    /// The source stated the outcome; the score is shown but does not overturn it.
    @Test func aStatedFailureIsNeverPassedByItsScore() throws {
        let check = ProgressStandingTests.items("P1").first { $0.kind == .assessment }!
        let mastery = try #require(check.masteryScore)
        #expect(85 >= mastery && 60 < mastery)
        let csv = """
            learner,item,attempt,status,score
            x,\(check.id),1,not attempted,85
            y,\(check.id),1,failed,85
            z,\(check.id),1,completed,85
            w,\(check.id),1,completed,60
            v,\(check.id),1,failed,85
            v,\(check.id),2,completed,60
            u,\(check.id),1,failed,60
            u,\(check.id),2,incomplete,85

            """
        let s = try freshStore()
        defer { removeStore(s) }
        try Self.importEach(s, [csv])
        let report = try s.report(ReportOptions(plan: Self.plan, asOf: ProgressFixtures.asOf))
        var passed: [String: Bool] = [:]
        for l in report.learners {
            let a = try #require(l.levels[0].assessments.first { $0.item == check.id })
            passed[l.id] = a.passed
            #expect(a.bestScore == (["w"].contains(l.id) ? 60 : 85), "\(l.id): the best score is still shown")
        }
        #expect(passed == ["x": false, "y": false, "z": true, "w": false, "v": false, "u": true])
        #expect(try s.summaryDrift() == 0)
    }

    /// A v4 store opens as v5: its scores take their attempt's last date, its levels stay
    /// undated (any dated statement replaces them), and the summaries get `credited`.
    @Test func aV4StoreMigratesAndKeepsItsNewestScore() throws {
        let item = ProgressStandingTests.items("P1").first { $0.kind == .assessment }!.id
        let s = try oldStore(upTo: "v4", """
            INSERT INTO learners (id) VALUES ('ana@example.com');
            INSERT INTO enrolments (learner_id, curriculum, level) VALUES ('ana@example.com', 'customer-service', 'P1');
            INSERT INTO attempts (learner_id, curriculum, item_id, attempt, kind, level, status, score, score_max, last_at, source)
            VALUES ('ana@example.com', 'customer-service', '\(item)', 1, 'assessment', 'P1', 4, 90, 100, '2026-03-06T14:00:00Z', 'moodle');
            INSERT INTO item_progress \(ProgressSchema.summaryColumnsV4) FROM attempts GROUP BY learner_id, item_id, curriculum;
            """)
        defer { removeStore(s) }
        #expect(try s.appliedMigrations().last == "v5")
        #expect(try Self.attemptRow(s) == "4 90.0/100.0 2026-03-06T14:00:00Z 2026-03-06T14:00:00Z")
        #expect(try count(s, "SELECT CAST(credited AS INTEGER) FROM item_progress") == 90)
        #expect(try text(s, "SELECT level || ' ' || COALESCE(level_at, 'undated') FROM enrolments") == "P1 undated")
        try Self.importEach(s, [Self.moodle(last: "Tuesday, 3 March 2026, 10:40 AM", score: 60)], source: .moodle, ext: "txt")
        #expect(try Self.attemptRow(s) == "4 90.0/100.0 2026-03-06T14:00:00Z 2026-03-06T14:00:00Z")
        try Self.importEach(s, ["learner,level,item,status,last\nana@example.com,P2,\(item),completed,2026-01-05\n"])
        #expect(try text(s, "SELECT level || ' ' || level_at FROM enrolments") == "P2 2026-01-05")
        #expect(try s.summaryDrift() == 0)
    }
}
