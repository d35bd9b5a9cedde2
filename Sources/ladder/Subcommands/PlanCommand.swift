import ArgumentParser
import Foundation
import LadderCore

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the training plan derived from a curriculum.",
        discussion: """
            Without --track and --level every track is shown. The JSON output is documented in
            docs/plan-json.md: sorted keys, no timestamps, stable across runs.
            """)

    @Argument(help: "The curriculum folder.")
    var folder: String

    @Option(help: "onboarding or promotion.")
    var track: TrackKind?

    @Option(help: "The level a track prepares for, e.g. P2.")
    var level: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    /// `gaps` is accepted by `ladder build` only: a skill-gap track is personal and needs a
    /// cohort file (`--learners`).
    enum TrackKind: String, ExpressibleByArgument, CaseIterable { case onboarding, promotion, gaps }

    func validate() throws {
        if track == .gaps {
            throw ValidationError(
                "skill-gap tracks are personal: use 'ladder gaps CURRICULUM --learners FILE' to see them, or 'ladder build CURRICULUM --learners FILE --track gaps' to build them")
        }
    }

    func run() throws {
        let c = try loadOrExit(folder, quietWarnings: true)
        var plan = Planner.plan(c)
        if let level, c.level(level) == nil {
            printError("error: unknown level '\(level)'; the levels are \(c.levels.map(\.id).joined(separator: ", "))")
            throw ExitCode(1)
        }
        plan.tracks = plan.tracks.filter { t in
            (track == nil || t.kind.rawValue == track!.rawValue) && (level == nil || t.level == level)
        }
        if plan.tracks.isEmpty {
            printError("error: no \(track?.rawValue ?? "") track leads to \(level ?? "that level") (the first level has no promotion track)")
            throw ExitCode(1)
        }
        if track != nil || level != nil {
            let keep = Set(plan.tracks.flatMap(\.items))
            plan.items = plan.items.filter { keep.contains($0.id) }
            plan.levels = plan.levels.filter { l in plan.items.contains { $0.level == l.id } }
            for i in plan.levels.indices { plan.levels[i].items = plan.levels[i].items.filter(keep.contains) }
        }
        switch format {
        case .json:
            print(try PlanJSON.encode(plan))
        case .text:
            print(PlanText.render(plan, curriculum: c), terminator: "")
        }
    }
}
