import Foundation
import GRDB
import Testing

@testable import LadderCore
@testable import LadderProgress

/// An import skips the merge statement for a row the merge would not change
/// (`StoredAttempts`). The skip must answer exactly what the statement's `WHERE` answers:
/// a wrong "unchanged" would keep a stale status, score or date, and a wrong "ready" with it.
@Suite("Progress: re-import skips unchanged rows")
struct ReimportSkipTests {
    /// Values chosen to meet at the edges of the merge: missing values, equal values, texts
    /// equal to Swift but not to SQLite ("é" composed and decomposed), dates before and after,
    /// an empty text, -0.0 against 0.0.
    struct Pools {
        static let kinds = ["module", "assessment", "\u{E9}", "e\u{301}"]
        static let levels: [String?] = [nil, "P1", "P2", "\u{E9}", "e\u{301}"]
        static let scores: [Double?] = [nil, 0, -0.0, 50, 50.000_000_1, 100]
        static let dates: [String?] = [nil, "", "2026-01-01", "2026-01-01T10:00:00Z", "2026-01-02", "2026-01-02T00:00:00Z"]
        static let seconds: [Int?] = [nil, 0, 60, 61]
        static let people: [String?] = [nil, "", "Ann", "Ann ", "\u{C5}sa", "A\u{30A}sa"]
    }

    struct Generator {
        var seed: UInt64
        mutating func pick<T>(_ xs: [T]) -> T {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return xs[Int((seed >> 33) % UInt64(xs.count))]
        }
        mutating func record(learner: String, item: String, attempt: Int) -> AttemptRecord {
            var r = AttemptRecord(learner: learner, curriculum: "c", item: item, attempt: attempt, status: pick(LessonStatus.allCases))
            r.kind = pick(Pools.kinds)
            r.level = pick(Pools.levels)
            r.score = pick(Pools.scores)
            r.scoreMax = pick(Pools.scores)
            r.startedAt = pick(Pools.dates)
            r.lastAt = pick(Pools.dates)
            r.seconds = pick(Pools.seconds)
            r.observer = pick(Pools.people)
            r.signedAt = pick(Pools.dates)
            return r
        }
    }

    /// For thousands of stored/incoming pairs (the same key), "unchanged" is true exactly when
    /// the merge statement changes nothing; afterwards a second look at a written row is never
    /// "unchanged" from stale values.
    @Test func unchangedIsExactlyWhatTheMergeStatementSays() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        var g = Generator(seed: 42)
        var skips = 0
        var merges = 0
        try s.pool.write { db in
            let stored = try StoredAttempts(db: db)
            for n in 0..<4000 {
                // Two attempts per learner so the look-up searches; the first is the one compared.
                let learner = "learner-\(n)"
                let first = g.record(learner: learner, item: "item-\(n % 7).module", attempt: 1)
                _ = try ProgressWriter.mergeAttempt(db, first, source: "csv", batch: 1)
                _ = try ProgressWriter.mergeAttempt(db, g.record(learner: learner, item: "item-\(n % 5).module", attempt: 2), source: "csv", batch: 1)
                var incoming = g.record(learner: learner, item: first.item, attempt: 1)
                // Half the time start from the stored row, so that "unchanged" happens often.
                if n % 2 == 0 {
                    let keep = incoming
                    incoming = first
                    if n % 4 == 0 { incoming.score = keep.score; incoming.startedAt = keep.startedAt }
                    if n % 8 == 0 { incoming.observer = keep.observer; incoming.level = keep.level; incoming.status = keep.status }
                }
                let predicted = try stored.unchanged(incoming)
                let changed = try ProgressWriter.mergeAttempt(db, incoming, source: "csv", batch: 2)
                #expect(predicted == !changed, "n=\(n) stored \(first) incoming \(incoming)")
                if predicted { skips += 1 } else { merges += 1 }
                stored.wrote(incoming)
                if changed {
                    // The row was written: never "unchanged" from what was read before it.
                    #expect(try stored.unchanged(incoming) == false)
                }
            }
        }
        // Both answers were exercised, many times.
        #expect(skips > 500)
        #expect(merges > 500)
    }

    /// Files imported one after another land the same store whether unchanged rows skip the
    /// merge or not: a first file, an overlapping one with some values changed (rows out of
    /// order, a learner split in two runs, a key twice), then the first again.
    @Test func importsWithAndWithoutTheSkipLandTheSameStore() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-skip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let header = "learner,name,item_level,item,attempt,status,score,score_max,started,last,seconds,observer\n"
        var g = Generator(seed: 7)
        func rows(_ variant: Int) -> [String] {
            var out: [String] = []
            for l in 0..<12 {
                for i in 0..<6 {
                    for a in 1...2 {
                        let status = g.pick(["incomplete", "completed", "passed", "failed", "not attempted"])
                        let score = g.pick(["", "50", "80", "80.0", "90"])
                        let day = g.pick(["2026-01-01", "2026-01-02", "2026-01-03T09:00:00Z", ""])
                        let secs = g.pick(["", "60", "120"])
                        let observer = variant > 0 ? g.pick(["", "Ann", "Bo"]) : ""
                        out.append("learner-\(l),Learner \(l),P\(1 + i / 2),item-\(i).\(["module", "assessment", "shadowing"][i % 3]),\(a),\(status),\(score),\(score.isEmpty ? "" : "100"),\(day),\(day),\(secs),\(observer)")
                    }
                }
            }
            return out
        }
        let first = rows(0)
        var second = rows(1)
        // Out of order, and one key twice with different values.
        second.swapAt(3, 40)
        second.swapAt(10, 100)
        second.append(first[5])
        second.append(first[6])
        try (header + first.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        try (header + second.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("b.csv"), atomically: true, encoding: .utf8)
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        var snapshots: [String] = []
        var changes: [[Int]] = []
        for skip in [true, false] {
            let s = try freshStore()
            defer { removeStore(s) }
            var options = ImportOptions(source: .csv)
            options.hooks.skipUnchanged = skip
            var changed: [Int] = []
            for f in ["a.csv", "b.csv", "a.csv", "b.csv"] {
                let sum = try s.importFiles([dir.appendingPathComponent(f).path], options: options, now: now)
                #expect(sum.issues.isEmpty, "\(sum.issues)")
                changed.append(sum.changed)
            }
            #expect(try s.summaryDrift() == 0)
            snapshots.append(try snapshot(s))
            changes.append(changed)
        }
        #expect(changes[0] == changes[1])
        #expect(changes[0][1] > 0)
        #expect(snapshots[0] == snapshots[1])
    }

    /// Rows not grouped by learner would read each learner's attempts again and again: the
    /// reads stop past their budget, and the rows still merge correctly.
    @Test func ungroupedRowsStopTheReadsAndStillMerge() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        try s.pool.write { db in
            for l in 0..<20 {
                for i in 0..<20 {
                    _ = try ProgressWriter.mergeAttempt(db, AttemptRecord(learner: "l\(l)", curriculum: "", item: "i\(i).module", attempt: 1, status: .incomplete), source: "csv", batch: 1)
                }
            }
            let stored = try StoredAttempts(db: db, margin: 50)
            var answers: [Bool] = []
            // Item-major order: every row is another learner.
            for i in 0..<20 {
                for l in 0..<20 {
                    answers.append(try stored.unchanged(AttemptRecord(learner: "l\(l)", curriculum: "", item: "i\(i).module", attempt: 1, status: .incomplete)))
                }
            }
            #expect(stored.enabled == false)
            #expect(answers.prefix(3).allSatisfy { $0 })
            #expect(answers.suffix(100).allSatisfy { !$0 })
            // A changed row is never called unchanged, budget or not.
            #expect(try stored.unchanged(AttemptRecord(learner: "l0", curriculum: "", item: "i0.module", attempt: 1, status: .passed)) == false)
        }
    }
}
