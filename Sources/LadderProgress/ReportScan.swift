import Foundation
import GRDB
import GRDBSQLite
import LadderCore

/// What every format writes before the first learner: known from the plan (or the store's
/// items) and the options alone.
package struct ReportHeader {
    var curriculum: String
    var title: String
    var asOf: String
    var stalledDays: Int
    /// The levels shown (only `--level`'s when given), in rank order.
    var levels: [String]
    /// Every level of the curriculum (or the store), in rank order.
    var allLevels: [String]
    /// Item id → title (the plan's; without a plan, none: the ids are shown).
    var titles: [String: String]
    /// The item's title, else its id (without a plan there are no titles: no lookup).
    func title(_ id: String) -> String { titles.isEmpty ? id : titles[id] ?? id }
}

/// A report read learner by learner: the store's scan, or a report held in memory.
package protocol ReportSource {
    var header: ReportHeader { get }
    /// Calls `body` for each learner, in id order, then returns the cohort.
    func run(_ body: (LearnerProgress) throws -> Void) throws -> Cohort
}

extension ProgressStore {
    /// Builds the whole report in memory (for `ladder gaps --learners STORE` and tests). The
    /// `progress report` command streams instead: `ReportRenderer.write(store:…)`.
    public func report(_ options: ReportOptions) throws -> ProgressReport {
        try withReport(options) { source in
            var learners: [LearnerProgress] = []
            let cohort = try source.run { learners.append($0) }
            let h = source.header
            return ProgressReport(
                curriculum: h.curriculum, title: h.title, asOf: h.asOf, stalledDays: h.stalledDays, levels: h.levels,
                titles: h.titles, learners: learners, cohort: cohort)
        }
    }

    /// Runs `body` with the store's report source, inside one read snapshot.
    func withReport<T>(_ options: ReportOptions, _ body: (ReportSource) throws -> T) throws -> T {
        try pool.read { db in try body(try ReportScan(db: db, options: options)) }
    }
}

extension ProgressReport: ReportSource {
    package var header: ReportHeader {
        ReportHeader(curriculum: curriculum, title: title, asOf: asOf, stalledDays: stalledDays, levels: levels, allLevels: levels, titles: titles ?? [:])
    }
    package func run(_ body: (LearnerProgress) throws -> Void) throws -> Cohort {
        for l in learners { try body(l) }
        return cohort
    }
}

/// One required item of a level.
private struct RequiredItem {
    var id: String
    var kind: String
    var level: Int
    var mastery: Int?
}

/// The store's report, one learner at a time: a merge of the learners (in id order) with their
/// item summaries (`item_progress`, in the same order), read through SQLite's C API without
/// building a row object per summary. Memory holds one learner's items, the enrolments and
/// the cohort's counts and lists, never the whole report.
package final class ReportScan: ReportSource {
    let db: Database
    let options: ReportOptions
    package let header: ReportHeader
    private let levels: [String]
    private let items: [RequiredItem]
    private let byLevel: [[Int]]
    /// Item ids as bytes in SQLite's BINARY order, with their index in `items`.
    private let sortedIDs: [(bytes: [UInt8], index: Int)]
    private let curriculum: String?
    private var enrolled: [String: String] = [:]
    private var trackStarts: [String: [String]] = [:]
    private let cutoff: String

    init(db: Database, options: ReportOptions) throws {
        self.db = db
        self.options = options
        let plan = options.plan
        curriculum = plan?.curriculum
        var levels: [String] = []
        var items: [RequiredItem] = []
        var byLevel: [[Int]] = []
        var titles: [String: String] = [:]
        if let plan {
            for l in plan.levels.sorted(by: { $0.rank < $1.rank }) {
                levels.append(l.id)
                var here: [Int] = []
                for p in l.items.compactMap({ plan.item($0) }) {
                    here.append(items.count)
                    items.append(RequiredItem(id: p.id, kind: p.kind.rawValue, level: levels.count - 1, mastery: p.masteryScore))
                    titles[p.id] = p.title
                }
                byLevel.append(here)
            }
        } else {
            var seen = Set<String>()
            var found: [String: [(String, String)]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT DISTINCT level, id, kind FROM items ORDER BY level, id") {
                let id: String = r["id"]
                guard seen.insert(id).inserted else { continue }
                found[r["level"], default: []].append((id, r["kind"]))
            }
            levels = found.keys.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
            for (li, l) in levels.enumerated() {
                byLevel.append(found[l, default: []].map { (id, kind) in
                    items.append(RequiredItem(id: id, kind: kind, level: li, mastery: nil))
                    return items.count - 1
                })
            }
        }
        if let l = options.level, !levels.contains(l) {
            throw ReportError(message: "unknown level '\(l)' (levels: \(levels.joined(separator: ", ")))")
        }
        if let id = options.learner, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM learners WHERE id = ?", arguments: [id]) == 0 {
            throw ReportError(message: "no learner '\(id)' in the store")
        }
        self.levels = levels
        self.items = items
        self.byLevel = byLevel
        sortedIDs = items.enumerated().map { (Array($1.id.utf8), $0) }.sorted { Self.compare($0.bytes, $1.bytes) < 0 }
        let iso = ISO8601DateFormatter()
        cutoff = iso.string(from: options.asOf.addingTimeInterval(-Double(options.stalledDays) * 86400))
        header = ReportHeader(
            curriculum: curriculum ?? "", title: plan?.title ?? "Progress", asOf: String(iso.string(from: options.asOf).prefix(10)),
            stalledDays: options.stalledDays, levels: options.level.map { [$0] } ?? levels, allLevels: levels, titles: titles)
        try readEnrolments()
    }

    /// The store's enrolment levels and the start levels of the tracks each learner is
    /// enrolled in (the enrolment's track, and the packages the preview recorded).
    private func readEnrolments() throws {
        let plan = options.plan
        for r in try Row.fetchAll(db, sql: "SELECT learner_id, curriculum, level, track FROM enrolments ORDER BY learner_id, curriculum") {
            let c: String = r["curriculum"]
            // A level stated without a curriculum may belong to another ladder's levels (its
            // P1 is not this one's): with a curriculum only its own enrolments count.
            guard curriculum == nil || c == curriculum else { continue }
            let id: String = r["learner_id"]
            if let l: String = r["level"] { enrolled[id] = l }
            if let t: String = r["track"], let s = Standing.startLevel(ofTrack: t, plan: plan, levels: levels) {
                trackStarts[id, default: []].append(s)
            }
        }
        for r in try Row.fetchAll(db, sql: "SELECT DISTINCT learner_id, package FROM runtime ORDER BY learner_id, package") {
            let package: String = r["package"]
            guard let t = Self.track(ofPackage: package, plan: plan),
                let s = Standing.startLevel(ofTrack: t, plan: plan, levels: levels)
            else { continue }
            trackStarts[r["learner_id"], default: []].append(s)
        }
    }

    /// A package identifier is `<curriculum>-<track>` (`customer-service-promotion-P1-P2`).
    static func track(ofPackage package: String, plan: Plan?) -> String? {
        if let plan, package.hasPrefix(plan.curriculum + "-") {
            let t = String(package.dropFirst(plan.curriculum.count + 1))
            return plan.track(t) == nil ? nil : t
        }
        for kind in ["-promotion-", "-onboarding-"] {
            if let r = package.range(of: kind) { return String(package[package.index(after: r.lowerBound)...]) }
        }
        return nil
    }

    /// SQLite's BINARY collation: bytes, then length.
    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in compare(x, y) } }
    }

    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(a.count, b.count)
        if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            let c = memcmp(pa, pb, n)
            if c != 0 { return Int(c) }
        }
        return a.count - b.count
    }

    /// Two threads: a reading thread steps SQLite through the learners and their summaries
    /// and hands batches of raw item figures over; this thread evaluates each learner, counts
    /// the cohort and calls `body`, in id order. SQLite's stepping and the evaluation with the
    /// format's writing take about as long as each other, so on two cores they overlap. The
    /// connection is used by the reading thread alone until it has ended.
    package func run(_ body: (LearnerProgress) throws -> Void) throws -> Cohort {
        var cohort = CohortBuilder(levels: levels, shown: header.levels)
        var learnerFilter = ""
        var learnerArgs: StatementArguments = []
        if let id = options.learner {
            learnerFilter = " WHERE id = ?"
            learnerArgs = [id]
        }
        let (filter, args) = scope()
        let people = try RawRows(db, "SELECT id, name, email FROM learners\(learnerFilter) ORDER BY id", learnerArgs)
        let summaries = try RawRows(
            db, "SELECT learner_id, item_id, status, best, attempts, seconds, last_at, observer, signed_at, credited FROM item_progress"
                + filter + " ORDER BY learner_id, item_id", args)
        let reader = ScanReader(people: people, summaries: summaries, sortedIDs: sortedIDs,
                                shadowing: items.map { $0.kind == "shadowing" })
        let lane = HandOff<ScanBatch>(depth: 4)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            reader.read(into: lane)
            done.signal()
        }
        thread.stackSize = 4 << 20
        thread.name = "ladder report reader"
        thread.start()
        var state = LearnerItems(count: items.count)
        do {
            while let batch = try lane.next() {
                var e = 0
                for l in batch.learners {
                    state.reset()
                    while e < l.end {
                        let x = batch.entries[e]
                        state.add(Int(x.index), status: x.status, best: x.best, credited: x.credited, attempts: x.attempts,
                                  seconds: x.seconds, observer: x.observer, signed: x.signed)
                        e += 1
                    }
                    state.totalSeconds = l.seconds
                    var (lp, facts) = evaluate(id: l.id, state: state, last: l.last)
                    lp.name = l.name
                    lp.email = l.email
                    if let lv = options.level {
                        guard lp.level == lv else { continue }
                        lp.levels = lp.levels.filter { $0.level == lv }
                    }
                    cohort.add(lp, facts, asOf: options.asOf)
                    try body(lp)
                }
            }
        } catch {
            lane.cancel()
            done.wait()
            throw error
        }
        done.wait()
        return cohort.finish(hardest: try hardestQuestions())
    }

    /// One learner's standing from their items: the per-level figures, then level reached and
    /// readiness through `Standing`.
    private func evaluate(id: String, state s: LearnerItems, last: String?) -> (LearnerProgress, LearnerFacts) {
        var out: [LevelProgress] = []
        var complete: [Bool] = []
        var started: [Bool] = []
        for (li, indices) in byLevel.enumerated() {
            var done = 0
            var missing: [String] = []
            var assessments: [AssessmentResult] = []
            var shadowing: [ShadowingSignOff] = []
            var seconds = 0
            var active = false
            for i in indices {
                let item = items[i]
                let touched = s.touched[i]
                let status = touched ? s.status[i] : 0
                let best = touched ? s.best[i] : nil
                let attempts = touched ? s.attempts[i] : 0
                if touched {
                    seconds += s.seconds[i]
                    if status > LessonStatus.notAttempted.rawValue || attempts > 0 { active = true }
                }
                let ok = Standing.isDone(kind: item.kind, status: status, best: best, credited: touched ? s.credited[i] : nil,
                                         mastery: item.mastery)
                if item.kind == "assessment" && (attempts > 0 || ok) {
                    assessments.append(AssessmentResult(item: item.id, bestScore: best.map { ($0 * 10).rounded() / 10 },
                                                        mastery: item.mastery, attempts: attempts, passed: ok))
                } else if item.kind == "shadowing" && ok {
                    shadowing.append(ShadowingSignOff(item: item.id, observer: s.observer[i],
                                                      date: s.signed[i].map { String($0.prefix(10)) }, complete: true))
                }
                if ok { done += 1 } else { missing.append(item.id) }
            }
            complete.append(done == indices.count)
            started.append(active)
            out.append(LevelProgress(
                level: levels[li], required: indices.count, done: done, percent: Standing.percent(done: done, of: indices.count),
                complete: done == indices.count, started: active, missing: missing, assessments: assessments, shadowing: shadowing,
                seconds: seconds > 0 ? seconds : nil))
        }
        let reached = Standing.reached(complete: complete)
        let current = Standing.current(learnersFile: options.currentLevels[id], store: enrolled[id], trackStarts: trackStarts[id] ?? [],
                                       levels: levels)
        // Without a curriculum a level's required items are only those the imports happened to
        // record, so nobody is called ready on them (a wrong "ready" is worse than none).
        let readyFor = curriculum == nil ? nil : Standing.readyFor(reached: reached, current: current?.index)
        let nextIndex = reached.map { $0 + 1 } ?? 0
        let next = nextIndex < levels.count ? nextIndex : nil
        let filed = current?.index ?? next ?? max(0, levels.count - 1)
        let verdict: String
        if levels.isEmpty {
            verdict = "no levels"
        } else if let r = readyFor {
            verdict = "ready for promotion to \(levels[r])"
        } else if let n = next {
            verdict = "working on \(levels[n]): \(out[n].missing.count) of \(out[n].required) missing"
        } else if curriculum == nil {
            // The store's levels are those imports named, not the ladder's: no "top level".
            verdict = "every recorded item of \(levels[levels.count - 1]) done (the store's highest level; give --curriculum for the ladder's)"
        } else {
            verdict = "completed \(levels[levels.count - 1]), the top level"
        }
        let lp = LearnerProgress(
            id: id, name: nil, email: nil, level: levels.isEmpty ? "" : levels[filed], currentLevel: current.map { levels[$0.index] },
            currentLevelSource: current?.source.rawValue, reached: reached.map { levels[$0] }, next: next.map { levels[$0] },
            ready: readyFor != nil, readyFor: readyFor.map { levels[$0] }, verdict: verdict, lastActivity: last,
            stalled: next != nil && (last.map { $0 < cutoff } ?? false), seconds: s.totalSeconds > 0 ? s.totalSeconds : nil, levels: out)
        return (lp, LearnerFacts(filed: filed, reached: reached, readyFor: readyFor, currentKnown: current != nil, started: started))
    }

    /// The `WHERE` clause of the per-learner tables (`item_progress`, `interactions`): the
    /// curriculum's rows and those recorded without one, and `--learner`'s.
    private func scope() -> (sql: String, args: StatementArguments) {
        var conds: [String] = []
        var args: StatementArguments = []
        if let curriculum {
            conds.append("curriculum IN (?, '')")
            args += [curriculum]
        }
        if let learner = options.learner {
            conds.append("learner_id = ?")
            args += [learner]
        }
        return (conds.isEmpty ? "" : " WHERE " + conds.joined(separator: " AND "), args)
    }

    /// The questions with the highest share of wrong results. Counts rows: each row of
    /// `interactions` is one try, so every retry within an attempt counts.
    private func hardestQuestions() throws -> [Cohort.Question] {
        var sql = """
            SELECT item_id, interaction, COUNT(*) AS n,
              SUM(CASE WHEN lower(result) IN ('wrong', 'incorrect', 'unanticipated', 'fail', 'failed') THEN 1 ELSE 0 END) AS wrong
            FROM interactions
            """
        let (filter, args) = scope()
        sql += filter
        sql += " GROUP BY item_id, interaction"
        let shown: Set<String>? = options.level.map { l in Set(items.filter { levels[$0.level] == l }.map(\.id)) }
        var out: [Cohort.Question] = []
        for r in try Row.fetchAll(db, sql: sql, arguments: args) {
            let item: String = r["item_id"]
            if let shown, !shown.contains(item) { continue }
            let n: Int = r["n"]
            let w: Int = r["wrong"]
            if w == 0 { continue }
            out.append(.init(item: item, question: r["interaction"], responses: n, wrong: w,
                             wrongRate: (Double(w) / Double(n) * 1000).rounded() / 1000))
        }
        out.sort {
            ($0.wrongRate, $0.responses) != ($1.wrongRate, $1.responses)
                ? ($0.wrongRate, $0.responses) > ($1.wrongRate, $1.responses) : ($0.item, $0.question) < ($1.item, $1.question)
        }
        return Array(out.prefix(options.hardestCount))
    }
}

/// One learner's item summaries, indexed like the scan's required items; reset between
/// learners by clearing only what was touched.
private struct LearnerItems {
    var touched: [Bool]
    var status: [Int]
    var best: [Double?]
    var credited: [Double?]
    var attempts: [Int]
    var seconds: [Int]
    var observer: [String?]
    var signed: [String?]
    var used: [Int] = []
    var totalSeconds = 0

    init(count: Int) {
        touched = Array(repeating: false, count: count)
        status = Array(repeating: 0, count: count)
        best = Array(repeating: nil, count: count)
        credited = Array(repeating: nil, count: count)
        attempts = Array(repeating: 0, count: count)
        seconds = Array(repeating: 0, count: count)
        observer = Array(repeating: nil, count: count)
        signed = Array(repeating: nil, count: count)
    }

    mutating func reset() {
        for i in used {
            touched[i] = false
            observer[i] = nil
            signed[i] = nil
        }
        used.removeAll(keepingCapacity: true)
        totalSeconds = 0
    }

    /// One summary; a second row for the same item (recorded with and without the curriculum
    /// id) merges the way SQL's MAX/SUM would have grouped them.
    mutating func add(_ i: Int, status st: Int, best b: Double?, credited c: Double?, attempts n: Int, seconds sec: Int, observer o: String?,
                      signed d: String?) {
        if !touched[i] {
            touched[i] = true
            used.append(i)
            status[i] = st
            best[i] = b
            credited[i] = c
            attempts[i] = n
            seconds[i] = sec
            observer[i] = o
            signed[i] = d
            return
        }
        status[i] = max(status[i], st)
        if let b { best[i] = max(best[i] ?? b, b) }
        if let c { credited[i] = max(credited[i] ?? c, c) }
        attempts[i] += n
        seconds[i] += sec
        if let o, o > (observer[i] ?? "") { observer[i] = o }
        if let d, d > (signed[i] ?? "") { signed[i] = d }
    }
}

/// One summary row of a required item, as the reading thread found it.
private struct ScanEntry {
    var index: Int32
    var status: Int
    var best: Double?
    var credited: Double?
    var attempts: Int
    var seconds: Int
    var observer: String?
    var signed: String?
}

/// A learner read by the reading thread: their entries end at `end` in the batch's entries.
private struct ScannedLearner {
    var id: String
    var name: String?
    var email: String?
    var end: Int
    /// Seconds of every summary row of the learner (required item or not).
    var seconds: Int
    /// The latest `last_at` of every summary row of the learner.
    var last: String?
}

private struct ScanBatch {
    var learners: [ScannedLearner] = []
    var entries: [ScanEntry] = []
}

/// The reading half of the scan: a merge of the learners (in id order) with their item
/// summaries (in the same order), read through SQLite's C API without building a row object
/// per summary, handed over in batches of learners.
// @unchecked: built on the calling thread, then used by the reading thread alone until it ends.
private final class ScanReader: @unchecked Sendable {
    let people: RawRows
    let summaries: RawRows
    /// Item ids as bytes in SQLite's BINARY order, with their index among the required items.
    let sortedIDs: [(bytes: [UInt8], index: Int)]
    /// Per required item: a shadowing task (its observer and sign-off date are read).
    let shadowing: [Bool]
    static let batchLearners = 64

    init(people: RawRows, summaries: RawRows, sortedIDs: [(bytes: [UInt8], index: Int)], shadowing: [Bool]) {
        self.people = people
        self.summaries = summaries
        self.sortedIDs = sortedIDs
        self.shadowing = shadowing
    }

    func read(into lane: HandOff<ScanBatch>) {
        do {
            var batch = ScanBatch()
            var idBytes: [UInt8] = []
            var last: [UInt8] = []
            var more = try summaries.step()
            while try people.step() {
                idBytes.removeAll(keepingCapacity: true)
                idBytes.append(contentsOf: people.bytes(0))
                last.removeAll(keepingCapacity: true)
                var seconds = 0
                var cursor = 0
                while more {
                    let c = idBytes.withUnsafeBufferPointer { ReportScan.compare(summaries.bytes(0), $0) }
                    if c > 0 { break }
                    if c == 0 { absorb(&batch.entries, seconds: &seconds, last: &last, cursor: &cursor) }
                    more = try summaries.step()
                }
                batch.learners.append(ScannedLearner(
                    id: String(decoding: idBytes, as: UTF8.self), name: people.text(1), email: people.text(2),
                    end: batch.entries.count, seconds: seconds, last: last.isEmpty ? nil : String(decoding: last, as: UTF8.self)))
                if batch.learners.count >= Self.batchLearners {
                    guard lane.hand(batch) else { return }
                    batch = ScanBatch()
                    batch.learners.reserveCapacity(Self.batchLearners)
                }
            }
            if !batch.learners.isEmpty { guard lane.hand(batch) else { return } }
            lane.finish(nil)
        } catch {
            lane.finish(error)
        }
    }

    /// One summary row: its seconds and date count for the learner; a required item's row
    /// becomes an entry. `cursor` walks `sortedIDs` (the rows come in item id order, so
    /// finding each row's item is a merge, not a lookup).
    private func absorb(_ entries: inout [ScanEntry], seconds total: inout Int, last: inout [UInt8], cursor: inout Int) {
        let r = summaries
        let seconds = r.int(5)
        total += seconds
        if !r.isNull(6) {
            let l = r.bytes(6)
            if last.withUnsafeBufferPointer({ ReportScan.compare(l, $0) > 0 }) {
                last.removeAll(keepingCapacity: true)
                last.append(contentsOf: l)
            }
        }
        let item = r.bytes(1)
        while cursor < sortedIDs.count, sortedIDs[cursor].bytes.withUnsafeBufferPointer({ ReportScan.compare($0, item) < 0 }) { cursor += 1 }
        guard cursor < sortedIDs.count, sortedIDs[cursor].bytes.withUnsafeBufferPointer({ ReportScan.compare($0, item) == 0 }) else { return }
        let i = sortedIDs[cursor].index
        let status = r.int(2)
        var observer: String?
        var signed: String?
        if shadowing[i] && status >= LessonStatus.completed.rawValue {
            observer = r.text(7)
            signed = r.text(8)
        }
        entries.append(ScanEntry(index: Int32(i), status: status, best: r.isNull(3) ? nil : r.double(3),
                                 credited: r.isNull(9) ? nil : r.double(9), attempts: r.int(4),
                                 seconds: seconds, observer: observer, signed: signed))
    }
}

/// Rows of one statement read through SQLite's C API. `bytes` stays valid until the next step.
package struct RawRows {
    let statement: GRDB.Statement
    private var handle: SQLiteStatement { statement.sqliteStatement }
    let db: Database

    init(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
    }

    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }

    func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }
    func int(_ i: Int32) -> Int { Int(sqlite3_column_int64(handle, i)) }
    func double(_ i: Int32) -> Double { sqlite3_column_double(handle, i) }

    func bytes(_ i: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let p = sqlite3_column_text(handle, i) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, i)))
    }

    func text(_ i: Int32) -> String? { isNull(i) ? nil : String(decoding: bytes(i), as: UTF8.self) }
}
