import Foundation

/// `adlcp:prerequisites` of type aicc_script (SCORM 1.2 CAM 2.3.2.5): item identifiers joined
/// by `&` (and), `|` (or), `~` (not) and parentheses, an identifier being satisfied when its
/// lesson_status is passed or completed; `ID = "status"` and `ID <> "status"` compare a
/// status (full word or first letter). Set expressions (`N*{…}`) are not supported and make
/// the expression unsatisfied, which the player reports.
public enum Prerequisites {
    public enum Outcome: Equatable, Sendable {
        case met
        /// The identifiers the learner still has to pass or complete (or the reason).
        case unmet(String)
    }

    /// Evaluates `script` given each item's lesson_status (missing = "not attempted").
    public static func evaluate(_ script: String, status: (String) -> String) -> Outcome {
        let trimmed = script.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return .met }
        return withoutActuallyEscaping(status) { status in
            var p = Parser(tokens: tokenize(trimmed), status: status)
            guard let value = p.expression(), p.position == p.tokens.count else {
                return .unmet("the prerequisites \"\(trimmed)\" cannot be read")
            }
            if value { return .met }
            let missing = p.identifiers.filter { !satisfied(status($0)) }
            return .unmet(missing.isEmpty ? trimmed : missing.joined(separator: ", "))
        }
    }

    static func satisfied(_ s: String) -> Bool { s == "passed" || s == "completed" }

    static func tokenize(_ s: String) -> [String] {
        var out: [String] = []
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c.isWhitespace {
                i = s.index(after: i)
            } else if "&|~()=".contains(c) {
                out.append(String(c))
                i = s.index(after: i)
            } else if c == "<", s.index(after: i) < s.endIndex, s[s.index(after: i)] == ">" {
                out.append("<>")
                i = s.index(i, offsetBy: 2)
            } else if c == "\"" {
                var j = s.index(after: i)
                while j < s.endIndex, s[j] != "\"" { j = s.index(after: j) }
                out.append(String(s[i..<min(s.index(after: j), s.endIndex)]))
                i = j < s.endIndex ? s.index(after: j) : j
            } else {
                var j = i
                while j < s.endIndex, !s[j].isWhitespace, !"&|~()=<\"".contains(s[j]) { j = s.index(after: j) }
                if j == i { j = s.index(after: i) }
                out.append(String(s[i..<j]))
                i = j
            }
        }
        return out
    }

    struct Parser {
        var tokens: [String]
        var status: (String) -> String
        var position = 0
        var identifiers: [String] = []

        var peek: String? { position < tokens.count ? tokens[position] : nil }

        mutating func expression() -> Bool? {
            guard var left = term() else { return nil }
            while peek == "|" {
                position += 1
                guard let right = term() else { return nil }
                left = left || right
            }
            return left
        }

        mutating func term() -> Bool? {
            guard var left = factor() else { return nil }
            while peek == "&" {
                position += 1
                guard let right = factor() else { return nil }
                left = left && right
            }
            return left
        }

        mutating func factor() -> Bool? {
            guard let t = peek else { return nil }
            position += 1
            if t == "~" { return factor().map { !$0 } }
            if t == "(" {
                let v = expression()
                guard peek == ")" else { return nil }
                position += 1
                return v
            }
            guard t.first.map({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) == true, !t.contains("*"), !t.contains("{") else {
                return nil
            }
            if !identifiers.contains(t) { identifiers.append(t) }
            let s = status(t)
            if let op = peek, op == "=" || op == "<>" {
                position += 1
                guard let lit = peek, lit.hasPrefix("\"") else { return nil }
                position += 1
                let want = lit.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
                let same = want == s || (want.count == 1 && s.first.map(String.init) == want)
                return op == "=" ? same : !same
            }
            return Prerequisites.satisfied(s)
        }
    }
}
