import ArgumentParser
import Foundation
import LadderCore
import LadderCommands

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the training plan derived from a curriculum.",
        discussion: """
            Without --track and --level every track is shown. The JSON output is documented in
            docs/plan-json.md: sorted keys, no timestamps, stable across runs.
            """)

    @Argument(help: "The curriculum folder.")
    var folder: String

    /// `gaps` is accepted by `ladder build` only: a skill-gap track is personal and needs a
    /// cohort file (`--learners`).
    @Option(help: "onboarding or promotion.")
    var track: Track.Kind?

    @Option(help: "The level a track prepares for, e.g. P2.")
    var level: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        if track == .gaps {
            throw ValidationError(
                "skill-gap tracks are personal: use 'ladder gaps CURRICULUM --learners FILE' to see them, or 'ladder build CURRICULUM --learners FILE --track gaps' to build them")
        }
    }

    func run() throws {
        let (c, plan) = try CommandInputs.plan(folder)
        let shown = try TrackSelection(kind: track, level: level).apply(to: plan, in: c)
        switch format {
        case .json: print(try PlanJSON.encode(shown))
        case .text: print(PlanText.render(shown, curriculum: c), terminator: "")
        }
    }
}
