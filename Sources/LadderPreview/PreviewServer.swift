import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import LadderPackaging
import LadderProgress
import LadderCore

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
/// Routes (Hummingbird's router): `GET /` player · `GET /_ladder/player.js|player.css` ·
/// `GET /api/toc?learner=` · `POST /api/launch` · `POST /api/attempt` · `POST /api/call` ·
/// `POST /api/batch` · `GET /content/<path>`. Middleware, outermost first: security headers
/// (and plain-text refusals), the Host check, the Origin check, the body limit; before them
/// all, the connection's `RequestTargetHandler` reads absolute-form targets.
public final class PreviewServer: Sendable {
    public let package: PackageSource
    public let store: ProgressStore
    public let configuration: PreviewConfiguration
    let sessions = SessionTable()
    /// One new attempt at a time: the check that the latest attempt recorded something and
    /// the opening of the next one go together.
    let attemptLock = Locked(())
    /// The running service group, for `stop()`.
    private let running = Locked<ServiceGroup?>(nil)
    /// Tests: called before each runtime state is written to the store (to hold one up).
    let beforeRuntimeWrite: (@Sendable (SCOKey) -> Void)?

    public convenience init(package: PackageSource, store: ProgressStore, configuration: PreviewConfiguration) {
        self.init(package: package, store: store, configuration: configuration, beforeRuntimeWrite: nil)
    }

    package init(package: PackageSource, store: ProgressStore, configuration: PreviewConfiguration, beforeRuntimeWrite: (@Sendable (SCOKey) -> Void)?) {
        self.package = package
        self.store = store
        self.configuration = configuration
        self.beforeRuntimeWrite = beforeRuntimeWrite
    }

    /// Runs until `stop()`, or until SIGINT or SIGTERM when `stopOnSignals` (the command line):
    /// then it stops accepting connections, finishes the requests in progress (for up to
    /// 10 s) and returns. Cancelling the calling task stops it at once instead. `onReady`
    /// gets the bound port.
    public func run(stopOnSignals: Bool = false, onReady: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        var logger = Logger(label: "ladder-preview")
        logger.logLevel = .error
        let app = Application(
            router: makeRouter(),
            server: HTTPServerBuilder { responder in PreviewHTTP1Channel(responder: responder) },
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in onReady(channel.localAddress?.port ?? 0) },
            logger: logger)
        var groupConfiguration = ServiceGroupConfiguration(
            services: [app], gracefulShutdownSignals: stopOnSignals ? [.sigint, .sigterm] : [], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = Duration.seconds(10)
        let group = ServiceGroup(configuration: groupConfiguration)
        running.withLock { $0 = group }
        defer { running.withLock { $0 = nil } }
        try await group.run()
    }

    /// Stops a running server as Ctrl-C does: requests in progress are finished first.
    public func stop() async {
        await running.withLock { $0 }?.triggerGracefulShutdown()
    }

    // MARK: - Routing

    func makeRouter() -> Router<PreviewContext> {
        let router = Router(context: PreviewContext.self, options: .autoGenerateHeadEndpoints)
        let hosts = previewHostNames(bound: configuration.host)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: HostCheckMiddleware(hosts: hosts))
        router.add(middleware: OriginCheckMiddleware(hosts: hosts))
        router.add(middleware: BodyLimitMiddleware(limit: configuration.maxBodySize))
        router.get("/") { request, _ in
            PreviewResponse.html(PlayerAssets.page(
                    title: self.package.manifest.title, learner: try self.learner(request), language: self.package.manifest.language))
        }
        router.get("/_ladder/player.js") { _, _ in PreviewResponse.ok(Data(PlayerAssets.script.utf8), type: "text/javascript; charset=utf-8") }
        router.get("/_ladder/player.css") { _, _ in PreviewResponse.ok(Data(PlayerAssets.style.utf8), type: "text/css; charset=utf-8") }
        router.get("/api/toc") { request, _ in PreviewResponse.json(try self.toc(learner: try self.learner(request))) }
        router.get("/content/**") { request, _ in try self.content(request.uri.path) }
        router.post("/api/call") { request, _ in self.apiCall(try await Self.object(request)) }
        router.post("/api/batch") { request, _ in self.apiBatch(try await Self.object(request)) }
        router.post("/api/launch") { request, _ in self.launch(try await Self.object(request)) }
        router.post("/api/attempt") { request, _ in self.newAttempt(try await Self.object(request)) }
        return router
    }

    /// The JSON object of a POST (the body limit middleware has already read the body).
    static func object(_ request: Request) async throws -> [String: Any] {
        var request = request
        let body = try await request.collectBody(upTo: .max)
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            throw HTTPError(.badRequest, message: "the body must be a JSON object")
        }
        return object
    }

    /// The `learner` of the query (the default learner when there is none); 400 for a bad id.
    func learner(_ request: Request) throws -> String {
        guard let l = request.uri.queryParameters["learner"].map(String.init) else { return configuration.defaultLearner }
        let decoded = l.removingPercentEncoding ?? l
        guard Self.validLearner(decoded) else { throw HTTPError(.badRequest, message: "bad learner id") }
        return decoded
    }

    static func validLearner(_ s: String) -> Bool { LearnerID.isValid(s) }

    // MARK: - Package files

    /// `GET /content/<path>`: the raw path is decoded and checked once, here; the package
    /// refuses anything else. The file is streamed from the package, never held whole.
    func content(_ path: String) throws -> Response {
        let raw = String(path.dropFirst("/content/".count))
        guard let safe = PackageSource.safeRelativePath(raw), let file = try package.open(safe) else {
            throw HTTPError(.notFound, message: "not found")
        }
        return PreviewResponse.file(file, type: PreviewResponse.mimeType(safe))
    }

    // MARK: - Table of contents and launch

    /// A SCO's stored state for a learner; a store that cannot be read is an error, never
    /// "not attempted".
    func status(learner: String, sco: String) throws -> CMIState? {
        try store.runtimeState(SCOKey(learner: learner, package: package.manifest.identifier, sco: sco))
    }

    func prerequisites(of item: PreviewItem, learner: String) throws -> Prerequisites.Outcome {
        // The statuses the script names are read first, so that a store read failure stops
        // here; a script that cannot be parsed names nothing, and `evaluate` reports it. The
        // script was parsed once, with the manifest.
        var statuses: [String: String] = [:]
        for id in item.prerequisiteScript.identifiers where statuses[id] == nil {
            statuses[id] = try status(learner: learner, sco: id)?.values["cmi.core.lesson_status"] ?? "not attempted"
        }
        return Prerequisites.evaluate(item.prerequisiteScript) { statuses[$0] ?? "not attempted" }
    }

    func toc(learner: String) throws -> [String: Any] {
        var items: [[String: Any]] = []
        for item in package.manifest.items {
            var row: [String: Any] = ["id": item.identifier, "title": item.title, "depth": item.depth, "launchable": item.launch != nil]
            if item.launch != nil {
                let state = try status(learner: learner, sco: item.identifier)
                row["status"] = state?.values["cmi.core.lesson_status"] ?? "not attempted"
                row["score"] = state?.values["cmi.core.score.raw"] ?? ""
                row["attempt"] = state?.attempt ?? 0
                let outcome = try prerequisites(of: item, learner: learner)
                if outcome != .met { row["locked"] = outcome.reason() }
                // A new attempt is offered once the latest one has recorded something.
                row["newAttempt"] = outcome == .met && !(state?.values.isEmpty ?? true)
            }
            items.append(row)
        }
        return ["package": package.manifest.identifier, "title": package.manifest.title, "learner": learner, "items": items]
    }

    func launch(_ o: [String: Any]) -> Response {
        do throws(Refusal) {
            return PreviewResponse.json(["ok": true, "url": "/content/" + (try unlockedItem(o)).launch])
        } catch {
            return error.response
        }
    }

    /// A request refused, with the response that says why.
    struct Refusal: Error {
        var response: Response
    }

    /// The learner and the launchable item a launch or new-attempt request (`{learner, sco}`)
    /// names, once the item's prerequisites are met for the learner.
    func unlockedItem(_ o: [String: Any]) throws(Refusal) -> (learner: String, item: PreviewItem, launch: String) {
        guard let learner = o["learner"] as? String, Self.validLearner(learner) else {
            throw Refusal(response: PreviewResponse.text(.badRequest, "bad learner id"))
        }
        guard let sco = o["sco"] as? String, let item = package.manifest.items.first(where: { $0.identifier == sco }),
            let launch = item.launch
        else { throw Refusal(response: PreviewResponse.json(["ok": false, "reason": "no such item"], status: .notFound)) }
        let refusal: Response?
        do {
            refusal = try locked(item, learner: learner)
        } catch {
            throw Refusal(
                response: PreviewResponse.json(["ok": false, "reason": "the progress store cannot be read: \(error)"], status: .internalServerError))
        }
        if let refusal { throw Refusal(response: refusal) }
        return (learner, item, launch)
    }

    /// The 403 for an item whose prerequisites are not met, nil when it may be launched.
    func locked(_ item: PreviewItem, learner: String) throws -> Response? {
        let outcome = try prerequisites(of: item, learner: learner)
        switch outcome {
        case .met: return nil
        case .unmet:
            let why = outcome.reason(naming: title)
            return PreviewResponse.json(["ok": false, "reason": "\(item.title) is locked: first complete \(why)."], status: .forbidden)
        case .unreadable(let why):
            return PreviewResponse.json(["ok": false, "reason": "\(item.title) is locked: \(why)."], status: .forbidden)
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
        let unlocked: (learner: String, item: PreviewItem, launch: String)
        do throws(Refusal) {
            unlocked = try unlockedItem(o)
        } catch {
            return error.response
        }
        let key = SCOKey(learner: unlocked.learner, package: package.manifest.identifier, sco: unlocked.item.identifier)
        return attemptLock.withLock { _ in startAttempt(key, item: unlocked.item) }
    }

    /// The body of `newAttempt`, under `attemptLock`.
    private func startAttempt(_ key: SCOKey, item: PreviewItem) -> Response {
        let latest: CMIState?
        do {
            latest = try store.runtimeState(key)
        } catch {
            return PreviewResponse.json(["ok": false, "reason": "the progress store cannot be read: \(error)"], status: .internalServerError)
        }
        guard let latest, !latest.values.isEmpty else {
            let reason = latest.map { "attempt \($0.attempt) of \(item.title) has not started yet" } ?? "\(item.title) has no attempt yet"
            return PreviewResponse.json(["ok": false, "reason": reason + ": launch it instead."], status: .conflict)
        }
        for slot in sessions.running(key) { slot.with { $0.end("a new attempt was started") } }
        let attempt: Int
        do {
            attempt = try store.startNewAttempt(key)
        } catch {
            return PreviewResponse.json(["ok": false, "reason": "the progress store cannot be written: \(error)"], status: .internalServerError)
        }
        return PreviewResponse.json(["ok": true, "attempt": attempt, "previous": latest.attempt])
    }
}
