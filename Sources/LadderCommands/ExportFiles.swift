import Foundation
import LadderCore
import LadderMoodle

/// `ladder export …`: files another system imports, made whole in memory, checked, then written
/// in one step (or printed). A problem in the inputs is reported before anything is written.
public enum ExportFiles {
    /// The ladder as a Moodle competency framework CSV (docs/moodle.md).
    public static func moodleCompetencies(_ folder: String) throws -> String {
        let (c, _) = try CommandInputs.plan(folder)
        let result = MoodleCompetencyFramework.csv(c, folder: folder)
        guard let text = result.text else {
            throw DiagnosticsFailure(diagnostics: result.diagnostics, showsWarnings: false, exitStatus: .findings)
        }
        return text
    }

    /// The TalentLMS user import file for the learners of `learners` (a cohort file or a store).
    public static func talentLMSUsers(_ folder: String, learners: String, enrolment: TalentLMSUsers.Enrolment) throws -> (
        text: String, warnings: [Diagnostic]
    ) {
        let (c, plan) = try CommandInputs.plan(folder)
        let read = try LearnerSource.profiles(learners, curriculum: c, plan: plan)
        let gaps = enrolment == .gaps ? GapAnalyzer.analyze(c, plan: plan, learners: read.profiles) : nil
        let result = TalentLMSUsers.csv(learners: read.profiles, source: learners, curriculum: c, plan: plan, enrolment: enrolment, gaps: gaps)
        guard let text = result.text else {
            throw DiagnosticsFailure(diagnostics: result.diagnostics, showsWarnings: false, exitStatus: .findings)
        }
        return (text, read.warnings)
    }

    /// Writes `text` to `out` atomically (temporary file + rename), or to standard output.
    public static func write(_ text: String, to out: String?) throws {
        guard let out else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let file = try AtomicFile(URL(fileURLWithPath: out))
        do {
            try file.write(Data(text.utf8))
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }
}
