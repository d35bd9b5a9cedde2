import ArgumentParser
import Foundation
import LadderCommands
import LadderMoodle

/// `ladder export`: files that other systems import (docs/moodle.md).
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write files an LMS imports: the ladder as Moodle competencies, TalentLMS users, question banks.",
        subcommands: [MoodleCompetencies.self, TalentLMSUsersCommand.self, ExportQuestions.self])

    struct MoodleCompetencies: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "moodle-competencies",
            abstract: "The ladder as a Moodle competency framework (CSV for Import competency framework).",
            discussion: """
                The curriculum is the framework, each level a competency whose children are its
                responsibilities; a level is complete when all its responsibilities are. Import
                it before restoring a course backup. See docs/moodle.md.
                """)

        @Argument(help: "The curriculum folder.")
        var folder: String

        @Option(name: [.customShort("o"), .customLong("out")], help: "Write to this file instead of standard output.")
        var out: String?

        func run() throws {
            try CommandInputs.refuseOverwriting(out, role: "the framework file", inputs: [(folder, "the curriculum folder")])
            try ExportFiles.write(try ExportFiles.moodleCompetencies(folder), to: out)
        }
    }

    struct TalentLMSUsersCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "talentlms-users",
            abstract: "A TalentLMS user import file enrolling each learner in their track's courses.",
            discussion: """
                --learners is a cohort file (docs/gaps.md) with the columns email,
                first_name and last_name, which TalentLMS requires. With --track levels
                (the default) a learner gets the onboarding course of their level, or the
                promotion courses up to their target level; with --track gaps, their
                personal skill-gap course. The courses are made by hand from
                `ladder build --lms talentlms`; see docs/moodle.md.
                """)

        enum TrackChoice: String, ExpressibleByArgument, CaseIterable { case levels, gaps }

        @Argument(help: "The curriculum folder.")
        var folder: String

        @Option(help: "The cohort file (.csv, .yaml or .yml) with email, first_name and last_name.")
        var learners: String

        @Option(help: "levels or gaps.")
        var track: TrackChoice = .levels

        @Option(name: [.customShort("o"), .customLong("out")], help: "Write to this file instead of standard output.")
        var out: String?

        func run() throws {
            try CommandInputs.refuseOverwriting(
                out, role: "the users file", inputs: [(learners, "the --learners file"), (folder, "the curriculum folder")])
            let result = try ExportFiles.talentLMSUsers(folder, learners: learners, enrolment: track == .gaps ? .gaps : .levels)
            printDiagnostics(result.warnings)
            try ExportFiles.write(result.text, to: out)
        }
    }
}
