import ArgumentParser
import Foundation
import LadderCore
import LadderCommands

// `ladder import questions` and `ladder export questions` (docs/curriculum-format.md,
// "Question banks from Moodle"). The `import` and `export` parents may gain other
// subcommands; each subcommand lives in its own file.

extension QuestionFiles.Format: ExpressibleByArgument {}
extension QuestionFiles.ExportFormat: ExpressibleByArgument {}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring content from other tools into a curriculum.", subcommands: [ImportQuestions.self])
}

struct ImportQuestions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "questions",
        abstract: "Turn a GIFT, Aiken or Moodle XML question file into a Ladder assessment file.",
        discussion: """
            What Ladder cannot carry (other question types, images, partial credit, general feedback) is \
            reported as file:line: warning: what and why. Exits 0 when every question was taken, 1 when \
            some were left out or none could be used.
            """)

    @Argument(help: "The question file.")
    var file: String

    @Option(help: "The file's format: gift, aiken or moodle-xml.")
    var format: QuestionFiles.Format

    @Option(help: "Write the assessment here (e.g. assessments/ID.yaml); default: standard output.")
    var out: String?

    @Option(help: "The assessment's title (default: the file's category, else 'Imported questions').")
    var title: String?

    func run() throws {
        var diags = Diagnostics()
        let bank = try QuestionFiles.read(file, format: format, title: title, into: &diags)
        if diags.hasErrors { throw QuestionFiles.failure(diags) }
        printDiagnostics(diags.sorted)
        let yaml = Data(bank.yaml().utf8)
        if let out {
            try AtomicFile.write(yaml, to: URL(fileURLWithPath: out))
            printError("\(out): \(Plural.count(bank.questions.count, "question")) written; \(DiagnosticsFailure.summary(diags))")
        } else {
            FileHandle.standardOutput.write(yaml)
        }
        if diags.all.contains(where: { $0.message.hasSuffix("left out") }) { throw FindingsReported() }
    }
}

struct ExportQuestions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "questions",
        abstract: "Write an assessment file's questions as GIFT or Moodle XML, for Moodle's question bank.")

    @Argument(help: "The assessment file, e.g. curricula/customer-service/assessments/inform-customers.yaml.")
    var assessment: String

    @Option(help: "gift or moodle-xml.")
    var format: QuestionFiles.ExportFormat

    @Option(help: "Write here; default: standard output.")
    var out: String?

    func run() throws {
        try CommandInputs.require(assessment, "assessment file")
        var diags = Diagnostics()
        guard let bank = QuestionBank.read(URL(fileURLWithPath: assessment), displayPath: assessment, into: &diags) else {
            throw QuestionFiles.failure(diags)
        }
        printDiagnostics(diags.sorted)
        let data = try QuestionFiles.write(bank, format: format, source: assessment)
        if let out {
            try AtomicFile.write(data, to: URL(fileURLWithPath: out))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
