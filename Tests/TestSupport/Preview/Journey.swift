import Foundation
import LadderCore
import LadderRendering
import LadderPackaging
import LadderProgress
import LadderPreview
import Testing

/// One learner in a real headless Chromium against a preview server of this process. Helpers
/// click and type as a person would and wait explicitly (polls with deadlines); on failure
/// `run` saves a screenshot and the browser console to the test output folder.
public final class Journey: Sendable {
    public let driver: WebDriver
    private let running: Locked<RunningServer>
    /// The preview server the browser talks to (a new one after `restartServer`).
    public var server: RunningServer { running.withLock { $0 } }
    public let db: String
    public let package: String
    public let learner: String

    public init(driver: WebDriver, server: RunningServer, db: String, package: String, learner: String) {
        self.driver = driver
        running = Locked(server)
        self.db = db
        self.package = package
        self.learner = learner
    }

    /// Where failure artifacts go: `$LADDER_TEST_OUTPUT` or a temporary folder.
    public static let outputFolder: URL = {
        if let p = ProcessInfo.processInfo.environment["LADDER_TEST_OUTPUT"], !p.isEmpty { return URL(fileURLWithPath: p) }
        return FileManager.default.temporaryDirectory.appendingPathComponent("ladder-preview-journeys")
    }()

    public static func run(_ name: String, learner: String, _ body: (Journey) async throws -> Void) async throws {
        let package = try PreviewFixture.packagePath()
        let db = PreviewFixture.tempDB()
        let server = try await RunningServer.start(package: package, db: db)
        let driver = try await WebDriver.start()
        let j = Journey(driver: driver, server: server, db: db, package: package, learner: learner)
        do {
            try await j.openPlayer()
            try await body(j)
        } catch {
            await j.saveArtifacts(name, error: error)
            driver.quit()
            await j.server.stop()
            throw error
        }
        driver.quit()
        await j.server.stop()
    }

    public func saveArtifacts(_ name: String, error: Error) async {
        let folder = Self.outputFolder.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? await driver.switchToTop()
        if let png = try? await driver.screenshot() { try? png.write(to: folder.appendingPathComponent("screenshot.png")) }
        let log = await driver.consoleLog()
        try? (["error: \(error)", ""] + log).joined(separator: "\n").write(
            to: folder.appendingPathComponent("console.txt"), atomically: true, encoding: .utf8)
        print("journey \(name) failed; screenshot and console in \(folder.path)")
    }

    // MARK: - The player

    public func openPlayer() async throws {
        try await driver.navigate("\(server.url)/?learner=\(learner)")
        _ = try await driver.waitForElement("button[data-sco]")
    }

    /// Clicks the item in the table of contents and waits until its SCO runs in the frame.
    public func launch(_ sco: String) async throws {
        try await driver.switchToTop()
        try await driver.click("button[data-sco=\"\(sco)\"]")
        try await waitForLaunch(sco)
    }

    /// Waits until the player has launched `sco` and it runs in the frame (then in the frame).
    public func waitForLaunch(_ sco: String) async throws {
        try await driver.switchToTop()
        try await driver.waitForScript("the player to launch \(sco)", "return document.body.getAttribute('data-sco') === arguments[0]".replacingOccurrences(of: "arguments[0]", with: "'\(sco)'"))
        try await driver.switchToFrame("#player-frame")
        let slug = sco.replacingOccurrences(of: "ITEM-", with: "")
        try await driver.waitForScript(
            "the SCO \(sco) to start",
            """
            var c = document.getElementById('ladder-sco');
            return !!c && JSON.parse(c.textContent).id.replace(/\\./g, '-') === '\(slug)' && !!window.LadderRuntime && !!LadderRuntime.instance
              && !!LadderRuntime.instance.session && document.body.classList.contains('ladder-js')
            """)
    }

    /// The player's "Exit to contents": the SCO is unloaded (its pagehide commits and finishes).
    public func exitToContents() async throws {
        try await driver.switchToTop()
        try await driver.click("#player-exit")
        try await driver.waitForScript("the frame to close", "return document.getElementById('player-frame').hidden === true")
    }

    /// The SCO's configuration (`#ladder-sco`), read in the frame.
    public func config() async throws -> [String: Any] {
        let s = try await driver.execute("return document.getElementById('ladder-sco').textContent") as? String ?? "{}"
        return (try JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any]) ?? [:]
    }

    // MARK: - Module

    public func goToPage(_ k: Int) async throws {
        let pages = try await config()["pages"] as? Int ?? 1
        try #require(k <= pages, "the module has \(pages) pages")
        while true {
            let now = try await driver.execute("return LadderRuntime.instance.session.view().page") as? Int ?? 0
            if now == k { return }
            try await driver.click(now < k ? "button[data-action=next]" : "button[data-action=prev]")
            let want = now < k ? now + 1 : now - 1
            try await driver.waitForScript(
                "page \(want)", "return !document.getElementById('page-\(want)').hidden && LadderRuntime.instance.session.view().page === \(want)")
        }
    }

    public func completeModule(_ sco: String = PreviewFixture.module) async throws {
        try await launch(sco)
        let pages = try await config()["pages"] as? Int ?? 1
        try await goToPage(pages)
        try await driver.click("button[data-action=finish]")
        try await driver.waitForScript("the finish message", "return document.body.textContent.indexOf('You have finished') >= 0")
        try await waitStored(sco, "module completed") { $0.values["cmi.core.lesson_status"] == "completed" }
        try await exitToContents()
    }

    // MARK: - Quiz

    public struct Question {
        public var id: String
        public var options: [String]
        public var correct: [String]
        public var multiple: Bool
    }

    /// This try's questions, in the order shown, with the correct letters the runtime found
    /// from the page's answer key (the page itself carries no plain key).
    public func questions() async throws -> [Question] {
        let qs = try await driver.execute("return LadderRuntime.instance.session.view().quiz.questions") as? [[String: Any]] ?? []
        return qs.map {
            Question(
                id: $0["id"] as? String ?? "", options: $0["options"] as? [String] ?? [], correct: $0["correct"] as? [String] ?? [],
                multiple: $0["multiple"] as? Bool ?? false)
        }
    }

    /// Clicks the options of one question: the correct ones, or a wrong choice.
    public func answer(_ q: Question, correctly: Bool) async throws -> [String] {
        let letters = correctly ? q.correct : [q.options.first { !q.correct.contains($0) } ?? q.options[0]]
        for l in letters { try await driver.click("#q-\(q.id)-\(l)") }
        return letters
    }

    /// Submits and waits for the verdict; returns true when passed.
    public func submitQuiz() async throws -> Bool {
        try await driver.click("#ladder-quiz button.ladder-primary")
        try await driver.waitForScript(
            "the quiz result",
            "var r = document.getElementById('ladder-result'); return !r.hidden && (r.classList.contains('ladder-passed') || r.classList.contains('ladder-failed'))")
        return try await driver.execute("return document.getElementById('ladder-result').classList.contains('ladder-passed')") as? Bool ?? false
    }

    // MARK: - The store

    public func stored(_ sco: String) throws -> CMIState? { try PreviewFixture.state(db, learner: learner, sco: sco) }

    /// Waits until the server has stored a state for `sco` that satisfies `condition`.
    @discardableResult
    public func waitStored(_ sco: String, _ what: String, timeout: TimeInterval = 20, _ condition: @escaping (CMIState) -> Bool) async throws -> CMIState {
        var found: CMIState?
        try await driver.wait("stored: \(what)", timeout: timeout) {
            guard let s = try self.stored(sco), condition(s) else { return false }
            found = s
            return true
        }
        return found!
    }

    /// Restarts the server on the same progress store (a new port: the browser goes there).
    public func restartServer() async throws {
        await server.stop()
        let restarted = try await RunningServer.start(package: package, db: db)
        running.withLock { $0 = restarted }
        try await driver.switchToTop()
        try await openPlayer()
    }
}

public let timespanPattern = #"^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$"#

public func isTimespan(_ s: String?) -> Bool { s?.range(of: timespanPattern, options: .regularExpression) != nil }
