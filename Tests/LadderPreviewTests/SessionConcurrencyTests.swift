import Foundation
import LadderCore
import LadderRendering
import LadderPackaging
import LadderProgress
import TestSupport
import Testing

@testable import LadderPreview

/// Sessions do not wait for each other: while one learner's commit is held up on its way to
/// the store, another learner's commit lands and a third learner's LMSInitialize is answered.
@Suite("preview sessions in parallel")
struct SessionConcurrencyTests {
    /// Holds the slow learner's store writes until released (or for 120 s at most: longer than
    /// any wait of the test, so a loaded machine cannot let the slow commit through early).
    final class Gate: Sendable {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let finished = Locked(false)

        func hold(_ key: SCOKey) {
            guard key.learner == "slow" else { return }
            entered.signal()
            _ = release.wait(timeout: .now() + 120)
        }

        /// Waits for the slow write to reach the gate without holding a cooperative thread.
        func waitEntered() async throws {
            let deadline = Date().addingTimeInterval(20)
            while entered.wait(timeout: .now()) != .success {
                guard Date() < deadline else { throw TestFailure("the slow commit never reached the store") }
                try await Task.sleep(nanoseconds: 10_000_000)
            }
        }
    }

    /// Waits, without holding a cooperative thread, until `done` or 60 s have passed.
    static func waitUntil(_ done: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(60)
        while !done(), Date() < deadline { try await Task.sleep(nanoseconds: 10_000_000) }
    }

    /// The calls run on threads of their own, as the server's request handlers would, straight
    /// into the API (no HTTP, so no thread pool of the test run stands in between).
    @Test func aSlowCommitBlocksNoOtherSession() async throws {
        let db = PreviewFixture.tempDB()
        let gate = Gate()
        let server = PreviewServer(
            package: try PackageSource(path: try PreviewFixture.packagePath()), store: try ProgressStore(path: db),
            configuration: PreviewConfiguration(port: 0), beforeRuntimeWrite: gate.hold)
        let module = PreviewFixture.module
        func key(_ learner: String) -> SCOKey { SCOKey(learner: learner, package: PreviewFixture.packageID, sco: module) }
        func open(_ learner: String) -> String {
            var session = RuntimeSession(context: LaunchContext(learnerID: learner, learnerName: learner), record: nil, attempt: 1)
            _ = session.call("LMSInitialize", [""])
            _ = session.call("LMSSetValue", ["cmi.core.lesson_location", "page-\(learner)"])
            return server.sessions.add(session, key: key(learner))
        }
        let (slowID, quickID) = (open("slow"), open("quick"))

        Thread {
            _ = server.apiCall(["fn": "LMSCommit", "args": [""], "session": slowID])
            gate.finished.withLock { $0 = true }
        }.start()
        try await gate.waitEntered()
        // The slow commit now holds its session, on its way to the store.
        let answered = Locked(0)
        Thread {
            _ = server.apiCall(["fn": "LMSInitialize", "args": [""], "learner": "late", "sco": module])
            answered.withLock { $0 += 1 }
        }.start()
        Thread {
            _ = server.apiCall(["fn": "LMSCommit", "args": [""], "session": quickID])
            answered.withLock { $0 += 1 }
        }.start()
        try await Self.waitUntil { answered.withLock { $0 } == 2 }

        #expect(answered.withLock { $0 } == 2, "the late LMSInitialize and the quick commit were answered")
        #expect(!gate.finished.withLock { $0 }, "while the slow commit was still held")
        #expect(try PreviewFixture.state(db, learner: "quick", sco: module)?.values["cmi.core.lesson_location"] == "page-quick")
        #expect(server.sessions.running(key("late")).count == 1)
        #expect(try PreviewFixture.state(db, learner: "slow", sco: module) == nil)

        gate.release.signal()
        try await Self.waitUntil { gate.finished.withLock { $0 } }
        #expect(try PreviewFixture.state(db, learner: "slow", sco: module)?.values["cmi.core.lesson_location"] == "page-slow")
    }
}
