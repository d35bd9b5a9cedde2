import Foundation
import TestSupport
import Testing

/// `ladder build --lms moodle --format mbz` and `ladder validate` on the backups, end to end;
/// and, where a Moodle is at hand, the backups restored by Moodle's own restore.
@Suite("ladder build --format mbz")
struct MoodleBackupCLITests {
    static func buildBackup(_ out: URL, track: String = "onboarding-P1") throws -> (Ladder.Run, URL) {
        let run = try Ladder.run([
            "build", "curricula/customer-service", "--lms", "moodle", "--format", "mbz", "--track", "onboarding", "--level", "P1",
            "--out", out.path,
        ])
        return (run, out.appendingPathComponent("customer-service/\(track)/customer-service-\(track).mbz"))
    }

    @Test func buildWritesABackupPerTrackThatValidates() throws {
        let out = try TestSupport.temporaryFolder("ladder-mbz-cli")
        defer { try? FileManager.default.removeItem(at: out) }
        let (run, mbz) = try Self.buildBackup(out)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("and 1 course backup"), "\(run.stdout)")
        #expect(run.stdout.contains("onboarding-P1/customer-service-onboarding-P1.mbz"))
        #expect(run.stdout.contains("onboarding-P1/moodle-01-"), "--lms moodle builds single-SCO packages")
        let ledger = try String(contentsOf: out.appendingPathComponent("customer-service/ledger.json"), encoding: .utf8)
        #expect(ledger.contains("\"standard\" : \"Moodle backup (moodle2)\""))
        let validate = try Ladder.run(["validate", mbz.path])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        #expect(validate.stdout.hasPrefix("VALID \(mbz.path) (Moodle backup (moodle2), 15 SCOs"), "\(validate.stdout)")
    }

    @Test func mbzNeedsTheMoodleProfileAndSingleSCOPackages() throws {
        let out = try TestSupport.temporaryFolder("ladder-mbz-cli")
        defer { try? FileManager.default.removeItem(at: out) }
        let generic = try Ladder.run(["build", "curricula/customer-service", "--format", "mbz", "--out", out.path])
        #expect(generic.status == 64 && generic.stderr.contains("add --lms moodle"), "\(generic.status) \(generic.stderr)")
        let track = try Ladder.run(["build", "curricula/customer-service", "--lms", "moodle", "--format", "mbz", "--package", "track", "--out", out.path])
        #expect(track.status == 64 && track.stderr.contains("drop --package track"), "\(track.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty, "nothing written")
    }

    /// Restores the backup with Moodle's own admin/cli/restore_backup.php through the tools of
    /// `LADDER_MOODLE_TOOLS` (restore.sh prints `NEW COURSE ID: N`; dump_course.php prints the
    /// course as Moodle holds it), then deletes the course again.
    @Test func aRealMoodleRestoresTheBackup() throws {
        guard let tools = ProcessInfo.processInfo.environment["LADDER_MOODLE_TOOLS"], !tools.isEmpty else {
            print("skipped: set LADDER_MOODLE_TOOLS to a folder with restore.sh, dump_course.php and delete_course.php for a running Moodle")
            return
        }
        let out = try TestSupport.temporaryFolder("ladder-mbz-moodle")
        defer { try? FileManager.default.removeItem(at: out) }
        let (run, mbz) = try Self.buildBackup(out)
        #expect(run.status == 0, "\(run.stderr)")
        func sh(_ args: [String]) throws -> String {
            try Tool.run("/usr/bin/env", args, in: URL(fileURLWithPath: tools)).output
        }
        let restored = try sh(["./restore.sh", mbz.path])
        let id = try #require(restored.firstMatch(of: /NEW COURSE ID: (\d+)/)?.1, "\(restored)")
        defer { _ = try? sh(["php", "delete_course.php", String(id)]) }
        let dump = try sh(["php", "dump_course.php", String(id)])
        #expect(dump.contains("P1: Customer Service Representative I"), "\(dump)")
        #expect(dump.components(separatedBy: "customer-service.P1.").count > 15, "competency links restored")
    }
}
