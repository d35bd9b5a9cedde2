import Foundation
import TestSupport
import Testing

/// `ladder build` with nothing to do (issue 15, point 2): the same report as a rebuild that
/// finds every package unchanged, without writing anything.
@Suite("ladder build, no-op")
struct NoOpBuildCLITests {
    static func inode(_ path: String) -> UInt64? {
        var st = stat()
        return stat(path, &st) == 0 ? UInt64(st.st_ino) : nil
    }

    /// The report with the timing taken out ("in 0.12 s").
    static func report(_ run: Ladder.Run) -> String {
        run.stdout.replacing(#/ in [0-9]+\.[0-9]+ s → /#, with: " in (time) → ")
    }

    @Test func aNoOpBuildPrintsWhatAFullNoOpRebuildPrintsAndWritesNothing() throws {
        let root = try Ladder.copySample()
        let parent = root.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: parent) }
        let out = parent.appendingPathComponent("exports").path
        let build = ["build", root.path, "--out", out, "--lms", "talentlms", "--level", "P2"]
        let ledger = out + "/customer-service/ledger.json"
        // Stamps are trusted only for files that last changed two seconds before the build.
        Thread.sleep(forTimeInterval: 2.1)
        let first = try Ladder.run(build)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(FileManager.default.fileExists(atPath: out + "/customer-service/load-cache.json"), "the load cache is published with the packages")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == [".customer-service.lock", "customer-service"])

        // A page touched, not changed: the no-op check cannot tell, the full rebuild can.
        let page = root.appendingPathComponent("modules/inform-customers/02-explaining-clearly.md").path
        #expect(utimensat(AT_FDCWD, page, nil, 0) == 0)
        let full = try Ladder.run(build)
        #expect(full.status == 0, "\(full.stderr)")
        #expect(full.stdout.contains("\nchanges: ") && !full.stdout.contains("[new]"), "\(full.stdout)")
        let rebuiltLedger = Self.inode(ledger)
        #expect(rebuiltLedger != nil)

        // Two seconds on, the stamps stand: a rebuild records them, and the one after it is a no-op.
        Thread.sleep(forTimeInterval: 2.1)
        let recorded = try Ladder.run(build)
        #expect(Self.report(recorded) == Self.report(full))
        let published = Self.inode(ledger)
        let noop = try Ladder.run(build)
        #expect(noop.status == 0 && noop.stderr == full.stderr, "\(noop.stderr)")
        #expect(Self.report(noop) == Self.report(full), "the same lines as the full rebuild")
        #expect(Self.report(noop).contains("[unchanged]") && !Self.report(noop).contains("[source changed]"))
        #expect(Self.inode(ledger) == published, "nothing published again")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == [".customer-service.lock", "customer-service"])

        // Another level: not the last build's options, built (and reported) as usual.
        let other = try Ladder.run(["build", root.path, "--out", out, "--lms", "talentlms", "--level", "P1"])
        #expect(other.status == 0 && Self.inode(ledger) != published, "\(other.stderr)")
    }
}
