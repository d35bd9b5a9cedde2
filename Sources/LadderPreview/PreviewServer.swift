import Foundation
import Hummingbird
import LadderKit
import Logging
import NIOCore

/// How the preview server listens.
public struct PreviewConfiguration: Sendable {
    /// 127.0.0.1 unless asked otherwise: the preview is for the author's own machine.
    public var host = "127.0.0.1"
    /// 0 picks a free port (the server reports the one it got).
    public var port = 8080
    /// The learner when the player URL names none.
    public var defaultLearner = "learner-1"
    /// Largest accepted request body; API calls are a few hundred bytes, suspend_data ≤ 4096.
    public var maxBodySize = 64 << 10

    public init(host: String = "127.0.0.1", port: Int = 8080, defaultLearner: String = "learner-1") {
        self.host = host
        self.port = port
        self.defaultLearner = defaultLearner
    }
}

/// `ladder preview`: a strict local LMS for one package. It serves the package's own files
/// under `/content/`, an LMS player at `/` (table of contents and a frame), and a SCORM 1.2
/// API whose every call is checked here (`RuntimeSession`) and whose commits go to the
/// progress store, per learner and attempt.
///
/// Routes: `GET /` player · `GET /_ladder/player.js|player.css` · `GET /api/toc?learner=` ·
/// `POST /api/launch` · `POST /api/attempt` · `POST /api/call` · `POST /api/batch` ·
/// `GET /content/<path>`. Every POST passes the same Host, Origin and body-size checks.
public final class PreviewServer: Sendable {
    public let package: PackageSource
    public let store: ProgressStore
    public let configuration: PreviewConfiguration
    let sessions = SessionTable()
    /// One new attempt at a time: the check that the latest attempt recorded something and
    /// the opening of the next one go together.
    let attemptLock = NSLock()

    public init(package: PackageSource, store: ProgressStore, configuration: PreviewConfiguration) {
        self.package = package
        self.store = store
        self.configuration = configuration
    }

    /// Runs until the calling task is cancelled; `onReady` gets the bound port.
    public func run(onReady: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        var logger = Logger(label: "ladder-preview")
        logger.logLevel = .error
        let app = Application(
            responder: CallbackResponder<BasicRequestContext> { [self] request, _ in await self.respond(request) },
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in onReady(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await app.run()
    }

    // MARK: - Routing

    func respond(_ request: Request) async -> Response {
        guard hostAllowed(request) else { return text(.misdirectedRequest, "unknown host") }
        let path = request.uri.path
        if request.method == .get || request.method == .head {
            switch path {
            case "/": return html(PlayerAssets.page(title: package.manifest.title, learner: learner(request) ?? configuration.defaultLearner))
            case "/_ladder/player.js": return ok(Data(PlayerAssets.script.utf8), type: "text/javascript; charset=utf-8")
            case "/_ladder/player.css": return ok(Data(PlayerAssets.style.utf8), type: "text/css; charset=utf-8")
            case "/api/toc":
                guard let l = learner(request) else { return text(.badRequest, "bad learner id") }
                return json(toc(learner: l))
            default:
                if path.hasPrefix("/content/") { return content(String(path.dropFirst("/content/".count))) }
                return text(.notFound, "not found")
            }
        }
        guard request.method == .post else { return text(.methodNotAllowed, "method not allowed") }
        // A page of another origin must not drive the API (the browser always sends Origin on POST).
        if let origin = request.headers[.origin], !originAllowed(origin) { return text(.forbidden, "cross-origin request refused") }
        var req = request
        let body: ByteBuffer
        do {
            body = try await req.collectBody(upTo: configuration.maxBodySize)
        } catch {
            return text(.contentTooLarge, "request body over \(configuration.maxBodySize) bytes")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            return text(.badRequest, "the body must be a JSON object")
        }
        switch path {
        case "/api/call": return apiCall(object)
        case "/api/batch": return apiBatch(object)
        case "/api/launch": return launch(object)
        case "/api/attempt": return newAttempt(object)
        default: return text(.notFound, "not found")
        }
    }

    func hostAllowed(_ request: Request) -> Bool {
        guard let authority = request.head.authority else { return false }
        let host: Substring
        if authority.hasPrefix("[") {
            host = authority.prefix { $0 != "]" }.dropFirst()
        } else {
            host = authority.split(separator: ":", maxSplits: 1).first ?? ""
        }
        return ["127.0.0.1", "localhost", "::1", configuration.host].contains(String(host))
    }

    func originAllowed(_ origin: String) -> Bool {
        guard let u = URL(string: origin), u.scheme == "http", let h = u.host else { return false }
        return ["127.0.0.1", "localhost", "::1", "[::1]", configuration.host].contains(h)
    }

    static let learnerPattern = #"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"#

    func learner(_ request: Request) -> String? {
        guard let l = request.uri.queryParameters["learner"].map(String.init) else { return configuration.defaultLearner }
        let decoded = l.removingPercentEncoding ?? l
        return Self.validLearner(decoded) ? decoded : nil
    }

    static func validLearner(_ s: String) -> Bool { s.range(of: learnerPattern, options: .regularExpression) != nil }

    // MARK: - Package files

    func content(_ relative: String) -> Response {
        // The raw path is decoded and checked once, here; the package refuses anything else.
        guard let safe = PackageSource.safeRelativePath(relative), let data = package.data(at: safe) else {
            return text(.notFound, "not found")
        }
        return ok(data, type: Self.mimeType(safe))
    }

    static func mimeType(_ path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html", "htm": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "json": "application/json"
        case "xml", "xsd": "application/xml"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "ico": "image/x-icon"
        case "mp4", "m4v": "video/mp4"
        case "webm": "video/webm"
        case "mp3": "audio/mpeg"
        case "ogg", "oga": "audio/ogg"
        case "wav": "audio/wav"
        case "vtt": "text/vtt; charset=utf-8"
        case "pdf": "application/pdf"
        case "woff": "font/woff"
        case "woff2": "font/woff2"
        case "txt", "md": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    // MARK: - Table of contents and launch

    func status(learner: String, sco: String) -> CMIState? {
        try? store.runtimeState(SCOKey(learner: learner, package: package.manifest.identifier, sco: sco))
    }

    func prerequisites(of item: PreviewItem, learner: String) -> Prerequisites.Outcome {
        Prerequisites.evaluate(item.prerequisites) { id in
            self.status(learner: learner, sco: id)?.values["cmi.core.lesson_status"] ?? "not attempted"
        }
    }

    func toc(learner: String) -> [String: Any] {
        var items: [[String: Any]] = []
        for item in package.manifest.items {
            var row: [String: Any] = ["id": item.identifier, "title": item.title, "depth": item.depth, "launchable": item.launch != nil]
            if item.launch != nil {
                let state = status(learner: learner, sco: item.identifier)
                row["status"] = state?.values["cmi.core.lesson_status"] ?? "not attempted"
                row["score"] = state?.values["cmi.core.score.raw"] ?? ""
                row["attempt"] = state?.attempt ?? 0
                let outcome = prerequisites(of: item, learner: learner)
                if outcome != .met { row["locked"] = outcome.reason() }
                // A new attempt is offered once the latest one has recorded something.
                row["newAttempt"] = outcome == .met && !(state?.values.isEmpty ?? true)
            }
            items.append(row)
        }
        return ["package": package.manifest.identifier, "title": package.manifest.title, "learner": learner, "items": items]
    }

    func launch(_ o: [String: Any]) -> Response {
        guard let learner = o["learner"] as? String, Self.validLearner(learner) else { return text(.badRequest, "bad learner id") }
        guard let sco = o["sco"] as? String, let item = package.manifest.items.first(where: { $0.identifier == sco }),
            let launch = item.launch
        else { return json(["ok": false, "reason": "no such item"], status: .notFound) }
        if let refusal = locked(item, learner: learner) { return refusal }
        return json(["ok": true, "url": "/content/" + launch])
    }

    /// The 403 for an item whose prerequisites are not met, nil when it may be launched.
    func locked(_ item: PreviewItem, learner: String) -> Response? {
        let outcome = prerequisites(of: item, learner: learner)
        switch outcome {
        case .met: return nil
        case .unmet:
            let why = outcome.reason(naming: title)
            return json(["ok": false, "reason": "\(item.title) is locked: first complete \(why)."], status: .forbidden)
        case .unreadable(let why):
            return json(["ok": false, "reason": "\(item.title) is locked: \(why)."], status: .forbidden)
        }
    }

    /// An item identifier as the learner reads it: its title in quotes.
    func title(_ id: String) -> String {
        package.manifest.items.first { $0.identifier == id }.map { "“\($0.title)”" } ?? id
    }

    /// `{learner, sco}` → `{ok, attempt, previous}`: a new attempt of an item whose latest
    /// attempt has recorded something. Earlier attempts stay in the store exactly as they
    /// were committed. The player unloads the item first when it runs in its frame (the SCO
    /// commits and finishes as when it is left); a session of that item still open here all
    /// the same (another tab, a page reloaded mid-SCO) is ended without writing, as if the
    /// server had stopped: finishing it would write its older state over what a later
    /// session of the same attempt committed. The player then launches the item: entry
    /// "ab-initio", nothing restored.
    func newAttempt(_ o: [String: Any]) -> Response {
        guard let learner = o["learner"] as? String, Self.validLearner(learner) else { return text(.badRequest, "bad learner id") }
        guard let sco = o["sco"] as? String, let item = package.manifest.items.first(where: { $0.identifier == sco }),
            item.launch != nil
        else { return json(["ok": false, "reason": "no such item"], status: .notFound) }
        if let refusal = locked(item, learner: learner) { return refusal }
        let key = SCOKey(learner: learner, package: package.manifest.identifier, sco: sco)
        attemptLock.lock()
        defer { attemptLock.unlock() }
        let latest: CMIState?
        do {
            latest = try store.runtimeState(key)
        } catch {
            return json(["ok": false, "reason": "the progress store cannot be read: \(error)"], status: .internalServerError)
        }
        guard let latest, !latest.values.isEmpty else {
            let reason = latest.map { "attempt \($0.attempt) of \(item.title) has not started yet" } ?? "\(item.title) has no attempt yet"
            return json(["ok": false, "reason": reason + ": launch it instead."], status: .conflict)
        }
        for entry in sessions.running(key) { sessions.withSession(entry) { $0.end("a new attempt was started") } }
        let attempt: Int
        do {
            attempt = try store.startNewAttempt(key)
        } catch {
            return json(["ok": false, "reason": "the progress store cannot be written: \(error)"], status: .internalServerError)
        }
        return json(["ok": true, "attempt": attempt, "previous": latest.attempt])
    }

    // MARK: - The SCORM API

    /// `{learner, sco, session?, fn, args}` → `{result, error, diagnostic, session}`. A call
    /// that is not LMSInitialize must name the session LMSInitialize opened.
    func apiCall(_ o: [String: Any]) -> Response {
        guard let fn = o["fn"] as? String, let rawArgs = o["args"] as? [Any] else { return text(.badRequest, "fn and args are required") }
        let args: [String?] = rawArgs.map { $0 as? String }
        if fn == "LMSInitialize" {
            guard let learner = o["learner"] as? String, Self.validLearner(learner) else { return text(.badRequest, "bad learner id") }
            guard let sco = o["sco"] as? String, let item = package.manifest.items.first(where: { $0.identifier == sco && $0.launch != nil })
            else { return callResult("false", .general, "no such SCO in this package", session: nil) }
            let outcome = prerequisites(of: item, learner: learner)
            if outcome != .met {
                return callResult("false", .general, "prerequisites not met: \(outcome.reason())", session: nil)
            }
            let key = SCOKey(learner: learner, package: package.manifest.identifier, sco: sco)
            let record: CMIState?
            do {
                record = try store.runtimeState(key)
            } catch {
                return callResult("false", .general, "the progress store cannot be read: \(error)", session: nil)
            }
            var context = LaunchContext(learnerID: learner, learnerName: learner, masteryScore: item.masteryScore)
            context.maxTimeAllowed = item.maxTimeAllowed
            context.timeLimitAction = item.timeLimitAction
            context.launchData = item.dataFromLMS
            let session = RuntimeSession(
                context: context, record: record,
                attempt: 1)
            let result = session.call(fn, args)
            let id = sessions.add(session, key: key)
            return callResult(result, session.lastError, session.lastDiagnostic, session: id)
        }
        guard let id = o["session"] as? String, let entry = sessions.get(id) else {
            // No session: the SCO calls before LMSInitialize (or after the server restarted).
            let error: CMIError = ["LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"].contains(fn) ? .none : .notInitialized
            return callResult(fn == "LMSGetValue" ? "" : "false", error, error == .none ? "" : "\(fn) outside a session", session: nil)
        }
        return sessions.withSession(entry) { session in
            switch fn {
            case "LMSCommit", "LMSFinish":
                let (result, record) = fn == "LMSCommit" ? session.commit(args.first ?? nil) : session.finish(args.first ?? nil)
                if let record {
                    do {
                        try store.commitRuntime(
                            entry.key, state: record,
                            learnerName: session.context.learnerName, curriculum: package.curriculum)
                    } catch {
                        _ = session.fail(.general, "false", "the progress store cannot be written: \(error)")
                        return callResult("false", .general, session.lastDiagnostic, session: id)
                    }
                }
                return callResult(result, session.lastError, session.lastDiagnostic, session: id)
            default:
                let result = session.call(fn, args)
                return callResult(result, session.lastError, session.lastDiagnostic, session: id)
            }
        }
    }

    /// `{learner, sco, session, calls: [{fn, args}]}` → `{count}`:
    /// the calls a SCO made while its frame was being dismissed (when browsers refuse
    /// synchronous requests), which the player queued and sends in order once it can. Each
    /// is checked exactly as `/api/call` checks it.
    func apiBatch(_ o: [String: Any]) -> Response {
        guard let calls = o["calls"] as? [[String: Any]], !calls.isEmpty, calls.count <= 1000 else {
            return text(.badRequest, "calls must be a non-empty array")
        }
        guard let id = o["session"] as? String, sessions.get(id) != nil else { return text(.badRequest, "no such session") }
        for c in calls {
            guard let fn = c["fn"] as? String, fn != "LMSInitialize", let args = c["args"] as? [Any] else {
                return text(.badRequest, "each call needs fn (not LMSInitialize) and args")
            }
            _ = apiCall(["learner": o["learner"] ?? "", "sco": o["sco"] ?? "", "session": id, "fn": fn, "args": args])
        }
        return json(["count": calls.count])
    }

    func callResult(_ result: String, _ error: CMIError, _ diagnostic: String, session: String?) -> Response {
        var o: [String: Any] = ["result": result, "error": error.rawValue, "diagnostic": diagnostic]
        if let session { o["session"] = session }
        return json(o)
    }

    // MARK: - Responses

    static func field(_ name: String) -> HTTPFields.Element.Name { HTTPFields.Element.Name(name)! }

    /// Headers on every response: no sniffing, framing only by this origin, scripts only from it.
    static let securityHeaders: [(HTTPFields.Element.Name, String)] = [
        (field("X-Content-Type-Options"), "nosniff"),
        (field("X-Frame-Options"), "SAMEORIGIN"),
        (field("Referrer-Policy"), "no-referrer"),
        (
            field("Content-Security-Policy"),
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self'; "
                + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
        ),
        (field("Cross-Origin-Opener-Policy"), "same-origin"),
        (field("Cross-Origin-Resource-Policy"), "same-origin"),
        (field("Permissions-Policy"), "camera=(), microphone=(), geolocation=()"),
        (field("Cache-Control"), "no-store"),
    ]

    func ok(_ data: Data, type: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        for (k, v) in Self.securityHeaders { headers[k] = v }
        headers[.contentType] = type
        headers[.contentLength] = String(data.count)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        ok(Data((message + "\n").utf8), type: "text/plain; charset=utf-8", status: status)
    }

    func html(_ s: String) -> Response { ok(Data(s.utf8), type: "text/html; charset=utf-8") }

    func json(_ o: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])) ?? Data("{}".utf8)
        return ok(data, type: "application/json", status: status)
    }
}

/// Open sessions by id. Calls to one session are serialised by the table's lock; sessions of
/// other learners wait only for that short critical section.
final class SessionTable: @unchecked Sendable {
    struct Entry {
        var key: SCOKey
        var session: RuntimeSession
    }
    private var entries: [String: Entry] = [:]
    private let lock = NSLock()

    func add(_ session: RuntimeSession, key: SCOKey) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        let id = bytes.map { String(format: "%02x", $0) }.joined()
        lock.lock()
        defer { lock.unlock() }
        // Finished sessions are dropped when new ones start, so the table stays small.
        entries = entries.filter { $0.value.session.state != .finished }
        entries[id] = Entry(key: key, session: session)
        return id
    }

    /// The sessions of `key` between LMSInitialize and LMSFinish.
    func running(_ key: SCOKey) -> [Entry] {
        lock.lock()
        defer { lock.unlock() }
        return entries.values.filter { $0.key == key && $0.session.state == .running }
    }

    func get(_ id: String) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        return entries[id]
    }

    func withSession<T>(_ entry: Entry, _ body: (RuntimeSession) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(entry.session)
    }
}
