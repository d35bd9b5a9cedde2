import Foundation

/// Moodle's Aiken format (question/format/aiken): a question on one line, options `A) …` or
/// `A. …` one to a line, then `ANSWER: B`. One right answer, no feedback; import only.
public enum Aiken {
    public static func read(_ text: String, file: String, title: String, into diags: inout Diagnostics) -> QuestionBank {
        var bank = QuestionBank(title: title)
        var ids = Set<String>()
        var prompt: (line: Int, text: String)?
        var options: [(letter: Character, text: String)] = []
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").components(separatedBy: "\n")
        for (i, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let at = SourceLocation(file: file, line: i + 1, column: 1)
            if line.count < 2 { continue }
            let chars = Array(line)
            if chars[0].isUppercase, chars[0].isASCII, chars[0].isLetter, chars[1] == ")" || chars[1] == ".", chars.count > 2, chars[2] == " " || chars[2] == "\t" {
                guard prompt != nil else {
                    diags.warning(at, "an option with no question before it: left out")
                    continue
                }
                options.append((chars[0], String(chars[3...]).trimmingCharacters(in: .whitespaces)))
                continue
            }
            if line.hasPrefix("ANSWER:") {
                guard let p = prompt else {
                    diags.warning(at, "an ANSWER line with no question before it: left out")
                    continue
                }
                let answer = line.dropFirst(7).trimmingCharacters(in: .whitespaces).first
                defer { prompt = nil; options = [] }
                guard let answer, let right = options.firstIndex(where: { $0.letter == answer }) else {
                    diags.warning(at, "question at line \(p.line): ANSWER names no option it has: left out")
                    continue
                }
                let texts = options.map { $0.text.lowercased() }
                let trueFalse = texts == ["true", "false"] || texts == ["false", "true"]
                let q = Question(
                    id: Interchange.unique(YAMLText.identifier(p.text), &ids), kind: trueFalse ? .trueFalse : .single, prompt: p.text,
                    options: options.enumerated().map { AnswerOption(text: trueFalse ? $0.element.text.capitalized : $0.element.text, correct: $0.offset == right, feedback: "") })
                let problems = q.problems()
                for problem in problems { diags.warning(SourceLocation(file: file, line: p.line, column: 1), "\(problem): left out") }
                if problems.isEmpty {
                    bank.questions.append(q)
                    diags.warning(SourceLocation(file: file, line: p.line, column: 1), "question '\(q.id)': Aiken has no feedback; Ladder shows feedback for each option: write it before 'ladder check'")
                }
                continue
            }
            if let p = prompt {
                diags.warning(SourceLocation(file: file, line: p.line, column: 1), "question at line \(p.line) has no ANSWER line: left out")
            }
            prompt = (i + 1, line)
            options = []
        }
        if let p = prompt { diags.warning(SourceLocation(file: file, line: p.line, column: 1), "question at line \(p.line) has no ANSWER line: left out") }
        return bank
    }
}
