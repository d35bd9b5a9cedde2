import Foundation
import Testing
import TestSupport

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// The store with two writers (issue 11, point 6): a real SQLite store on disk, an import on
/// one thread and, on others, the preview server's writes, a reader, or a second import, each
/// through a `ProgressStore` of its own (its own connections, as another process has). The
/// import's test hook stops it inside its transaction, so each interleaving happens for
/// certain, not by timing. Nothing here asserts a duration.
@Suite("Progress store: an import beside other writers and readers")
struct ProgressTwoWritersTests {
    /// A generic CSV of `learners` x `items` completed attempts for learners `<prefix>-N`.
    static func csv(prefix: String, learners: Int, items: Int, status: String = "completed") throws -> String {
        var text = "learner,name,item_level,item,attempt,status,score,score_max,started,last,seconds,observer\n"
        for l in 0..<learners {
            for i in 0..<items {
                text += "\(prefix)-\(l),Learner \(l),P\(1 + i % 5),resp-\(i).module,1,\(status),,,2026-01-05,2026-01-06,60,\n"
            }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-\(prefix)-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let key = SCOKey(learner: "ana", package: "customer-service-onboarding-P1", sco: "ITEM-inform-customers-assessment")
    static let passed = CMIState(
        attempt: 1, values: ["cmi.core.lesson_status": "passed", "cmi.core.score.raw": "85"],
        interactions: [["id": "opening-order", "type": "choice", "student_response": "a", "result": "correct"]])

    /// Options whose hook runs `body` once, after `at` rows, inside the import's transaction.
    static func pausing(at: Int, _ body: @escaping @Sendable () throws -> Void) -> ImportOptions {
        var o = ImportOptions(source: .csv)
        o.hooks.everyRows = at
        o.hooks.afterRows = { n in if n == at { try body() } }
        return o
    }

    @Test func aCommitDuringAnImportSucceedsAndLandsAfterIt() throws {
        let store = try freshStore()
        defer { removeStore(store) }
        let file = try Self.csv(prefix: "a", learners: 30, items: 100)
        defer { try? FileManager.default.removeItem(atPath: file) }
        // The preview server's own connections to the same file.
        let preview = try ProgressStore(path: store.path)
        let outcome = Outcome()
        let options = Self.pausing(at: 1500) {
            // The import holds the store's write lock here. Today's store made this commit
            // wait its 10 s busy timeout and fail with "database is locked".
            outcome.set {
                try preview.commitRuntime(Self.key, state: Self.passed, learnerName: "Ana", curriculum: "customer-service")
                // The preview reads back what the learner committed at once.
                guard try preview.runtimeState(Self.key) == Self.passed else {
                    throw TestFailure("\(preview.path): the commit is not what the preview reads back")
                }
            }
        }
        let summary = try store.importFiles([file], options: options)
        #expect(outcome.done)
        #expect(outcome.error == nil, "the commit failed: \(outcome.error.map { "\($0)" } ?? "")")
        // The import is complete, and the commit landed after it, for the reports too.
        #expect(summary.rows == 3000 && summary.committed)
        #expect(try count(store, "SELECT COUNT(*) FROM attempts WHERE learner_id LIKE 'a-%'") == 3000)
        #expect(try store.runtimeState(Self.key) == Self.passed)
        #expect(try count(store, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'ana' AND status = 5 AND source = 'preview'") == 1)
        #expect(try count(store, "SELECT COUNT(*) FROM item_progress WHERE learner_id = 'ana' AND status = 5") == 1)
        #expect(try store.inbox.pending().isEmpty)
        #expect(try store.summaryDrift() == 0)
    }

    @Test func aNewAttemptDuringAnImportIsNumberedAfterTheWaitingOnes() throws {
        let store = try freshStore()
        defer { removeStore(store) }
        let preview = try ProgressStore(path: store.path)
        try preview.commitRuntime(Self.key, state: Self.passed, learnerName: "Ana", curriculum: "customer-service")
        let file = try Self.csv(prefix: "n", learners: 5, items: 40)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let numbers = Views()
        let outcome = Outcome()
        let options = Self.pausing(at: 100) {
            outcome.set {
                numbers.add("first", "\(try preview.startNewAttempt(Self.key))")
                numbers.add("second", "\(try preview.startNewAttempt(Self.key))")
            }
        }
        _ = try store.importFiles([file], options: options)
        #expect(outcome.error == nil, "\(outcome.error.map { "\($0)" } ?? "")")
        #expect(numbers.all.map(\.1) == ["2", "3"])
        #expect(try count(store, "SELECT COUNT(*) FROM runtime WHERE learner_id = 'ana'") == 3)
        #expect(try preview.startNewAttempt(Self.key) == 4)
    }

    @Test func aReaderDuringAnImportSeesTheStoreBeforeOrAfterItNeverPartOfIt() throws {
        let store = try freshStore()
        defer { removeStore(store) }
        let first = try Self.csv(prefix: "r", learners: 10, items: 30, status: "incomplete")
        let second = try Self.csv(prefix: "r", learners: 20, items: 30)
        defer { for f in [first, second] { try? FileManager.default.removeItem(atPath: f) } }
        _ = try store.importFiles([first], options: ImportOptions(source: .csv))
        let before = try snapshot(store)
        let reader = try ProgressStore(path: store.path)
        let views = Views()
        var options = ImportOptions(source: .csv)
        options.hooks.everyRows = 50
        options.hooks.afterRows = { n in
            views.add("after \(n) rows", try snapshot(reader))
            // A store opened now (a report, a preview server starting) opens without waiting.
            views.add("opened after \(n) rows", try snapshot(try ProgressStore(path: reader.path)))
        }
        let summary = try store.importFiles([second], options: options)
        #expect(summary.rows == 600 && summary.changed > 0)
        #expect(views.all.count == 24, "the reader looked in the middle of the import")
        for (when, view) in views.all { #expect(view == before, "\(when): the reader saw part of the import") }
        #expect(try snapshot(reader) != before)
        #expect(try count(reader, "SELECT COUNT(*) FROM attempts WHERE learner_id LIKE 'r-%' AND status = 4") == 600)
        #expect(try reader.summaryDrift() == 0)
    }

    @Test func twoImportsAtOnceRunOneAfterTheOtherAndTheSecondSaysWhoItWaitsFor() throws {
        let store = try freshStore()
        defer { removeStore(store) }
        let first = try Self.csv(prefix: "x", learners: 10, items: 30)
        let second = try Self.csv(prefix: "y", learners: 12, items: 30)
        defer { for f in [first, second] { try? FileManager.default.removeItem(atPath: f) } }
        let started = DispatchSemaphore(value: 0)
        let told = DispatchSemaphore(value: 0)
        let notes = Views()
        // The first import stops inside its transaction until the second has been told it waits.
        let holding = Self.pausing(at: 100) {
            started.signal()
            _ = told.wait(timeout: .now() + 60)
        }
        var waiting = ImportOptions(source: .csv)
        waiting.onWait = { message in
            notes.add("wait", message)
            told.signal()
        }
        let other = try ProgressStore(path: store.path)
        let firstOutcome = Outcome()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { firstOutcome.set { _ = try store.importFiles([first], options: holding) } }
        _ = started.wait(timeout: .now() + 60)
        // Today the second import failed with "database is locked" once its busy timeout ran out.
        let secondSummary = try other.importFiles([second], options: waiting)
        group.wait()
        #expect(firstOutcome.error == nil, "\(firstOutcome.error.map { "\($0)" } ?? "")")
        #expect(secondSummary.rows == 360 && secondSummary.committed)
        let note = try #require(notes.all.first?.1)
        #expect(note.hasPrefix("another import is writing the progress store (pid \(getpid()), started "))
        #expect(note.contains("importing \(first)"))
        #expect(try count(store, "SELECT COUNT(*) FROM attempts WHERE learner_id LIKE 'x-%'") == 300)
        #expect(try count(store, "SELECT COUNT(*) FROM attempts WHERE learner_id LIKE 'y-%'") == 360)
        #expect(try count(store, "SELECT COUNT(*) FROM import_batches") == 2)
        #expect(try store.summaryDrift() == 0)
    }

    @Test func anImportStoppedMidwayLeavesTheStoreAsBeforeAndTheNextOneWorks() throws {
        struct Crash: Error {}
        let store = try freshStore()
        defer { removeStore(store) }
        _ = try importAllFixtures(store)
        let before = try snapshot(store)
        let file = try Self.csv(prefix: "k", learners: 20, items: 20)
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(throws: Crash.self) { try store.importFiles([file], options: Self.pausing(at: 250) { throw Crash() }) }
        #expect(try snapshot(store) == before)
        let again = try store.importFiles([file], options: ImportOptions(source: .csv))
        #expect(again.rows == 400 && again.changed > 0)
        let third = try store.importFiles([file], options: ImportOptions(source: .csv))
        #expect(third.changed == 0 && third.files.allSatisfy(\.alreadyImported))
        #expect(try store.summaryDrift() == 0)
    }

    @Test func aReimportAcrossManyReadBatchesChangesNothing() throws {
        let store = try freshStore()
        defer { removeStore(store) }
        // More rows than several of the reading thread's batches of 1,024.
        let file = try Self.csv(prefix: "i", learners: 50, items: 100)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let first = try store.importFiles([file], options: ImportOptions(source: .csv))
        #expect(first.rows == 5000 && first.files[0].attempts == 5000)
        let after = try snapshot(store)
        let again = try store.importFiles([file], options: ImportOptions(source: .csv))
        #expect(again.changed == 0 && again.files.allSatisfy(\.alreadyImported))
        #expect(try snapshot(store) == after)
    }

    @Test func inboxEntriesAppliedTwiceGiveTheSameStore() throws {
        let store = try freshStore()
        defer { removeStore(store) }
        var failed = Self.passed
        failed.values["cmi.core.lesson_status"] = "failed"
        let at = Date(timeIntervalSince1970: 1_773_000_000)
        for state in [failed, Self.passed] {
            try store.inbox.append { _ in
                PreviewInbox.Entry(operation: .commit, key: Self.key, state: state, learnerName: "Ana", curriculum: "cs", at: at)
            }
        }
        // Before any writer applied them, the preview reads its latest commit.
        #expect(try store.runtimeState(Self.key) == Self.passed)
        #expect(try count(store, "SELECT COUNT(*) FROM runtime") == 0)
        // The next writer applies them in order: the later commit wins.
        #expect(try store.writeOrDefer { _ in })
        let applied = try snapshot(store)
        #expect(try count(store, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'ana' AND status = 5") == 1)
        #expect(try store.inbox.pending().isEmpty)
        // A writer killed after its commit and before deleting them: applied again, same store.
        for state in [failed, Self.passed] {
            try store.inbox.append { _ in
                PreviewInbox.Entry(operation: .commit, key: Self.key, state: state, learnerName: "Ana", curriculum: "cs", at: at)
            }
        }
        #expect(try store.writeOrDefer { _ in })
        #expect(try snapshot(store) == applied)
    }
}

/// A result set on another thread, read once it is done.
final class Outcome: Sendable {
    private let state = Locked<(error: (any Error)?, done: Bool)>((nil, false))
    func set(_ body: () throws -> Void) {
        do { try body() } catch {
            state.withLock { $0.error = error }
        }
        state.withLock { $0.done = true }
    }
    var error: (any Error)? { state.withLock { $0.error } }
    var done: Bool { state.withLock { $0.done } }
}

/// What other threads saw, in order.
final class Views: Sendable {
    private let list = Locked<[(String, String)]>([])
    func add(_ when: String, _ view: String) { list.withLock { $0.append((when, view)) } }
    var all: [(String, String)] { list.withLock { $0 } }
}
