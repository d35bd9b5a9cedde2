import Foundation
import LadderProgress

/// What the LMS knows about a launch before the SCO starts: the learner, and the item's
/// manifest data (`adlcp:masteryscore`, `adlcp:maxtimeallowed`, …).
public struct LaunchContext: Sendable, Equatable {
    public var learnerID: String
    public var learnerName: String
    public var credit = "credit"
    public var lessonMode = "normal"
    public var masteryScore: Double?
    public var maxTimeAllowed = ""
    public var timeLimitAction = ""
    public var launchData = ""

    public init(learnerID: String, learnerName: String, masteryScore: Double? = nil) {
        self.learnerID = learnerID
        self.learnerName = learnerName
        self.masteryScore = masteryScore
    }
}

/// What is kept between sessions for one learner, SCO and attempt is the progress store's
/// own `CMIState`: the committed data-model values and the interactions journal.
public typealias RuntimeRecord = CMIState

/// One SCO session between LMSInitialize and LMSFinish, as strict as a conformant SCORM 1.2
/// LMS: every call is checked and answers a 1.2 error code. A value: the server runs a call
/// on a copy and keeps it only when the store took its result.
public struct RuntimeSession: Sendable {
    public enum State: Sendable { case notInitialized, running, finished }

    struct Interaction: Sendable {
        var fields: [String: String] = [:]
        var objectives: [String] = []
        var patterns: [String] = []
    }

    public private(set) var state: State = .notInitialized
    public private(set) var lastError: CMIError = .none
    public private(set) var lastDiagnostic = ""
    /// Why the LMS ended the session, when it did (see `end`).
    public private(set) var endReason: String?
    public let context: LaunchContext
    public let attempt: Int
    var values: [String: String]
    var objectives: [[String: String]] = []
    var interactions: [Interaction] = []

    /// Elements that are the LMS's, derived from the context at each launch and never stored.
    static let contextElements: Set<String> = [
        "cmi.core.student_id", "cmi.core.student_name", "cmi.core.credit", "cmi.core.entry", "cmi.core.lesson_mode",
        "cmi.student_data.mastery_score", "cmi.student_data.max_time_allowed", "cmi.student_data.time_limit_action",
        "cmi.launch_data", "cmi.comments_from_lms",
    ]

    public init(context: LaunchContext, record: RuntimeRecord?, attempt: Int) {
        self.context = context
        self.attempt = record?.attempt ?? attempt
        let stored = record?.values ?? [:]
        let entry: String
        if record == nil || stored.isEmpty {
            entry = "ab-initio"
        } else if stored["cmi.core.exit"] == "suspend" {
            entry = "resume"
        } else {
            entry = ""
        }
        var v: [String: String] = [
            "cmi.core.lesson_location": "", "cmi.core.lesson_status": "not attempted", "cmi.core.score.raw": "",
            "cmi.core.score.min": "", "cmi.core.score.max": "", "cmi.core.total_time": "0000:00:00.00",
            "cmi.suspend_data": "", "cmi.comments": "", "cmi.student_preference.audio": "0",
            "cmi.student_preference.language": "", "cmi.student_preference.speed": "0", "cmi.student_preference.text": "0",
        ]
        for (k, value) in stored where !k.hasPrefix("cmi.objectives.") && !Self.contextElements.contains(k) { v[k] = value }
        // exit and session_time describe one session: a new one starts without them.
        v["cmi.core.exit"] = ""
        v["cmi.core.session_time"] = ""
        v["cmi.core.student_id"] = context.learnerID
        v["cmi.core.student_name"] = context.learnerName
        v["cmi.core.credit"] = context.credit
        v["cmi.core.entry"] = entry
        v["cmi.core.lesson_mode"] = context.lessonMode
        v["cmi.student_data.mastery_score"] = context.masteryScore.map(Self.format) ?? ""
        v["cmi.student_data.max_time_allowed"] = context.maxTimeAllowed
        v["cmi.student_data.time_limit_action"] = context.timeLimitAction
        v["cmi.launch_data"] = context.launchData
        v["cmi.comments_from_lms"] = ""
        values = v
        var n = 0
        while stored["cmi.objectives.\(n).id"] != nil || stored["cmi.objectives.\(n).status"] != nil {
            var o: [String: String] = ["id": "", "score.raw": "", "score.min": "", "score.max": "", "status": "not attempted"]
            for f in ["id", "score.raw", "score.min", "score.max", "status"] {
                if let s = stored["cmi.objectives.\(n).\(f)"] { o[f] = s }
            }
            objectives.append(o)
            n += 1
        }
        for flat in record?.interactions ?? [] { interactions.append(Self.unflatten(flat)) }
    }

    static func format(_ d: Double) -> String {
        d == d.rounded() ? String(Int(d)) : String(d)
    }

    // MARK: - The API

    /// Runs one API call by name. `args` are the call's arguments; nil stands for a value that
    /// is not a string. Returns the call's result as the JavaScript API returns it.
    public mutating func call(_ fn: String, _ args: [String?]) -> String {
        func arg(_ i: Int) -> String?? { i < args.count ? .some(args[i]) : .none }
        switch fn {
        case "LMSInitialize": return initialize(args.first ?? nil)
        case "LMSFinish": return finish(args.first ?? nil).result
        case "LMSCommit": return commit(args.first ?? nil).result
        case "LMSGetValue": return getValue(args.first ?? nil)
        case "LMSSetValue": return setValue(args.first ?? nil, args.count > 1 ? args[1] : nil)
        case "LMSGetLastError": return lastError.rawValue
        case "LMSGetErrorString": return CMIError(rawValue: args.first.flatMap { $0 } ?? "")?.text ?? ""
        case "LMSGetDiagnostic":
            let code = args.first.flatMap { $0 } ?? ""
            if code.isEmpty || code == lastError.rawValue { return lastDiagnostic }
            return CMIError(rawValue: code)?.text ?? ""
        default: return fail(.invalidArgument, "false", "\(fn) is not a SCORM 1.2 API function")
        }
    }

    mutating func ok(_ r: String) -> String {
        lastError = .none
        lastDiagnostic = ""
        return r
    }

    mutating func fail(_ code: CMIError, _ r: String, _ diagnostic: String) -> String {
        lastError = code
        lastDiagnostic = diagnostic
        return r
    }

    public mutating func initialize(_ arg: String?) -> String {
        guard arg == "" else { return fail(.invalidArgument, "false", "LMSInitialize takes \"\"") }
        switch state {
        case .running: return fail(.general, "false", "LMSInitialize was already called")
        case .finished: return fail(.general, "false", "LMSInitialize after LMSFinish")
        case .notInitialized:
            state = .running
            return ok("true")
        }
    }

    /// Commit: the record to persist when the call succeeds (nil on error).
    public mutating func commit(_ arg: String?) -> (result: String, record: RuntimeRecord?) {
        guard state == .running else { return (fail(.notInitialized, "false", "LMSCommit outside a session" + ended), nil) }
        guard arg == "" else { return (fail(.invalidArgument, "false", "LMSCommit takes \"\""), nil) }
        applyMastery()
        return (ok("true"), record())
    }

    /// Finish: the record to persist, with session_time added to total_time.
    public mutating func finish(_ arg: String?) -> (result: String, record: RuntimeRecord?) {
        switch state {
        case .notInitialized: return (fail(.notInitialized, "false", "LMSFinish before LMSInitialize"), nil)
        case .finished: return (fail(.general, "false", endReason.map { "the LMS ended the session: \($0)" } ?? "LMSFinish was already called"), nil)
        case .running: break
        }
        guard arg == "" else { return (fail(.invalidArgument, "false", "LMSFinish takes \"\""), nil) }
        state = .finished
        applyMastery()
        if let s = values["cmi.core.session_time"], !s.isEmpty {
            values["cmi.core.total_time"] = addTimespans(values["cmi.core.total_time"] ?? "", s)
        }
        return (ok("true"), record())
    }

    /// " (the LMS ended it: …)" after a diagnostic, when it did.
    var ended: String { endReason.map { " (the LMS ended it: \($0))" } ?? "" }

    /// Ends a running session on the LMS's side, storing nothing (what it did not commit is
    /// lost, as when the server stops); later calls answer 301 with `reason`.
    public mutating func end(_ reason: String) {
        guard state == .running else { return }
        state = .finished
        endReason = reason
    }

    /// SCORM 1.2 (RTE 3.4.4, cmi.student_data.mastery_score): with a mastery score and a raw
    /// score, a SCO in credit mode that reports completion is passed or failed by comparison.
    mutating func applyMastery() {
        guard context.credit == "credit", let m = context.masteryScore, let raw = Double(values["cmi.core.score.raw"] ?? ""),
            ["completed", "passed", "failed"].contains(values["cmi.core.lesson_status"] ?? "")
        else { return }
        values["cmi.core.lesson_status"] = raw >= m ? "passed" : "failed"
    }

    /// A failed get or set call: its result ("" or "false"), the error code already set.
    struct CallFailure: Error {
        var result: String
    }

    /// The element a running session's get or set call names, resolved, with its definition;
    /// otherwise the call fails with `failed` as its result ("" for LMSGetValue, "false" for
    /// LMSSetValue).
    mutating func resolveCall(_ element: String?, call: String, failed: String) throws(CallFailure) -> (
        element: String, r: CMIDataModel.Resolved, def: CMIDataModel.Element
    ) {
        guard state == .running else { throw CallFailure(result: fail(.notInitialized, failed, "\(call) outside a session" + ended)) }
        guard let element else { throw CallFailure(result: fail(.invalidArgument, failed, "the element name must be a string")) }
        switch CMIDataModel.resolve(element) {
        case .failure(let f): throw CallFailure(result: fail(f.code, failed, f.diagnostic))
        case .success(let r): return (element, r, CMIDataModel.elements[r.key]!)
        }
    }

    public mutating func getValue(_ requested: String?) -> String {
        let resolved: (element: String, r: CMIDataModel.Resolved, def: CMIDataModel.Element)
        do throws(CallFailure) { resolved = try resolveCall(requested, call: "LMSGetValue", failed: "") } catch { return error.result }
        let (element, r, def) = resolved
        if def.access == .writeOnly { return fail(.writeOnly, "", "\(element) is write only") }
        guard indexesExist(r) else { return fail(.invalidArgument, "", "\(element): no such index") }
        return ok(read(r))
    }

    public mutating func setValue(_ requested: String?, _ value: String?) -> String {
        let resolved: (element: String, r: CMIDataModel.Resolved, def: CMIDataModel.Element)
        do throws(CallFailure) { resolved = try resolveCall(requested, call: "LMSSetValue", failed: "false") } catch { return error.result }
        let (element, r, def) = resolved
        if def.access == .keyword { return fail(.keyword, "false", "\(element) is a keyword") }
        if def.access == .readOnly { return fail(.readOnly, "false", "\(element) is read only") }
        guard let value else { return fail(.incorrectDataType, "false", "\(element): the value must be a string") }
        guard indexesAppendable(r) else { return fail(.incorrectDataType, "false", "\(element): index out of order") }
        if case .response = def.type {
            let type = r.indexes.first.flatMap { $0 < interactions.count ? interactions[$0].fields["type"] : nil } ?? ""
            guard CMIDataModel.responseValid(type: type, value) else {
                return fail(.incorrectDataType, "false", "\(element): \"\(value.prefix(40))\" is not a \(type.isEmpty ? "CMIFeedback" : type) response")
            }
        } else if let t = def.type, !t.accepts(value) {
            let shown = value.count > 40 ? value.prefix(40) + "…" : Substring(value)
            return fail(.incorrectDataType, "false", "\(element): \"\(shown)\" has the wrong type or vocabulary")
        }
        write(r, value)
        return ok("true")
    }

    // MARK: - Storage of indexed elements

    func indexesExist(_ r: CMIDataModel.Resolved) -> Bool {
        let k = r.key, i = r.indexes
        if k.hasPrefix("cmi.objectives.n") { return i[0] < objectives.count }
        if k.hasPrefix("cmi.interactions.n") {
            guard i[0] < interactions.count else { return false }
            if k.hasPrefix("cmi.interactions.n.correct_responses.n") { return i[1] < interactions[i[0]].patterns.count }
            if k.hasPrefix("cmi.interactions.n.objectives.n") { return i[1] < interactions[i[0]].objectives.count }
        }
        return true
    }

    func indexesAppendable(_ r: CMIDataModel.Resolved) -> Bool {
        let k = r.key, i = r.indexes
        if k.hasPrefix("cmi.objectives.n") { return i[0] <= objectives.count }
        if k.hasPrefix("cmi.interactions.n") {
            guard i[0] <= interactions.count else { return false }
            let it = i[0] < interactions.count ? interactions[i[0]] : nil
            if k.hasPrefix("cmi.interactions.n.correct_responses.n") { return i[1] <= (it?.patterns.count ?? 0) }
            if k.hasPrefix("cmi.interactions.n.objectives.n") { return i[1] <= (it?.objectives.count ?? 0) }
        }
        return true
    }

    func read(_ r: CMIDataModel.Resolved) -> String {
        let k = r.key, i = r.indexes
        if k.hasSuffix("._children") { return CMIDataModel.children[String(k.dropLast("._children".count))] ?? "" }
        switch k {
        case "cmi.objectives._count": return String(objectives.count)
        case "cmi.interactions._count": return String(interactions.count)
        case "cmi.interactions.n.objectives._count": return String(interactions[i[0]].objectives.count)
        case "cmi.interactions.n.correct_responses._count": return String(interactions[i[0]].patterns.count)
        default: break
        }
        if k.hasPrefix("cmi.objectives.n.") { return objectives[i[0]][String(k.dropFirst("cmi.objectives.n.".count))] ?? "" }
        return values[k] ?? ""
    }

    mutating func write(_ r: CMIDataModel.Resolved, _ value: String) {
        let k = r.key, i = r.indexes
        if k.hasPrefix("cmi.objectives.n.") {
            if i[0] == objectives.count {
                objectives.append(["id": "", "score.raw": "", "score.min": "", "score.max": "", "status": "not attempted"])
            }
            objectives[i[0]][String(k.dropFirst("cmi.objectives.n.".count))] = value
            return
        }
        if k.hasPrefix("cmi.interactions.n.") {
            if i[0] == interactions.count { interactions.append(Interaction()) }
            if k.hasSuffix("correct_responses.n.pattern") {
                if i[1] == interactions[i[0]].patterns.count { interactions[i[0]].patterns.append("") }
                interactions[i[0]].patterns[i[1]] = value
            } else if k.hasSuffix("objectives.n.id") {
                if i[1] == interactions[i[0]].objectives.count { interactions[i[0]].objectives.append("") }
                interactions[i[0]].objectives[i[1]] = value
            } else {
                interactions[i[0]].fields[String(k.dropFirst("cmi.interactions.n.".count))] = value
            }
            return
        }
        values[k] = value
    }

    // MARK: - Records

    /// The state to persist: values without the LMS's own context, objectives flattened.
    public func record() -> RuntimeRecord {
        var v = values.filter { !Self.contextElements.contains($0.key) }
        for (n, o) in objectives.enumerated() {
            for (f, s) in o { v["cmi.objectives.\(n).\(f)"] = s }
        }
        return RuntimeRecord(attempt: attempt, values: v, interactions: interactions.map(Self.flatten))
    }

    static func flatten(_ it: Interaction) -> [String: String] {
        var d = it.fields
        for (m, o) in it.objectives.enumerated() { d["objectives.\(m).id"] = o }
        for (m, p) in it.patterns.enumerated() { d["correct_responses.\(m).pattern"] = p }
        return d
    }

    static func unflatten(_ d: [String: String]) -> Interaction {
        var it = Interaction()
        for (k, v) in d where !k.hasPrefix("objectives.") && !k.hasPrefix("correct_responses.") { it.fields[k] = v }
        var m = 0
        while let o = d["objectives.\(m).id"] {
            it.objectives.append(o)
            m += 1
        }
        m = 0
        while let p = d["correct_responses.\(m).pattern"] {
            it.patterns.append(p)
            m += 1
        }
        return it
    }
}
