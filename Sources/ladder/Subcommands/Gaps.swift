import ArgumentParser
import Foundation
import LadderCore
import LadderCommands

struct Gaps: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find each learner's skill gaps against their target level, and the training that closes them.",
        discussion: """
            --learners is a CSV file (learner_id,name,current_level,target_level,<skill-id>,...)
            or a YAML file (learners: [{id, name, current_level, target_level, skills}]); a
            proficiency is a step number, id or name of the curriculum's scale. A .sqlite or .db
            path is read as the progress store: proficiencies come from the assessments passed,
            and each learner's target is the level above theirs. See docs/gaps.md.
            Build the personal tracks with: ladder build CURRICULUM --learners FILE --track gaps
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, csv, json, html }

    @Argument(help: "The curriculum folder.")
    var folder: String

    @Option(help: "The cohort file (.csv, .yaml or .yml), or a progress store (.sqlite).")
    var learners: String

    @Option(help: "text, csv, json or html.")
    var format: Format = .text

    @Option(help: "Explain, for one learner id, why each item was chosen or left out.")
    var explain: String?

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    func validate() throws {
        if explain != nil, format == .csv || format == .html {
            throw ValidationError("--explain prints text or json; drop --format \(format.rawValue)")
        }
    }

    func run() throws {
        let (c, plan) = try CommandInputs.plan(folder)
        try CommandInputs.refuseOverwriting(output, inputs: [(learners, "the --learners file"), (folder, "the curriculum folder")])
        let (stream, warnings) = try LearnerSource.stream(learners, curriculum: c, plan: plan)
        printDiagnostics(warnings)
        let file = try output.map { try AtomicFile(URL(fileURLWithPath: $0)) }
        do {
            let sink = GapsSink(descriptor: file?.descriptor ?? STDOUT_FILENO, name: file?.destination.path ?? "standard output")
            if let explain {
                let (found, report) = try stream.learner(explain)
                guard let l = found else {
                    throw SelectionError.unknownLearner(explain, file: learners, learners: try stream.learnerIDs())
                }
                try sink.write(format == .json ? try GapsJSON.encode(l) + "\n" : GapsText.explain(l, report: report, plan: plan, curriculum: c))
            } else {
                switch format {
                case .text: try GapsText.write(stream, to: sink)
                case .csv: try GapsCSV.write(stream, to: sink)
                case .json:
                    try GapsJSON.write(stream, to: sink)
                    try sink.write("\n")
                case .html: try GapsHTML.write(stream, to: sink)
                }
            }
            try sink.flush()
            try file?.commit()
        } catch {
            file?.discard()
            throw error
        }
    }
}
