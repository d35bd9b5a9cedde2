/// The SCORM 1.2 prerequisites language (`adlcp:prerequisites type="aicc_script"`, CAM 1.2
/// section 2.3.2.5.1, from AICC CMI001), parsed once for both readers: `ladder validate`
/// checks the identifiers it names, and the preview player evaluates it per learner.
///
///     expression := and ('|' and)*
///     and        := unary ('&' unary)*
///     unary      := '~' unary | primary
///     primary    := '(' expression ')'
///                 | N '*' '{' expression (',' expression)* '}'     -- at least N of the set
///                 | identifier [('=' | '<>') status]
///     status     := passed | completed | failed | incomplete | browsed | not attempted
///                   (or p c f i b n; quoted or not)
///
/// Identifiers are item identifiers of the same organization. A bare `{a, b}` has no meaning
/// in the CAM (a set is only the operand of `N*`), so it is an error, not "all of them".
public enum AICCScript {
    public struct ParseError: Error, Equatable {
        public var message: String
    }

    /// The syntax tree.
    public indirect enum Node: Equatable, Sendable {
        case item(String)
        /// `ID = status` (equal) or `ID <> status`; the status as written, lowercased.
        case compare(String, equal: Bool, status: String)
        case not(Node)
        case and(Node, Node)
        case or(Node, Node)
        /// `N*{members}`: at least N members are true.
        case set(Int, [Node])

        /// The item identifiers named, in order of appearance.
        public var identifiers: [String] {
            switch self {
            case .item(let id), .compare(let id, _, _): return [id]
            case .not(let n): return n.identifiers
            case .and(let l, let r), .or(let l, let r): return l.identifiers + r.identifiers
            case .set(_, let members): return members.flatMap(\.identifiers)
            }
        }
    }

    /// Limits that keep a hostile expression from exhausting the stack (the parser and the
    /// tree are recursive; found by fuzz-aicc: 2,710 '(' overflowed it). Real prerequisites
    /// name a handful of items.
    static let maxDepth = 50
    static let maxTokens = 2_000

    public static func parse(_ script: String) throws(ParseError) -> Node {
        let tokens = try tokenize(script)
        if tokens.count > maxTokens {
            throw ParseError(message: "the expression has \(tokens.count) parts; the most allowed is \(maxTokens)")
        }
        var p = Parser(tokens: tokens)
        let node = try p.expression()
        if let extra = p.next { throw ParseError(message: "unexpected \(extra.shown)") }
        return node
    }

    /// The item identifiers an expression names; throws when it does not parse.
    package static func references(in s: String) throws(ParseError) -> [String] {
        if s.allSatisfy(\.isWhitespace) { throw ParseError(message: "empty expression") }
        return try parse(s).identifiers
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
        var depth = 0

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
            depth += 1
            defer { depth -= 1 }
            if depth > AICCScript.maxDepth {
                throw ParseError(message: "the expression nests '(', '~' or sets more than \(AICCScript.maxDepth) deep")
            }
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
            case .quoted(let q)? where AICCScript.statuses.contains(q.lowercased()):
                position += 1
                return q.lowercased()
            case .word(let w)? where w.lowercased() == "not":
                position += 1
                guard case .word(let a)? = next, a.lowercased() == "attempted" else { throw ParseError(message: shown) }
                position += 1
                return "not attempted"
            case .word(let w)? where AICCScript.statuses.contains(w.lowercased()):
                position += 1
                return w.lowercased()
            default:
                throw ParseError(message: shown)
            }
        }
    }
}
