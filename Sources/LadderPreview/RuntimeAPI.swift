import Foundation
import Hummingbird
import LadderProgress
import LadderCore

/// The SCORM 1.2 API over HTTP: `POST /api/call` (one call, as the SCO makes it) and
/// `POST /api/batch` (the calls the player queued while a SCO's frame was dismissed).
extension PreviewServer {
    /// The most calls one batch may hold.
    static let maxBatchCalls = 1000

    /// `{learner, sco, session?, fn, args}` → `{result, error, diagnostic, session}`. A call
    /// that is not LMSInitialize must name the session LMSInitialize opened.
    func apiCall(_ o: [String: Any]) -> Response {
        guard let fn = o["fn"] as? String, let rawArgs = o["args"] as? [Any] else {
            return PreviewResponse.text(.badRequest, "fn and args are required")
        }
        let args: [String?] = rawArgs.map { $0 as? String }
        if fn == "LMSInitialize" { return initialize(o, args) }
        guard let id = o["session"] as? String, let slot = sessions.get(id) else {
            // No session: the SCO calls before LMSInitialize (or after the server restarted).
            let error: CMIError = Self.informational.contains(fn) ? .none : .notInitialized
            return callResult(fn == "LMSGetValue" ? "" : "false", error, error == .none ? "" : "\(fn) outside a session", session: nil)
        }
        return slot.with { session in
            var trial = session
            let (result, record) = Self.perform(fn, args, on: &trial)
            if let record {
                do {
                    try commitRuntime(slot.key, record, learnerName: trial.context.learnerName)
                } catch {
                    // Nothing changes: the SCO may commit again (or finish) once the store is back.
                    _ = session.fail(.general, "false", "the progress store cannot be written: \(error)")
                    return callResult("false", .general, session.lastDiagnostic, session: id)
                }
            }
            session = trial
            return callResult(result, trial.lastError, trial.lastDiagnostic, session: id)
        }
    }

    func initialize(_ o: [String: Any], _ args: [String?]) -> Response {
        guard let learner = o["learner"] as? String, Self.validLearner(learner) else {
            return PreviewResponse.text(.badRequest, "bad learner id")
        }
        guard let sco = o["sco"] as? String, let item = package.manifest.items.first(where: { $0.identifier == sco && $0.launch != nil })
        else { return callResult("false", .general, "no such SCO in this package", session: nil) }
        let outcome: Prerequisites.Outcome
        do {
            outcome = try prerequisites(of: item, learner: learner)
        } catch {
            return callResult("false", .general, "the progress store cannot be read: \(error)", session: nil)
        }
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
        var session = RuntimeSession(context: context, record: record, attempt: 1)
        let result = session.call("LMSInitialize", args)
        let id = sessions.add(session, key: key)
        return callResult(result, session.lastError, session.lastDiagnostic, session: id)
    }

    /// `{learner, sco, session, calls: [{fn, args}]}` → `{count}`: the calls a SCO made while
    /// its frame was being dismissed (when browsers refuse synchronous requests), which the
    /// player answered itself, queued and sends in order once it can. All or nothing: every
    /// call's shape is checked first; then the calls run in order on a copy of the session,
    /// and if any answers an error (as `/api/call` would have), the batch is refused (422,
    /// naming the call) and neither the session nor the store changes. Otherwise the state the
    /// last commit or finish produced is written in one store transaction, and only then does
    /// the session take it.
    func apiBatch(_ o: [String: Any]) -> Response {
        guard let calls = o["calls"] as? [Any], !calls.isEmpty, calls.count <= Self.maxBatchCalls else {
            let count = (o["calls"] as? [Any]).map { "this one has \($0.count)" } ?? "calls is not an array"
            return PreviewResponse.text(.badRequest, "a batch holds 1 to \(Self.maxBatchCalls) calls; \(count)")
        }
        var parsed: [(fn: String, args: [String?])] = []
        for (i, c) in calls.enumerated() {
            guard let c = c as? [String: Any], let fn = c["fn"] as? String, fn != "LMSInitialize", let args = c["args"] as? [Any] else {
                return PreviewResponse.text(.badRequest, "call \(i + 1): each call needs fn (not LMSInitialize) and args; nothing was applied")
            }
            parsed.append((fn, args.map { $0 as? String }))
        }
        guard let id = o["session"] as? String, let slot = sessions.get(id) else {
            return PreviewResponse.text(.badRequest, "no such session")
        }
        return slot.with { session in
            var trial = session
            var toStore: CMIState?
            for (i, call) in parsed.enumerated() {
                let (_, record) = Self.perform(call.fn, call.args, on: &trial)
                if !Self.informational.contains(call.fn) && trial.lastError != .none {
                    let what = "call \(i + 1) of \(parsed.count), \(call.fn)(\(Self.shown(call.args)))"
                    return PreviewResponse.text(
                        .unprocessableContent,
                        "\(what) failed with error \(trial.lastError.rawValue): \(trial.lastDiagnostic); nothing in this batch was recorded")
                }
                if let record { toStore = record }
            }
            if let toStore {
                do {
                    try commitRuntime(slot.key, toStore, learnerName: trial.context.learnerName)
                } catch {
                    return PreviewResponse.text(
                        .internalServerError, "the progress store cannot be written: \(error); nothing in this batch was recorded")
                }
            }
            session = trial
            return PreviewResponse.json(["count": parsed.count])
        }
    }

    /// Calls that answer about the last one and change nothing (their own error is not set).
    static let informational: Set<String> = ["LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"]

    /// Runs one call; for a successful LMSCommit or LMSFinish, the state to store.
    /// Writes a session's state to the store, after the test hook (`beforeRuntimeWrite`).
    func commitRuntime(_ key: SCOKey, _ state: CMIState, learnerName: String) throws {
        beforeRuntimeWrite?(key)
        try store.commitRuntime(key, state: state, learnerName: learnerName, curriculum: package.curriculum)
    }

    static func perform(_ fn: String, _ args: [String?], on session: inout RuntimeSession) -> (result: String, record: CMIState?) {
        switch fn {
        case "LMSCommit": return session.commit(args.first ?? nil)
        case "LMSFinish": return session.finish(args.first ?? nil)
        default: return (session.call(fn, args), nil)
        }
    }

    /// Arguments as a message shows them: quoted, long ones cut.
    static func shown(_ args: [String?]) -> String {
        args.map { a in a.map { "\"\($0.count > 40 ? $0.prefix(40) + "…" : Substring($0))\"" } ?? "(not a string)" }
            .joined(separator: ", ")
    }

    func callResult(_ result: String, _ error: CMIError, _ diagnostic: String, session: String?) -> Response {
        var o: [String: Any] = ["result": result, "error": error.rawValue, "diagnostic": diagnostic]
        if let session { o["session"] = session }
        return PreviewResponse.json(o)
    }
}

/// Open sessions by id. The table's lock guards only the table, and is never held while a
/// session's is: each session has its own lock, so calls to one session run one at a time,
/// and no call, LMSInitialize included, waits for another session's store write.
final class SessionTable: Sendable {
    private let slots = Locked<[String: SessionSlot]>([:])

    func add(_ session: RuntimeSession, key: SCOKey) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        let id = bytes.map { String(format: "%02x", $0) }.joined()
        let slot = SessionSlot(key: key, session: session)
        slots.withLock { table in
            // Finished sessions are dropped when new ones start, so the table stays small.
            table = table.filter { $0.value.state != .finished }
            table[id] = slot
        }
        return id
    }

    /// The sessions of `key` between LMSInitialize and LMSFinish.
    func running(_ key: SCOKey) -> [SessionSlot] {
        slots.withLock { Array($0.values) }.filter { $0.key == key && $0.state == .running }
    }

    func get(_ id: String) -> SessionSlot? { slots.withLock { $0[id] } }
}

/// One open session and its lock.
final class SessionSlot: Sendable {
    let key: SCOKey
    private let session: Locked<RuntimeSession>
    /// The session's state after its last call, readable without waiting for a call (and its
    /// store write) in progress.
    private let lastState: Locked<RuntimeSession.State>

    init(key: SCOKey, session: RuntimeSession) {
        self.key = key
        self.session = Locked(session)
        lastState = Locked(session.state)
    }

    var state: RuntimeSession.State { lastState.withLock { $0 } }

    /// Runs `body` alone on this session; `body` may replace the session (with the trial
    /// copy a call ran on).
    func with<T>(_ body: (inout RuntimeSession) -> T) -> T {
        session.withLock { s in
            let result = body(&s)
            let state = s.state
            lastState.withLock { $0 = state }
            return result
        }
    }
}
