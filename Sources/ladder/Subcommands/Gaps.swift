import ArgumentParser
import Foundation
import LadderKit

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
        let c = try loadOrExit(folder, quietWarnings: true)
        // Checked before any work: no command writes over one of its inputs.
        if let output, let input = OutputPath.clash(output, inputs: [learners, folder]) {
            printError("error: \(OutputError.overwritesInput(output: output, input: input))")
            throw ExitCode(1)
        }
        let plan = Planner.plan(c)
        let stream = try gapStreamOrExit(c, plan: plan, learners: learners)
        var file: AtomicOutputFile?
        do {
            file = try output.map { try AtomicOutputFile(URL(fileURLWithPath: $0)) }
            let sink = GapsSink(handle: file?.handle ?? FileHandle.standardOutput)
            if let explain {
                let (found, report) = try stream.learner(explain)
                guard let l = found else {
                    file?.discard()
                    let ids = try stream.learnerIDs()
                    printError("error: no learner '\(explain)' in \(learners); the learners are \(ids.joined(separator: ", "))")
                    throw ExitCode(1)
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
        } catch let exit as ExitCode {
            throw exit
        } catch {
            file?.discard()
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }
}

/// The cohort as a stream: a checking pass over the whole file first (every diagnostic
/// printed; exit code 1 when the file has errors, so nothing is written), then the learners
/// are read and analysed again one at a time as the report is written.
func gapStreamOrExit(_ c: Curriculum, plan: LadderKit.Plan, learners path: String) throws -> GapStream {
    if ["sqlite", "db"].contains((path as NSString).pathExtension.lowercased()) {
        let result = try profilesFromStore(path, curriculum: c, plan: plan)
        try exitOnErrors(result.diagnostics)
        return GapStream(profiles: result.profiles, curriculum: c, plan: plan)
    }
    let cohort = CohortFile(path: path, curriculum: c)
    var count = 0
    try exitOnErrors(cohort.forEach { _ in count += 1 })
    return GapStream(cohort: cohort, count: count, curriculum: c, plan: plan)
}

func exitOnErrors(_ diagnostics: Diagnostics) throws {
    for d in diagnostics.sorted { printError(d.description) }
    if diagnostics.hasErrors {
        printError(summary(diagnostics))
        throw ExitCode(1)
    }
}

/// Profiles derived from a progress store (`--learners .ladder/progress.sqlite`).
func profilesFromStore(_ path: String, curriculum c: Curriculum, plan: LadderKit.Plan) throws -> LearnerProfilesResult {
    // Opening a store creates it: refuse a path that does not exist rather than write one.
    guard FileManager.default.fileExists(atPath: path) else {
        printError("error: \(path): no such progress store")
        throw ExitCode(1)
    }
    do {
        let store = try ProgressStore(path: path)
        let report = try store.report(ReportOptions(plan: plan, asOf: Date(timeIntervalSince1970: 0)))
        return LearnerProfileLoader.profiles(from: report, curriculum: c, plan: plan, source: path)
    } catch {
        printError("error: \(error)")
        throw ExitCode(1)
    }
}
