import Foundation
import TestSupport
import Testing

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
}
