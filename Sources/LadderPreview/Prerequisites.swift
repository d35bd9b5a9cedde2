import Foundation

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
/// The grammar is the one `ladder validate` checks, so a package it accepts always evaluates.
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

    /// Evaluates `script` given each item's lesson_status (missing = "not attempted").
    public static func evaluate(_ script: String, status: (String) -> String) -> Outcome {
        let trimmed = script.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return .met }
        let node: Node
        do {
            node = try parse(trimmed)
        } catch {
            return .unreadable("the prerequisites \"\(trimmed)\" cannot be read: \(error.message)")
        }
        if node.value(status) { return .met }
        var missing: [Missing] = []
        for m in node.missing(status) where !missing.contains(m) { missing.append(m) }
        return .unmet(missing)
    }

    static func satisfied(_ s: String) -> Bool { s == "passed" || s == "completed" }

    // MARK: - Syntax tree

    indirect enum Node: Equatable {
        case item(String)
        /// `ID = status` (equal) or `ID <> status`; the status as written, lowercased.
        case compare(String, equal: Bool, status: String)
        case not(Node)
        case and(Node, Node)
        case or(Node, Node)
        /// `N*{members}`.
        case set(Int, [Node])

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
        func missing(_ status: (String) -> String) -> [Missing] {
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
        var alternatives: [Node] {
            if case .or(let l, let r) = self { return l.alternatives + r.alternatives }
            return [self]
        }

        /// A member of a set or an alternative, as one requirement.
        var asMissing: Missing {
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

    // MARK: - Parsing

    struct ParseError: Error, Equatable {
        var message: String
    }

    enum Token: Equatable {
        case op(String)
        case word(String)
        case quoted(String)

        var shown: String {
            switch self {
            case .op(let o): "'\(o)'"
            case .word(let w): "'\(w)'"
            case .quoted(let q): "\"\(q)\""
            }
        }
    }

    static let statuses: Set<String> = [
        "passed", "completed", "failed", "incomplete", "browsed", "not attempted", "p", "c", "f", "i", "b", "n",
    ]
    static let operators: Set<Character> = ["&", "|", "~", "(", ")", "{", "}", ",", "*", "="]

    static func parse(_ script: String) throws(ParseError) -> Node {
        var p = Parser(tokens: try tokenize(script))
        let node = try p.expression()
        if let extra = p.next { throw ParseError(message: "unexpected \(extra.shown)") }
        return node
    }

    static func tokenize(_ s: String) throws(ParseError) -> [Token] {
        var out: [Token] = []
        let chars = Array(s)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                i += 1
            } else if c == "<" {
                guard i + 1 < chars.count, chars[i + 1] == ">" else { throw ParseError(message: "'<' is only part of '<>'") }
                out.append(.op("<>"))
                i += 2
            } else if operators.contains(c) {
                out.append(.op(String(c)))
                i += 1
            } else if c == "\"" {
                guard let end = chars[(i + 1)...].firstIndex(of: "\"") else { throw ParseError(message: "a quoted status is not closed") }
                out.append(.quoted(String(chars[(i + 1)..<end])))
                i = end + 1
            } else {
                var j = i
                while j < chars.count, !chars[j].isWhitespace, !operators.contains(chars[j]), !"<>\"".contains(chars[j]) { j += 1 }
                guard j > i else { throw ParseError(message: "unexpected '\(c)'") }
                out.append(.word(String(chars[i..<j])))
                i = j
            }
        }
        return out
    }

    struct Parser {
        var tokens: [Token]
        var position = 0

        var next: Token? { position < tokens.count ? tokens[position] : nil }
        var found: String { next?.shown ?? "the end" }

        mutating func take(_ op: String) -> Bool {
            guard next == .op(op) else { return false }
            position += 1
            return true
        }

        mutating func expect(_ op: String, _ context: String) throws(ParseError) {
            guard take(op) else { throw ParseError(message: "expected '\(op)' \(context), found \(found)") }
        }

        mutating func expression() throws(ParseError) -> Node {
            var left = try term()
            while take("|") { left = .or(left, try term()) }
            return left
        }

        mutating func term() throws(ParseError) -> Node {
            var left = try factor()
            while take("&") { left = .and(left, try factor()) }
            return left
        }

        mutating func factor() throws(ParseError) -> Node {
            if take("~") { return .not(try factor()) }
            if take("(") {
                let inner = try expression()
                try expect(")", "to close '('")
                return inner
            }
            if next == .op("{") { throw ParseError(message: "a set needs a count: write N*{…} (at least N of the set)") }
            guard case .word(let word)? = next else { throw ParseError(message: "expected an item identifier, found \(found)") }
            position += 1
            if take("*") {
                guard word.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(word) else {
                    throw ParseError(message: "the count in '\(word)*{…}' must be a whole number")
                }
                return try set(n)
            }
            if word.allSatisfy({ $0.isASCII && $0.isNumber }), next == .op("{") {
                throw ParseError(message: "expected '*' between \(word) and '{'")
            }
            if take("=") { return .compare(word, equal: true, status: try status()) }
            if take("<>") { return .compare(word, equal: false, status: try status()) }
            return .item(word)
        }

        /// The members of `N*{…}` after the `*`.
        mutating func set(_ n: Int) throws(ParseError) -> Node {
            try expect("{", "after '\(n)*'")
            var members: [Node] = []
            repeat {
                if next == .op("}") || next == .op(",") { throw ParseError(message: "a set member is empty") }
                members.append(try expression())
            } while take(",")
            try expect("}", "to close the set")
            guard n >= 1, n <= members.count else {
                throw ParseError(message: "'\(n)*{…}' asks for \(n) of a set of \(members.count)")
            }
            return .set(n, members)
        }

        /// The status after `=` or `<>`: quoted or a bare word (`not attempted` is two words).
        mutating func status() throws(ParseError) -> String {
            let shown = "expected a lesson status (passed, completed, failed, incomplete, browsed, not attempted), found \(found)"
            switch next {
            case .quoted(let q)? where Prerequisites.statuses.contains(q.lowercased()):
                position += 1
                return q.lowercased()
            case .word(let w)? where w.lowercased() == "not":
                position += 1
                guard case .word(let a)? = next, a.lowercased() == "attempted" else { throw ParseError(message: shown) }
                position += 1
                return "not attempted"
            case .word(let w)? where Prerequisites.statuses.contains(w.lowercased()):
                position += 1
                return w.lowercased()
            default:
                throw ParseError(message: shown)
            }
        }
    }
}
