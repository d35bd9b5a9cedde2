import Foundation
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// Level reached and readiness (issue 10 point 1), on stores built through the generic CSV
/// import with the sample curriculum (P1 and P2: 15 items each).
@Suite("Progress: level reached and readiness")
struct ProgressStandingTests {
    static let plan = ProgressFixtures.plan
    static func items(_ level: String) -> [PlanItem] {
        plan.levels.first { $0.id == level }!.items.compactMap { plan.item($0) }
    }

    /// CSV rows completing `items` for `learner` (assessments passed at 90 of 100).
    static func rows(_ learner: String, level: String = "", track: String = "", _ items: [PlanItem], seconds: String = "600") -> String {
        items.map { i in
            let score = i.kind == .assessment ? "90,100" : ","
            let status = i.kind == .assessment ? "passed" : "completed"
            return "\(learner),\(learner.capitalized),\(level),\(track),\(i.id),1,\(status),\(score),2026-03-10,\(seconds)\n"
        }.joined()
    }

    static func report(_ csv: String, _ options: ReportOptions = ReportOptions(plan: plan, asOf: ProgressFixtures.asOf)) throws -> ProgressReport {
        let s = try freshStore()
        defer { removeStore(s) }
        let p = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-standing-\(UUID().uuidString).csv").path
        try Data(("learner,name,level,track,item,attempt,status,score,score_max,last,seconds\n" + csv).utf8).write(to: URL(fileURLWithPath: p))
        defer { try? FileManager.default.removeItem(atPath: p) }
        let sum = try s.importFiles([p], options: ImportOptions(source: .csv, plan: plan))
        #expect(sum.issues.isEmpty, "\(sum.issues)")
        return try s.report(options)
    }

    static func learner(_ r: ProgressReport, _ id: String) throws -> LearnerProgress {
        try #require(r.learners.first { $0.id == id })
    }

    /// Today: finishing promotion-P1-P2 (P2's items) without P1 said "ready for P3".
    @Test func finishingPromotionItemsWithoutTheLowerLevelIsNotReady() throws {
        let r = try Self.report(Self.rows("pat", level: "P1", Self.items("P2")))
        let pat = try Self.learner(r, "pat")
        #expect(pat.reached == nil && !pat.ready && pat.readyFor == nil)
        #expect(pat.currentLevel == "P1" && pat.currentLevelSource == "store")
        #expect(pat.verdict == "working on P1: 15 of 15 missing")
        #expect(r.cohort.funnel.first { $0.level == "P2" }?.completed == 0, "P2's items alone do not reach P2")
    }

    /// Today: a learner enrolled at P2 with P1 at 0% and P2 done was "ready for P3".
    @Test func aMissingP1ItemBlocksEveryHigherVerdict() throws {
        let p1 = Self.items("P1")
        var csv = Self.rows("rui", level: "P2", Self.items("P2"))
        csv += Self.rows("una", level: "P2", Array(p1.dropFirst()) + Self.items("P2"))
        let r = try Self.report(csv)
        for id in ["rui", "una"] {
            let l = try Self.learner(r, id)
            #expect(!l.ready && l.reached == nil && l.next == "P1", "\(id): \(l.verdict)")
        }
        let una = try Self.learner(r, "una")
        #expect(una.verdict == "working on P1: 1 of 15 missing")
        #expect(una.levels.first { $0.level == "P1" }?.missing == [p1[0].id])
        #expect(r.cohort.ready == [])
    }

    @Test func readyForPromotionWhenTheLevelIsReachedAndTheCurrentLevelIsBelow() throws {
        let both = Self.items("P1") + Self.items("P2")
        var csv = Self.rows("quinn", level: "P1", both)
        csv += Self.rows("vera", level: "P2", both)  // already at P2: reached, nothing to promote to
        csv += Self.rows("wim", track: "promotion-P1-P2", both)  // current level from the track
        csv += Self.rows("xia", both)  // nothing says the current level
        csv += Self.rows("yan", level: "P1", Self.items("P1"))
        var r = try Self.report(csv)
        let quinn = try Self.learner(r, "quinn")
        #expect(quinn.ready && quinn.readyFor == "P2" && quinn.reached == "P2" && quinn.verdict == "ready for promotion to P2")
        let vera = try Self.learner(r, "vera")
        #expect(!vera.ready && vera.reached == "P2" && vera.verdict == "working on P3: 15 of 15 missing")
        let wim = try Self.learner(r, "wim")
        #expect(wim.readyFor == "P2" && wim.currentLevel == "P1" && wim.currentLevelSource == "tracks")
        let xia = try Self.learner(r, "xia")
        #expect(!xia.ready && xia.currentLevel == nil && xia.reached == "P2" && xia.level == "P3")
        let yan = try Self.learner(r, "yan")
        #expect(!yan.ready && yan.reached == "P1", "onboarding done is not a promotion")
        #expect(r.cohort.ready == [Cohort.Ready(level: "P2", learners: [.init(id: "quinn", name: "Quinn"), .init(id: "wim", name: "Wim")])])
        #expect(r.cohort.funnel.first { $0.level == "P2" }?.completed == 4)
        #expect(r.cohort.funnel.first { $0.level == "P1" }?.completed == 5)
        #expect(r.cohort.currentUnknown == 1)

        // A learners file's current level wins over the store.
        r = try Self.report(csv, ReportOptions(plan: Self.plan, asOf: ProgressFixtures.asOf, currentLevels: ["quinn": "P2", "xia": "P1"]))
        #expect(try !Self.learner(r, "quinn").ready)
        let xia2 = try Self.learner(r, "xia")
        #expect(xia2.readyFor == "P2" && xia2.currentLevelSource == "learners file")

        // The text and HTML reports open with the ready list, by name.
        let text = ReportRenderer.render(r, as: .text, detail: false)
        #expect(text.contains("Ready for promotion to P2: 2\n  Wim (wim)\n  Xia (xia)\n"))
        let html = ReportRenderer.render(r, as: .html, detail: false)
        let ready = try #require(html.range(of: "<h3>To P2: 2</h3><ul class=\"names\"><li>Wim (wim)</li><li>Xia (xia)</li></ul>"))
        #expect(ready.lowerBound < html.range(of: "<h2>Cohort</h2>")!.lowerBound)
    }

    /// Percentages are rounded, not truncated; time nobody recorded is unknown, not 0m.
    @Test func percentsRoundAndUnknownTimeSaysUnknown() throws {
        let r = try Self.report(Self.rows("sam", level: "P1", Array(Self.items("P1").prefix(13)), seconds: ""))
        let sam = try Self.learner(r, "sam")
        let p1 = try #require(sam.levels.first { $0.level == "P1" })
        #expect(p1.done == 13 && p1.percent == 87)
        #expect(sam.seconds == nil && p1.seconds == nil)
        let text = ReportRenderer.render(r, as: .text, detail: false)
        #expect(text.contains("time unknown"))
        #expect(Standing.percent(done: 199, of: 200) == 99 && Standing.percent(done: 1, of: 300) == 1 && Standing.percent(done: 0, of: 0) == 100)
    }

    @Test func trackStartLevels() {
        let levels = Self.plan.levels.map(\.id)
        #expect(Standing.startLevel(ofTrack: "promotion-P1-P2", plan: Self.plan, levels: levels) == "P1")
        #expect(Standing.startLevel(ofTrack: "onboarding-P2", plan: Self.plan, levels: levels) == "P2")
        #expect(Standing.startLevel(ofTrack: "promotion-P3-P4", plan: nil, levels: levels) == "P3")
        #expect(Standing.startLevel(ofTrack: "onboarding", plan: nil, levels: levels) == nil)
        #expect(ReportScan.track(ofPackage: "customer-service-promotion-P1-P2", plan: Self.plan) == "promotion-P1-P2")
        // Onboarding-P1 opened once, the P2→P3 promotion track now: the learner is at P2
        // (the lowest start level called them ready for the P2 they hold).
        let current = Standing.current(learnersFile: nil, store: nil, trackStarts: ["P1", "P2"], levels: levels)
        #expect(current?.index == 1 && current?.source == .tracks)
    }
}
