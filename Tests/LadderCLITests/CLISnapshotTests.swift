import Foundation
import TestSupport
import Testing

/// What people read from `ladder`, pinned in __Snapshots__/CLISnapshotTests: each file is the
/// command, its exit status, its standard output and its standard error. Commands run in the
/// repository root, so the paths they print are the relative ones typed here.
/// Re-record with `LADDER_RECORD_SNAPSHOTS=1 swift test --filter CLISnapshotTests`, then read
/// every changed file before committing it.
@Suite("Snapshots: ladder output")
struct CLISnapshotTests {
    /// ArgumentParser wraps help to the terminal width and reads it from COLUMNS when it is
    /// set; fixing it keeps a developer's own terminal out of the snapshots.
    static let environment = ["COLUMNS": "80"]

    @Test func checkSample() throws {
        let text = try Ladder.transcript(["check", "curricula/customer-service"], environment: Self.environment)
        Snapshot.expect(text, named: "check-sample.txt")
    }

    /// Three breakages in a private copy: the compiler-style lines, their order and the count.
    /// The copy lives in a new temporary folder each run, so its path is shown as `<copy>`.
    @Test func checkBrokenCopy() throws {
        let root = try Ladder.copySample()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        try Ladder.edit(root, "levels/P2.yaml", replace: "[empathy, active-listening, speaking", with: "[empathie, active-listening, speaking")
        try Ladder.edit(root, "assessments/inform-customers.yaml", replace: "mastery_score: 80\n", with: "mastery_score: 101\n")
        try Ladder.edit(root, "shadowing/inform-customers.yaml", replace: "title: ", with: "title: [")
        let text = try Ladder.transcript(["check", root.path], environment: Self.environment)
        #expect(text.contains(root.path), "the diagnostics name the copy's files")
        Snapshot.expect(text.replacingOccurrences(of: root.path, with: "<copy>"), named: "check-broken-copy.txt")
    }

    /// The ladder-wide checks of issue 14 in one copy: a missing target and what it costs, a
    /// level that raises a skill nothing trains, a mastery score no attempt can score, a page
    /// path one letter off, and a YAML value with an unquoted colon.
    @Test func checkLadderMistakes() throws {
        let root = try Ladder.copySample()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        try Ladder.edit(root, "levels/P2.yaml", replace: "  speaking: 3\n", with: "")
        try Ladder.edit(root, "levels/P1.yaml", replace: "  training-development: none\n", with: "  training-development: follow\n")
        try Ladder.edit(root, "assessments/inform-customers.yaml", replace: "mastery_score: 80\n", with: "mastery_score: 90\n")
        try Ladder.edit(root, "levels/P1.yaml", replace: "modules/inform-customers/02-explaining-clearly.md", with: "modules/inform-customers/02-explaning-clearly.md")
        try Ladder.edit(root, "shadowing/inform-customers.yaml", replace: "title: ", with: "title: Shadowing: ")
        let text = try Ladder.transcript(["check", root.path], environment: Self.environment)
        Snapshot.expect(text.replacingOccurrences(of: root.path, with: "<copy>"), named: "check-ladder-mistakes.txt")
    }

    /// `gaps --explain` says what a missing target drops, as `check` does.
    @Test func gapsExplainShowsAMissingTarget() throws {
        let root = try Ladder.copySample()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        try Ladder.edit(root, "levels/P2.yaml", replace: "  speaking: 3\n", with: "")
        let args = ["gaps", root.path, "--learners", root.path + "/learners/cohort.csv", "--explain", "amara"]
        let text = try Ladder.transcript(args, environment: Self.environment)
        Snapshot.expect(text.replacingOccurrences(of: root.path, with: "<copy>"), named: "gaps-explain-missing-target.txt")
    }

    @Test func planText() throws {
        let args = ["plan", "curricula/customer-service", "--track", "onboarding", "--level", "P1"]
        Snapshot.expect(try Ladder.transcript(args, environment: Self.environment), named: "plan-onboarding-P1.txt")
    }

    @Test func planJSON() throws {
        let run = try Ladder.run(
            ["plan", "curricula/customer-service", "--track", "onboarding", "--level", "P1", "--format", "json"],
            environment: Self.environment)
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        Snapshot.expect(run.stdout, named: "plan-onboarding-P1.json")
    }

    @Test func gapsOfTheSampleCohort() throws {
        let args = ["gaps", "curricula/customer-service", "--learners", "curricula/customer-service/learners/cohort.csv"]
        Snapshot.expect(try Ladder.transcript(args, environment: Self.environment), named: "gaps-sample-cohort.txt")
    }

    /// The sample's competency framework, as Moodle's *Import competency framework* gets it.
    @Test func moodleCompetenciesOfTheSample() throws {
        let run = try Ladder.run(["export", "moodle-competencies", "curricula/customer-service"], environment: Self.environment)
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        Snapshot.expect(run.stdout, named: "moodle-competencies.csv")
    }

    @Test(arguments: [
        [], ["check"], ["plan"], ["build"], ["validate"], ["preview"], ["schema"], ["gaps"],
        ["progress"], ["progress", "import"], ["progress", "report"],
        ["export"], ["export", "moodle-competencies"], ["export", "talentlms-users"],
    ])
    func help(_ command: [String]) throws {
        var text = try Ladder.transcript(command + ["--help"], environment: Self.environment)
        if command == ["build"] { text = Self.normalisingJobsDefault(text) }
        Snapshot.expect(text, named: (["ladder"] + command).joined(separator: "-") + ".help.txt")
    }

    /// `build -j` defaults to this machine's core count, which ArgumentParser prints as the
    /// option's default: shown as `<cores>` so the snapshot holds on any machine.
    static func normalisingJobsDefault(_ help: String) -> String {
        var lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let j = lines.firstIndex(where: { $0.hasPrefix("  -j <j>") }) else {
            Issue.record("no -j option in the build help")
            return help
        }
        let cores = "(default: \(ProcessInfo.processInfo.activeProcessorCount))"
        var k = j
        repeat {
            lines[k] = lines[k].replacingOccurrences(of: cores, with: "(default: <cores>)")
            k += 1
        } while k < lines.count && lines[k].hasPrefix("                 ")
        return lines.joined(separator: "\n")
    }
}
