import Foundation

/// SCORM 1.2 run-time error codes, as the 1.2 RTE table numbers them.
public enum CMIError: String, Sendable, CaseIterable {
    case none = "0"
    case general = "101"
    case invalidArgument = "201"
    case noChildren = "202"
    case notAnArray = "203"
    case notInitialized = "301"
    case notImplemented = "401"
    case keyword = "402"
    case readOnly = "403"
    case writeOnly = "404"
    case incorrectDataType = "405"

    /// The text LMSGetErrorString returns.
    public var text: String {
        switch self {
        case .none: "No error"
        case .general: "General exception"
        case .invalidArgument: "Invalid argument error"
        case .noChildren: "Element cannot have children"
        case .notAnArray: "Element not an array - cannot have count"
        case .notInitialized: "Not initialized"
        case .notImplemented: "Not implemented error"
        case .keyword: "Invalid set value, element is a keyword"
        case .readOnly: "Element is read only"
        case .writeOnly: "Element is write only"
        case .incorrectDataType: "Incorrect data type"
        }
    }
}

/// The SCORM 1.2 data model: which elements exist, who may read or write them, and the data
/// type of each value. The rules are those of Tests/runtime/strict-scorm12-api.mjs (a strict
/// conformant LMS), so the browser journeys and the runtime's node tests agree.
public enum CMIDataModel {
    public enum Access: Sendable { case readOnly, readWrite, writeOnly, keyword }

    public enum ValueType: Sendable {
        case string255, string4096, identifier, decimal, score, timespan, time, result, response
        case integer(Int, Int)
        case vocabulary([String])

        func accepts(_ v: String) -> Bool {
            switch self {
            case .string255: v.count <= 255
            case .string4096: v.count <= 4096
            case .identifier: !v.isEmpty && v.count <= 255 && !v.contains(where: \.isWhitespace)
            case .decimal: CMIDataModel.isDecimal(v)
            case .score: v.isEmpty || (CMIDataModel.isDecimal(v) && (Double(v).map { $0 >= 0 && $0 <= 100 } ?? false))
            case .timespan: CMIDataModel.matches(v, #"^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$"#)
            case .time: CMIDataModel.matches(v, #"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$"#)
            case .result: CMIDataModel.interactionResults.contains(v) || CMIDataModel.isDecimal(v)
            case .response: v.count <= 255
            case .integer(let lo, let hi): CMIDataModel.matches(v, #"^-?\d{1,6}$"#) && Int(v).map { $0 >= lo && $0 <= hi } ?? false
            case .vocabulary(let list): list.contains(v)
            }
        }
    }

    public struct Element: Sendable {
        public var access: Access
        public var type: ValueType?
    }

    public static let statuses = ["passed", "completed", "failed", "incomplete", "browsed", "not attempted"]
    static let scoStatuses = ["passed", "completed", "failed", "incomplete", "browsed"]
    static let exits = ["time-out", "suspend", "logout", ""]
    static let interactionTypes = ["true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric"]
    static let interactionResults = ["correct", "wrong", "unanticipated", "neutral"]

    /// `_children` answers.
    public static let children: [String: String] = [
        "cmi.core": "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
        "cmi.core.score": "raw,min,max",
        "cmi.objectives": "id,score,status",
        "cmi.objectives.n.score": "raw,min,max",
        "cmi.student_data": "mastery_score,max_time_allowed,time_limit_action",
        "cmi.student_preference": "audio,language,speed,text",
        "cmi.interactions": "id,objectives,time,type,correct_responses,weighting,student_response,result,latency",
    ]

    /// Every element; "n" stands for an index.
    public static let elements: [String: Element] = {
        let ro = Element(access: .readOnly, type: nil)
        let kw = Element(access: .keyword, type: nil)
        func rw(_ t: ValueType) -> Element { Element(access: .readWrite, type: t) }
        func wo(_ t: ValueType) -> Element { Element(access: .writeOnly, type: t) }
        return [
            "cmi.core._children": kw, "cmi.core.student_id": ro, "cmi.core.student_name": ro,
            "cmi.core.lesson_location": rw(.string255), "cmi.core.credit": ro,
            "cmi.core.lesson_status": rw(.vocabulary(scoStatuses)), "cmi.core.entry": ro,
            "cmi.core.score._children": kw, "cmi.core.score.raw": rw(.score), "cmi.core.score.min": rw(.score),
            "cmi.core.score.max": rw(.score), "cmi.core.total_time": ro, "cmi.core.lesson_mode": ro,
            "cmi.core.exit": wo(.vocabulary(exits)), "cmi.core.session_time": wo(.timespan),
            "cmi.suspend_data": rw(.string4096), "cmi.launch_data": ro, "cmi.comments": rw(.string4096),
            "cmi.comments_from_lms": ro,
            "cmi.objectives._children": kw, "cmi.objectives._count": kw, "cmi.objectives.n.id": rw(.identifier),
            "cmi.objectives.n.score._children": kw, "cmi.objectives.n.score.raw": rw(.score),
            "cmi.objectives.n.score.min": rw(.score), "cmi.objectives.n.score.max": rw(.score),
            "cmi.objectives.n.status": rw(.vocabulary(statuses)),
            "cmi.student_data._children": kw, "cmi.student_data.mastery_score": ro,
            "cmi.student_data.max_time_allowed": ro, "cmi.student_data.time_limit_action": ro,
            "cmi.student_preference._children": kw, "cmi.student_preference.audio": rw(.integer(-1, 100)),
            "cmi.student_preference.language": rw(.string255), "cmi.student_preference.speed": rw(.integer(-100, 100)),
            "cmi.student_preference.text": rw(.integer(-1, 1)),
            "cmi.interactions._children": kw, "cmi.interactions._count": kw, "cmi.interactions.n.id": wo(.identifier),
            "cmi.interactions.n.objectives._count": kw, "cmi.interactions.n.objectives.n.id": wo(.identifier),
            "cmi.interactions.n.time": wo(.time), "cmi.interactions.n.type": wo(.vocabulary(interactionTypes)),
            "cmi.interactions.n.correct_responses._count": kw,
            "cmi.interactions.n.correct_responses.n.pattern": wo(.response), "cmi.interactions.n.weighting": wo(.decimal),
            "cmi.interactions.n.student_response": wo(.response), "cmi.interactions.n.result": wo(.result),
            "cmi.interactions.n.latency": wo(.timespan),
        ]
    }()

    /// Names X for which `X._count` / `X._children` are well-formed questions (202 / 203).
    static let containers: Set<String> = {
        var s: Set<String> = [
            "cmi", "cmi.core", "cmi.core.score", "cmi.student_data", "cmi.student_preference", "cmi.objectives.n",
            "cmi.objectives.n.score", "cmi.interactions.n", "cmi.interactions.n.correct_responses.n",
            "cmi.interactions.n.objectives.n",
        ]
        for k in elements.keys where !k.hasSuffix("._children") && !k.hasSuffix("._count") { s.insert(k) }
        return s
    }()

    static func isDecimal(_ v: String) -> Bool { matches(v, #"^-?(\d+(\.\d+)?|\.\d+)$"#) }

    static func matches(_ v: String, _ pattern: String) -> Bool {
        v.range(of: pattern, options: .regularExpression) != nil
    }

    /// A student_response or correct_responses pattern, checked once the interaction's type is known.
    static func responseValid(type: String, _ v: String) -> Bool {
        guard v.count <= 255 else { return false }
        switch type {
        case "true-false": return matches(v, "^[01tf]$")
        case "choice":
            var inner = Substring(v)
            if v.hasPrefix("{") && v.hasSuffix("}") && v.count >= 2 { inner = inner.dropFirst().dropLast() }
            return inner.isEmpty || matches(String(inner), "^[0-9a-z](,[0-9a-z])*$")
        case "numeric": return isDecimal(v)
        default: return true
        }
    }

    /// A resolved element name: the model key ("cmi.interactions.n.id") and its indexes.
    public struct Resolved: Sendable, Equatable {
        public var key: String
        public var indexes: [Int]
    }

    /// Resolves an element name, or returns the error code and a diagnostic.
    public static func resolve(_ element: String) -> Result<Resolved, Failure> {
        guard !element.isEmpty else { return .failure(Failure(.invalidArgument, "element name must be a non-empty string")) }
        let parts = element.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts[0] == "cmi", parts.count >= 2 else { return .failure(Failure(.invalidArgument, "\(element) is not a cmi element")) }
        var indexes: [Int] = []
        var keyParts: [String] = []
        for p in parts {
            if !p.isEmpty, p.allSatisfy(\.isASCII), p.allSatisfy(\.isNumber) {
                guard p.count == 1 || !p.hasPrefix("0"), p.count <= 6, let n = Int(p) else {
                    return .failure(Failure(.invalidArgument, "\(element): bad index \(p)"))
                }
                indexes.append(n)
                keyParts.append("n")
            } else if p.isEmpty {
                return .failure(Failure(.invalidArgument, "\(element): empty segment"))
            } else {
                keyParts.append(p)
            }
        }
        let key = keyParts.joined(separator: ".")
        if elements[key] != nil { return .success(Resolved(key: key, indexes: indexes)) }
        let last = keyParts[keyParts.count - 1]
        let parent = keyParts.dropLast().joined(separator: ".")
        if last == "_children" && (containers.contains(parent) || elements[parent] != nil) {
            return .failure(Failure(.noChildren, "\(parent) has no _children"))
        }
        if last == "_count" && (containers.contains(parent) || elements[parent] != nil) {
            return .failure(Failure(.notAnArray, "\(parent) is not an array"))
        }
        if keyParts.contains(where: { $0.hasPrefix("_") && $0 != "_children" && $0 != "_count" }) {
            return .failure(Failure(.invalidArgument, "\(element): unknown keyword"))
        }
        return .failure(Failure(.notImplemented, "\(element) is not in the data model"))
    }

    /// An error code with the diagnostic LMSGetDiagnostic returns.
    public struct Failure: Error, Sendable, Equatable {
        public var code: CMIError
        public var diagnostic: String
        public init(_ code: CMIError, _ diagnostic: String) {
            self.code = code
            self.diagnostic = diagnostic
        }
    }
}

/// Adds two CMITimespans (`HHHH:MM:SS.SS`), capped at 9999:59:59.99.
func addTimespans(_ a: String, _ b: String) -> String {
    func centis(_ s: String) -> Int {
        let p = s.split(separator: ":")
        guard p.count == 3, let h = Int(p[0]), let m = Int(p[1]), let sec = Double(p[2]) else { return 0 }
        return (h * 3600 + m * 60) * 100 + Int((sec * 100).rounded())
    }
    let total = min(centis(a) + centis(b), 9999 * 360_000 + 59 * 6000 + 5999)
    let h = total / 360_000, m = (total / 6000) % 60, s = (total / 100) % 60, c = total % 100
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(h < 10 ? "000\(h)" : h < 100 ? "00\(h)" : h < 1000 ? "0\(h)" : "\(h)"):\(two(m)):\(two(s)).\(two(c))"
}
