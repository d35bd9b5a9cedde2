import ArgumentParser
import Foundation
import LadderCore

/// `ladder`: curriculum in, training plans and SCORM packages out.
struct Ladder: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ladder",
        abstract: "Turn a job ladder into training: plans, SCORM packages, progress.",
        version: LadderCore.version,
        subcommands: [Check.self, Plan.self, Schema.self, Build.self, Validate.self, Preview.self, Progress.self, Gaps.self, Import.self, Export.self])

    /// Parses and runs the command. ArgumentParser ends its own errors (a bad option: 64, help:
    /// 0); an error the command throws ends it with its code from the one table, `ExitStatus`.
    static func start() async {
        var command: ParsableCommand
        do {
            command = try await asyncParseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            fail(error, in: type(of: command))
        }
    }
}

await Ladder.start()
