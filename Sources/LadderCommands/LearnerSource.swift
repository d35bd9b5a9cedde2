import Foundation
import LadderCore
import LadderProgress

/// Where a command's learners come from (`--learners PATH`), chosen by the file's type: a
/// progress store (`.sqlite`, `.db`), whose proficiencies come from the assessments passed, or
/// a cohort file (`.csv`, `.yaml`, `.yml`; docs/gaps.md). A file with errors is never half
/// used: every problem is reported first (`DiagnosticsFailure`).
public enum LearnerSource {
    /// Whether `path` names a progress store rather than a cohort file.
    public static func isStore(_ path: String) -> Bool {
        ["sqlite", "db"].contains((path as NSString).pathExtension.lowercased())
    }

    /// Every learner profile, in file order, with the file's warnings.
    public static func profiles(_ path: String, curriculum c: Curriculum, plan: Plan) throws -> (profiles: [LearnerProfile], warnings: [Diagnostic]) {
        let result = isStore(path) ? try fromStore(path, curriculum: c, plan: plan) : try fromCohort(path, curriculum: c)
        return (result.profiles, try warnings(result.diagnostics))
    }

    /// The learners as a stream: a checking pass over the whole file first, then the learners
    /// are read and analysed again one at a time as a report is written.
    public static func stream(_ path: String, curriculum c: Curriculum, plan: Plan) throws -> (stream: GapStream, warnings: [Diagnostic]) {
        if isStore(path) {
            let result = try fromStore(path, curriculum: c, plan: plan)
            return (GapStream(profiles: result.profiles, curriculum: c, plan: plan), try warnings(result.diagnostics))
        }
        try CommandInputs.require(path, "learners file")
        let cohort = CohortFile(path: path, curriculum: c)
        var count = 0
        let diagnostics = cohort.forEach { _ in count += 1 }
        return (GapStream(cohort: cohort, count: count, curriculum: c, plan: plan), try warnings(diagnostics))
    }

    /// The analysed cohort (`ladder build --track gaps`).
    public static func analyze(_ path: String, curriculum c: Curriculum, plan: Plan) throws -> (report: GapReport, warnings: [Diagnostic]) {
        let read = try profiles(path, curriculum: c, plan: plan)
        return (GapAnalyzer.analyze(c, plan: plan, learners: read.profiles), read.warnings)
    }

    static func fromCohort(_ path: String, curriculum c: Curriculum) throws -> LearnerProfilesResult {
        try CommandInputs.require(path, "learners file")
        return LearnerProfileLoader.load(path: path, curriculum: c)
    }

    static func fromStore(_ path: String, curriculum c: Curriculum, plan: Plan) throws -> LearnerProfilesResult {
        let store = try CommandInputs.existingStore(path)
        let report = try store.report(ReportOptions(plan: plan, asOf: Date(timeIntervalSince1970: 0)))
        return LearnerProfileLoader.profiles(from: report, curriculum: c, plan: plan, source: path)
    }

    /// The warnings, or a `DiagnosticsFailure` (warnings shown too) when there are errors.
    public static func warnings(_ d: Diagnostics) throws -> [Diagnostic] {
        if d.hasErrors { throw DiagnosticsFailure(diagnostics: d, showsWarnings: true, exitStatus: .findings) }
        return d.sorted
    }
}
