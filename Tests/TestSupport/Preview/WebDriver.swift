import Foundation
import LadderCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// A small W3C WebDriver client for Debian's `chromium-driver` (chromedriver): plain HTTP
/// JSON, enough to click, type, switch frames, run a script, take screenshots and read the
/// browser console. Every wait is an explicit poll with a deadline.
public final class WebDriver: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    public static let chromedriver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    public static let trace = ProcessInfo.processInfo.environment["LADDER_WEBDRIVER_TRACE"] == "1"
    public static var available: Bool { chromium != nil && chromedriver != nil }

    public let process: Process
    public let base: URL
    private let session = Locked("")
    /// True from a successful `start` until `quit`: this driver holds the `BrowserGate`.
    let holdsGate = Locked(false)
    /// The WebDriver session's id; empty before `newSession` and after `quit`.
    public var sessionID: String { session.withLock { $0 } }
    public let urlSession: URLSession

    /// Starts chromedriver and a headless Chromium session. `phone` emulates a 390×844 phone.
    public static func start(width: Int = 1280, height: Int = 860, phone: Bool = false) async throws -> WebDriver {
        guard let driverPath = chromedriver, let browser = chromium else { throw Failure(description: "chromium or chromedriver missing") }
        // One browser at a time in the whole test process: suites run in parallel, and two or
        // three Chromiums on a 2-core machine starved the preview servers until navigations
        // timed out. Released by `quit` (or here, when no session starts).
        await BrowserGate.shared.acquire()
        var lastError: Error = Failure(description: "chromedriver did not start")
        for _ in 0..<5 {
            let port = Int.random(in: 20_000...45_000)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: driverPath)
            p.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            let started = StartupLog()
            out.fileHandleForReading.readabilityHandler = { h in started.append(h.availableData) }
            try p.run()
            let d = WebDriver(process: p, base: URL(string: "http://127.0.0.1:\(port)")!, startup: started)
            do {
                try await d.waitUntilReady()
                try await d.newSession(browser: browser, width: width, height: height, phone: phone)
                d.holdsGate.withLock { $0 = true }
                return d
            } catch {
                lastError = error
                d.quit()
            }
        }
        BrowserGate.shared.release()
        throw lastError
    }

    public init(process: Process, base: URL, startup: StartupLog = StartupLog()) {
        self.process = process
        self.base = base
        self.startup = startup
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 60
        urlSession = URLSession(configuration: config)
    }

    /// chromedriver's standard output, read as it comes.
    public final class StartupLog: Sendable {
        private let data = Locked(Data())
        public init() {}
        public func append(_ d: Data) { data.withLock { $0.append(d) } }
        public var text: String { data.withLock { String(decoding: $0, as: UTF8.self) } }
    }
    public let startup: StartupLog

    /// Waits for chromedriver to say it listens (before that, a request could wait for a
    /// connection that never comes), then for `/status` to report ready.
    public func waitUntilReady() async throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if !process.isRunning { throw Failure(description: "chromedriver exited: \(startup.text)") }
            if startup.text.contains("started successfully") {
                let r = try await raw("GET", "/status", nil)
                if let v = r["value"] as? [String: Any], v["ready"] as? Bool == true { return }
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw Failure(description: "chromedriver was not ready within 20 s: \(startup.text)")
    }

    public func newSession(browser: String, width: Int, height: Int, phone: Bool) async throws {
        var args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=en-US"]
        if !phone { args.append("--window-size=\(width),\(height)") }
        var chrome: [String: Any] = ["binary": browser, "args": args]
        if phone {
            chrome["mobileEmulation"] = ["deviceMetrics": ["width": 390, "height": 844, "pixelRatio": 2, "touch": true]]
        }
        let caps: [String: Any] = [
            "capabilities": [
                "alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": chrome, "goog:loggingPrefs": ["browser": "ALL"]]
            ]
        ]
        let r = try await raw("POST", "/session", caps)
        guard let v = r["value"] as? [String: Any], let id = v["sessionId"] as? String else {
            throw Failure(description: "no session: \(r)")
        }
        session.withLock { $0 = id }
    }

    public func quit() {
        if !sessionID.isEmpty {
            let sem = DispatchSemaphore(value: 0)
            var req = URLRequest(url: base.appendingPathComponent("session/\(sessionID)"))
            req.httpMethod = "DELETE"
            req.timeoutInterval = 15
            urlSession.dataTask(with: req) { _, _, _ in sem.signal() }.resume()
            _ = sem.wait(timeout: .now() + 20)
            session.withLock { $0 = "" }
        }
        // chromedriver may outlive SIGTERM while its browser closes: end it for sure.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let held = holdsGate.withLock { held in
            defer { held = false }
            return held
        }
        if held { BrowserGate.shared.release() }
    }

    // MARK: - Protocol

    /// One WebDriver request, sent with curl: Foundation's URLSession on Linux was seen to
    /// wait forever on chromedriver's answers, and curl's `--max-time` bounds every call.
    public func raw(_ method: String, _ path: String, _ body: Any?) async throws -> [String: Any] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        var args = ["-s", "--max-time", "90", "-X", method, base.absoluteString + path]
        // The body goes through standard input: a script such as axe-core (570 kB) is over
        // the kernel's limit for one command-line argument.
        var input: Data?
        if let body {
            input = try JSONSerialization.data(withJSONObject: body)
            args += ["-H", "Content-Type: application/json", "--data-binary", "@-"]
        }
        p.arguments = args
        let out = Pipe()
        let stdin = Pipe()
        p.standardOutput = out
        p.standardInput = input == nil ? FileHandle.nullDevice : stdin
        p.standardError = FileHandle.nullDevice
        try p.run()
        if let input {
            // curl reads the whole body before it answers, so writing first cannot deadlock.
            stdin.fileHandleForWriting.write(input)
            try stdin.fileHandleForWriting.close()
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failure(description: "curl \(method) \(path): exit \(p.terminationStatus)") }
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    @discardableResult
    public func command(_ method: String, _ path: String, _ body: Any? = nil) async throws -> Any? {
        if Self.trace { print("webdriver: \(method) \(path)") }
        let r = try await raw(method, "/session/\(sessionID)" + path, body ?? (method == "POST" ? [String: Any]() : nil))
        if let v = r["value"] as? [String: Any], let error = v["error"] as? String {
            throw Failure(description: "\(method) \(path): \(error): \((v["message"] as? String)?.prefix(300) ?? "")")
        }
        return r["value"]
    }

    public static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    public func navigate(_ url: String) async throws { try await command("POST", "/url", ["url": url]) }

    public func find(_ css: String) async throws -> String {
        let v = try await command("POST", "/element", ["using": "css selector", "value": css])
        guard let e = v as? [String: Any], let id = e[Self.elementKey] as? String else { throw Failure(description: "no element \(css)") }
        return id
    }

    public func findAll(_ css: String) async throws -> [String] {
        let v = try await command("POST", "/elements", ["using": "css selector", "value": css])
        return (v as? [[String: Any]] ?? []).compactMap { $0[Self.elementKey] as? String }
    }

    /// Clicks the first match. A page that re-renders (the player's table of contents after
    /// every commit) can replace the element between finding and clicking it; the click then
    /// goes to the element that replaced it, as a person's would.
    public func click(_ css: String) async throws {
        var attempt = 0
        while true {
            let id = try await waitForElement(css)
            do {
                try await command("POST", "/element/\(id)/click")
                return
            } catch let f as Failure where f.description.contains("stale element reference") && attempt < 5 {
                attempt += 1
            }
        }
    }

    public func type(_ css: String, _ text: String) async throws {
        let id = try await waitForElement(css)
        try await command("POST", "/element/\(id)/value", ["text": text])
    }

    public func clear(_ css: String) async throws {
        let id = try await waitForElement(css)
        try await command("POST", "/element/\(id)/clear")
    }

    /// Runs a script in the current frame; `return` gives the value.
    @discardableResult
    public func execute(_ script: String, _ args: [Any] = []) async throws -> Any? {
        try await command("POST", "/execute/sync", ["script": script, "args": args])
    }

    /// Runs an asynchronous script: it calls its last argument with the result.
    @discardableResult
    public func executeAsync(_ script: String, _ args: [Any] = [], timeout: TimeInterval = 120) async throws -> Any? {
        try await command("POST", "/timeouts", ["script": Int(timeout * 1000)])
        return try await command("POST", "/execute/async", ["script": script, "args": args])
    }

    // MARK: - Keyboard

    /// WebDriver's key codes for the keys a keyboard user needs.
    public enum Key {
        public static let tab = "\u{E004}"
        public static let enter = "\u{E007}"
        public static let shift = "\u{E008}"
        public static let space = " "
        public static let left = "\u{E012}"
        public static let up = "\u{E013}"
        public static let right = "\u{E014}"
        public static let down = "\u{E015}"
    }

    /// Presses keys one after another (each down, then up) through the Actions API: the keys go
    /// to whatever has the focus, as a person's would; nothing is clicked.
    public func press(_ keys: [String], holding modifier: String? = nil) async throws {
        var actions: [[String: Any]] = []
        if let modifier { actions.append(["type": "keyDown", "value": modifier]) }
        for k in keys {
            actions.append(["type": "keyDown", "value": k])
            actions.append(["type": "keyUp", "value": k])
        }
        if let modifier { actions.append(["type": "keyUp", "value": modifier]) }
        try await command("POST", "/actions", ["actions": [["type": "key", "id": "keyboard", "actions": actions]]])
    }

    public func press(_ key: String, times: Int = 1, holding modifier: String? = nil) async throws {
        try await press(Array(repeating: key, count: times), holding: modifier)
    }

    /// Types text, one key per character, into whatever has the focus.
    public func typeKeys(_ text: String) async throws { try await press(text.map { String($0) }) }

    public func switchToTop() async throws { try await command("POST", "/frame", ["id": NSNull()]) }

    public func switchToFrame(_ css: String) async throws {
        let id = try await waitForElement(css)
        try await command("POST", "/frame", ["id": [Self.elementKey: id]])
    }

    public func screenshot() async throws -> Data {
        guard let s = try await command("GET", "/screenshot") as? String, let d = Data(base64Encoded: s) else {
            throw Failure(description: "no screenshot")
        }
        return d
    }

    /// The browser console since the last call (chromedriver's log endpoint).
    public func consoleLog() async -> [String] {
        guard let v = try? await command("POST", "/se/log", ["type": "browser"]) as? [[String: Any]] else { return [] }
        return v.map { "\($0["level"] ?? "") \($0["message"] ?? "")" }
    }

    public func cdp(_ cmd: String, _ params: [String: Any] = [:]) async throws {
        try await command("POST", "/goog/cdp/execute", ["cmd": cmd, "params": params])
    }

    // MARK: - Waits

    /// Polls `condition` until it is true or `timeout` passes (then throws, naming `what`).
    public func wait(_ what: String, timeout: TimeInterval = 20, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        var last: Error?
        while Date() < deadline {
            do {
                if try await condition() { return }
            } catch {
                last = error
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw Failure(description: "timed out after \(Int(timeout)) s waiting for \(what)\(last.map { " (last error: \($0))" } ?? "")")
    }

    public func waitForElement(_ css: String, timeout: TimeInterval = 20) async throws -> String {
        var found = ""
        try await wait("element \(css)", timeout: timeout) {
            let all = try await findAll(css)
            guard let first = all.first else { return false }
            found = first
            return true
        }
        return found
    }

    /// Waits until a script returns true in the current frame.
    public func waitForScript(_ what: String, _ script: String, timeout: TimeInterval = 20) async throws {
        try await wait(what, timeout: timeout) { try await execute(script) as? Bool == true }
    }
}

/// Lets one WebDriver session run at a time in this process; waiters are suspended, not
/// blocked, so the cooperative threads stay free for the preview servers under test.
final class BrowserGate: Sendable {
    static let shared = BrowserGate()
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Locked(State())

    func acquire() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.busy {
                    s.waiters.append(c)
                    return false
                }
                s.busy = true
                return true
            }
            if now { c.resume() }
        }
    }

    func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiters.isEmpty {
                s.busy = false
                return nil
            }
            return s.waiters.removeFirst()
        }
        next?.resume()
    }
}
