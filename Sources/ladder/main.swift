import ArgumentParser
import LadderCore

/// `ladder`: curriculum in, training plans and SCORM packages out.
struct Ladder: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ladder",
        abstract: "Turn a job ladder into training: plans, SCORM packages, progress.",
        version: LadderCore.version,
        subcommands: [Check.self, Plan.self, Schema.self, Build.self, Validate.self, Preview.self, Progress.self, Gaps.self])
}

Ladder.main()
