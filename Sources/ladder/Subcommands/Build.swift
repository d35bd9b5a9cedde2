import ArgumentParser
import Foundation
import LadderCore
import LadderPackaging
import LadderCommands
import LadderMoodle

extension LMSProfile: ExpressibleByArgument {}
extension BuildRequest.PackageMode: ExpressibleByArgument {}

/// What `ladder build` writes per track besides (or as) its packages.
enum BuildFormat: String, ExpressibleByArgument, CaseIterable {
    /// SCORM zips only.
    case zip
    /// SCORM zips and a Moodle course backup (.mbz) per track.
    case mbz
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build SCORM 1.2 packages for an LMS from a curriculum.",
        discussion: """
            Packages land in <out>/<curriculum>/<track>/, with <out>/<curriculum>/ledger.json
            listing each package's sha256, size, LMS profile, items and source digest.
            --lms moodle: one single-SCO package per item (a Moodle SCORM activity has one
            grade and one completion, so each item gets its own), --format mbz adds one
            Moodle course backup per track (docs/moodle-backup.md). --lms talentlms: one SCO
            per package (TalentLMS takes one SCO a unit). --lms generic (default): one
            multi-SCO package per track with a single root item, the most portable layout.
            --track gaps --learners FILE: one personal skill-gap track per distinct set of
            items the cohort's gaps call for (docs/gaps.md); the ledger lists each package's
            learners, and a learner with nothing to train is reported, not packaged.
            Builds are incremental: <out>/<curriculum>/build-cache.json keys each package by
            its sources' digests, the build options and Ladder's version, and a rebuild makes
            only the packages whose inputs changed (the same bytes as a clean build); the
            build says which packages changed and why. --clean builds everything again.
            """)

    @Argument(help: "The curriculum folder.")
    var folder: String

    @Option(help: "onboarding, promotion or gaps (default: onboarding and promotion).")
    var track: Track.Kind?

    @Option(help: "For --track gaps: a cohort file (.csv, .yaml) or a progress store (.sqlite); see docs/gaps.md.")
    var learners: String?

    @Option(help: "The level tracks lead to, e.g. P2, or all.")
    var level: String = "all"

    @Option(help: "generic, moodle or talentlms.")
    var lms: LMSProfile = .generic

    @Option(help: "track (one package per track) or module (one package per item). Default: module for moodle and talentlms, else track.")
    var package: BuildRequest.PackageMode?

    @Option(help: "zip (SCORM packages) or mbz (with --lms moodle: also a Moodle course backup per track).")
    var format: BuildFormat = .zip

    @Option(help: "The exports folder.")
    var out: String = "exports"

    @Option(help: "SCORM schemas folder (like ../shared/conformance/schemas); default $LADDER_SCHEMAS.")
    var schemas: String?

    @Option(name: .short, help: "Packages built at once (default: all cores).")
    var j: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Ignore the build cache: build every package again.")
    var clean = false

    func validate() throws {
        if j < 1 { throw ValidationError("-j must be at least 1") }
        if lms == .talentlms, package == .track {
            throw ValidationError("TalentLMS takes one SCO per package: use --package module (the default for talentlms)")
        }
        if track == .gaps, learners == nil {
            throw ValidationError("--track gaps needs --learners FILE (a cohort file, see docs/gaps.md)")
        }
        if learners != nil, track != .gaps {
            throw ValidationError("--learners builds personal skill-gap tracks: add --track gaps")
        }
        if format == .mbz, lms != .moodle {
            throw ValidationError("--format mbz writes Moodle course backups: add --lms moodle")
        }
        if format == .mbz, package == .track {
            throw ValidationError("a Moodle course backup holds one single-SCO package per activity: drop --package track")
        }
        if track == .gaps, level != "all" {
            throw ValidationError("--level does not apply to --track gaps: each learner's target level comes from the cohort file")
        }
    }

    func run() throws {
        // One allocation arena per worker (`FreeMemory.limitArenas`), set before any thread starts.
        FreeMemory.limitArenas(to: j)
        let checkStart = Date()
        let schemasPath = schemas ?? ProcessInfo.processInfo.environment["LADDER_SCHEMAS"]
        var request = BuildRequest(
            tracks: [], lms: lms, mode: package ?? (lms == .generic ? .track : .module),
            outputFolder: URL(fileURLWithPath: out), schemasFolder: schemasPath.map { URL(fileURLWithPath: $0) }, jobs: j)
        request.command = (["ladder"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        request.clean = clean
        // Gap builds read a cohort and course backups are written by every build: no no-op check.
        if track != .gaps, format == .zip { request.selection = "track \(track?.rawValue ?? "onboarding and promotion"), level \(level)" }
        if let same = try PackageBuilder.unchangedBuild(curriculumFolder: folder, request: &request, waitingForLock: waiting) {
            warnWithoutSchemas(schemasPath)
            report(curriculum: same.curriculum, ledger: same.ledger, tracks: same.tracks, changes: same.changes, since: checkStart)
            return
        }
        let (c, plan, loadCache) = try CommandInputs.plan(folder, loadCache: URL(fileURLWithPath: out), clean: clean)
        var learnersByTrack: [String: [String]] = [:]
        var cohort: Set<String> = []
        if track == .gaps, let learners {
            // Bad cohort files stop here, before anything is written. The cohort is then read
            // once more, one learner at a time: only the tracks and learner ids are kept.
            let (stream, warnings) = try LearnerSource.stream(learners, curriculum: c, plan: plan)
            printDiagnostics(warnings)
            let report = try stream.tracks { l in
                guard l.track == nil else { return }
                let why = l.gapSkills.isEmpty ? "no gaps against \(l.targetLevel)" : "no responsibility up to \(l.targetLevel) develops their gaps"
                print("\(l.learner): \(why); no package")
            }
            cohort = report.learners
            if report.tracks.isEmpty {
                print("no learner in \(learners) has anything to train; their earlier gap packages (if any) are retired")
            }
            request.tracks = report.tracks
            learnersByTrack = report.learnersByTrack
        } else {
            request.tracks = try TrackSelection(kind: track, level: level, acceptsAll: true).tracks(of: plan, in: c)
        }
        warnWithoutSchemas(schemasPath)
        request.loadCache = loadCache
        if let learners { request.otherInputs = [.init(path: learners, role: "the --learners file")] }
        // Checked before anything is built: a curriculum Moodle cannot hold stops here.
        if format == .mbz { request.trackBundles = try MoodleCourseBackups(curriculum: c, plan: plan, tracks: request.tracks) }
        let display = ProgressLine()
        let start = Date()
        let ledger: Ledger
        let changes: BuildChanges
        let id = c.id
        do {
            // The builder takes the only copy of the curriculum: it lets go of the texts once
            // the packages are made, before any course backup is written.
            (ledger, changes) = try PackageBuilder(curriculum: consume c, plan: plan).buildReportingChanges(
                request, learnersByTrack: learnersByTrack, cohort: cohort, waitingForLock: { waiting(id, $0) }
            ) { done, total, path in
                display.update("[\(done)/\(total)] \(path)")
            }
        } catch {
            display.clear()
            throw error
        }
        display.clear()
        report(curriculum: id, ledger: ledger, tracks: Set(request.tracks.map(\.id)), changes: changes, since: start)
    }

    func waiting(_ curriculum: String, _ holder: ExportsLockHolder?) {
        let who = holder.map { "another build holds its lock (\($0))" } ?? "another build holds its lock"
        printError("waiting for \(out)/\(curriculum)/: \(who); this build goes on when that one ends")
    }

    func warnWithoutSchemas(_ schemasPath: String?) {
        if schemasPath == nil {
            printError("warning: no --schemas given: manifests get Ladder's structural checks but no XML Schema validation, and packages carry no control documents")
        }
    }

    /// What the build wrote (or found unchanged): the totals, the changes, a line per package.
    func report(curriculum: String, ledger: Ledger, tracks: Set<String>, changes: BuildChanges, since start: Date) {
        let all = ledger.packages.filter { tracks.contains($0.track) && $0.lms == lms }
        let written = all.filter { $0.standard != MoodleBackupValidator.standard }
        let backups = all.filter { $0.standard == MoodleBackupValidator.standard }
        let bytes = written.reduce(0) { $0 + $1.size }
        let also = backups.isEmpty ? "" : " and \(Plural.count(backups.count, "course backup"))"
        print(
            "built \(Plural.count(written.count, "package")) (\(lms.rawValue), SCORM 1.2, \(bytes / 1024) KiB)\(also) in "
                + String(format: "%.2f s", Date().timeIntervalSince(start)) + " → \(out)/\(curriculum)/")
        print("changes: " + changes.summary + (changes.shared > 0 ? "; \(changes.shared) placed by link from another track's identical package" : ""))
        let why = Dictionary(changes.rebuilt.map { ($0.path, $0.reason) }, uniquingKeysWith: { a, _ in a })
        for p in written + backups {
            var line = "  \(p.path)  \(p.sha256.prefix(12))  \(Plural.count(p.items.count, "item"))"
            if let l = p.learners { line += "  for " + l.joined(separator: ", ") }
            if p.standard == MoodleBackupValidator.standard {
                line += "  [course backup: written by every build]"
            } else if let r = why[p.path] {
                line += "  [" + r.rawValue + (changes.optionDetails[p.path].map { ": " + $0 } ?? "") + "]"
            } else {
                line += "  [unchanged]"
            }
            print(line)
        }
        for p in changes.removed { print("  \(p)  [removed]") }
    }
}

/// One self-overwriting status line on a terminal; silent when stderr is not a terminal.
final class ProgressLine: Sendable {
    private let enabled = isatty(STDERR_FILENO) == 1
    /// Packages finish on several threads: one line written at a time.
    private let writing = Locked(())

    func update(_ s: String) { write("\r\u{1B}[K" + String(s.prefix(100))) }

    func clear() { write("\r\u{1B}[K") }

    private func write(_ s: String) {
        guard enabled else { return }
        writing.withLock { _ in FileHandle.standardError.write(Data(s.utf8)) }
    }
}
