import Foundation

/// One assessment file on its own, as `ladder import questions` writes it and `ladder export
/// questions` reads it: no curriculum around it, so a question's `skills` are the ones the
/// file names (none means "the responsibility's", decided when the curriculum loads).
///
/// Interchange steps: a format reader (GIFT, Aiken, Moodle XML) → `QuestionBank` →
/// `yaml()`; and `QuestionBank.read` → a format writer. Readers report what they cannot
/// carry as diagnostics with the source line; nothing is dropped silently.
public struct QuestionBank: Sendable {
    public var title: String
    public var masteryScore: Int
    public var minutes: Int?
    public var draw: Int?
    public var shuffle: Bool
    public var questions: [Question]

    public init(title: String, masteryScore: Int = 80, minutes: Int? = nil, draw: Int? = nil, shuffle: Bool = false, questions: [Question] = []) {
        self.title = title
        self.masteryScore = masteryScore
        self.minutes = minutes
        self.draw = draw
        self.shuffle = shuffle
        self.questions = questions
    }

    /// Reads an assessment file, checked against the assessment schema and the loader's
    /// question rules. Nil when it has errors (they are in `diags`).
    public static func read(_ url: URL, displayPath: String, into diags: inout Diagnostics) -> QuestionBank? {
        guard let doc = YAMLDocument.read(url: url, displayPath: displayPath, into: &diags) else { return nil }
        guard let root = doc.root else {
            diags.error(SourceLocation(file: displayPath, line: 1, column: 1), "the file is empty")
            return nil
        }
        var checker = ShapeChecker(file: displayPath, diags: diags)
        checker.check(root, FileKind.assessment.shape, at: "")
        diags = checker.diags
        let errorsBefore = diags.errorCount
        func text(_ n: Node?) -> String { (n?.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var bank = QuestionBank(
            title: text(root[field: "title"]), masteryScore: root[field: "mastery_score"]?.text.flatMap { Int($0) } ?? 0,
            minutes: root[field: "minutes"]?.text.flatMap { Int($0) }, draw: root[field: "draw"]?.text.flatMap { Int($0) },
            shuffle: root[field: "shuffle"]?.text.flatMap(ShapeChecker.bool) ?? false)
        for q in root[field: "questions"]?.items ?? [] {
            guard let id = q[field: "id"]?.text, let kind = q[field: "type"]?.text.flatMap(Question.Kind.init(rawValue:)) else { continue }
            let options = q[field: "options"]?.items.map { o in
                AnswerOption(text: text(o[field: "text"]), correct: o[field: "correct"]?.text.flatMap(ShapeChecker.bool) ?? false, feedback: text(o[field: "feedback"]))
            } ?? []
            let question = Question(
                id: id, kind: kind, prompt: text(q[field: "prompt"]), scenario: q[field: "scenario"].map { text($0) }, options: options,
                skills: q[field: "skills"]?.items.compactMap(\.text) ?? [])
            for problem in question.problems() { diags.error(q.location(in: displayPath), problem) }
            bank.questions.append(question)
        }
        return diags.errorCount > errorsBefore ? nil : bank
    }

    /// The assessment file's text: keys in the documented order, strings quoted only where
    /// YAML needs it. Deterministic.
    public func yaml() -> String {
        var out = "title: \(YAMLText.scalar(title))\nmastery_score: \(masteryScore)\n"
        if let minutes { out += "minutes: \(minutes)\n" }
        if let draw { out += "draw: \(draw)\n" }
        if shuffle { out += "shuffle: true\n" }
        out += "questions:\n"
        for q in questions {
            out += "  - id: \(YAMLText.scalar(q.id))\n    type: \(q.kind.rawValue)\n"
            if let s = q.scenario { out += "    scenario: \(YAMLText.scalar(s))\n" }
            out += "    prompt: \(YAMLText.scalar(q.prompt))\n    options:\n"
            for o in q.options {
                out += "      - text: \(YAMLText.scalar(o.text))\n"
                if o.correct { out += "        correct: true\n" }
                out += "        feedback: \(YAMLText.scalar(o.feedback))\n"
            }
            if !q.skills.isEmpty { out += "    skills: [\(q.skills.map(YAMLText.scalar).joined(separator: ", "))]\n" }
        }
        return out
    }
}

extension Question {
    /// What the loader would reject in this question (the same rules, in words for a report).
    public func problems() -> [String] {
        var out: [String] = []
        let correct = options.filter(\.correct).count
        if options.count < 2 { out.append("question '\(id)' has \(options.count) option(s); at least 2 are needed") }
        if options.count >= 2 && correct == 0 { out.append("question '\(id)' has no correct answer") }
        if kind != .multiple && correct > 1 { out.append("question '\(id)' is type '\(kind.rawValue)' but has \(correct) correct options") }
        if options.count > 26 { out.append("question '\(id)' has \(options.count) options; at most 26 are allowed") }
        if kind == .trueFalse, ![["true", "false"], ["false", "true"]].contains(options.map { $0.text.lowercased() }) {
            out.append("true-false question '\(id)' needs exactly two options, \"True\" and \"False\"")
        }
        if kind == .scenario && (scenario ?? "").isEmpty { out.append("scenario question '\(id)' needs a scenario") }
        return out
    }
}

/// Writes YAML scalars: plain where that reads back as the same string, else double-quoted
/// (JSON string syntax, which YAML's double-quoted style accepts).
package enum YAMLText {
    static let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"]

    package static func scalar(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return "\"\"" }
        let plainStart = CharacterSet.alphanumerics.contains(first) && !reserved.contains(s.lowercased())
        let unsafe =
            s.contains(": ") || s.contains(" #") || s.hasSuffix(":") || s.contains("\n") || s.contains("\t") || s.contains("\"")
            || s.contains("'") || CharacterSet.whitespaces.contains(last) || Double(s) != nil
            || s.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) || $0.value == 0xFEFF }
        return plainStart && !unsafe ? s : JSONText.quote(s)
    }

    /// An identifier made from free text: lowercase ASCII letters and digits joined by
    /// hyphens, at most 48 characters, starting with a letter.
    package static func identifier(_ s: String) -> String {
        var out = ""
        var dash = false
        for ch in s.lowercased().unicodeScalars {
            if ("a"..."z").contains(ch) || ("0"..."9").contains(ch) {
                if dash && !out.isEmpty { out += "-" }
                out.unicodeScalars.append(ch)
                dash = false
            } else {
                dash = true
            }
            if out.count >= 48 { break }
        }
        if out.isEmpty || !("a"..."z").contains(out.unicodeScalars.first!) { out = "q-" + out }
        return String(out.prefix(48)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }
}
