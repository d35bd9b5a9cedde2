import Foundation
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// Moodle's downloads as its report code writes them (fixtures under Fixtures/progress/moodle,
/// sources in that folder's README).
@Suite("Progress import: Moodle downloads")
struct MoodleImportTests {
    let plan = ProgressFixtures.plan
    let lisbon = TimeZone(identifier: "Europe/Lisbon")!

    func importMoodle(_ s: ProgressStore, _ files: [String], zone: TimeZone? = nil, match: LearnerMatch = .auto,
                      item: String? = nil) throws -> ImportSummary {
        try s.importFiles(files.map { ProgressFixtures.path("moodle/" + $0) },
                          options: ImportOptions(source: .moodle, plan: plan, timeZone: zone ?? lisbon, match: match, item: item))
    }

    @Test func theDefaultBasicReportSaysWhichOptionToTurnOn() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let sum = try importMoodle(s, ["basic-default.txt"])
        #expect(sum.issues.count == 1 && sum.rejected == 1 && sum.imported == 0)
        let message = try #require(sum.issues.first?.message)
        #expect(message.contains("set 'Track details' to Yes") && message.contains("--item"))
        #expect(try count(s, "SELECT COUNT(*) FROM attempts") == 0)
    }

    @Test func theDefaultBasicReportOfAOneSCOActivityImportsWithItsItem() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let sum = try importMoodle(s, ["basic-default.txt"], item: "Informing customers check")
        #expect(sum.issues.isEmpty && sum.imported == 4)
        // The Score column is the attempt's grade: the raw score; 0 means none.
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE item_id = 'inform-customers.assessment' AND learner_id = 'ana.silva@example.com' AND score = 90 AND attempt = 2 AND status = 2") == 1)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'ben.okafor@example.com' AND score IS NULL") == 1)
        #expect(try count(s, "SELECT COUNT(*) FROM learners WHERE id = 'chen.wei@example.com'") == 1)
        let wrong = try importMoodle(try freshStore(), ["basic-report.txt"], item: "Informing customers check")
        #expect(wrong.issues.first?.message.contains("leave --item out") == true)
    }

    @Test func theInteractionsReportWithDefaultOptionsImportsItsSCOColumnsAndSaysWhatIsMissing() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let sum = try importMoodle(s, ["interactions-default.txt"])
        #expect(sum.issues.map(\.line) == [1])
        #expect(sum.issues[0].message.contains("Tick 'Summary of question' and 'Summary of result'"))
        #expect(sum.imported == 2)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE item_id = 'inform-customers.assessment'") == 2)
        #expect(try count(s, "SELECT COUNT(*) FROM interactions") == 0)
    }

    @Test func aQuizRetriedInsideOneAttemptKeepsEveryTry() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let sum = try importMoodle(s, ["interactions-retry.txt"])
        #expect(sum.issues.isEmpty)
        #expect(try count(s, "SELECT COUNT(*) FROM interactions WHERE learner_id = 'dana.reyes@example.com'") == 6)
        // The failed first try stays visible beside the passed retry.
        #expect(try count(s, "SELECT COUNT(*) FROM interactions WHERE interaction = 'opening-order' AND try = 1 AND position = 0 AND result = 'wrong' AND response = 'b'") == 1)
        #expect(try count(s, "SELECT COUNT(*) FROM interactions WHERE interaction = 'opening-order' AND try = 2 AND position = 3 AND result = 'correct'") == 1)
        let before = try snapshot(s)
        let again = try importMoodle(s, ["interactions-retry.txt"])
        #expect(again.changed == 0 && again.files.allSatisfy(\.alreadyImported))
        #expect(try snapshot(s) == before)
    }

    @Test func severalSCOsRepeatTheirQuestionCellsAfterEachSCOCell() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let sum = try importMoodle(s, ["interactions-two-scos.txt"])
        #expect(sum.issues.isEmpty)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'ana.silva@example.com'") == 2)
        #expect(try count(s, "SELECT COUNT(*) FROM interactions WHERE item_id = 'inform-customers.assessment'") == 2)
        #expect(try count(s, "SELECT COUNT(*) FROM interactions WHERE item_id = 'inform-customers.module'") == 0)
    }

    @Test func datesAreReadInTheGivenZoneAndStoredInUTC() throws {
        let a = try freshStore(), b = try freshStore()
        defer { removeStore(a); removeStore(b) }
        _ = try importMoodle(a, ["basic-report.txt"], zone: lisbon)
        _ = try importMoodle(b, ["basic-report.txt"], zone: TimeZone(identifier: "America/New_York")!)
        let sql = "SELECT COUNT(*) FROM attempts WHERE learner_id = 'ana.silva@example.com' AND attempt = 1 AND started_at = "
        #expect(try count(a, sql + "'2026-01-06T09:05:00Z'") == 15)
        #expect(try count(b, sql + "'2026-01-06T14:05:00Z'") == 15)
    }

    @Test func identityFieldsAreDecodedFromMoodlesHTMLEntities() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let sum = try importMoodle(s, ["entities.txt"])
        #expect(sum.issues.isEmpty)
        #expect(try count(s, "SELECT COUNT(*) FROM learners WHERE id = 'sean.o''neill@example.com' AND name = 'Sean O''Neill'") == 1)
        #expect(HTMLEntities.decode("R&amp;D &lt;7&gt; &quot;x&quot; o&#039;neill &#x41; &bogus; & done") == "R&D <7> \"x\" o'neill A &bogus; & done")
    }

    @Test func aDownloadWithoutIdentityColumnsMatchesStoredLearnersByName() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        _ = try importMoodle(s, ["basic-report.txt"])
        #expect(try count(s, "SELECT COUNT(*) FROM learners") == 3)
        let sum = try importMoodle(s, ["no-identity.txt"])
        #expect(sum.issues.isEmpty)
        // Ana and Ben are the stored learners, not new ones; Sean is new and said so.
        #expect(try count(s, "SELECT COUNT(*) FROM learners") == 4)
        #expect(sum.files[0].newByName == 1)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'Ana Silva' OR learner_id = 'Ben Okafor'") == 0)

        // Two stored learners with one name: the row is refused, naming both.
        let t = try freshStore()
        defer { removeStore(t) }
        let twins = try temporaryFile("learner,name,item,status\na1@x.org,Ana Silva,inform-customers.module,completed\na2@x.org,Ana Silva,inform-customers.module,completed\n")
        defer { try? FileManager.default.removeItem(atPath: twins) }
        _ = try t.importFiles([twins], options: ImportOptions(source: .csv, plan: plan))
        let refused = try importMoodle(t, ["no-identity.txt"])
        #expect(refused.issues.first { $0.line == 2 }?.message.contains("'Ana Silva' names 2 learners in the store ('a1@x.org', 'a2@x.org')") == true)
        #expect(try count(t, "SELECT COUNT(*) FROM learners WHERE name = 'Ana Silva'") == 2)
        // --match email refuses rows without an email instead.
        let byEmail = try importMoodle(t, ["no-identity.txt"], match: .email)
        #expect(byEmail.rejected == 3 && byEmail.imported == 0)
    }

    @Test func excelSavedAsCSVInWindows1252SemicolonOrUnicodeTextReadsTheSame() throws {
        var texts: [String] = []
        for (file, detected) in [("excel-saved-as-csv.csv", "Windows-1252, comma-delimited"),
                                 ("excel-saved-as-csv-semicolon.csv", "UTF-8 with BOM, semicolon-delimited"),
                                 ("unicode-text.txt", "UTF-16LE with BOM, tab-delimited")] {
            let s = try freshStore()
            defer { removeStore(s) }
            let sum = try importMoodle(s, [file])
            #expect(sum.issues.isEmpty, "\(file): \(sum.issues)")
            #expect(sum.files.first?.detected == detected)
            #expect(try count(s, "SELECT COUNT(*) FROM learners WHERE name = 'José Álvarez' AND id = 'jose.alvarez@example.com'") == 1)
            #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE item_id = 'inform-customers.assessment' AND score = 85 AND started_at = '2026-01-06T09:05:00Z'") == 1)
            texts.append(try text(s, "SELECT group_concat(name, '|') FROM (SELECT name FROM learners ORDER BY id)"))
        }
        #expect(Set(texts) == ["José Álvarez|Zoë Brandt"])
    }

    @Test func aTruncatedDownloadIsAnErrorNotANewLearner() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let sum = try importMoodle(s, ["damaged-truncated.txt"])
        #expect(sum.issues.map(\.line) == [5])
        #expect(sum.issues[0].message.contains("ends in the middle of this row"))
        #expect(try count(s, "SELECT COUNT(*) FROM learners WHERE id LIKE 'chen%'") == 0)
        #expect(try count(s, "SELECT COUNT(*) FROM learners") == 2)
    }

    @Test func utf16WithoutItsMarkIsRefusedWithWhatWasFound() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        #expect(throws: ImportError.self) { try importMoodle(s, ["damaged-utf16-no-bom.txt"]) }
        do { _ = try importMoodle(s, ["damaged-utf16-no-bom.txt"]) } catch let e as ImportError {
            #expect(e.message.contains("UTF-16 without a byte-order mark"))
        }
    }

    @Test func anUnrecognisedFileNamesWhatWasReadAndWhatWasExpected() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let sum = try s.importFiles([ProgressFixtures.path("csv/signoffs.csv")], options: ImportOptions(source: .moodle, plan: plan))
        let m = try #require(sum.issues.first?.message)
        #expect(m.contains("read (UTF-8 with BOM, comma-delimited, header 13 fields: 'learner', 'name', 'email', 'level', …)"))
        #expect(m.contains("expected Moodle's text download: tab-delimited"))
    }

    private func temporaryFile(_ text: String) throws -> String {
        let p = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-import-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }
}
