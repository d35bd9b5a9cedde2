import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// `ladder progress import` as a process of its own beside this one (the preview server's
/// side): killed with SIGKILL in the middle, and running while a learner commits.
@Suite(.serialized)
struct ProgressImportProcessTests {
    /// A store with a small import in it, and a generic CSV large enough that importing it
    /// takes seconds in a debug build.
    struct Scratch {
        let base: URL
        var db: String { base.appendingPathComponent("progress.sqlite").path }
        var big: String { base.appendingPathComponent("big.csv").path }
        var small: String { base.appendingPathComponent("small.csv").path }

        init() throws {
            base = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-import-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
            try BenchmarkData.writeCSV(path: big, learners: 600, items: 100, attempts: 1)
            try BenchmarkData.writeCSV(path: small, learners: 3, items: 10, attempts: 1)
        }

        func remove() { try? FileManager.default.removeItem(at: base) }

        func importProcess(_ file: String) throws -> Process {
            let p = Process()
            p.executableURL = try Ladder.executable()
            p.arguments = ["progress", "import", "--from", "csv", "--db", db, file]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }

        /// Waits until the import process holds the store's import lock (it has written its
        /// name into the lock file); false if it never did.
        func waitForImportLock(_ p: Process) -> Bool {
            let lock = db + "-import.lock"
            for _ in 0..<3000 where p.isRunning {
                if let text = try? String(contentsOfFile: lock, encoding: .utf8), text.contains("pid \(p.processIdentifier)") { return true }
                usleep(10_000)
            }
            return false
        }
    }

    @Test func anImportKilledMidwayLeavesTheStoreAsBeforeAndTheNextImportWorks() throws {
        let s = try Scratch()
        defer { s.remove() }
        let store = try ProgressStore(path: s.db)
        _ = try store.importFiles([s.small], options: ImportOptions(source: .csv))
        let before = try store.snapshotText()
        for delay in [200_000, 700_000] as [UInt32] {
            let p = try s.importProcess(s.big)
            #expect(s.waitForImportLock(p))
            usleep(delay)
            #expect(p.isRunning, "the import ended before it could be killed")
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            #expect(p.terminationReason == .uncaughtSignal)
            // Nothing of the killed import is visible, and nothing it held stays locked.
            #expect(try ProgressStore(path: s.db).snapshotText() == before)
        }
        let p = try s.importProcess(s.big)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        // The small file's 30 attempts are keys of the big one (same learners and items).
        #expect(try store.scalarInt("SELECT COUNT(*) FROM attempts") == 60_000)
        #expect(try store.summaryDrift() == 0)
        let again = try store.importFiles([s.big], options: ImportOptions(source: .csv))
        #expect(again.changed == 0 && again.files.allSatisfy(\.alreadyImported))
    }

    @Test func aLearnerCommitsWhileAnImportProcessRuns() throws {
        let s = try Scratch()
        defer { s.remove() }
        let preview = try ProgressStore(path: s.db)
        let key = SCOKey(learner: "ana", package: "bench", sco: "ITEM-probe-assessment")
        let p = try s.importProcess(s.big)
        #expect(s.waitForImportLock(p))
        usleep(300_000)
        #expect(p.isRunning, "the import ended before the commit")
        for n in 1...5 {
            let state = CMIState(attempt: 1, values: ["cmi.core.lesson_status": "incomplete", "cmi.core.score.raw": "\(n)"], interactions: [])
            try preview.commitRuntime(key, state: state, learnerName: "Ana", curriculum: "bench")
            #expect(try preview.runtimeState(key) == state)
        }
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        // The import is complete and the last commit is the stored one.
        #expect(try preview.scalarInt("SELECT COUNT(*) FROM attempts WHERE learner_id LIKE 'learner-%'") == 60_000)
        #expect(try preview.scalarInt("SELECT CAST(score AS INTEGER) FROM attempts WHERE learner_id = 'ana'") == 5)
        #expect(try preview.summaryDrift() == 0)
    }
}
