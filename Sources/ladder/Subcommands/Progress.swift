import ArgumentParser
import Foundation
import LadderCore
import LadderProgress
import LadderCommands

/// `ladder progress`: import LMS results into the progress store and report on them.
struct Progress: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import LMS results and report who is where and who is ready for the next level.",
        subcommands: [Import.self, Report.self])
}

struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The progress store (SQLite).", valueName: "PATH"))
    var db: String?

    var path: String { db ?? ProgressStore.defaultPath(environment: ProcessInfo.processInfo.environment) }

    /// The store, created when it does not exist yet.
    func open() throws -> ProgressStore { try ProgressStore(path: path) }
}

extension ImportSource: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}
extension LearnerMatch: ExpressibleByArgument {}

func loadPlan(_ folder: String?) throws -> LadderCore.Plan? {
    try folder.map { try CommandInputs.plan($0).1 }
}

extension Progress {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import LMS exports (Moodle, TalentLMS, generic CSV) or a preview store.",
            discussion: "Valid rows land and bad ones are listed with their line and field; with --strict nothing lands unless every row is valid. Importing the same file twice changes nothing.")

        @Argument(help: "Export files (CSV, tab-separated text or Excel .xlsx), or preview stores for --from preview.")
        var files: [String]

        @Option(help: "The file layout: moodle, talentlms, csv or preview.")
        var from: ImportSource

        @Option(help: ArgumentHelp("The curriculum folder: maps SCO and unit titles to items and gives their levels.", valueName: "DIR"))
        var curriculum: String?

        @Flag(help: "Import nothing unless every row is valid.")
        var strict = false

        @Option(help: ArgumentHelp("The time zone the export's dates are written in (Moodle writes the downloading user's zone); default this machine's zone. Dates are stored in UTC.", valueName: "Area/City"))
        var timezone: String?

        @Option(help: "How rows find stored learners: auto (the email, else a unique name), name (by name even when the row has an email), or email (rows without one are refused).")
        var match: LearnerMatch = .auto

        @Option(help: ArgumentHelp("For a Moodle basic report without SCO columns, of an activity with one SCO: that SCO's plan item (id or title).", valueName: "ITEM"))
        var item: String?

        @OptionGroup var store: StoreOptions

        func validate() throws {
            if let timezone, TimeZone(identifier: timezone) == nil {
                throw ValidationError("--timezone '\(timezone)' is not a time zone name like Europe/Lisbon or America/New_York")
            }
            if item != nil && from != .moodle { throw ValidationError("--item applies to --from moodle only") }
        }

        func run() throws {
            let plan = try loadPlan(curriculum)
            for f in files { try CommandInputs.require(f, from == .preview ? "progress store" : "file") }
            let db = try store.open()
            let zone = timezone.flatMap(TimeZone.init(identifier:)) ?? .current
            var options = ImportOptions(source: from, strict: strict, plan: plan, timeZone: zone, match: match, item: item)
            options.onWait = { printError("note: \($0)") }
            let summary = try db.importFiles(files, options: options)
            for i in summary.issues { printError(i.description) }
            for f in summary.files { print(Self.line(f)) }
            if !summary.committed {
                printError("--strict: \(Plural.count(summary.issues.count, "problem")); nothing was imported")
                throw FindingsReported()
            }
            if !summary.issues.isEmpty {
                let rejected = Plural.count(summary.rejected, "row") + " rejected"
                if summary.rejected == 0 && summary.imported > 0 {
                    // Only columns were refused (an unmatched or ambiguous title): say that.
                    printError("\(Plural.count(summary.issues.count, "problem")) above; the rows were imported without the cells they name")
                } else if summary.imported > 0 {
                    printError("\(rejected); the other rows were imported")
                } else {
                    printError("\(rejected); nothing was imported")
                }
                throw FindingsReported()
            }
        }

        /// One file's outcome in plain words.
        static func line(_ f: ImportSummary.File) -> String {
            if f.alreadyImported { return "\(f.path): already imported, nothing changed (\(Plural.count(f.rows, "row")) read)" }
            var s = "\(f.path): \(Plural.count(f.rows, "row")) read (\(f.detected)); \(Plural.count(f.attempts, "attempt")) in them"
            if f.attempts > 0 { s += " (\(f.changedAttempts) new or changed, \(f.attempts - f.changedAttempts) already stored as they are)" }
            // Learners added as new by name are said below, not counted twice.
            let otherLearners = max(0, f.changedLearners - f.newByName)
            if otherLearners > 0 { s += "; \(Plural.count(otherLearners, "learner")) added or updated" }
            if f.changedEnrolments > 0 { s += "; \(Plural.count(f.changedEnrolments, "enrolment")) added or updated" }
            if f.rejected > 0 { s += "; \(Plural.count(f.rejected, "row")) rejected" }
            if f.newByName > 0 { s += "; \(Plural.count(f.newByName, "learner")) known only by name added as new" }
            return s
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report progress per learner and per cohort: level reached, readiness for promotion, funnel, stalled learners, hardest questions.",
            discussion: """
                A learner reaches a level when every required item of it and of every level below is done; they are ready \
                for promotion to the level they reached when their current level (from --learners, else the store, else \
                their tracks) is below it. Every format streams, so memory stays flat with the number of learners.
                """)

        @Option(help: ArgumentHelp("The curriculum folder: its levels' required items decide readiness, and items are shown by title.", valueName: "DIR"))
        var curriculum: String?

        @Option(help: ArgumentHelp("A learners file (the cohort CSV or YAML of `ladder gaps`): its current_level wins over the store. Needs --curriculum.", valueName: "FILE"))
        var learners: String?

        @Option(help: "Only learners at this level (e.g. P2).")
        var level: String?

        @Option(help: "Only this learner, with the per-level detail.")
        var learner: String?

        @Option(help: "text, csv, json or html.")
        var format: ReportFormat = .text

        @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "FILE"))
        var out: String?

        @Option(help: ArgumentHelp("The report date (default today), for the stalled test.", valueName: "YYYY-MM-DD"))
        var asOf: String?

        @Option(help: "Days without activity after which a learner counts as stalled.")
        var stalledDays = 30

        @Flag(help: "Per-level detail for every learner (always on with --learner).")
        var detail = false

        @OptionGroup var store: StoreOptions

        func validate() throws {
            if let asOf, Self.date(asOf) == nil { throw ValidationError("--as-of must be a date like 2026-03-20") }
            if stalledDays < 1 { throw ValidationError("--stalled-days must be at least 1") }
            if learners != nil && curriculum == nil { throw ValidationError("--learners needs --curriculum (the file's levels are the curriculum's)") }
        }

        static func date(_ s: String) -> Date? {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withFullDate]
            return f.date(from: s)
        }

        func run() throws {
            var plan: LadderCore.Plan?
            var profiles: [LearnerProfile] = []
            if let curriculum {
                let (c, p) = try CommandInputs.plan(curriculum)
                plan = p
                try TrackSelection(kind: nil, level: level).checkLevel(in: c)
                if let learners {
                    let read = try LearnerSource.profiles(learners, curriculum: c, plan: p)
                    printDiagnostics(read.warnings)
                    profiles = read.profiles
                }
            } else {
                printError("note: without --curriculum nobody is called ready for promotion: the store knows only the items imports recorded, not every item a level requires")
            }
            try CommandInputs.refuseOverwriting(out, inputs: [(store.path, "the progress store"), (learners, "the --learners file")])
            let db = try CommandInputs.existingStore(store.path)
            var currentLevels: [String: String] = [:]
            if let learners {
                // The file's entries go to the stored learners they name (ids ignoring case, else
                // a unique name); those that name none are warned about, never dropped silently.
                let match = try db.matchLearnersFile(profiles, path: learners)
                try printDiagnostics(LearnerSource.warnings(match.diagnostics))
                currentLevels = match.currentLevels
            }
            // --learner compares ignoring case, as imports do (an email typed with capitals).
            let learner = try learner.map { try db.learnerIDs(matching: $0).first ?? $0 }
            let options = ReportOptions(plan: plan, level: level, learner: learner, asOf: asOf.flatMap(Self.date) ?? Date(),
                                        stalledDays: stalledDays, currentLevels: currentLevels)
            try ReportRenderer.write(store: db, options: options, format: format, detail: detail || learner != nil, to: out)
        }
    }
}
