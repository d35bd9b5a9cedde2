import Foundation
import LadderCore
import TestSupport
import Testing

@testable import LadderPreview

/// WCAG 2.2 AA of the learner's pages (issue 14 point 12): axe-core in the real headless
/// Chromium, against the preview player and the sample's module, quiz and shadowing SCOs as
/// the player shows them, in each state a learner sees. Zero serious or critical violations;
/// every violation found is printed with its rule, impact and element.
@Suite(
    .serialized, .timeLimit(.minutes(5)),
    .enabled(if: WebDriver.available, "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"),
    .enabled(if: Axe.available, Comment(rawValue: Axe.skipReason)))
struct AccessibilityTests {
    init() {
        if !Axe.available { print("AccessibilityTests skipped: \(Axe.skipReason)") }
    }

    @Test func playerAndEverySCOStateHaveNoSeriousViolations() async throws {
        try await Journey.run("axe", learner: "ada") { j in
            let d = j.driver
            // Checks the player with the SCO in its frame, then goes back into the frame.
            func checkInPlayer(_ state: String) async throws {
                try await d.switchToTop()
                try await Axe.check(d, state, frame: "#player-frame")
                try await d.switchToFrame("#player-frame")
            }
            try await Axe.check(d, "player: table of contents")

            // A module: its first page (summary, objectives), a middle page, and finished.
            try await j.launch(PreviewFixture.module)
            try await checkInPlayer("player with the module, page 1")
            let pages = try await j.config()["pages"] as? Int ?? 1
            try await j.goToPage(pages)
            try await d.click("button[data-action=finish]")
            try await d.waitForScript("the finish message", "return document.body.textContent.indexOf('You have finished') >= 0")
            try await d.switchToTop()
            try await Axe.check(d, "module, finished", frame: "#player-frame")
            try await j.exitToContents()

            // A quiz before answering, and after a wrong answer is marked (feedback shown).
            try await j.launch(PreviewFixture.assessment)
            try await checkInPlayer("quiz, unanswered")
            let qs = try await j.questions()
            for q in qs { _ = try await j.answer(q, correctly: false) }
            #expect(try await j.submitQuiz() == false)
            try await checkInPlayer("quiz, failed with feedback")
            try await d.click("button[data-action=retry]")
            for q in try await j.questions() { _ = try await j.answer(q, correctly: true) }
            #expect(try await j.submitQuiz())
            try await d.switchToTop()
            try await Axe.check(d, "quiz, passed", frame: "#player-frame")
            try await j.exitToContents()

            // The shadowing sign-off, empty and recorded.
            try await j.launch(PreviewFixture.shadowing)
            try await checkInPlayer("shadowing, empty")
            // Submitted with nothing filled in: the page marks what is missing.
            try await d.click("#ladder-signoff button.ladder-primary")
            try await d.waitForScript("the missing observer marked", "return document.getElementById('ladder-observer').getAttribute('aria-invalid') === 'true'")
            try await checkInPlayer("shadowing, incomplete")
            for b in try await j.config()["behaviours"] as? [String] ?? [] { try await d.click("#b-\(b)") }
            try await d.type("#ladder-observer", "Ada Park")
            try await j.typeDate("#ladder-date", year: "2026", month: "01", day: "15")
            try await d.click("#ladder-signoff button.ladder-primary")
            try await d.waitForScript("the sign-off result", "var r = document.getElementById('ladder-result'); return !r.hidden && r.textContent.length > 0")
            try await d.switchToTop()
            try await Axe.check(d, "shadowing, signed off", frame: "#player-frame")
            try await j.exitToContents()

            // The contents with attempts and the new-attempt dialog open.
            try await d.waitForScript("the new-attempt button", "return !!document.querySelector('button[data-new-attempt]')")
            try await d.click("button[data-new-attempt=\"\(PreviewFixture.assessment)\"]")
            try await d.waitForScript("the confirmation", "return document.getElementById('player-confirm').open === true")
            try await Axe.check(d, "player: new-attempt dialog")
        }
    }

    /// The check can fail: a page with an unlabelled field and text too faint to read is
    /// reported as serious.
    @Test func axeReportsABrokenPage() async throws {
        let driver = try await WebDriver.start()
        defer { driver.quit() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-axe-broken-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: file) }
        try #"<!DOCTYPE html><html lang="en"><head><title>Broken</title></head><body><main><h1>Broken</h1><p style="color:#bbb;background:#fff">faint</p><input type="text"></main></body></html>"#
            .write(to: file, atomically: true, encoding: .utf8)
        try await driver.navigate(file.absoluteString)
        let found = try await Axe.run(driver)
        #expect(Set(found.filter(\.serious).map(\.id)).isSuperset(of: ["color-contrast", "label"]), "\(found)")
    }
}
