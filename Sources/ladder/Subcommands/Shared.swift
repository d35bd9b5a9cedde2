import ArgumentParser
import Foundation
import LadderCore
import LadderProgress
import LadderCommands

/// Writes text to standard error.
func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

/// Ends the process for an error a command threw: the error said once, in the shape of its
/// kind, and the exit code of `ExitStatus` (README, "Exit codes").
func fail(_ error: Error, in command: ParsableCommand.Type) -> Never {
    // ArgumentParser's own ends (help, version, an exit code) and its errors from built-in
    // commands (`ladder --help` runs one whose run() throws the help request) end through it.
    if error is ExitCode || error is CleanExit || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
        Ladder.exit(withError: error)
    }
    let status = error is ValidationError ? .usage : ExitStatus(for: error)
    switch error {
    case let e as DiagnosticsFailure:
        for d in e.shown { printError(d.description) }
        printError(e.summary)
    case is FindingsReported:
        break
    case let e as ImportError:
        printError(e.description)  // already `path: error: message`
    default:
        if status == .usage {
            // As ArgumentParser says a bad option, with the usage of the command that ran.
            let name = commandPath(command).joined(separator: " ")
            printError("Error: \(error)\nUsage: \(Ladder.usageString(for: command))\n  See '\(name) --help' for more information.")
        } else {
            printError("error: \(error)")
        }
    }
    exit(status.rawValue)
}

func summary(_ d: Diagnostics) -> String {
    func n(_ k: Int, _ w: String) -> String { Plural.count(k, w) }
    return "\(n(d.errorCount, "error")), \(n(d.warningCount, "warning"))"
}

/// `["ladder", "progress", "import"]` for `Progress.Import`.
func commandPath(_ command: ParsableCommand.Type, from root: ParsableCommand.Type = Ladder.self) -> [String] {
    let name = root.configuration.commandName ?? String(describing: root).lowercased()
    if root == command { return [name] }
    for sub in root.configuration.subcommands {
        let path = commandPath(command, from: sub)
        if !path.isEmpty { return [name] + path }
    }
    return []
}

/// Prints diagnostics (warnings a command goes on after), sorted.
func printDiagnostics(_ diagnostics: [Diagnostic]) {
    for d in diagnostics { printError(d.description) }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

extension Track.Kind: ExpressibleByArgument {}
