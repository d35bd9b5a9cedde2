import Foundation

/// Moodle's GIFT format (question/format/gift in Moodle's source), read and written for the
/// question kinds Ladder has: multiple choice with one answer (`=`), with several (`~%50%`
/// weights), true/false (`{TRUE#feedback if wrong#feedback if right}`).
///
/// What a Ladder assessment has and GIFT has not travels in `//` comment lines, which Moodle
/// skips: `// [id:QID] [tag:ladder-skill:SKILL] [tag:ladder-scenario]` above a question, and
/// `// [ladder] {"title":…,"mastery_score":…}` once at the top. A scenario question's text is
/// its scenario, a blank line, then its prompt.
public enum GIFT {
    static let escapable: [Character: Character] = ["\\": "\u{E000}", ":": "\u{E001}", "#": "\u{E002}", "=": "\u{E003}", "{": "\u{E004}", "}": "\u{E005}", "~": "\u{E006}", "n": "\u{E007}"]
    static let restored: [Character: String] = ["\u{E000}": "\\", "\u{E001}": ":", "\u{E002}": "#", "\u{E003}": "=", "\u{E004}": "{", "\u{E005}": "}", "\u{E006}": "~", "\u{E007}": "\n"]

    // MARK: - Writing

    public static func write(_ bank: QuestionBank, source: String) -> String {
        var out = "// Ladder assessment, exported from \(source.replacingOccurrences(of: "\n", with: " "))\n"
        out += "// [ladder] \(Interchange.header(bank))\n"
        out += "$CATEGORY: $course$/top/\(bank.title.replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: "\n", with: " "))\n\n"
        for q in bank.questions {
            out += "// [id:\(q.id)]" + Interchange.tags(q).map { " [tag:\($0)]" }.joined() + "\n"
            out += "::\(escape(q.id))::\(text(Interchange.questionText(q)))"
            if q.kind == .trueFalse, let right = q.options.first(where: \.correct), let wrong = q.options.first(where: { !$0.correct }) {
                // Moodle: the first feedback is shown for a wrong answer, the second for a right one.
                out += "{\(right.text.lowercased() == "true" ? "TRUE" : "FALSE")#\(text(wrong.feedback))#\(text(right.feedback))}\n\n"
                continue
            }
            out += "{\n"
            let correct = q.options.filter(\.correct).count
            for o in q.options {
                let mark: String
                if q.kind == .multiple {
                    mark = o.correct ? "~%\(Interchange.weight(100.0 / Double(max(correct, 1))))%" : "~%-100%"
                } else {
                    mark = o.correct ? "=" : "~"
                }
                out += "\t\(mark)\(text(o.text))#\(text(o.feedback))\n"
            }
            out += "}\n\n"
        }
        return out
    }

    /// Ladder's plain text in GIFT: marked `[plain]` where Moodle would otherwise read markup.
    static func text(_ s: String) -> String {
        s.contains("<") || s.contains("&") ? "[plain]" + escape(s) : escape(s)
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\\", "#", "=", "~", "{", "}", ":": out += "\\\(ch)"
            case "\n": out += "\\n"
            case "\r": continue
            default: out.append(ch)
            }
        }
        return out
    }

    // MARK: - Reading

    /// Reads GIFT text. Everything it cannot carry is a warning at its line; a question it
    /// cannot take at all is left out with a warning saying why.
    public static func read(_ text: String, file: String, title: String, into diags: inout Diagnostics) -> QuestionBank {
        var bank = QuestionBank(title: title)
        var ids = Set<String>()
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").components(separatedBy: "\n")
        var block: [(Int, String)] = []
        func flush() {
            defer { block = [] }
            guard !block.isEmpty else { return }
            var comments: [String] = []
            var body: [(Int, String)] = []
            for (n, l) in block {
                if l.trimmingCharacters(in: .whitespaces).hasPrefix("//") { comments.append(l) } else { body.append((n, l)) }
            }
            for c in comments where c.contains("[ladder]") {
                if let json = c.range(of: "[ladder]").map({ String(c[$0.upperBound...]) }) { Interchange.applyHeader(json, to: &bank) }
            }
            guard let first = body.first else { return }
            let at = SourceLocation(file: file, line: first.0, column: 1)
            let meta = Interchange.Meta(comments: comments)
            if let q = question(body, meta: meta, file: file, at: at, bank: &bank, diags: &diags) {
                var q = q
                q.id = Interchange.unique(q.id, &ids)
                for problem in q.problems() { diags.warning(at, "\(problem): left out") }
                if q.problems().isEmpty { bank.questions.append(q) }
            }
        }
        for (i, l) in lines.enumerated() {
            if l.trimmingCharacters(in: .whitespaces).isEmpty { flush() } else { block.append((i + 1, l)) }
        }
        flush()
        return bank
    }

    static func pre(_ s: String) -> String {
        var out = ""
        var it = Array(s)
        var i = 0
        while i < it.count {
            if it[i] == "\\", i + 1 < it.count, let p = escapable[it[i + 1]] {
                out.append(p)
                i += 2
            } else {
                out.append(it[i])
                i += 1
            }
        }
        it = []
        return out
    }

    static func post(_ s: String) -> String {
        var out = ""
        for ch in s { if let r = restored[ch] { out += r } else { out.append(ch) } }
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// GIFT text with its optional `[html]`, `[moodle]`, `[plain]` or `[markdown]` prefix, as plain text.
    static func formatted(_ s: String, at: SourceLocation, what: String, diags: inout Diagnostics) -> String {
        var format = "moodle"
        var text = s
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") {
            let f = String(text[text.index(after: text.startIndex)..<end])
            if ["html", "moodle", "plain", "markdown"].contains(f) {
                format = f
                text = String(text[text.index(after: end)...]).trimmingCharacters(in: .whitespaces)
            }
        }
        return Interchange.plain(text, format: format, at: at, what: what, diags: &diags)
    }

    private static func question(
        _ body: [(Int, String)], meta: Interchange.Meta, file: String, at: SourceLocation, bank: inout QuestionBank, diags: inout Diagnostics
    ) -> Question? {
        let firstLine = body[0].0
        var text = pre(body.map(\.1).joined(separator: "\n")).trimmingCharacters(in: .whitespacesAndNewlines)
        // The line a character offset of `text` is on (the block's lines are consecutive).
        func line(at offset: String.Index, in s: String) -> SourceLocation {
            SourceLocation(file: file, line: firstLine + s[..<offset].filter { $0 == "\n" }.count, column: 1)
        }
        if text.hasPrefix("$CATEGORY:") {
            let name = post(String(text.dropFirst(10)))
            if bank.title.isEmpty || bank.title == Interchange.defaultTitle { bank.title = Interchange.categoryTitle(name) }
            return nil
        }
        var name: String?
        if text.hasPrefix("::"), let end = text.dropFirst(2).range(of: "::") {
            name = post(String(text[text.index(text.startIndex, offsetBy: 2)..<end.lowerBound]))
            text = String(text[end.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let full = text
        guard let open = text.firstIndex(of: "{"), let close = text.firstIndex(of: "}"), open < close else {
            if text.contains("{") || text.contains("}") {
                diags.warning(at, "question '\(name ?? "?")': a '{' or '}' is unmatched; left out (escape a literal brace as \\{ or \\})")
            } else {
                diags.warning(at, "description '\(name ?? post(text).prefix(40).description)' has no answers; Ladder has no text-only items: left out")
            }
            return nil
        }
        // Untrimmed at the start, so line numbers inside the answers stay right.
        var answers = String(text[text.index(after: open)..<close])
        while let last = answers.last, last.isWhitespace { answers.removeLast() }
        let answersAt = line(at: open, in: full)
        let after = String(text[text.index(after: close)...]).trimmingCharacters(in: .whitespacesAndNewlines)
        let before = String(text[..<open])
        let label = name ?? post(before).prefix(40).description
        if !after.isEmpty {
            diags.warning(at, "question '\(label)' is a missing-word question (text after the answers); Ladder has no blanks: left out")
            return nil
        }
        if let g = answers.range(of: "####", options: .backwards) {
            diags.warning(line(at: g.lowerBound, in: answers) .shifted(by: answersAt.line - firstLine), "question '\(label)': general feedback dropped; Ladder has feedback per option only")
            answers = String(answers[..<g.lowerBound])
            while let last = answers.last, last.isWhitespace { answers.removeLast() }
        }
        let trimmed = answers.trimmingCharacters(in: .whitespacesAndNewlines)
        let qtext = formatted(post(before), at: at, what: "question '\(label)'", diags: &diags)
        let id = meta.id ?? name.map { Interchange.isIdentifier($0) ? $0 : YAMLText.identifier($0) } ?? YAMLText.identifier(qtext)
        let kindName: String
        if trimmed.isEmpty { kindName = "essay" }
        else if trimmed.hasPrefix("#") { kindName = "numerical" }
        else if answers.contains("~") { kindName = "multichoice" }
        else if answers.contains("="), answers.contains("->") { kindName = "matching" }
        else {
            let tf = (trimmed.firstIndex(of: "#").map { String(trimmed[..<$0]) } ?? trimmed).trimmingCharacters(in: .whitespacesAndNewlines)
            kindName = ["T", "TRUE", "F", "FALSE"].contains(tf) ? "truefalse" : "short answer"
        }
        switch kindName {
        case "truefalse":
            let parts = trimmed.split(separator: "#", maxSplits: 2, omittingEmptySubsequences: false).enumerated().map {
                $0.offset == 0 ? post(String($0.element)) : formatted(post(String($0.element)), at: answersAt, what: "feedback in '\(label)'", diags: &diags)
            }
            let isTrue = parts[0] == "T" || parts[0] == "TRUE"
            let wrong = parts.count > 1 ? parts[1] : ""
            let right = parts.count > 2 ? parts[2] : ""
            if wrong.isEmpty || right.isEmpty { diags.warning(answersAt, "question '\(label)': an answer has no feedback; Ladder shows feedback for each option: write it before 'ladder check'") }
            return meta.apply(Question(
                id: id, kind: .trueFalse, prompt: qtext,
                options: [AnswerOption(text: "True", correct: isTrue, feedback: isTrue ? right : wrong), AnswerOption(text: "False", correct: !isTrue, feedback: isTrue ? wrong : right)]),
                at: at, diags: &diags)
        case "multichoice":
            let single = trimmed.contains("=")
            var options: [AnswerOption] = []
            var weights: [Double] = []
            var start = answers.startIndex
            var marks: [String.Index] = []
            for i in answers.indices where answers[i] == "~" || answers[i] == "=" { marks.append(i) }
            if marks.first != answers.startIndex { marks.insert(answers.startIndex, at: 0) }
            for (k, m) in marks.enumerated() {
                start = m
                let end = k + 1 < marks.count ? marks[k + 1] : answers.endIndex
                var piece = String(answers[start..<end])
                let at = line(at: m, in: answers).shifted(by: answersAt.line - firstLine)
                var weight = 0.0
                if piece.hasPrefix("=") { weight = 100; piece.removeFirst() }
                else if piece.hasPrefix("~") { piece.removeFirst() }
                piece = piece.trimmingCharacters(in: .whitespacesAndNewlines)
                if piece.isEmpty && k == 0 && m == answers.startIndex { continue }
                if piece.hasPrefix("%"), let end = piece.dropFirst().firstIndex(of: "%"), let w = Double(piece[piece.index(after: piece.startIndex)..<end]) {
                    weight = w
                    piece = String(piece[piece.index(after: end)...])
                }
                let bits = piece.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map { post(String($0)) }
                let text = formatted(bits[0], at: at, what: "an option of '\(label)'", diags: &diags)
                let feedback = bits.count > 1 ? formatted(bits[1], at: at, what: "feedback in '\(label)'", diags: &diags) : ""
                if feedback.isEmpty { diags.warning(at, "question '\(label)': option '\(text.prefix(40))' has no feedback; Ladder shows feedback for each option: write it before 'ladder check'") }
                if single, weight > 0, weight < 100 {
                    diags.warning(at, "question '\(label)': option '\(text.prefix(40))' gives \(Interchange.weight(weight))% credit; Ladder scores an option right or wrong: imported as wrong")
                }
                options.append(AnswerOption(text: text, correct: single ? weight >= 100 : weight > 0, feedback: feedback))
                weights.append(weight)
            }
            if !single {
                let positive = weights.filter { $0 > 0 }
                let sum = positive.reduce(0, +)
                if !positive.isEmpty, abs(sum - 100) > 0.5 || Set(positive.map { Int(($0 * 100).rounded()) }).count > 1 {
                    diags.warning(answersAt, "question '\(label)': the right options carry unequal or partial credit (\(positive.map(Interchange.weight).joined(separator: "%, "))%); Ladder needs every right option chosen: imported as all-or-nothing")
                }
            }
            let kind: Question.Kind = single ? (options.filter(\.correct).count > 1 ? .multiple : .single) : .multiple
            if single, kind == .multiple {
                diags.warning(answersAt, "question '\(label)' marks several answers right with '='; imported as a 'multiple' question, where the learner must choose them all")
            }
            return meta.apply(Question(id: id, kind: kind, prompt: qtext, options: options), at: at, diags: &diags)
        default:
            diags.warning(at, "question '\(label)' is \(Interchange.article(kindName)) \(kindName) question; Ladder has multiple-choice and true/false questions only: left out")
            return nil
        }
    }
}

extension SourceLocation {
    func shifted(by lines: Int) -> SourceLocation { SourceLocation(file: file, line: line + lines, column: column) }
}
