import Foundation
import Testing

@testable import LadderCore
@testable import LadderProgress

/// Findings of an adversarial review of the progress import and report (issue 10): each test
/// failed before its fix.
@Suite("Progress: review findings")
struct ReviewFindingsTests {
    static let plan = ProgressFixtures.plan

    static func csvFile(_ text: String) throws -> String {
        let p = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-review-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }

    /// Every item of `level` completed (assessments passed at 90) by `learner`.
    static func rows(_ learner: String, _ level: String) -> String {
        plan.levels.first { $0.id == level }!.items.compactMap { plan.item($0) }.map { i in
            let scored = i.kind == .assessment
            return "\(learner),\(i.id),\(scored ? "passed" : "completed"),\(scored ? "90" : "")\n"
        }.joined()
    }

    /// D5: another ladder's sign-off sheet, imported without a curriculum, stated level P1:
    /// that P1 is not this ladder's, so it is not her current level here and she is not ready.
    @Test func aLevelStoredWithoutACurriculumIsNotThisCurriculumsCurrentLevel() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let other = try Self.csvFile("learner,level,item,item_level,status\nana@x.org,P1,prospecting.shadowing,P1,completed\n")
        let ours = try Self.csvFile("learner,item,status,score\n" + Self.rows("ana@x.org", "P1") + Self.rows("ana@x.org", "P2"))
        defer { for p in [other, ours] { try? FileManager.default.removeItem(atPath: p) } }
        _ = try s.importFiles([other], options: ImportOptions(source: .csv))
        #expect(try s.importFiles([ours], options: ImportOptions(source: .csv, plan: Self.plan)).issues.isEmpty)
        let ana = try #require(try s.report(ReportOptions(plan: Self.plan, asOf: ProgressFixtures.asOf)).learners.first)
        #expect(ana.reached == "P2")
        #expect(ana.currentLevel == nil && !ana.ready && ana.readyFor == nil, "\(ana.verdict)")
        // The same level stated under this curriculum is hers.
        let stated = try Self.csvFile("learner,level,item,status\nana@x.org,P1,\(Self.plan.items[0].id),completed\n")
        defer { try? FileManager.default.removeItem(atPath: stated) }
        _ = try s.importFiles([stated], options: ImportOptions(source: .csv, plan: Self.plan))
        let again = try #require(try s.report(ReportOptions(plan: Self.plan, asOf: ProgressFixtures.asOf)).learners.first)
        #expect(again.currentLevel == "P1" && again.readyFor == "P2")
    }

    /// D6: without a curriculum a level's required items are only those imports recorded, so
    /// one recorded P2 item made P2 "complete": nobody is called ready then.
    @Test func withoutACurriculumNobodyIsCalledReady() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let p2 = Self.plan.levels.first { $0.id == "P2" }!.items[0]
        let p1 = Self.rows("ana@x.org", "P1").split(separator: "\n").map { $0 + ",P1\n" }.joined()
        let file = try Self.csvFile("learner,item,status,score,level\n" + p1 + "ana@x.org,\(p2),completed,,P1\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(try s.importFiles([file], options: ImportOptions(source: .csv, plan: Self.plan)).issues.isEmpty)
        let without = try s.report(ReportOptions(plan: nil, asOf: ProgressFixtures.asOf))
        #expect(without.learners.allSatisfy { !$0.ready && $0.readyFor == nil })
        // The store's levels are only those imports named: its highest is not "the top level".
        #expect(without.learners.first?.verdict == "every recorded item of P2 done (the store's highest level; give --curriculum for the ladder's)")
        #expect((without.cohort.ready ?? []).isEmpty && without.cohort.atLevel.allSatisfy { $0.ready == 0 })
        let with = try #require(try s.report(ReportOptions(plan: Self.plan, asOf: ProgressFixtures.asOf)).learners.first)
        #expect(with.reached == "P1" && !with.ready)
    }

    /// D9 and D4: Moodle writes SCO titles through format_string (a bare & becomes &amp;);
    /// a title several items share matches none of them.
    @Test func titlesAreMatchedDecodedAndNeverGuessedAmongSeveral() throws {
        var p = Self.plan
        let a = try #require(p.items.firstIndex { $0.kind == .assessment })
        p.items[a].title = "Q&A check for informing customers"
        let amp = ItemResolver(plan: p)
        #expect(amp.resolve("Q&amp;A check for informing customers")?.id == p.items[a].id)
        #expect(amp.resolve("Q&A check for informing customers")?.id == p.items[a].id)

        let s = try #require(p.items.indices.filter { p.items[$0].kind == .shadowing }.dropFirst().first)
        p.items[s].title = p.items[a].title.uppercased()
        let shared = ItemResolver(plan: p)
        #expect(shared.resolve("Q&amp;A check for informing customers") == nil)
        #expect(shared.resolve(p.items[a].id)?.id == p.items[a].id, "an item id still names one item")
        let hint = shared.hint("Q&A check for informing customers")
        #expect(hint.contains("it is the title of several items (\(p.items[a].id), \(p.items[s].id))"), "\(hint)")
    }

    /// D11: Moodle in English (United States) writes dates month first
    /// (lang/en_us/langconfig.php: strftimedaydatetime, strftimedatetime).
    @Test func usEnglishMoodleDatesAreRead() throws {
        let d = LMSDates(timeZone: TimeZone(identifier: "America/New_York")!)
        #expect(d.parse("Tuesday, January 6, 2026, 9:05 AM") == .some("2026-01-06T14:05:00Z"))
        #expect(d.parse("January 6 2026, 9:05 PM") == .some("2026-01-07T02:05:00Z"))
        #expect(d.parse("Tuesday, 6 January 2026, 9:05 AM") == .some("2026-01-06T14:05:00Z"))
        #expect(d.parse("January 32 2026, 9:05 PM") == nil)
    }
}
