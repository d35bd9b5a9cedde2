import Foundation
import LadderCore

/// Moodle XML question files (question/format/xml in Moodle's source) for the question kinds
/// Ladder has: `multichoice` (one right answer, or several with `<single>false</single>`) and
/// `truefalse`. Written and read with libxml2.
///
/// Ladder's own fields ride in Moodle's: the question id is `<name>` and `<idnumber>`, skills
/// are tags `ladder-skill:ID`, a scenario question has the tag `ladder-scenario` and its
/// scenario, a blank line, then its prompt as the question text; the assessment's title is
/// the category, and its mastery score, draw and shuffle are in the category's `<info>`.
public enum MoodleQuestionXML {
    public static func write(_ bank: QuestionBank) throws -> Data {
        let w = try XMLWriter()
        try w.start("quiz")
        try w.start("question", ["type": "category"])
        try w.start("category")
        try w.element("text", "$course$/top/" + bank.title.replacingOccurrences(of: "/", with: "//"))
        try w.end()
        try w.start("info", ["format": "plain_text"])
        try w.element("text", "[ladder] " + Interchange.header(bank))
        try w.end()
        try w.end()
        for q in bank.questions {
            try w.start("question", ["type": q.kind == .trueFalse ? "truefalse" : "multichoice"])
            try w.start("name")
            try w.element("text", q.id)
            try w.end()
            try textElement(w, "questiontext", Interchange.questionText(q))
            try textElement(w, "generalfeedback", "")
            try w.element("defaultgrade", "1")
            try w.element("penalty", "0")
            try w.element("hidden", "0")
            try w.element("idnumber", q.id)
            let correct = q.options.filter(\.correct).count
            if q.kind != .trueFalse {
                try w.element("single", q.kind == .multiple ? "false" : "true")
                try w.element("shuffleanswers", bank.shuffle ? "true" : "false")
                try w.element("answernumbering", "abc")
            }
            for o in q.options {
                let fraction: String
                if q.kind == .multiple {
                    fraction = o.correct ? Interchange.weight(100.0 / Double(max(correct, 1))) : "-100"
                } else {
                    fraction = o.correct ? "100" : "0"
                }
                try w.start("answer", ["fraction": fraction, "format": q.kind == .trueFalse ? "moodle_auto_format" : "plain_text"])
                try w.element("text", q.kind == .trueFalse ? o.text.lowercased() : o.text)
                try textElement(w, "feedback", o.feedback)
                try w.end()
            }
            let tags = Interchange.tags(q)
            if !tags.isEmpty {
                try w.start("tags")
                for t in tags {
                    try w.start("tag")
                    try w.element("text", t)
                    try w.end()
                }
                try w.end()
            }
            try w.end()
        }
        try w.end()
        return try w.finish()
    }

    static func textElement(_ w: XMLWriter, _ name: String, _ text: String) throws {
        try w.start(name, ["format": "plain_text"])
        try w.element("text", text)
        try w.end()
    }

    /// Reads a Moodle XML question file. Not well-formed XML is thrown (with its line);
    /// questions Ladder cannot carry are reported by line and left out.
    public static func read(_ data: Data, file: String, title: String, into diags: inout Diagnostics) throws -> QuestionBank {
        let doc = try XMLDocument(data: data, name: file)
        var bank = QuestionBank(title: title)
        var ids = Set<String>()
        guard doc.root.name == "quiz" else {
            diags.warning(SourceLocation(file: file, line: doc.root.line, column: 1), "the root element is <\(doc.root.name)>, not <quiz>: no questions read")
            return bank
        }
        for node in doc.root.children {
            let at = SourceLocation(file: file, line: node.line, column: 1)
            guard node.name == "question" else {
                diags.warning(at, "<\(node.name)> is not a question: left out")
                continue
            }
            let type = node.attribute("type") ?? ""
            let name = node.child("name")?.child("text")?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if type == "category" {
                let path = node.child("category")?.child("text")?.text ?? ""
                if bank.title == Interchange.defaultTitle || bank.title.isEmpty { bank.title = Interchange.categoryTitle(path) }
                if let info = node.child("info")?.child("text")?.text, let r = info.range(of: "[ladder]") {
                    Interchange.applyHeader(String(info[r.upperBound...]), to: &bank)
                }
                continue
            }
            guard type == "multichoice" || type == "truefalse" else {
                diags.warning(at, "question '\(name)' is \(Interchange.article(type)) \(type) question; Ladder has multiple-choice and true/false questions only: left out")
                continue
            }
            let what = "question '\(name)'"
            let qt = node.child("questiontext")
            if qt?.child("file") != nil { diags.warning(at, "\(what): an attached file (image) is not carried; Ladder questions are text") }
            let prompt = Interchange.plain(qt?.child("text")?.text ?? "", format: format(qt), at: at, what: what, diags: &diags)
            if let g = node.child("generalfeedback")?.child("text")?.text, !g.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                diags.warning(SourceLocation(file: file, line: node.child("generalfeedback")!.line, column: 1), "\(what): general feedback dropped; Ladder has feedback per option only")
            }
            var options: [AnswerOption] = []
            var weights: [Double] = []
            for a in node.children("answer") {
                let aat = SourceLocation(file: file, line: a.line, column: 1)
                let weight = Double(a.attribute("fraction") ?? "0") ?? 0
                let text = Interchange.plain(a.child("text")?.text ?? "", format: a.attribute("format") ?? "html", at: aat, what: "an answer of \(what)", diags: &diags)
                let fb = a.child("feedback")
                if fb?.child("file") != nil { diags.warning(aat, "\(what): a file in an answer's feedback is not carried") }
                let feedback = Interchange.plain(fb?.child("text")?.text ?? "", format: format(fb), at: aat, what: "feedback of \(what)", diags: &diags)
                if feedback.isEmpty { diags.warning(aat, "\(what): answer '\(text.prefix(40))' has no feedback; Ladder shows feedback for each option: write it before 'ladder check'") }
                options.append(AnswerOption(text: text, correct: weight > 0, feedback: feedback))
                weights.append(weight)
            }
            let id = node.child("idnumber")?.text.trimmingCharacters(in: .whitespaces).nonEmpty ?? (Interchange.isIdentifier(name) ? name : YAMLText.identifier(name.isEmpty ? prompt : name))
            var kind: Question.Kind
            if type == "truefalse" {
                kind = .trueFalse
                options = options.map { AnswerOption(text: $0.text.lowercased() == "true" ? "True" : ($0.text.lowercased() == "false" ? "False" : $0.text), correct: $0.correct, feedback: $0.feedback) }
            } else if node.child("single")?.text.trimmingCharacters(in: .whitespaces).lowercased() == "false" {
                kind = .multiple
                let positive = weights.filter { $0 > 0 }
                if !positive.isEmpty, abs(positive.reduce(0, +) - 100) > 0.5 || Set(positive.map { Int(($0 * 100).rounded()) }).count > 1 {
                    diags.warning(at, "\(what): the right answers carry unequal or partial credit (\(positive.map(Interchange.weight).joined(separator: "%, "))%); Ladder needs every right answer chosen: imported as all-or-nothing")
                }
            } else {
                kind = .single
                for (i, w) in weights.enumerated() where w > 0 && w < 100 {
                    diags.warning(SourceLocation(file: file, line: node.children("answer")[i].line, column: 1), "\(what): answer '\(options[i].text.prefix(40))' gives \(Interchange.weight(w))% credit; Ladder scores an answer right or wrong: imported as wrong")
                    options[i].correct = false
                }
                if options.filter(\.correct).count > 1 {
                    diags.warning(at, "\(what) has several fully right answers; imported as a 'multiple' question, where the learner must choose them all")
                    kind = .multiple
                }
            }
            let tags = node.child("tags")?.children("tag").compactMap { $0.child("text")?.text.trimmingCharacters(in: .whitespacesAndNewlines) } ?? []
            var q = Interchange.Meta(id: id, tags: tags).apply(Question(id: id, kind: kind, prompt: prompt, options: options), at: at, diags: &diags)
            if !Interchange.isIdentifier(q.id) { q.id = YAMLText.identifier(q.id) }
            q.id = Interchange.unique(q.id, &ids)
            let problems = q.problems()
            for p in problems { diags.warning(at, "\(p): left out") }
            if problems.isEmpty { bank.questions.append(q) }
        }
        return bank
    }

    static func format(_ node: XMLNode?) -> String {
        switch node?.attribute("format") ?? "html" {
        case "plain_text": return "plain"
        case "moodle_auto_format": return "moodle"
        case let f: return f
        }
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
