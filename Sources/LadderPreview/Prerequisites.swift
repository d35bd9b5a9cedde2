import Foundation
import LadderPackaging

/// `adlcp:prerequisites` of type aicc_script (SCORM 1.2 CAM 2.3.2.5, the AICC CMI001 script
/// language), evaluated for one learner. An item identifier is satisfied when its
/// lesson_status is passed or completed. Operators, loosest first:
///
/// - `a | b` (or), `a & b` (and), `~a` (not), `( … )` (grouping);
/// - `ID = "status"` and `ID <> "status"`: a status compared, written in full or by its first
///   letter, quoted or not (`A = passed`, `A <> "i"`, `A = not attempted`);
/// - `N*{a, b, c}`: at least N members of the set are true. Each member is an expression of
///   its own (an identifier, a comparison, a group, another set); N is a whole number from 1
///   to the number of members. A set is only ever the operand of `N*`: a bare `{a, b}` has no
///   meaning in the CAM (and `ladder validate` rejects it), so it is reported as unreadable
///   rather than guessed to mean "all of them".
///
/// The parser is `AICCScript` (LadderPackaging), the one `ladder validate` uses, so a package it
/// accepts always evaluates.
public enum Prerequisites {
    public enum Outcome: Equatable, Sendable {
        case met
        /// What the learner still has to pass or complete, in order of appearance.
        case unmet([Missing])
        /// The expression does not parse; the sentence says where.
        case unreadable(String)

        /// The reason in words, each item identifier written by `name` (unmet: "B; any 2 of
        /// C, D, E"; unreadable: the parse error).
        public func reason(naming name: (String) -> String = { $0 }) -> String {
            switch self {
            case .met: ""
            case .unmet(let missing): missing.map { $0.text(name) }.joined(separator: "; ")
            case .unreadable(let why): why
            }
        }
    }

    /// One thing that stands between the learner and the item.
    public indirect enum Missing: Equatable, Sendable {
        /// Pass or complete this item.
        case item(String)
        /// Make this condition true (a comparison or a negation, as written in the script).
        case condition(String)
        /// Any one of these.
        case oneOf([Missing])
        /// `count` more of these (the members of a set that are not yet true).
        case some(Int, of: [Missing])

        public func text(_ name: (String) -> String = { $0 }) -> String {
            switch self {
            case .item(let id): name(id)
            case .condition(let c): c
            case .oneOf(let list): list.map { $0.text(name) }.joined(separator: " or ")
            case .some(let n, let list):
                n == list.count
                    ? list.map { $0.text(name) }.joined(separator: ", ")
                    : "any \(n) of \(list.map { $0.text(name) }.joined(separator: ", "))"
            }
        }
    }

    /// An item's prerequisites, parsed once (the preview parses each item's when it reads the
    /// manifest, then evaluates the tree on every launch and table of contents).
    public enum Script: Equatable, Sendable {
        /// No prerequisites (nothing, or only white space): always met.
        case none
        case expression(AICCScript.Node)
        /// The script does not parse; the sentence says where.
        case unreadable(String)

        public init(_ script: String) {
            let trimmed = script.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else {
                self = .none
                return
            }
            do {
                self = .expression(try AICCScript.parse(trimmed))
            } catch {
                self = .unreadable("the prerequisites \"\(trimmed)\" cannot be read: \(error.message)")
            }
        }

        /// The item identifiers the script names, in order of appearance (none when it does
        /// not parse).
        public var identifiers: [String] {
            if case .expression(let node) = self { return node.identifiers }
            return []
        }
    }

    /// Evaluates `script` given each item's lesson_status (missing = "not attempted").
    public static func evaluate(_ script: String, status: (String) -> String) -> Outcome {
        evaluate(Script(script), status: status)
    }

    /// Evaluates a parsed script given each item's lesson_status.
    public static func evaluate(_ script: Script, status: (String) -> String) -> Outcome {
        switch script {
        case .none: return .met
        case .unreadable(let why): return .unreadable(why)
        case .expression(let node):
            if node.value(status) { return .met }
            var missing: [Missing] = []
            for m in node.missing(status) where !missing.contains(m) { missing.append(m) }
            return .unmet(missing)
        }
    }

    static func satisfied(_ s: String) -> Bool { s == "passed" || s == "completed" }
}

/// Evaluation for one learner, and the reason a false expression is false.
extension AICCScript.Node {
    func value(_ status: (String) -> String) -> Bool {
        switch self {
        case .item(let id): return Prerequisites.satisfied(status(id))
        case .compare(let id, let equal, let want):
            let s = status(id)
            let same = want == s || (want.count == 1 && s.first.map(String.init) == want)
            return equal == same
        case .not(let n): return !n.value(status)
        case .and(let l, let r): return l.value(status) && r.value(status)
        case .or(let l, let r): return l.value(status) || r.value(status)
        case .set(let n, let members): return members.filter { $0.value(status) }.count >= n
        }
    }

    /// Why a node that is false is false.
    func missing(_ status: (String) -> String) -> [Prerequisites.Missing] {
        switch self {
        case .item(let id): return [.item(id)]
        case .compare, .not: return [.condition(text)]
        case .and(let l, let r):
            return (l.value(status) ? [] : l.missing(status)) + (r.value(status) ? [] : r.missing(status))
        case .or:
            return [.oneOf(alternatives.map(\.asMissing))]
        case .set(let n, let members):
            let open = members.filter { !$0.value(status) }
            return [.some(n - (members.count - open.count), of: open.map(\.asMissing))]
        }
    }

    /// `a | b | c` as [a, b, c].
    var alternatives: [AICCScript.Node] {
        if case .or(let l, let r) = self { return l.alternatives + r.alternatives }
        return [self]
    }

    /// A member of a set or an alternative, as one requirement.
    var asMissing: Prerequisites.Missing {
        if case .item(let id) = self { return .item(id) }
        return .condition(text)
    }

    /// The node written back as script (canonical spacing).
    var text: String {
        switch self {
        case .item(let id): return id
        case .compare(let id, let equal, let s): return "\(id) \(equal ? "=" : "<>") \"\(s)\""
        case .not(let n): return "~" + n.operand(binding: 2)
        case .and(let l, let r): return l.operand(binding: 1) + " & " + r.operand(binding: 1)
        case .or(let l, let r): return l.text + " | " + r.text
        case .set(let n, let members): return "\(n)*{" + members.map(\.text).joined(separator: ", ") + "}"
        }
    }

    /// How tightly the node binds: `|` 0, `&` 1, anything else 2.
    var precedence: Int {
        switch self {
        case .or: 0
        case .and: 1
        default: 2
        }
    }

    /// The node as the operand of an operator that binds `binding` tight, in parentheses if needed.
    func operand(binding: Int) -> String { precedence >= binding ? text : "(" + text + ")" }
}
