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
    /// Holds the slow learner's store writes until the test releases them. The hold has no
    /// time limit of its own: a limit was a race with the test's own waits, and the suite's
    /// other tests can keep the test's task from running for minutes (in one full run the
    /// 120 s limit passed before the test looked, and the slow commit went through).
    final class Gate: Sendable {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)

        func hold(_ key: SCOKey) {
            guard key.learner == "slow" else { return }
            entered.signal()
            release.wait()
        }
    }

    /// The test waits on semaphores, blocking its own thread: a wait that sleeps between looks
    /// (`Task.sleep`) wakes only when the test run's thread pool has a thread free, which in a
    /// full run was 90 to 125 s later. The calls it waits for run on threads of their own.
    static let wait: DispatchTimeInterval = .seconds(60)

    /// The calls run on threads of their own, as the server's request handlers would, straight
    /// into the API (no HTTP, so no thread pool of the test run stands in between).
    @Test func aSlowCommitBlocksNoOtherSession() throws {
        let db = PreviewFixture.tempDB()
        let gate = Gate()
        // Whatever happens below, the slow commit is let go before the test ends.
        defer { gate.release.signal() }
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
            gate.finished.signal()
        }.start()
        guard gate.entered.wait(timeout: .now() + Self.wait) == .success else {
            throw TestFailure("the slow commit never reached the store")
        }
        // The slow commit now holds its session, on its way to the store.
        let answered = DispatchSemaphore(value: 0)
        Thread {
            _ = server.apiCall(["fn": "LMSInitialize", "args": [""], "learner": "late", "sco": module])
            answered.signal()
        }.start()
        Thread {
            _ = server.apiCall(["fn": "LMSCommit", "args": [""], "session": quickID])
            answered.signal()
        }.start()
        let bothAnswered = answered.wait(timeout: .now() + Self.wait) == .success && answered.wait(timeout: .now() + Self.wait) == .success

        #expect(bothAnswered, "the late LMSInitialize and the quick commit were answered")
        #expect(gate.finished.wait(timeout: .now()) == .timedOut, "while the slow commit was still held")
        #expect(try PreviewFixture.state(db, learner: "quick", sco: module)?.values["cmi.core.lesson_location"] == "page-quick")
        #expect(server.sessions.running(key("late")).count == 1)
        #expect(try PreviewFixture.state(db, learner: "slow", sco: module) == nil)

        gate.release.signal()
        #expect(gate.finished.wait(timeout: .now() + Self.wait) == .success, "the slow commit finished once let go")
        #expect(try PreviewFixture.state(db, learner: "slow", sco: module)?.values["cmi.core.lesson_location"] == "page-slow")
    }
}
