import Foundation
import LadderCore
import LadderRendering
import LadderPackaging
import LadderProgress
import LadderPreview
import TestSupport

// Writes the pictures in docs/ with the same browser tooling as the journey tests:
//
//     swift run ladder-screenshots [--out FOLDER] [desktop] [phone]
//
// A tool, not a test: it changes files in the tree and checks nothing. Needs chromium and
// chromium-driver (Debian). Exit 0 when every picture was written, 1 on a failure, 2 on usage.

var out = TestSupport.repoRoot.appendingPathComponent("docs")
var widths: [String] = []
var args = CommandLine.arguments.dropFirst()
while let arg = args.popFirst() {
    switch arg {
    case "--out":
        guard let folder = args.popFirst() else {
            FileHandle.standardError.write(Data("ladder-screenshots: --out needs a folder\n".utf8))
            exit(2)
        }
        out = URL(fileURLWithPath: folder)
    case "desktop", "phone":
        widths.append(arg)
    default:
        FileHandle.standardError.write(Data("usage: ladder-screenshots [--out FOLDER] [desktop] [phone]\n".utf8))
        exit(2)
    }
}
if widths.isEmpty { widths = ["desktop", "phone"] }
guard WebDriver.available else {
    FileHandle.standardError.write(Data("ladder-screenshots: needs chromium and chromium-driver\n".utf8))
    exit(1)
}

func pictures(_ width: String, into docs: URL) async throws -> [String] {
    let package = try PreviewFixture.packagePath()
    let db = PreviewFixture.tempDB()
    let server = try await RunningServer.start(package: package, db: db)
    let driver = try await WebDriver.start(phone: width == "phone")
    defer { driver.quit() }
    let j = Journey(driver: driver, server: server, db: db, package: package, learner: "alex")
    try await j.openPlayer()
    var written: [String] = []

    func frameShot(_ name: String) async throws {
        try await driver.switchToTop()
        let frame = try await driver.find("#player-frame")
        guard let s = try await driver.command("GET", "/element/\(frame)/screenshot") as? String, let png = Data(base64Encoded: s) else {
            throw WebDriver.Failure(description: "no element screenshot")
        }
        try png.write(to: docs.appendingPathComponent(name))
        written.append(name)
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
    written.append("preview-player-\(width).png")
    await server.stop()
    return written
}

do {
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    for width in widths {
        for name in try await pictures(width, into: out) { print(out.appendingPathComponent(name).path) }
    }
} catch {
    FileHandle.standardError.write(Data("ladder-screenshots: \(error)\n".utf8))
    exit(1)
}
