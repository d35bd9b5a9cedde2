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
        let plan = Planner.plan(c)
        let report = try analyzeOrExit(c, plan: plan, learners: learners)
        let text: String
        if let explain {
            guard let l = report.learner(explain) else {
                let ids = report.learners.map(\.learner)
                printError("error: no learner '\(explain)' in \(learners); the learners are \(ids.joined(separator: ", "))")
                throw ExitCode(1)
            }
            text = format == .json ? try GapsJSON.encode(l) + "\n" : GapsText.explain(l, report: report, plan: plan, curriculum: c)
        } else {
            switch format {
            case .text: text = GapsText.render(report, curriculum: c)
            case .csv: text = GapsCSV.render(report, curriculum: c)
            case .json: text = try GapsJSON.encode(report) + "\n"
            case .html: text = GapsHTML.render(report, curriculum: c)
            }
        }
        if let output {
            do {
                try GapsOutputFile.write(text, to: URL(fileURLWithPath: output))
            } catch {
                printError("error: \(error)")
                throw ExitCode(1)
            }
        } else {
            print(text, terminator: "")
        }
    }
}

/// Loads a cohort file against the curriculum and analyses it; prints every diagnostic and
/// throws exit code 1 when the file has errors (so nothing is written).
func analyzeOrExit(_ c: Curriculum, plan: LadderKit.Plan, learners path: String) throws -> GapReport {
    let result: LearnerProfilesResult
    if ["sqlite", "db"].contains((path as NSString).pathExtension.lowercased()) {
        result = try profilesFromStore(path, curriculum: c, plan: plan)
    } else {
        result = LearnerProfileLoader.load(path: path, curriculum: c)
    }
    for d in result.diagnostics.sorted { printError(d.description) }
    if result.diagnostics.hasErrors {
        printError(summary(result.diagnostics))
        throw ExitCode(1)
    }
    return GapAnalyzer.analyze(c, plan: plan, learners: result.profiles)
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
