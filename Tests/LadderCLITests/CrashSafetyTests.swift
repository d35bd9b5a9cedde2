import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// `ladder build` run as a child process on the small warehouse curriculum: killed at random
/// moments, run twice at once, pointed at outputs it must not or cannot write.
@Suite(.serialized)
struct CrashSafetyTests {
    static let fixture = Ladder.repoRoot.appendingPathComponent("Tests/LadderKitTests/Fixtures/warehouse-associate")
    static let id = "warehouse-associate"

    /// A scratch folder holding a copy of the fixture (named as its id) and an exports folder.
    struct Scratch {
        let base: URL
        var curriculum: URL { base.appendingPathComponent(CrashSafetyTests.id) }
        var exports: URL { base.appendingPathComponent("exports") }
        var root: URL { exports.appendingPathComponent(CrashSafetyTests.id) }

        init() throws {
            base = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-crash-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: CrashSafetyTests.fixture, to: curriculum)
        }

        func remove() { try? FileManager.default.removeItem(at: base) }

        /// Revision `n` of the curriculum: a title every package carries.
        func revise(_ n: Int) throws {
            let url = curriculum.appendingPathComponent("curriculum.yaml")
            var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            lines[1] = "title: Warehouse Associate, revision \(n)"
            try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        }

        func build(_ extra: [String] = []) -> [String] {
            ["build", curriculum.path, "--out", exports.path, "--lms", "talentlms", "-j", "2"] + extra
        }
    }

    /// A started `ladder` child, its output going to files.
    final class Child {
        let process = Process()
        let stderr: URL
        init(_ arguments: [String], scratch: URL) throws {
            stderr = scratch.appendingPathComponent("stderr-\(UUID().uuidString)")
            FileManager.default.createFile(atPath: stderr.path, contents: nil)
            process.executableURL = try Ladder.executable()
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: stderr)
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        var errorText: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }
        func wait() -> Int32 {
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// The ledger's packages are exactly the zips under the folder, byte for byte (SHA-256 and
    /// size); returns the ledger's bytes, or nil when there is no published folder yet.
    static func ledgerMatchesFiles(_ root: URL) throws -> Data? {
        let fm = FileManager.default
        guard fm.fileExists(atPath: root.path) else { return nil }
        let bytes = try Data(contentsOf: root.appendingPathComponent("ledger.json"))
        let ledger = try JSONDecoder().decode(Ledger.self, from: bytes)
        var zips = Set<String>()
        for case let relative as String in fm.enumerator(atPath: root.path)! where relative.hasSuffix(".zip") || relative.contains(".tmp-") {
            zips.insert(relative)
        }
        #expect(zips == Set(ledger.packages.map(\.path)), "files other than the ledger's: \(zips.symmetricDifference(ledger.packages.map(\.path)).sorted())")
        for p in ledger.packages {
            let (sha, size) = try SHA256Hasher.file(root.appendingPathComponent(p.path).path)
            #expect(sha == p.sha256 && size == p.size, "\(p.path) differs from its ledger entry")
        }
        return bytes
    }

    @Test func buildsKilledAtRandomMomentsLeaveTheOldOrTheNewSetAndNoLitter() throws {
        let s = try Scratch()
        defer { s.remove() }
        // The two ledgers a finished build can leave: each revision built alone, untouched.
        var references: [Data] = []
        for n in 0..<2 {
            try s.revise(n)
            let alone = s.base.appendingPathComponent("reference-\(n)")
            let run = try Ladder.run(["build", s.curriculum.path, "--out", alone.path, "--lms", "talentlms"])
            #expect(run.status == 0, "\(run.stderr)")
            references.append(try Data(contentsOf: alone.appendingPathComponent("\(Self.id)/ledger.json")))
        }
        #expect(references[0] != references[1])

        try s.revise(0)
        let start = Date()
        #expect(try Child(s.build(), scratch: s.base).wait() == 0)
        let duration = Date().timeIntervalSince(start)
        var outcomes = [0, 0, 0]  // old set, new set, finished before the kill
        for i in 1...60 {
            try s.revise(i % 2)
            let child = try Child(s.build(), scratch: s.base)
            usleep(UInt32(Double.random(in: 0...(duration * 1.2)) * 1_000_000))
            kill(child.process.processIdentifier, SIGKILL)
            let status = child.wait()
            let ledger = try #require(try Self.ledgerMatchesFiles(s.root), "kill \(i): no published folder")
            #expect(references.contains(ledger), "kill \(i): the ledger is neither the old nor the new one")
            if child.process.terminationReason == .exit { outcomes[2] += 1 } else { outcomes[ledger == references[i % 2] ? 1 : 0] += 1 }
            _ = status
        }
        print("60 kills: \(outcomes[0]) left the old set, \(outcomes[1]) the new set, \(outcomes[2]) builds had finished; build took \(String(format: "%.2f", duration)) s")

        // A good build removes whatever the dead ones left.
        #expect(try Child(s.build(), scratch: s.base).wait() == 0)
        _ = try Self.ledgerMatchesFiles(s.root)
        let top = try FileManager.default.contentsOfDirectory(atPath: s.exports.path).sorted()
        #expect(top == [".\(Self.id).lock", Self.id], "nothing but the lock file beside the folder")
        let hidden = FileManager.default.enumerator(atPath: s.root.path)!.compactMap { $0 as? String }
            .filter { ($0 as NSString).lastPathComponent.hasPrefix(".") }
        #expect(hidden.isEmpty, "no temporary files: \(hidden)")
    }

    @Test func aSecondBuildWaitsForTheLockAndSaysWhoHoldsIt() throws {
        let s = try Scratch()
        defer { s.remove() }
        let publication = try ExportsPublication(outputFolder: s.exports, curriculum: Self.id)
        var lock: ExportsLock? = try ExportsLock.acquire(publication.lockPath, command: "the lock test", waiting: { _ in })
        let child = try Child(s.build(), scratch: s.base)
        var waited = 0.0
        while !child.errorText.contains("waiting for"), waited < 30 {
            usleep(50_000)
            waited += 0.05
        }
        #expect(child.process.isRunning, "the second build waits")
        let expected = "waiting for \(s.exports.path)/\(Self.id)/: another build holds its lock (pid \(getpid()), started "
        #expect(child.errorText.contains(expected), "\(child.errorText)")
        #expect(child.errorText.contains("the lock test); this build goes on when that one ends"))
        #expect(!FileManager.default.fileExists(atPath: s.root.path), "nothing is written while it waits")
        withExtendedLifetime(lock) {}
        lock = nil
        #expect(child.wait() == 0, "\(child.errorText)")
        #expect(try Self.ledgerMatchesFiles(s.root) != nil)
    }

    @Test func twoBuildsAtOnceBothFinishWithAMatchingLedger() throws {
        let s = try Scratch()
        defer { s.remove() }
        let a = try Child(s.build(), scratch: s.base)
        let b = try Child(s.build(["--package", "module"]), scratch: s.base)
        #expect(a.wait() == 0 && b.wait() == 0, "\(a.errorText)\(b.errorText)")
        _ = try Self.ledgerMatchesFiles(s.root)
    }

    @Test func anOutFolderThatIsAFileIsSaidPlainly() throws {
        let s = try Scratch()
        defer { s.remove() }
        let file = s.base.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        let run = try Ladder.run(["build", s.curriculum.path, "--out", file.path])
        #expect(run.status == 73)
        #expect(run.stderr.hasSuffix("error: \(file.path): cannot create the folder: it exists and is a file, not a folder; choose a folder path\n"), "\(run.stderr)")
        #expect(!run.stderr.contains("NSCocoaErrorDomain"))
        let below = try Ladder.run(["build", s.curriculum.path, "--out", file.path + "/exports"])
        #expect(below.stderr.hasSuffix("error: \(file.path): cannot create the folder: it exists and is a file, not a folder; choose a folder path\n"), "\(below.stderr)")
    }

    @Test func aBuildNeverWritesOverItsCurriculum() throws {
        let s = try Scratch()
        defer { s.remove() }
        let run = try Ladder.run(["build", s.curriculum.path, "--out", s.base.path])
        #expect(run.status == 73)
        #expect(
            run.stderr.hasSuffix(
                "error: \(s.curriculum.path): refusing to write the exports folder there: it is the curriculum folder '\(s.curriculum.path)', which this command reads; choose another output path\n"),
            "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.curriculum.appendingPathComponent("ledger.json").path))
    }

    /// A ledger that cannot be read is never replaced: a build of one track would otherwise
    /// publish a ledger without the other tracks' entries.
    @Test func aCorruptLedgerStopsABuildOfOneTrackAndKeepsTheOthersEntries() throws {
        let s = try Scratch()
        defer { s.remove() }
        let all = try Ladder.run(["build", s.curriculum.path, "--out", s.exports.path, "--track", "onboarding"])
        #expect(all.status == 0, "\(all.stderr)")
        let ledger = s.root.appendingPathComponent("ledger.json")
        let good = try Data(contentsOf: ledger)
        let tracks = Set(try JSONDecoder().decode(Ledger.self, from: good).packages.map(\.track))
        #expect(tracks.count > 1)
        let corrupt = good.prefix(good.count / 2)
        try corrupt.write(to: ledger)
        let files = try FileManager.default.subpathsOfDirectory(atPath: s.root.path).sorted()

        let one = try Ladder.run(["build", s.curriculum.path, "--out", s.exports.path, "--track", "onboarding", "--level", "W1"])
        #expect(one.status != 0)
        #expect(one.stderr.hasSuffix("\(ledger.path): cannot read the ledger of earlier builds: it is not valid JSON. It lists the packages of every track built into this folder, so Ladder does not replace it: restore it, or move it away and build every track again\n"), "\(one.stderr)")
        #expect(try Data(contentsOf: ledger) == corrupt, "the ledger is untouched")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: s.root.path).sorted() == files, "every track's packages are kept")
    }

    @Test func outputsThatAreInputsAreRefused() throws {
        let s = try Scratch()
        defer { s.remove() }
        let input = s.base.appendingPathComponent("cohort.csv")
        try Data("a,b\n".utf8).write(to: input)
        let hardLink = s.base.appendingPathComponent("link.csv")
        #expect(link(input.path, hardLink.path) == 0)
        let symbolic = s.base.appendingPathComponent("sym.csv")
        try FileManager.default.createSymbolicLink(at: symbolic, withDestinationURL: input)
        let inputs = [OutputSafety.Input(path: input.path, role: "the --learners file")]
        for output in [input.path, hardLink.path, symbolic.path, s.base.path + "/./cohort.csv"] {
            #expect(throws: OutputSafety.Overlap.self) { try OutputSafety.refuseOverwriting(output: output, role: "the report", inputs: inputs) }
        }
        try OutputSafety.refuseOverwriting(output: s.base.appendingPathComponent("gaps.csv").path, role: "the report", inputs: inputs)
        // A folder replaced as a whole may not hold an input; a file may sit beside inputs.
        #expect(throws: OutputSafety.Overlap.self) {
            try OutputSafety.refuseOverwriting(output: s.base.path, role: "the exports folder", replacesFolder: true, inputs: inputs)
        }
        try OutputSafety.refuseOverwriting(output: s.base.path, role: "the report", inputs: inputs)
    }

    static let canMount: Bool = {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return false }
        return (try? Tool.run("/usr/bin/unshare", ["-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"]))?.status == 0
    }()

    /// `ladder build` inside a private mount namespace, with `mount` options for a tmpfs at `mountPoint`.
    static func buildOnTmpfs(_ s: Scratch, options: String) throws -> (Int32, String) {
        let mountPoint = s.base.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let ladder = try Ladder.executable().path
        let script = "mount -t tmpfs -o \(options) tmpfs '\(mountPoint.path)' && exec '\(ladder)' build '\(s.curriculum.path)' --out '\(mountPoint.path)/exports'"
        let run = try Tool.run("/usr/bin/unshare", ["-m", "sh", "-c", script])
        return (run.status, run.stderr)
    }

    @Test(.enabled(if: canMount, "cannot mount a tmpfs in a private namespace (unshare -m): read-only and full-disk messages not checked"))
    func aReadOnlyDiskAndAFullDiskAreSaidPlainly() throws {
        let s = try Scratch()
        defer { s.remove() }
        let disk = s.base.appendingPathComponent("disk").path
        let (ro, roText) = try Self.buildOnTmpfs(s, options: "size=1m,ro")
        #expect(ro == 73)
        #expect(roText.hasSuffix("error: \(disk)/exports: cannot create the folder: the file system is read-only; choose a folder on a writable disk\n"), "\(roText)")
        let (full, fullText) = try Self.buildOnTmpfs(s, options: "size=64k")
        #expect(full == 74)
        let line = try #require(fullText.split(separator: "\n").last.map(String.init))
        #expect(line.wholeMatch(of: /error: .*\/exports\/warehouse-associate\/.*\.zip: cannot write the package: the disk is full; free some space or choose a folder on another disk/) != nil, "\(fullText)")
        for text in [roText, fullText] { #expect(!text.contains("NSCocoaErrorDomain") && !text.contains(".building")) }
    }
}
