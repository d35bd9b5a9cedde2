import Foundation
import LadderKit
import Testing

@testable import LadderPreview

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Shared by the preview tests: a real package built from the sample curriculum, a fresh
/// progress store per test, and a preview server running in this process.
enum PreviewFixture {
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // LadderPreviewTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static let packageID = "customer-service-onboarding-P1"
    static let module = "ITEM-inform-customers-module"
    static let assessment = "ITEM-inform-customers-assessment"
    static let shadowing = "ITEM-inform-customers-shadowing"

    /// The onboarding-P1 track package (generic LMS), built once per test run.
    static let package: Result<URL, Error> = Result {
        let result = CurriculumLoader.load(folder: repoRoot.appendingPathComponent("curricula/customer-service").path)
        guard let c = result.curriculum else { throw PreviewError(path: "sample", message: "\(result.diagnostics.sorted)") }
        let plan = Planner.plan(c)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-preview-pkg-\(UUID().uuidString)")
        let request = BuildRequest(
            tracks: plan.tracks.filter { $0.id == "onboarding-P1" }, lms: .generic, mode: .track, outputFolder: out,
            schemasFolder: nil, jobs: 2)
        let ledger = try PackageBuilder(curriculum: c, plan: plan).build(request)
        return out.appendingPathComponent(c.id).appendingPathComponent(ledger.packages[0].path)
    }

    static func packagePath() throws -> String { try package.get().path }

    static func tempDB() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ladder-preview-db-\(UUID().uuidString)/progress.sqlite").path
    }

    static func state(_ db: String, learner: String, sco: String) throws -> CMIState? {
        try ProgressStore(path: db).runtimeState(SCOKey(learner: learner, package: packageID, sco: sco))
    }
}

/// A preview server running on a task of this process, on a free port.
final class RunningServer: Sendable {
    let server: PreviewServer
    let task: Task<Void, Never>
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    static func start(
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
        guard let bound = await it.next(), bound > 0 else { throw PreviewError(path: package, message: "the server did not start") }
        return RunningServer(server: server, task: task, port: bound)
    }

    init(server: PreviewServer, task: Task<Void, Never>, port: Int) {
        self.server = server
        self.task = task
        self.port = port
    }

    /// Stops the server the hard way: the task is cancelled and whatever was not committed is gone.
    func stop() async {
        task.cancel()
        await task.value
    }
}

/// Plain HTTP for the server tests.
struct HTTP {
    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
    }

    static let session: URLSession = {
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = 30
        return URLSession(configuration: c)
    }()

    static func request(_ method: String, _ url: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> Reply {
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
    static func call(_ base: String, _ body: [String: Any]) async throws -> [String: Any] {
        let r = try await request(
            "POST", base + "/api/call", body: try JSONSerialization.data(withJSONObject: body), headers: ["Content-Type": "application/json"])
        return r.json
    }
}
