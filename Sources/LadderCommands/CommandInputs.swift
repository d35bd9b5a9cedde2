import Foundation
import LadderCore
import LadderProgress

/// An input named on the command line that is not there (the check is Ladder's own: there is
/// no underlying error).
public struct InputError: LadderError, Equatable {
    public var path: String
    /// What it should have been: "progress store", "learners file", "package".
    public var what: String
    public init(path: String, what: String) {
        self.path = path
        self.what = what
    }
    public var description: String { "\(path): no such \(what)" }
    public var underlying: (any Error)? { nil }
    public var category: LadderErrorCategory { .input }
}

/// A file whose problems are diagnostics (the curriculum, a cohort file): a command shows them
/// all, then the count, and ends with `exitStatus`.
public struct DiagnosticsFailure: Error, CustomStringConvertible {
    public var diagnostics: Diagnostics
    /// Whether the warnings are shown with the errors (`ladder check` shows them).
    public var showsWarnings: Bool
    public var exitStatus: ExitStatus

    /// The diagnostics to print, sorted.
    public var shown: [Diagnostic] { diagnostics.sorted.filter { showsWarnings || $0.severity == .error } }

    /// "2 errors, 1 warning".
    public var summary: String { Self.summary(diagnostics) }

    public var description: String { (shown.map(\.description) + [summary]).joined(separator: "\n") }

    public static func summary(_ d: Diagnostics) -> String {
        func n(_ k: Int, _ w: String) -> String { "\(k) \(w)\(k == 1 ? "" : "s")" }
        return "\(n(d.errorCount, "error")), \(n(d.warningCount, "warning"))"
    }
}

/// The command has already reported its problems (a validation report, rejected import rows):
/// nothing more to print, exit 1.
public struct FindingsReported: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "" }
}

/// The inputs of a command, checked the same way by every command.
public enum CommandInputs {
    /// Throws `InputError` when nothing exists at `path`.
    public static func require(_ path: String, _ what: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw InputError(path: path, what: what) }
    }

    /// A curriculum loaded and checked, with the warnings it has; throws `DiagnosticsFailure`
    /// when it has errors (`noInput` when the folder is not there).
    public static func curriculum(_ folder: String, showsWarnings: Bool = false) throws -> (Curriculum, warnings: [Diagnostic]) {
        try loaded(CurriculumLoader.load(folder: folder), folder: folder, showsWarnings: showsWarnings)
    }

    private static func loaded(_ result: LoadResult, folder: String, showsWarnings: Bool) throws -> (Curriculum, warnings: [Diagnostic]) {
        guard let c = result.curriculum, !result.diagnostics.hasErrors else {
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue
            throw DiagnosticsFailure(
                diagnostics: result.diagnostics, showsWarnings: showsWarnings, exitStatus: exists ? .findings : .noInput)
        }
        return (c, result.diagnostics.sorted.filter { $0.severity == .warning })
    }

    /// The curriculum and its plan, warnings left out (every command but `check`).
    public static func plan(_ folder: String) throws -> (Curriculum, Plan) {
        let (c, _) = try curriculum(folder)
        return (c, Planner.plan(c))
    }

    /// `plan` for `ladder build` into `exports`: unchanged pages come from the load cache kept
    /// in `<exports>/<curriculum>/` (`LoadCache`; `clean` reads none and parses every page).
    /// Also returns the cache for the next build to publish with the packages, nil when the
    /// one in place still stands.
    package static func plan(_ folder: String, loadCache exports: URL, clean: Bool) throws -> (Curriculum, Plan, LoadCache?) {
        let result = CurriculumLoader.load(folder: folder, cacheFolder: exports, readsCache: !clean)
        let (c, _) = try loaded(result, folder: folder, showsWarnings: false)
        return (c, Planner.plan(c), result.loadCache)
    }

    /// An existing progress store. Opening a store creates it: a command that only reads one
    /// refuses a path that does not exist rather than write a new store there.
    public static func existingStore(_ path: String) throws -> ProgressStore {
        try require(path, "progress store")
        return try ProgressStore(path: path)
    }

    /// Throws `OutputSafety.Overlap` when `output` is one of `inputs` (each with the role it
    /// plays, as the message names it). Checked before any work: no command writes over one
    /// of its inputs.
    public static func refuseOverwriting(_ output: String?, role: String = "the report", inputs: [(path: String?, role: String)]) throws {
        guard let output else { return }
        let named = inputs.compactMap { i in i.path.map { OutputSafety.Input(path: $0, role: i.role) } }
        try OutputSafety.refuseOverwriting(output: output, role: role, inputs: named)
    }
}
