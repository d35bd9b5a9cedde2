import ArgumentParser
import Foundation
import LadderCore

/// Writes text to standard error.
func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

/// Loads a curriculum and prints its diagnostics; throws exit code 1 on errors.
func loadOrExit(_ folder: String, quietWarnings: Bool = false) throws -> Curriculum {
    let result = CurriculumLoader.load(folder: folder)
    for d in result.diagnostics.sorted where !(quietWarnings && d.severity == .warning) {
        printError(d.description)
    }
    guard let c = result.curriculum else {
        printError(summary(result.diagnostics))
        throw ExitCode(1)
    }
    return c
}

func summary(_ d: Diagnostics) -> String {
    func n(_ k: Int, _ w: String) -> String { Plural.count(k, w) }
    return "\(n(d.errorCount, "error")), \(n(d.warningCount, "warning"))"
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
