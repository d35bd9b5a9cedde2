import Foundation
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// Regressions for what the libFuzzer targets (Fuzz/) found: each input once stopped the
/// process with a Swift runtime trap. The inputs are also in Fuzz/Corpus/<target>/crash-*.
@Suite("Fuzz findings: progress imports")
struct FuzzFindingsTests {
    /// fuzz-import-csv and fuzz-import-talentlms: a duration too large for Int trapped in
    /// `Int(Double)`.
    @Test(arguments: ["1e300", "inf", "-inf", "nan", "1e300:00", "99999999999999999999:00:00", "1e300h", "3 1e300m"])
    func durationsNoTimeSpanHasAreRefused(_ cell: String) {
        #expect(DurationCell.seconds(cell) == nil)
    }

    @Test func ordinaryDurationsStillRead() {
        #expect(DurationCell.seconds("3m 17s") == 197)
        #expect(DurationCell.seconds("0:10:30") == 630)
        #expect(DurationCell.seconds("12.6") == 13)
    }

    /// fuzz-import-moodle-basic and -interactions: Foundation's DateFormatter trapped
    /// ("Incorrect range CFRange") on a combining mark after the time in a Moodle date.
    @Test func aDateWithACombiningMarkIsNotADate() {
        #expect(LMSDates(timeZone: TimeZone(identifier: "UTC")!).parse("Monday, 2 March 2026, 10:00\u{0FB2}\u{FFFD}Tuesday, 10 March 2026, 3:15 PM") == nil)
        #expect(LMSDates(timeZone: TimeZone(identifier: "UTC")!).parse("Saturday, 10 January 2026, 2:05\u{07AF}M") == nil)
        #expect(LMSDates(timeZone: TimeZone(identifier: "UTC")!).parse("Monday, 2 March 2026, 10:00 AM") == .some("2026-03-02T10:00:00Z"))
    }

    /// The whole import: the row is reported on its field and the file's other rows land.
    @Test func aHugeDurationIsAnIssueOnItsRow() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-finding-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("""
            learner,item,attempt,status,seconds
            ana@example.com,inform-customers.module,1,completed,1e300
            ana@example.com,confirm-resolution.module,1,completed,600

            """.utf8).write(to: file)
        let sum = try s.importFiles([file.path], options: ImportOptions(source: .csv, plan: ProgressFixtures.plan))
        #expect(sum.issues.map { "\($0.line) \($0.field ?? "-")" } == ["2 seconds"])
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'ana@example.com'") == 1)
    }

    /// fuzz-import-moodle-basic and -interactions (in CI): a Moodle header with Attempt before
    /// Name made the identity columns a reversed range, which trapped. It is read like any
    /// header now: no identity columns between them.
    @Test func aMoodleHeaderWithAttemptBeforeNameDoesNotTrap() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-finding-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("Attempt\tStarted on\tName\tLast accessed on\tScore\n1\t\tAna Silva\t\t80\n".utf8).write(to: file)
        let sum = try s.importFiles([file.path], options: ImportOptions(source: .moodle, plan: ProgressFixtures.plan))
        #expect(sum.files.count == 1)
    }
}
