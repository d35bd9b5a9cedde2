import Foundation
import GRDB
import LadderCore

/// SCORM 1.2 lesson status, ordered by progress so that merging two views of one attempt
/// keeps the furthest one.
public enum LessonStatus: Int, Sendable, Comparable, CaseIterable, Codable {
    case notAttempted = 0, browsed, incomplete, failed, completed, passed

    public static func < (a: LessonStatus, b: LessonStatus) -> Bool { a.rawValue < b.rawValue }

    public var name: String {
        switch self {
        case .notAttempted: "not attempted"
        case .browsed: "browsed"
        case .incomplete: "incomplete"
        case .failed: "failed"
        case .completed: "completed"
        case .passed: "passed"
        }
    }

    /// Reads SCORM vocabulary and the words Moodle and TalentLMS print; nil when unknown.
    public init?(parsing raw: String) {
        // The exact SCORM words first, without allocating.
        switch raw {
        case "passed": self = .passed; return
        case "completed": self = .completed; return
        case "failed": self = .failed; return
        case "incomplete": self = .incomplete; return
        case "not attempted": self = .notAttempted; return
        default: break
        }
        let s = raw.trimmedCell.lowercased()
        switch s {
        case "passed", "pass": self = .passed
        case "completed", "complete", "completed successfully": self = .completed
        case "failed", "fail", "not passed": self = .failed
        case "incomplete", "in progress", "in-progress", "started": self = .incomplete
        case "browsed": self = .browsed
        case "not attempted", "not-attempted", "not started", "not-started", "", "-": self = .notAttempted
        default: return nil
        }
    }
}

/// One attempt at one plan item, as an import or the preview server hands it to the store.
public struct AttemptRecord: Sendable, Equatable {
    public var learner: String
    public var learnerName: String?
    public var email: String?
    public var curriculum: String
    public var item: String
    public var kind: String
    public var level: String?
    public var attempt: Int
    public var status: LessonStatus
    public var score: Double?
    public var scoreMax: Double?
    /// ISO 8601 (`2026-03-14T10:15:00Z` or `2026-03-14`), so text order is time order.
    public var startedAt: String?
    public var lastAt: String?
    public var seconds: Int?
    public var observer: String?
    /// The date of a shadowing sign-off as the SCO (or a sign-off sheet) recorded it; never
    /// the LMS's "last accessed".
    public var signedAt: String?
    public var interactions: [InteractionRecord] = []
    /// The source names the learner only by name: the importer matches it to a stored learner.
    var byName = false
    /// The level and track the learner is enrolled at, when the source says so.
    public var enrolmentLevel: String?
    public var track: String?

    public init(learner: String, curriculum: String, item: String, attempt: Int, status: LessonStatus) {
        self.learner = learner
        self.curriculum = curriculum
        self.item = item
        self.kind = AttemptRecord.kind(ofItem: item)
        self.attempt = attempt
        self.status = status
    }

    /// `inform-customers.assessment` → `assessment`.
    public static func kind(ofItem item: String) -> String {
        // ASCII (every id an import sees in practice): each byte is a character, so the last
        // "." byte is the last "." character; a search by bytes spares the grapheme breaking
        // that cost 6 % of a re-import's samples.
        let bytes = item.utf8
        if bytes.allSatisfy({ $0 < 0x80 }) {
            guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")) else { return "module" }
            return String(item[bytes.index(after: dot)...])
        }
        if let dot = item.lastIndex(of: ".") { return String(item[item.index(after: dot)...]) }
        return "module"
    }
}

public struct InteractionRecord: Sendable, Equatable {
    public var id: String
    /// n in `cmi.interactions.n`, when the source gives it.
    public var position: Int?
    /// 1 for the first time this question id appears in the attempt, 2 for a retry appended
    /// after it (the runtime appends a retried quiz after `cmi.interactions._count`), …
    public var tryNumber = 1
    public var type: String?
    public var response: String?
    public var correct: String?
    public var result: String?
    public var latency: String?
    public var time: String?
    public var weighting: String?
    public init(id: String) { self.id = id }

    /// The answer fields, each with its SCORM 1.2 element under `cmi.interactions.n.` and its
    /// column in the store's `interactions` table: the one list the runtime mapping and the
    /// preview import read them by.
    static var answerFields: [(field: WritableKeyPath<InteractionRecord, String?>, element: String, column: String)] {
        [
            (\.type, "type", "type"), (\.response, "student_response", "response"),
            (\.correct, "correct_responses.0.pattern", "correct"), (\.result, "result", "result"),
            (\.latency, "latency", "latency"), (\.time, "time", "time"), (\.weighting, "weighting", "weighting"),
        ]
    }
}

/// Maps manifest item identifiers back to plan item ids.
public enum SCOIdentifier {
    static let kinds = ["module", "assessment", "shadowing"]

    /// `ITEM-inform-customers-module` → `inform-customers.module`; nil when not a Ladder id.
    public static func itemID(_ sco: String) -> String? {
        var s = sco.trimmingCharacters(in: .whitespaces)
        if s.hasPrefix("ITEM-") { s.removeFirst(5) }
        for k in kinds where s.hasSuffix("-" + k) && s.count > k.count + 1 {
            return String(s.dropLast(k.count + 1)) + "." + k
        }
        if let dot = s.lastIndex(of: "."), kinds.contains(String(s[s.index(after: dot)...])) { return s }
        return nil
    }
}

/// SCORM time spans (`HHHH:MM:SS.SS`) and friendlier spellings to seconds.
package enum DurationCell {
    static func seconds(_ raw: String) -> Int? {
        let s = raw.trimmedCell
        if s.isEmpty || s == "-" { return nil }
        if let n = Int(s) { return n }
        if let n = Double(s) { return whole(n) }
        let parts = s.split(separator: ":")
        if parts.count == 3 || parts.count == 2, let nums = Optional(parts.compactMap { Double($0) }), nums.count == parts.count {
            return whole(nums.reduce(0) { $0 * 60 + $1 })
        }
        // "1h 2m 3s", "12 mins 5 secs", "3 hours"
        var total = 0.0
        var matched = false
        let scanner = Scanner(string: s.lowercased())
        while !scanner.isAtEnd {
            guard let n = scanner.scanDouble() else { return matched ? whole(total) : nil }
            let unit = scanner.scanCharacters(from: .letters) ?? "s"
            _ = scanner.scanCharacters(from: CharacterSet(charactersIn: " ,"))
            switch unit.first {
            case "h": total += n * 3600
            case "m": total += n * 60
            case "d": total += n * 86400
            default: total += n
            }
            matched = true
        }
        return matched ? whole(total) : nil
    }

    /// Whole seconds, or nil for what no time span is (`1e300`, `inf`, `nan`): converting
    /// those to Int traps (found by fuzz-import-csv and fuzz-import-talentlms).
    static func whole(_ seconds: Double) -> Int? {
        let r = seconds.rounded()
        return r.isFinite && r.magnitude < 1e15 ? Int(r) : nil
    }
}

/// The SQL both imports and the preview server use to write.
package enum ProgressWriter {
    static func upsertLearner(_ db: Database, id: String, name: String?, email: String?) throws {
        try db.cachedStatement(sql: """
            INSERT INTO learners (id, name, email) VALUES (?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET name = COALESCE(excluded.name, name), email = COALESCE(excluded.email, email)
            WHERE (excluded.name IS NOT NULL AND excluded.name IS NOT name) OR (excluded.email IS NOT NULL AND excluded.email IS NOT email)
            """).execute(arguments: [id, name, email])
    }

    /// Records the level and track a learner is enrolled at, stated on `statedAt` (nil when
    /// the row has no date). Each of them keeps the one stated latest, whatever order the
    /// files come in: statements are ordered by date, an undated one before every dated one,
    /// and on the same date (or both undated) the id that sorts last wins (`P2` over `P1`: a
    /// higher current level never makes a wrong "ready").
    static func upsertEnrolment(_ db: Database, learner: String, curriculum: String, level: String?, track: String?, statedAt: String?) throws {
        func newer(_ c: String) -> String {
            "(excluded.\(c) IS NOT NULL AND (\(c) IS NULL OR (COALESCE(excluded.\(c)_at, ''), excluded.\(c)) > (COALESCE(\(c)_at, ''), \(c))))"
        }
        let (newerLevel, newerTrack) = (newer("level"), newer("track"))
        try db.cachedStatement(sql: """
            INSERT INTO enrolments (learner_id, curriculum, level, track, level_at, track_at) VALUES (?1, ?2, ?3, ?4, CASE WHEN ?3 IS NULL THEN NULL ELSE ?5 END, CASE WHEN ?4 IS NULL THEN NULL ELSE ?5 END)
            ON CONFLICT (learner_id, curriculum) DO UPDATE SET
              level = CASE WHEN \(newerLevel) THEN excluded.level ELSE level END,
              level_at = CASE WHEN \(newerLevel) THEN excluded.level_at ELSE level_at END,
              track = CASE WHEN \(newerTrack) THEN excluded.track ELSE track END,
              track_at = CASE WHEN \(newerTrack) THEN excluded.track_at ELSE track_at END
            WHERE \(newerLevel) OR \(newerTrack)
            """).execute(arguments: [learner, curriculum, level, track, statedAt])
    }

    /// The date a row states its enrolment level and track on: its latest date (`last`,
    /// `signed_on`, `started`), nil when it has none.
    static func enrolmentDate(_ r: AttemptRecord) -> String? {
        [r.lastAt, r.signedAt, r.startedAt].compactMap { $0 }.max()
    }

    /// Binds an attempt to an `INSERT INTO attempts (\(insertColumns)) VALUES (?, …)` statement
    /// through SQLite's C API (the import's hot path: a `StatementArguments` array per row
    /// cost more than SQLite's own work).
    static func bind(_ statement: GRDB.Statement, _ r: AttemptRecord, source: String, batch: Int64?) throws -> SQLiteBinder {
        let bind = SQLiteBinder(statement)
        for (index, value) in texts(r, source: source) { try bind.text(index, value) }
        try bindNumbers(bind, r, batch: batch)
        return bind
    }

    /// Merges (or replaces) one attempt row with its texts bound without a copy.
    static func run(_ statement: GRDB.Statement, _ db: Database, _ r: AttemptRecord, source: String, batch: Int64?) throws {
        let bind = SQLiteBinder(statement)
        try bindNumbers(bind, r, batch: batch)
        try bind.run(db, texts: texts(r, source: source))
    }

    private static func texts(_ r: AttemptRecord, source: String) -> [(Int32, String?)] {
        [(1, r.learner), (2, r.curriculum), (3, r.item), (5, r.kind), (6, r.level), (10, r.startedAt), (11, r.lastAt),
         (13, r.observer), (14, source), (16, r.signedAt), (17, r.score == nil ? nil : r.lastAt)]
    }

    private static func bindNumbers(_ bind: SQLiteBinder, _ r: AttemptRecord, batch: Int64?) throws {
        try bind.int(4, r.attempt)
        try bind.int(7, r.status.rawValue)
        try bind.double(8, r.score)
        try bind.double(9, r.scoreMax)
        try bind.int(12, r.seconds)
        try bind.int(15, batch.map(Int.init))
    }

    static let insertColumns = "learner_id, curriculum, item_id, attempt, kind, level, status, score, score_max, started_at, last_at, seconds, observer, source, batch_id, signed_at, score_at"
    static let insertValues = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

    /// Merges an imported view of an attempt into the stored one: the status comes from the
    /// view with the latest last date (the furthest on the same date), the score with its
    /// maximum from the view with the latest last date that gives one (the lower on the same
    /// date), dates widen, time keeps the longest, other given values replace missing ones.
    /// A view without a last date is older than every dated one. Commutative and idempotent,
    /// so re-imports and overlapping files converge in any order, and an older download never
    /// overwrites a newer one's status or score. Returns whether the row changed.
    ///
    /// With a `batch`, the item summary (`item_progress`) is left to the caller, who calls
    /// `refreshSummaries(_:batch:)` once the batch is written; without one it is refreshed here.
    static func mergeAttempt(_ db: Database, _ r: AttemptRecord, source: String, batch: Int64?, statement: GRDB.Statement? = nil) throws -> Bool {
        let changed = try mergeAttemptRow(db, r, source: source, batch: batch, statement: statement)
        if changed && batch == nil { try refreshSummary(db, learner: r.learner, curriculum: r.curriculum, item: r.item) }
        return changed
    }

    /// The attempt merge, prepared once by an import for all its rows (a cached statement is
    /// looked up by its SQL text, whose hashing cost 6 % of an import).
    static func prepareMerge(_ db: Database) throws -> GRDB.Statement {
        try db.makeStatement(sql: mergeSQL)
    }

    private static func mergeAttemptRow(_ db: Database, _ r: AttemptRecord, source: String, batch: Int64?, statement: GRDB.Statement?) throws -> Bool {
        try run(try statement ?? db.cachedStatement(sql: mergeSQL), db, r, source: source, batch: batch)
        var changed = db.changesCount > 0
        for i in r.interactions {
            if try mergeInteraction(db, r, i) { changed = true }
        }
        return changed
    }

    /// The incoming view's status is newer: (last date, status) orders the views.
    private static let newerStatus = "(COALESCE(excluded.last_at, ''), excluded.status) > (COALESCE(last_at, ''), status)"
    /// The incoming view's score is newer: ordered by the date of the score, then the lower
    /// score, then the larger maximum (the lower percentage).
    private static let newerScore = """
        (excluded.score IS NOT NULL AND (score IS NULL OR COALESCE(excluded.score_at, '') > COALESCE(score_at, '')
          OR (COALESCE(excluded.score_at, '') = COALESCE(score_at, '') AND (excluded.score < score
            OR (excluded.score = score AND COALESCE(excluded.score_max, 0) > COALESCE(score_max, 0))))))
        """

    private static let mergeSQL = """
            INSERT INTO attempts (\(insertColumns)) VALUES \(insertValues)
            ON CONFLICT (learner_id, item_id, curriculum, attempt) DO UPDATE SET
              kind = excluded.kind,
              level = COALESCE(excluded.level, level),
              status = CASE WHEN \(newerStatus) THEN excluded.status ELSE status END,
              score = CASE WHEN \(newerScore) THEN excluded.score ELSE score END,
              score_max = CASE WHEN \(newerScore) THEN excluded.score_max WHEN excluded.score IS NULL THEN COALESCE(excluded.score_max, score_max) ELSE score_max END,
              score_at = CASE WHEN \(newerScore) THEN excluded.score_at ELSE score_at END,
              started_at = CASE WHEN excluded.started_at IS NULL THEN started_at WHEN started_at IS NULL THEN excluded.started_at ELSE MIN(started_at, excluded.started_at) END,
              last_at = CASE WHEN excluded.last_at IS NULL THEN last_at WHEN last_at IS NULL THEN excluded.last_at ELSE MAX(last_at, excluded.last_at) END,
              seconds = CASE WHEN excluded.seconds IS NULL THEN seconds WHEN seconds IS NULL THEN excluded.seconds ELSE MAX(seconds, excluded.seconds) END,
              observer = COALESCE(excluded.observer, observer),
              signed_at = COALESCE(excluded.signed_at, signed_at),
              source = excluded.source,
              batch_id = excluded.batch_id
            WHERE excluded.kind IS NOT kind
              OR (excluded.level IS NOT NULL AND excluded.level IS NOT level)
              OR \(newerStatus)
              OR \(newerScore)
              OR (excluded.score IS NULL AND excluded.score_max IS NOT NULL AND excluded.score_max IS NOT score_max)
              OR (excluded.started_at IS NOT NULL AND (started_at IS NULL OR excluded.started_at < started_at))
              OR (excluded.last_at IS NOT NULL AND (last_at IS NULL OR excluded.last_at > last_at))
              OR (excluded.seconds IS NOT NULL AND (seconds IS NULL OR excluded.seconds > seconds))
              OR (excluded.observer IS NOT NULL AND excluded.observer IS NOT observer)
              OR (excluded.signed_at IS NOT NULL AND excluded.signed_at IS NOT signed_at)
            """

    static func mergeInteraction(_ db: Database, _ r: AttemptRecord, _ i: InteractionRecord) throws -> Bool {
        try db.cachedStatement(sql: """
            INSERT INTO interactions (learner_id, curriculum, item_id, attempt, interaction, try, position, type, response, correct, result, latency, time, weighting)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (learner_id, curriculum, item_id, attempt, interaction, try) DO UPDATE SET
              position = COALESCE(excluded.position, position),
              type = COALESCE(excluded.type, type), response = COALESCE(excluded.response, response),
              correct = COALESCE(excluded.correct, correct), result = COALESCE(excluded.result, result),
              latency = COALESCE(excluded.latency, latency), time = COALESCE(excluded.time, time),
              weighting = COALESCE(excluded.weighting, weighting)
            WHERE (excluded.position IS NOT NULL AND excluded.position IS NOT position)
              OR (excluded.type IS NOT NULL AND excluded.type IS NOT type)
              OR (excluded.response IS NOT NULL AND excluded.response IS NOT response)
              OR (excluded.correct IS NOT NULL AND excluded.correct IS NOT correct)
              OR (excluded.result IS NOT NULL AND excluded.result IS NOT result)
              OR (excluded.latency IS NOT NULL AND excluded.latency IS NOT latency)
              OR (excluded.time IS NOT NULL AND excluded.time IS NOT time)
              OR (excluded.weighting IS NOT NULL AND excluded.weighting IS NOT weighting)
            """).execute(arguments: [
                r.learner, r.curriculum, r.item, r.attempt, i.id, i.tryNumber, i.position, i.type, i.response, i.correct, i.result,
                i.latency, i.time, i.weighting,
            ])
        return db.changesCount > 0
    }

    /// The preview server's write: the runtime is the authority for its own attempt, so the
    /// row and its interactions are replaced, not merged.
    static func replaceAttempt(_ db: Database, _ r: AttemptRecord, source: String) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO attempts (\(insertColumns)) VALUES \(insertValues)
            ON CONFLICT (learner_id, item_id, curriculum, attempt) DO UPDATE SET
              kind = excluded.kind, level = COALESCE(excluded.level, level), status = excluded.status,
              score = excluded.score, score_max = excluded.score_max, score_at = excluded.score_at,
              started_at = COALESCE(started_at, excluded.started_at), last_at = excluded.last_at,
              seconds = excluded.seconds, observer = excluded.observer, signed_at = excluded.signed_at, source = excluded.source
            """)
        try bind(statement, r, source: source, batch: nil).run(db)
        try db.execute(
            sql: "DELETE FROM interactions WHERE learner_id = ? AND curriculum = ? AND item_id = ? AND attempt = ?",
            arguments: [r.learner, r.curriculum, r.item, r.attempt])
        for i in r.interactions { _ = try mergeInteraction(db, r, i) }
        try refreshSummary(db, learner: r.learner, curriculum: r.curriculum, item: r.item)
    }

    /// One row of `item_progress` from the attempts of one learner at one item. `credited`
    /// (v5) leaves out the scores of attempts whose status says failed (3) or not attempted
    /// (0): the source stated the outcome, and a score cannot overturn it (`Standing.isDone`).
    static let summarySelect = ProgressSchema.summaryColumnsV4 + """
        ,
          MAX(CASE WHEN status IN (0, 3) THEN NULL WHEN score_max > 0 THEN score * 100.0 / score_max ELSE score END)
        FROM attempts
        """

    /// Recomputes the summary of one learner's attempts at one item.
    static func refreshSummary(_ db: Database, learner: String, curriculum: String, item: String) throws {
        try db.cachedStatement(sql: "DELETE FROM item_progress WHERE learner_id = ? AND item_id = ? AND curriculum = ?")
            .execute(arguments: [learner, item, curriculum])
        try db.cachedStatement(sql: """
            INSERT INTO item_progress \(summarySelect)
            WHERE learner_id = ? AND item_id = ? AND curriculum = ?
            GROUP BY learner_id, item_id, curriculum
            """).execute(arguments: [learner, item, curriculum])
    }

    /// Recomputes the summaries of every item an import batch changed. When the batch touched
    /// a large share of the attempts, rebuilding the whole table in key order is faster than
    /// looking each group up.
    static func refreshSummaries(_ db: Database, batch: Int64) throws {
        let changed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempts WHERE batch_id = ?", arguments: [batch]) ?? 0
        if changed == 0 { return }
        let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempts") ?? 0
        if changed * 5 >= total {
            try db.execute(sql: "DELETE FROM item_progress")
            try db.execute(sql: "INSERT INTO item_progress \(summarySelect) GROUP BY learner_id, item_id, curriculum")
        } else {
            try db.execute(sql: """
                INSERT OR REPLACE INTO item_progress \(summarySelect)
                WHERE (learner_id, item_id, curriculum) IN (SELECT learner_id, item_id, curriculum FROM attempts WHERE batch_id = ?)
                GROUP BY learner_id, item_id, curriculum
                """, arguments: [batch])
        }
    }
}

/// Turns a runtime state into the attempt row the reports read.
package enum RuntimeMapping {
    static func attempt(key: SCOKey, state: CMIState, curriculum: String, now: Date = Date()) -> AttemptRecord? {
        guard let item = SCOIdentifier.itemID(key.sco) else { return nil }
        let v = state.values
        var r = AttemptRecord(
            learner: key.learner, curriculum: curriculum, item: item, attempt: max(1, state.attempt),
            status: LessonStatus(parsing: v["cmi.core.lesson_status"] ?? "") ?? .notAttempted)
        r.score = v["cmi.core.score.raw"].flatMap { Double($0) }
        r.scoreMax = v["cmi.core.score.max"].flatMap { Double($0) }
        r.seconds = v["cmi.core.total_time"].flatMap(DurationCell.seconds)
        let stamp = ISO8601DateFormatter().string(from: now)
        r.startedAt = stamp
        r.lastAt = stamp
        // The sign-off the SCO recorded: observer "o" and date "d" in its suspend_data.
        if r.kind == "shadowing", let sd = v["cmi.suspend_data"], let data = sd.data(using: .utf8),
           let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if let o = obj["o"] as? String, !o.isEmpty { r.observer = o }
            if let d = obj["d"] as? String, ISO8601Date.isValid(d) { r.signedAt = d }
        }
        var tries: [String: Int] = [:]
        for (n, i) in state.interactions.enumerated() {
            var rec = InteractionRecord(id: i["id"].flatMap { $0.isEmpty ? nil : $0 } ?? "interaction-\(n)")
            rec.position = n
            tries[rec.id, default: 0] += 1
            rec.tryNumber = tries[rec.id]!
            for f in InteractionRecord.answerFields { rec[keyPath: f.field] = i[f.element] }
            r.interactions.append(rec)
        }
        return r
    }
}
