import Foundation
import LadderKit
import TestSupport
import Testing

@testable import LadderPreview

/// Writes the pictures in docs/ with the same browser tooling as the journeys:
/// `LADDER_SCREENSHOTS=1 swift test --filter ScreenshotTests`. Off by default, so a test run
/// never changes the tree.
@Suite(.serialized)
struct ScreenshotTests {
    static var enabled: Bool { WebDriver.available && ProcessInfo.processInfo.environment["LADDER_SCREENSHOTS"] == "1" }

    @Test(.enabled(if: enabled, "set LADDER_SCREENSHOTS=1 (needs chromium and chromium-driver)"), arguments: ["desktop", "phone"])
    func pictures(_ width: String) async throws {
        let docs = PreviewFixture.repoRoot.appendingPathComponent("docs")
        let package = try PreviewFixture.packagePath()
        let db = PreviewFixture.tempDB()
        let server = try await RunningServer.start(package: package, db: db)
        let driver = try await WebDriver.start(phone: width == "phone")
        defer { driver.quit() }
        let j = Journey(driver: driver, server: server, db: db, package: package, learner: "alex")
        try await j.openPlayer()

        func frameShot(_ name: String) async throws {
            try await driver.switchToTop()
            let frame = try await driver.find("#player-frame")
            guard let s = try await driver.command("GET", "/element/\(frame)/screenshot") as? String, let png = Data(base64Encoded: s) else {
                throw WebDriver.Failure(description: "no element screenshot")
            }
            try png.write(to: docs.appendingPathComponent(name))
            // Back into the SCO, where the journey steps run.
            try await driver.switchToFrame("#player-frame")
        }

        // A module page, in the player's frame.
        try await j.launch(PreviewFixture.module)
        try await j.goToPage(2)
        try await frameShot("preview-module-\(width).png")
        try await j.goToPage(try await j.config()["pages"] as? Int ?? 2)
        try await driver.click("button[data-action=finish]")
        try await driver.waitForScript("the finish message", "return document.body.textContent.indexOf('You have finished') >= 0")
        try await j.exitToContents()

        // A quiz after a submit with one wrong answer: feedback, score and Try again.
        try await j.launch(PreviewFixture.assessment)
        let qs = try await j.questions()
        for (n, q) in qs.enumerated() { _ = try await j.answer(q, correctly: n != 1) }
        _ = try await j.submitQuiz()
        try await driver.execute("document.getElementById('ladder-result').scrollIntoView({block: 'center'})")
        try await frameShot("preview-quiz-\(width).png")

        // The whole LMS player: contents with recorded statuses, and the SCO in its frame.
        try await driver.switchToTop()
        try await driver.waitForScript(
            "statuses in the contents",
            "return !!document.querySelector('button[data-sco=\"\(PreviewFixture.assessment)\"] .toc-status')")
        try await driver.switchToFrame("#player-frame")
        try await driver.execute("window.scrollTo(0, 0)")
        try await driver.switchToTop()
        try await driver.screenshot().write(to: docs.appendingPathComponent("preview-player-\(width).png"))
        await server.stop()
    }
}
