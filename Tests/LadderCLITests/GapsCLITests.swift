import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// `ladder gaps -o` never writes over one of its inputs, and a refused or failed run leaves
/// the output file as it was.
@Suite("ladder gaps output")
struct GapsCLITests {
    @Test func outputOntoTheLearnersFileIsRefusedAndTheFileIsKept() throws {
        let root = try Ladder.copySample()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let cohort = root.appendingPathComponent("learners/cohort.csv")
        let before = try Data(contentsOf: cohort)
        let link = root.deletingLastPathComponent().appendingPathComponent("alias.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: cohort)
        for output in [cohort.path, root.path + "/learners/../learners/cohort.csv", link.path] {
            let run = try Ladder.run(["gaps", root.path, "--learners", cohort.path, "--format", "csv", "-o", output])
            #expect(run.status == 73)
            #expect(
                run.stderr == "error: \(output): refusing to write the report there: it is the --learners file '\(cohort.path)', which this command reads; choose another output path\n",
                "\(run.stderr)")
            #expect(try Data(contentsOf: cohort) == before, "the learners file is untouched (-o \(output))")
        }
    }

    @Test func outputIsWrittenWholeAndAFailedRunKeepsTheOldFile() throws {
        let root = try Ladder.copySample()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let cohort = root.appendingPathComponent("learners/cohort.csv").path
        let out = root.deletingLastPathComponent().appendingPathComponent("gaps.csv")
        let ok = try Ladder.run(["gaps", root.path, "--learners", cohort, "--format", "csv", "-o", out.path])
        #expect(ok.status == 0, "\(ok.stderr)")
        let written = try String(contentsOf: out, encoding: .utf8)
        #expect(written.hasPrefix("learner_id,name,current_level"))
        // A bad cohort: nothing is written, the earlier report stays.
        let bad = root.deletingLastPathComponent().appendingPathComponent("bad.csv")
        try "learner_id,name,current_level,target_level\nx,X,P9,P1\n".write(to: bad, atomically: true, encoding: .utf8)
        let failed = try Ladder.run(["gaps", root.path, "--learners", bad.path, "--format", "csv", "-o", out.path])
        #expect(failed.status == 1)
        #expect(try String(contentsOf: out, encoding: .utf8) == written)
        let left = try FileManager.default.contentsOfDirectory(atPath: root.deletingLastPathComponent().path).sorted()
        #expect(left == ["bad.csv", "customer-service", "gaps.csv"], "no temporary files")
    }

    /// `build --track gaps` reads the cohort one learner at a time and keeps only the tracks
    /// and learner ids: its packages and ledger are the bytes of a build from the report
    /// analysed whole, the way gap builds were made before.
    @Test func aStreamedGapBuildWritesThePackagesOfAWholeReportBuild() throws {
        let root = try Ladder.copySample()
        let parent = root.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: parent) }
        let cohort = root.appendingPathComponent("learners/cohort.csv").path
        let streamed = parent.appendingPathComponent("streamed")
        let run = try Ladder.run(["build", root.path, "--learners", cohort, "--track", "gaps", "--lms", "moodle", "--package", "track", "--out", streamed.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("dana: no gaps against P2; no package"), "\(run.stdout)")

        let loaded = CurriculumLoader.load(folder: root.path)
        let c = try #require(loaded.curriculum)
        let plan = Planner.plan(c)
        let profiles = LearnerProfileLoader.load(path: cohort, curriculum: c).profiles
        let report = GapAnalyzer.analyze(c, plan: plan, learners: profiles)
        let whole = parent.appendingPathComponent("whole")
        // The same schemas as the command, which reads $LADDER_SCHEMAS when it is set (they put
        // the control documents into every package).
        let schemas = ProcessInfo.processInfo.environment["LADDER_SCHEMAS"].map { URL(fileURLWithPath: $0) }
        let request = BuildRequest(tracks: report.tracks, lms: .moodle, mode: .track, outputFolder: whole, schemasFolder: schemas, jobs: 1)
        _ = try PackageBuilder(curriculum: c, plan: plan).build(request, learnersByTrack: report.learnersByTrack, cohort: Set(profiles.map(\.id)))

        let fm = FileManager.default
        let a = streamed.appendingPathComponent(c.id)
        let b = whole.appendingPathComponent(c.id)
        let files = try fm.subpathsOfDirectory(atPath: b.path).sorted()
        // The command also publishes the load cache it read pages through; the library build loaded none.
        #expect(try fm.subpathsOfDirectory(atPath: a.path).sorted() == (files + ["load-cache.json"]).sorted())
        #expect(files.filter { $0.hasSuffix(".zip") }.count == report.tracks.count)
        #expect(files.contains("ledger.json"))
        for f in files {
            var isFolder: ObjCBool = false
            guard fm.fileExists(atPath: b.appendingPathComponent(f).path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            // The build and load caches record the sources' modification times and when they were read.
            if f == "build-cache.json" || f == "load-cache.json" { continue }
            #expect(try Data(contentsOf: a.appendingPathComponent(f)) == Data(contentsOf: b.appendingPathComponent(f)), "\(f) differs")
        }
    }
}
