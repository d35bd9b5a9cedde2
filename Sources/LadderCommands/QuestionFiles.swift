import Foundation
import LadderCore
import LadderPackaging

/// `ladder import questions` and `ladder export questions`: question banks between Ladder's
/// assessment files and the formats Moodle imports and exports (GIFT, Aiken, Moodle XML).
public enum QuestionFiles {
    public enum Format: String, CaseIterable, Sendable {
        case gift, aiken, moodleXML = "moodle-xml"
    }

    /// Reads a question file. What cannot be carried is a warning with its line; a file that
    /// cannot be read at all (missing, not UTF-8, not XML) is thrown.
    public static func read(_ path: String, format: Format, title: String?, into diags: inout Diagnostics) throws -> QuestionBank {
        try CommandInputs.require(path, "question file")
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let fallback = title ?? Interchange.defaultTitle
        var bank: QuestionBank
        switch format {
        case .moodleXML:
            bank = try MoodleQuestionXML.read(data, file: path, title: fallback, into: &diags)
        case .gift, .aiken:
            guard var text = String(data: data, encoding: .utf8) else {
                diags.error(SourceLocation(file: path), "the file is not UTF-8 text; save it as UTF-8")
                return QuestionBank(title: fallback)
            }
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            bank = format == .gift ? GIFT.read(text, file: path, title: fallback, into: &diags) : Aiken.read(text, file: path, title: fallback, into: &diags)
        }
        if let title { bank.title = title }
        if bank.questions.isEmpty { diags.error(SourceLocation(file: path), "no question Ladder can use was found") }
        if let d = bank.draw, d > bank.questions.count {
            diags.warning(SourceLocation(file: path), "draw \(d) is more than the \(bank.questions.count) questions read: draw removed")
            bank.draw = nil
        }
        return bank
    }

    /// The error a command ends with when a question file or assessment file has errors.
    public static func failure(_ diags: Diagnostics) -> DiagnosticsFailure {
        DiagnosticsFailure(diagnostics: diags, showsWarnings: true, exitStatus: .findings)
    }

    /// What Ladder writes: Aiken is left out, having no feedback to carry.
    public enum ExportFormat: String, CaseIterable, Sendable {
        case gift, moodleXML = "moodle-xml"
    }

    /// The bytes of `bank` in `format`.
    public static func write(_ bank: QuestionBank, format: ExportFormat, source: String) throws -> Data {
        switch format {
        case .gift: return Data(GIFT.write(bank, source: source).utf8)
        case .moodleXML: return try MoodleQuestionXML.write(bank)
        }
    }
}
