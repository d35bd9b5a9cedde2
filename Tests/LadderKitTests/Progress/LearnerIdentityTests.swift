import Foundation
import GRDB
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderProgress

/// Who is who (issue 10, point 4): two people with one name in a name-only file stay apart,
/// emails compare ignoring case, and a learners file applies to the stored learners it names
/// and says which entries name none (fixtures and their sources: Fixtures/progress/README.md).
@Suite("Progress learner identity")
struct LearnerIdentityTests {
    let plan = ProgressFixtures.plan

    func importFile(_ s: ProgressStore, _ source: ImportSource, _ path: String) throws -> ImportSummary {
        try s.importFiles([path], options: ImportOptions(source: source, plan: plan, timeZone: TimeZone(identifier: "Europe/London")!))
    }

    /// A generic CSV that stores `learner` with `items` done, enrolled at `level`.
    func storeDone(_ s: ProgressStore, learner: String, name: String, level: String, items: [PlanItem]) throws {
        var csv = "learner,name,level,item,status,score\n"
        for i in items {
            csv += "\(learner),\(name),\(level),\(i.id),\(i.kind == .assessment ? "passed,90" : "completed,")\n"
        }
        let p = try temporaryFile(csv)
        defer { try? FileManager.default.removeItem(atPath: p) }
        let sum = try importFile(s, .csv, p)
        #expect(sum.issues.isEmpty, "\(sum.issues)")
    }

    /// Gives a stored learner another id, as a store written before ids were normalised holds
    /// `Ana.Silva@Example.com` as it came.
    func renameLearner(_ s: ProgressStore, _ from: String, to: String) throws {
        try s.pool.write { db in
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            try db.execute(sql: "UPDATE learners SET id = ?, email = ? WHERE id = ?", arguments: [to, to, from])
            for table in ["enrolments", "attempts", "item_progress", "interactions"] {
                try db.execute(sql: "UPDATE \(table) SET learner_id = ? WHERE learner_id = ?", arguments: [to, from])
            }
        }
    }

    func items(_ level: String) -> [PlanItem] { plan.items.filter { $0.level == level } }

    @Test func twoPeopleWithOneNameInANameOnlyMoodleDownloadAreRefusedNotMerged() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        try storeDone(s, learner: "ana.silva@example.com", name: "Ana Silva", level: "P1", items: Array(items("P1").prefix(1)))
        let file = ProgressFixtures.path("moodle/no-identity-same-name.txt")
        let sum = try importFile(s, .moodle, file)
        // Ana Silva twice with attempt 1, Chen Wei with an attempt and a row without: two
        // people each time. Ben Okafor's attempts 1 and 2 are one user's.
        #expect(sum.issues.map(\.line) == [2, 6])
        #expect(sum.issues.allSatisfy { $0.file == file && $0.field == "Name" })
        let ana = try #require(sum.issues.first?.message)
        #expect(ana.hasPrefix("'Ana Silva' is on lines 2 (attempt 1) and 3 (attempt 1): Moodle's SCORM reports write one row per user and attempt"))
        #expect(ana.contains("none of these 2 rows was imported") && ana.contains("moodle/site:viewuseridentity") && ana.contains("'Email address'"))
        #expect(sum.issues[1].message.hasPrefix("'Chen Wei' is on lines 6 (attempt 1) and 7 (no attempt)"))
        #expect(sum.rejected == 4 && sum.imported == 2)
        // The stored Ana Silva got nothing of theirs; no Chen Wei was added; Ben was.
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'ana.silva@example.com'") == 1)
        #expect(try count(s, "SELECT COUNT(*) FROM learners WHERE name IN ('Ana Silva', 'Chen Wei')") == 1)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'Ben Okafor'") == 5)
        let report = try s.report(ReportOptions(plan: plan, asOf: ProgressFixtures.asOf))
        #expect(report.learners.first { $0.id == "ana.silva@example.com" }?.reached == nil)
        #expect(report.learners.allSatisfy { !$0.ready })
    }

    @Test func twoUsersWithOneNameInATalentLMSSheetAreRefusedNotMerged() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let file = ProgressFixtures.path("talentlms/unit-matrix-same-name.csv")
        let sum = try importFile(s, .talentlms, file)
        #expect(sum.issues.map(\.line) == [2] && sum.issues.first?.field == "User")
        let message = try #require(sum.issues.first?.message)
        #expect(message.hasPrefix("'Maria Garcia' is on lines 2 and 4: a TalentLMS unit or training matrix has one row per user"))
        #expect(message.contains("add an 'Email' column"))
        #expect(try text(s, "SELECT group_concat(id) FROM learners") == "Erin Park")

        // A progress sheet by name: one user has one row per unit, so the same unit twice is
        // two people, and two units are one person's.
        let t = try freshStore()
        defer { removeStore(t) }
        let twice = try temporaryFile("User,Unit,Status\nMaria Garcia,Informing customers check,Passed\nMaria Garcia,Informing customers check,Failed\nLi Na,Informing customers check,Passed\nLi Na,Informing customers about products and services,Completed\n")
        defer { try? FileManager.default.removeItem(atPath: twice) }
        let rows = try importFile(t, .talentlms, twice)
        #expect(rows.issues.count == 1)
        #expect(rows.issues.first?.message.hasPrefix("'Maria Garcia' is on lines 2 ('Informing customers check') and 3 ('Informing customers check'): a TalentLMS progress sheet has one row per user and unit") == true)
        #expect(try text(t, "SELECT group_concat(x) FROM (SELECT learner_id || ':' || item_id AS x FROM attempts ORDER BY item_id)")
                    == "Li Na:inform-customers.assessment,Li Na:inform-customers.module")
    }

    @Test func emailsCompareIgnoringCaseAndFindLearnersStoredBeforeNormalisation() throws {
        let moodle = ProgressFixtures.path("moodle/email-capitals.txt")
        let talent = ProgressFixtures.path("talentlms/course-progress-email-case.csv")
        let s = try freshStore()
        defer { removeStore(s) }
        _ = try importFile(s, .moodle, moodle)
        _ = try importFile(s, .talentlms, talent)
        #expect(try text(s, "SELECT group_concat(id || '|' || email) FROM learners") == "ana.silva@example.com|ana.silva@example.com")
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'ana.silva@example.com'") == 4)
        #expect(try s.report(ReportOptions(plan: plan, asOf: ProgressFixtures.asOf)).learners.count == 1)

        // A store from before: the learner's id is the email as Moodle wrote it. Rows in any
        // case find that learner, and `--learner` does too.
        let old = try freshStore()
        defer { removeStore(old) }
        _ = try importFile(old, .moodle, moodle)
        try renameLearner(old, "ana.silva@example.com", to: "Ana.Silva@Example.com")
        _ = try importFile(old, .talentlms, talent)
        let again = try importFile(old, .moodle, moodle)
        #expect(again.issues.isEmpty)
        #expect(try text(old, "SELECT group_concat(id) FROM learners") == "Ana.Silva@Example.com")
        #expect(try count(old, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'Ana.Silva@Example.com'") == 4)
        #expect(try old.learnerIDs(matching: "ANA.SILVA@example.com") == ["Ana.Silva@Example.com"])
    }

    @Test func aLearnersFileAppliesToTheLearnersItNamesAndSaysWhichItCannotApply() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        // Ana reached P2 with the store saying P1, stored under the id Moodle wrote (an older store).
        try storeDone(s, learner: "ana.silva@example.com", name: "Ana Silva", level: "P1", items: items("P1") + items("P2"))
        try renameLearner(s, "ana.silva@example.com", to: "Ana.Silva@Example.com")
        try storeDone(s, learner: "amara.nwosu@example.com", name: "Amara Nwosu", level: "P1", items: items("P1") + items("P2"))
        let curriculum = try #require(CurriculumLoader.load(folder: TestSupport.sample.path).curriculum)
        let path = ProgressFixtures.path("learners/cohort-store-ids.csv")
        let read = LearnerProfileLoader.load(path: path, curriculum: curriculum)
        #expect(!read.diagnostics.hasErrors, "\(read.diagnostics.all)")
        let match = try s.matchLearnersFile(read.profiles, path: path)
        // By id ignoring case, and Amara by her unique name (the HR id 'amara' is no stored id).
        #expect(match.currentLevels == ["Ana.Silva@Example.com": "P2", "amara.nwosu@example.com": "P2"])
        let said = match.diagnostics.sorted.map(\.description)
        #expect(!match.diagnostics.hasErrors)
        #expect(said == [
            path + ": warning: 1 of the file's 3 entries matches no learner in the progress store, so the report uses the store's current level for those learners; "
                + "learner_id must be the learner's id in the store (the LMS email or login), or the name must be that of exactly one stored learner",
            path + ": warning: 1 entry matched a stored learner by name only (the id matches none): 'amara' → 'amara.nwosu@example.com' (line 3)",
            path + ":4:1: warning: learner 'bruno' (Bruno Costa) matches no learner in the progress store (no stored learner has its id or email "
                + "(ignoring case) or its name): its current level P1 is not applied",
        ])
        let report = try s.report(ReportOptions(plan: plan, asOf: ProgressFixtures.asOf, currentLevels: match.currentLevels))
        #expect(report.learners.allSatisfy { !$0.ready }, "both are at P2 by the learners file")
        #expect(report.learners.allSatisfy { $0.currentLevel == "P2" && $0.currentLevelSource == "learners file" })

        // The sample cohort's HR ids name nobody here: said once for the whole file.
        let sample = TestSupport.sample.appendingPathComponent("learners/cohort.csv").path
        let hr = LearnerProfileLoader.load(path: sample, curriculum: curriculum).profiles.filter { $0.name != "Amara Nwosu" }
        let none = try s.matchLearnersFile(hr, path: sample)
        #expect(none.currentLevels.isEmpty)
        #expect(none.diagnostics.warningCount == hr.count + 1)
        #expect(none.diagnostics.all.last?.message.hasPrefix("none of the file's \(hr.count) entries matches a learner in the progress store, so") == true)

        // Two entries for one stored learner with different levels: an error, not a guess.
        let twice = [LearnerProfile(id: "ana.silva@example.com", name: "Ana Silva", currentLevel: "P2", targetLevel: "P3", proficiency: [:], line: 2),
                     LearnerProfile(id: "ANA.SILVA@EXAMPLE.COM", name: "Ana Silva", currentLevel: "P1", targetLevel: "P2", proficiency: [:], line: 3)]
        let clash = try s.matchLearnersFile(twice, path: "cohort.csv")
        #expect(clash.diagnostics.hasErrors)
        #expect(clash.diagnostics.all.first?.description.hasPrefix("cohort.csv:3:1: error: learner 'ANA.SILVA@EXAMPLE.COM' is stored learner 'Ana.Silva@Example.com', as is 'ana.silva@example.com' on line 2") == true)
    }

    private func temporaryFile(_ text: String) throws -> String {
        let p = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-identity-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }
}
