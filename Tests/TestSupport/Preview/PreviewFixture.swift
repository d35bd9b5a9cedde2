import Foundation
import LadderCore
import LadderRendering
import LadderPackaging
import LadderProgress
import LadderPreview
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Shared by the preview tests: a real package built from the sample curriculum, a fresh
/// progress store per test, and a preview server running in this process.
public enum PreviewFixture {
    public static let packageID = "customer-service-onboarding-P1"
    public static let module = "ITEM-inform-customers-module"
    public static let assessment = "ITEM-inform-customers-assessment"
    public static let shadowing = "ITEM-inform-customers-shadowing"

    /// The onboarding-P1 track package (generic LMS), built once per test run.
    public static let package: Result<URL, Error> = Result {
        let result = CurriculumLoader.load(folder: TestSupport.sample.path)
        guard let c = result.curriculum else { throw TestFailure("sample: \(result.diagnostics.sorted)") }
        let (out, ledger) = try TestSupport.build(c, Planner.plan(c), tracks: ["onboarding-P1"], lms: .generic, mode: .track)
        return out.appendingPathComponent(c.id).appendingPathComponent(ledger.packages[0].path)
    }

    public static func packagePath() throws -> String { try package.get().path }

    public static func tempDB() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ladder-preview-db-\(UUID().uuidString)/progress.sqlite").path
    }

    public static func state(_ db: String, learner: String, sco: String) throws -> CMIState? {
        try ProgressStore(path: db).runtimeState(SCOKey(learner: learner, package: packageID, sco: sco))
    }
}

/// A preview server running on a task of this process, on a free port.
public final class RunningServer: Sendable {
    public let server: PreviewServer
    public let task: Task<Void, Never>
    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)" }

    public static func start(
        package: String, db: String, port: Int = 0, beforeRuntimeWrite: (@Sendable (SCOKey) -> Void)? = nil
    ) async throws -> RunningServer {
        let source = try PackageSource(path: package)
        let store = try ProgressStore(path: db)
        let server = PreviewServer(
            package: source, store: store, configuration: PreviewConfiguration(port: port), beforeRuntimeWrite: beforeRuntimeWrite)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let task = Task {
            do {
                try await server.run { continuation.yield($0) }
            } catch {
                print("preview server stopped: \(error)")
            }
            continuation.finish()
        }
        var it = stream.makeAsyncIterator()
        guard let bound = await it.next(), bound > 0 else { throw TestFailure("\(package): the server did not start") }
        return RunningServer(server: server, task: task, port: bound)
    }

    public init(server: PreviewServer, task: Task<Void, Never>, port: Int) {
        self.server = server
        self.task = task
        self.port = port
    }

    /// Stops the server the hard way: the task is cancelled and whatever was not committed is gone.
    public func stop() async {
        task.cancel()
        await task.value
    }
}

/// Plain HTTP for the server tests.
public struct HTTP {
    public struct Reply {
        public var status: Int
        public var headers: [String: String]
        public var body: Data
        public var text: String { String(decoding: body, as: UTF8.self) }
        public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
    }

    public static let session: URLSession = {
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = 30
        return URLSession(configuration: c)
    }()

    public static func request(_ method: String, _ url: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var req = URLRequest(url: URL(string: url)!)
        req.httpMethod = method
        req.httpBody = body
        for (k, v) in headers { req.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await session.data(for: req)
        let http = response as! HTTPURLResponse
        var h: [String: String] = [:]
        for (k, v) in http.allHeaderFields { h[String(describing: k).lowercased()] = String(describing: v) }
        return Reply(status: http.statusCode, headers: h, body: data)
    }

    /// One SCORM API call as the player sends it.
    public static func call(_ base: String, _ body: [String: Any]) async throws -> [String: Any] {
        let r = try await request(
            "POST", base + "/api/call", body: try JSONSerialization.data(withJSONObject: body), headers: ["Content-Type": "application/json"])
        return r.json
    }
}
