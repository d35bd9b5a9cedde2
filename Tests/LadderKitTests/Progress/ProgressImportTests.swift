import Foundation
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

@Suite("Progress: store, imports, readiness")
struct ProgressImportTests {
    @Test func storeMigratesAndDefaultPath() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        #expect(FileManager.default.fileExists(atPath: s.path))
        #expect(try s.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5"])
        // Reopening runs no migration twice.
        let again = try ProgressStore(path: s.path)
        #expect(try again.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5"])
        #expect(ProgressStore.defaultPath(environment: ["LADDER_DB": "/x/y.sqlite"]) == "/x/y.sqlite")
        #expect(ProgressStore.defaultPath(environment: [:]).hasSuffix("/.ladder/progress.sqlite"))
    }

    @Test func scoIdentifiersMapToItems() {
        #expect(SCOIdentifier.itemID("ITEM-inform-customers-module") == "inform-customers.module")
        #expect(SCOIdentifier.itemID("ITEM-record-orders-complaints-assessment") == "record-orders-complaints.assessment")
        #expect(SCOIdentifier.itemID("ITEM-a-shadowing-shadowing") == "a-shadowing.shadowing")
        #expect(SCOIdentifier.itemID("inform-customers.shadowing") == "inform-customers.shadowing")
        #expect(SCOIdentifier.itemID("ITEM-something") == nil)
    }

    @Test func previewRuntimeAPI() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let key = SCOKey(learner: "ana", package: "customer-service-onboarding-P1", sco: "ITEM-inform-customers-assessment")
        #expect(try s.runtimeState(key) == nil)
        #expect(try s.startNewAttempt(key) == 1)
        let state = CMIState(
            attempt: 1,
            values: ["cmi.core.lesson_status": "passed", "cmi.core.score.raw": "85", "cmi.core.score.max": "100",
                     "cmi.core.total_time": "0000:12:30.00", "cmi.suspend_data": "{\"v\":1}"],
            interactions: [["id": "opening-order", "type": "choice", "student_response": "a", "result": "correct"],
                           ["id": "verify-when", "type": "choice", "student_response": "b", "result": "wrong"]])
        try s.commitRuntime(key, state: state, learnerName: "Ana Silva", curriculum: "customer-service")
        #expect(try s.runtimeState(key) == state)
        #expect(try s.startNewAttempt(key) == 2)
        #expect(try s.runtimeState(key)?.attempt == 2)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE item_id = 'inform-customers.assessment' AND status = 5 AND score = 85 AND seconds = 750 AND source = 'preview'") == 1)
        #expect(try count(s, "SELECT COUNT(*) FROM interactions WHERE result = 'wrong'") == 1)
        // A shadowing commit carries the observer and date from suspend_data.
        let sh = SCOKey(learner: "ana", package: "p", sco: "ITEM-inform-customers-shadowing")
        try s.commitRuntime(sh, state: CMIState(attempt: 1, values: ["cmi.core.lesson_status": "completed",
                                                                     "cmi.suspend_data": "{\"v\":1,\"o\":\"Lee Chan\",\"d\":\"2026-03-02\"}"],
                                                interactions: []), learnerName: nil, curriculum: "customer-service")
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE observer = 'Lee Chan' AND signed_at = '2026-03-02' AND last_at LIKE '____-__-__T%Z'") == 1)
        #expect(try count(s, "SELECT COUNT(*) FROM learners WHERE id = 'ana' AND name = 'Ana Silva'") == 1)

        // import --from preview copies those attempts into another store, idempotently.
        let other = try freshStore()
        defer { removeStore(other) }
        let first = try other.importFiles([s.path], options: ImportOptions(source: .preview))
        #expect(first.issues.isEmpty)
        #expect(try count(other, "SELECT COUNT(*) FROM attempts") == 2)
        let before = try snapshot(other)
        let second = try other.importFiles([s.path], options: ImportOptions(source: .preview))
        #expect(second.changed == 0)
        #expect(try snapshot(other) == before)
    }

    @Test func fixturesImportAndReimportChangesNothing() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let summaries = try importAllFixtures(s)
        for sum in summaries {
            #expect(sum.issues.isEmpty, "\(sum.issues)")
            #expect(sum.changed > 0)
        }
        #expect(try count(s, "SELECT COUNT(*) FROM learners") == 5)
        #expect(try count(s, "SELECT COUNT(*) FROM interactions") == 9)
        // Moodle and the generic CSV overlap on Ana's shadowing attempts: merged, not doubled.
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'ana.silva@example.com' AND item_id LIKE '%.shadowing'") == 10)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE item_id = 'inform-customers.shadowing' AND attempt = 2 AND status = 4 AND observer = 'Maria \"Mo\" Costa, team lead'") == 1)
        let before = try snapshot(s)
        let again = try importAllFixtures(s)
        for sum in again {
            #expect(sum.changed == 0)
            #expect(sum.files.allSatisfy { $0.alreadyImported })
        }
        #expect(try snapshot(s) == before)
    }

    @Test func readinessMatchesTheCurriculumsRequiredItems() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        _ = try importAllFixtures(s)
        let plan = ProgressFixtures.plan
        let r = try s.report(ReportOptions(plan: plan, asOf: ProgressFixtures.asOf))
        let p1 = plan.levels.first { $0.id == "P1" }!
        func learner(_ id: String) throws -> LearnerProgress {
            guard let l = r.learners.first(where: { $0.id == id }) else { throw ReportError(message: "no learner \(id) in the report") }
            return l
        }

        let ana = try learner("ana.silva@example.com")
        // Enrolled at P1 with P1 done: reached P1, nothing to promote to (docs/progress.md).
        #expect(!ana.ready && ana.reached == "P1" && ana.currentLevel == "P1" && ana.verdict == "working on P2: 15 of 15 missing")
        let anaP1 = try #require(ana.levels.first { $0.level == "P1" })
        #expect(anaP1.required == p1.items.count && anaP1.done == p1.items.count && anaP1.percent == 100)
        let check = try #require(anaP1.assessments.first { $0.item == "inform-customers.assessment" })
        #expect(check.attempts == 2 && check.bestScore == 90 && check.passed && check.mastery == 80)
        let signoff = try #require(anaP1.shadowing.first { $0.item == "inform-customers.shadowing" })
        // The date the sign-off sheet recorded, not Moodle's "Last accessed on" (10 March).
        #expect(signoff.complete && signoff.observer == "Maria \"Mo\" Costa, team lead" && signoff.date == "2026-03-03")

        let ben = try learner("ben.okafor@example.com")
        let benP1 = try #require(ben.levels.first { $0.level == "P1" })
        #expect(!ben.ready && ben.level == "P1" && benP1.done == 3 && benP1.percent == 20)
        #expect(benP1.missing.count == p1.items.count - 3)
        #expect(benP1.missing.contains("inform-customers.assessment"))  // 70 < mastery 80
        #expect(ben.stalled)

        let dana = try learner("dana.reyes@example.com")
        #expect(!dana.ready && dana.levels.first { $0.level == "P1" }?.missing == ["confirm-resolution.shadowing"])
        #expect(dana.verdict == "working on P1: 1 of 15 missing")
        #expect((dana.seconds ?? 0) > 0)

        let erin = try learner("Erin Park")
        #expect(erin.levels.first { $0.level == "P1" }?.done == 4)
        let chen = try learner("chen.wei@example.com")
        #expect(chen.level == "P1" && !chen.stalled && chen.lastActivity == nil)

        // Every required item of P1 appears either as done or missing, for every learner.
        for l in r.learners {
            let lv = try #require(l.levels.first { $0.level == "P1" })
            #expect(lv.done + lv.missing.count == p1.items.count)
            #expect(Set(lv.missing).isSubset(of: Set(p1.items)))
        }

        #expect(r.cohort.atLevel.first { $0.level == "P1" } == .init(level: "P1", learners: 5, ready: 0))
        #expect(r.cohort.funnel.first == .init(level: "P1", started: 4, completed: 1))
        #expect(r.cohort.funnel.dropFirst().allSatisfy { $0.started == 0 && $0.completed == 0 })
        #expect(r.cohort.stalled.map(\.learner) == ["ben.okafor@example.com"])
        #expect(r.cohort.hardest.first == .init(item: "inform-customers.assessment", question: "fixed-lines", responses: 3, wrong: 2, wrongRate: 0.667))

        // --level and --learner narrow the view.
        let onlyP2 = try s.report(ReportOptions(plan: plan, level: "P2", asOf: ProgressFixtures.asOf))
        #expect(onlyP2.learners.isEmpty && onlyP2.levels == ["P2"])
        let one = try s.report(ReportOptions(plan: plan, learner: "ben.okafor@example.com", asOf: ProgressFixtures.asOf))
        #expect(one.learners.map(\.id) == ["ben.okafor@example.com"])
        #expect(throws: ReportError(message: "no learner 'nobody' in the store")) {
            try s.report(ReportOptions(plan: plan, learner: "nobody", asOf: ProgressFixtures.asOf))
        }
    }

    @Test func badRowsAreListedWithLineAndFieldAndTheRestLands() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let tl = ProgressFixtures.path("talentlms/bad-rows.csv")
        let sum = try s.importFiles([tl], options: ImportOptions(source: .talentlms, plan: ProgressFixtures.plan))
        // Issues name the column as the file heads it (TalentLMS's API keys here).
        #expect(sum.issues.map { "\($0.line) \($0.field ?? "-")" }
            == ["3 score", "4 name", "6 completion_status", "7 completed_on", "8 total_time"])
        #expect(sum.issues[0].description == "\(tl):3: error: field 'score': not a score: 'eighty'")
        #expect(sum.issues[1].message == "unit 'Unknown unit title' matches no curriculum item")
        #expect(sum.issues[3].message == "not a date (TalentLMS writes DD/MM/YYYY, HH:MM:SS): '31/02/2026, 11:00:00'")
        #expect(sum.committed && sum.rejected == 5)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'farid@example.com'") == 2)

        let csv = ProgressFixtures.path("csv/bad-rows.csv")
        let sum2 = try s.importFiles([csv], options: ImportOptions(source: .csv, plan: ProgressFixtures.plan))
        #expect(sum2.issues.map { "\($0.line) \($0.field ?? "-")" } == ["3 attempt", "4 last", "6 -"])
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'gus@example.com'") == 2)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'gus@example.com' AND score = 85") == 1)
    }

    @Test func strictImportsNothingUnlessEveryRowIsValid() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let before = try snapshot(s)
        let sum = try s.importFiles([ProgressFixtures.path("talentlms/course-progress.csv"), ProgressFixtures.path("talentlms/bad-rows.csv")],
                                    options: ImportOptions(source: .talentlms, strict: true, plan: ProgressFixtures.plan))
        #expect(!sum.committed && !sum.issues.isEmpty)
        #expect(try snapshot(s) == before)
        // The same files without their bad one import fine under --strict.
        let ok = try s.importFiles([ProgressFixtures.path("talentlms/course-progress.csv")],
                                   options: ImportOptions(source: .talentlms, strict: true, plan: ProgressFixtures.plan))
        #expect(ok.committed && ok.issues.isEmpty)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts") == 15)
    }

    // MARK: TalentLMS

    @Test func talentLMSUnitRowsKeepTheAPIsFormats() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let path = ProgressFixtures.path("talentlms/course-progress.csv")
        let sum = try s.importFiles([path], options: ImportOptions(source: .talentlms, plan: ProgressFixtures.plan))
        #expect(sum.issues.isEmpty && sum.committed && sum.rejected == 0)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'dana.reyes@example.com' AND source = 'talentlms'") == 15)
        #expect(try count(s, "SELECT COUNT(*) FROM learners WHERE id = 'dana.reyes@example.com' AND name = 'Dana Reyes' AND email = 'dana.reyes@example.com'") == 1)
        // completed_on_timestamp → ISO 8601; total_time "10m 30s" → 630 s.
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE item_id = 'inform-customers.module' AND status = 4 AND last_at = '2026-03-12T14:10:00Z' AND seconds = 630") == 1)
        // "Passed" with "92.00%": passed, 92 of 100.
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE item_id = 'inform-customers.assessment' AND status = 5 AND score = 92 AND score_max = 100") == 1)
        // The API's lower-case "incomplete", no completion date, "5m".
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE item_id = 'confirm-resolution.shadowing' AND status = 2 AND last_at IS NULL AND seconds = 300") == 1)
        let before = try snapshot(s)
        let again = try s.importFiles([path], options: ImportOptions(source: .talentlms, plan: ProgressFixtures.plan))
        #expect(again.changed == 0 && again.files.allSatisfy(\.alreadyImported))
        #expect(try snapshot(s) == before)
    }

    @Test func talentLMSReportStyleHeadersAndTextDatesStillImport() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let path = try temporaryCSV("""
            User,Email,Course,Unit,Unit type,Status,Score,Completion date,Time
            Gus Lee,gus@example.com,P1,Informing customers check,SCORM | xAPI | cmi5,Not passed,55%,"12/03/2026, 14:10:00",3m 17s
            Gus Lee,gus@example.com,P1,ITEM-inform-customers-module,SCORM | xAPI | cmi5,Pending,,,0s
            Gus Lee,gus@example.com,P1,Shadowing information calls and counter contacts,SCORM | xAPI | cmi5,Not attempted,,,
            ,,,,,,,,

            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sum = try s.importFiles([path], options: ImportOptions(source: .talentlms, plan: ProgressFixtures.plan))
        #expect(sum.issues.isEmpty && sum.rejected == 0)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE item_id = 'inform-customers.assessment' AND status = 3 AND score = 55 AND last_at = '2026-03-12T14:10:00Z' AND seconds = 197") == 1)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE item_id = 'inform-customers.module' AND status = 2 AND seconds = 0") == 1)
        // "Not attempted" records the learner, no attempt.
        #expect(try count(s, "SELECT COUNT(*) FROM attempts") == 2)
        #expect(try count(s, "SELECT COUNT(*) FROM learners WHERE id = 'gus@example.com' AND name = 'Gus Lee'") == 1)
    }

    @Test func talentLMSTrainingMatrixChecksCountAsCompletedOrPassed() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let path = ProgressFixtures.path("talentlms/training-matrix.csv")
        let sum = try s.importFiles([path], options: ImportOptions(source: .talentlms, plan: ProgressFixtures.plan))
        // A course that is not a Ladder item is named once, on the header line, and skipped.
        #expect(sum.issues.map { "\($0.line) \($0.field ?? "-")" } == ["1 Fire safety basics"])
        #expect(sum.committed && sum.rejected == 0)
        // ✔ is TalentLMS's "Completed/Passed": completed for modules and shadowing, passed for tests.
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'Gomez Lina' AND status = 4 AND score IS NULL") == 10)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'Gomez Lina' AND status = 5 AND item_id LIKE '%.assessment'") == 5)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'Ito Ken'") == 3)
        // An empty row still says the user is enrolled.
        #expect(try count(s, "SELECT COUNT(*) FROM learners WHERE id = 'Novak Petra'") == 1)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'Novak Petra'") == 0)

        let plan = ProgressFixtures.plan
        let p1 = plan.levels.first { $0.id == "P1" }!
        let r = try s.report(ReportOptions(plan: plan, asOf: ProgressFixtures.asOf))
        let lina = try #require(r.learners.first { $0.id == "Gomez Lina" })
        #expect(!lina.ready && lina.reached == "P1" && lina.currentLevel == nil)
        let linaP1 = try #require(lina.levels.first { $0.level == "P1" })
        #expect(linaP1.missing.isEmpty && linaP1.done == p1.items.count)
        let ken = try #require(r.learners.first { $0.id == "Ito Ken" })
        #expect(ken.levels.first { $0.level == "P1" }?.done == 3)

        let before = try snapshot(s)
        let again = try s.importFiles([path], options: ImportOptions(source: .talentlms, plan: plan))
        #expect(again.changed == 0)
        #expect(try snapshot(s) == before)
    }

    @Test func talentLMSMatrixCellsAndBadCells() throws {
        #expect(TalentLMSCell.matrixCell("✔") == .init(status: .completed))
        #expect(TalentLMSCell.matrixCell("✔\u{FE0F}") == .init(status: .completed))
        #expect(TalentLMSCell.matrixCell("X") == .init(status: .failed))
        #expect(TalentLMSCell.matrixCell("Not passed") == .init(status: .failed))
        #expect(TalentLMSCell.matrixCell("Pending") == .init(status: .incomplete))
        #expect(TalentLMSCell.matrixCell("85%") == .init(status: .completed, score: 85, scoreMax: 100))
        #expect(TalentLMSCell.matrixCell("Passed 92.00%") == .init(status: .passed, score: 92, scoreMax: 100))
        #expect(TalentLMSCell.matrixCell("✔ 85% (12m 30s)") == .init(status: .completed, score: 85, scoreMax: 100, seconds: 750))
        #expect(TalentLMSCell.matrixCell("In progress, 3m 17s") == .init(status: .incomplete, seconds: 197))
        #expect(TalentLMSCell.matrixCell("12m 30s") == .init(status: .incomplete, seconds: 750))
        #expect(TalentLMSCell.matrixCell("Done-ish") == nil)
        #expect(TalentLMSCell.matrixCell("Completed soon") == nil)

        let s = try freshStore()
        defer { removeStore(s) }
        let path = try temporaryCSV("""
            User,Informing customers about products and services,Informing customers check
            Hana Mori,✔,Passed 90%
            Ivo Roth,✔,maybe

            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sum = try s.importFiles([path], options: ImportOptions(source: .talentlms, plan: ProgressFixtures.plan))
        #expect(sum.issues.map(\.description) == ["\(path):3: error: field 'Informing customers check': neither a status, a score nor a time: 'maybe'"])
        #expect(sum.committed && sum.rejected == 1)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'Hana Mori' AND item_id = 'inform-customers.assessment' AND status = 5 AND score = 90") == 1)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'Ivo Roth'") == 0)
    }

    @Test func talentLMSHeaderWithoutUsersOrUnitsIsRejected() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let noUser = try temporaryCSV("Course,Progress\nP1,50%\n")
        let noUnit = try temporaryCSV("User,Fire safety basics\nHana Mori,✔\n")
        defer { for p in [noUser, noUnit] { try? FileManager.default.removeItem(atPath: p) } }
        let a = try s.importFiles([noUser], options: ImportOptions(source: .talentlms, plan: ProgressFixtures.plan))
        #expect(a.issues.map { "\($0.line) \($0.field ?? "-")" } == ["1 User"])
        let b = try s.importFiles([noUnit], options: ImportOptions(source: .talentlms, plan: ProgressFixtures.plan))
        #expect(b.issues.map { "\($0.line) \($0.field ?? "-")" } == ["1 -"])
        #expect(b.issues.first?.message.contains("(not matched: 'Fire safety basics')") == true)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts") == 0)
    }

    /// Writes `text` to a fresh temporary CSV file and returns its path.
    private func temporaryCSV(_ text: String) throws -> String {
        let p = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-talentlms-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }

    @Test func moodleTitlesNeedTheCurriculum() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let sum = try s.importFiles([ProgressFixtures.path("moodle/basic-report.txt")], options: ImportOptions(source: .moodle))
        #expect(sum.issues.count == 15)
        #expect(sum.issues.allSatisfy { $0.line == 1 && $0.message.contains("pass --curriculum") })
    }
}
