import GRDB
import GRDBSQLite

/// One learner's stored attempts, read in one range scan when the import reaches the learner,
/// so that a row the merge would not change skips the merge statement. A re-import of an
/// unchanged file is almost all such rows: one `INSERT … ON CONFLICT DO UPDATE … WHERE` per
/// row (two B-tree searches and a 16-value record each) becomes one scan of the learner's
/// rows in key order and a byte comparison per row.
///
/// `unchanged` answers exactly what the merge's `WHERE` (`ProgressWriter.mergeSQL`) answers,
/// comparing texts as bytes (SQLite's BINARY collation, not Swift's canonical equivalence);
/// when in doubt (a key not stored, a row this import already wrote, a column of another
/// type) it answers false and the row goes through the merge statement as before.
///
/// Rows usually come grouped by learner; when they do not, reading each learner's rows again
/// would cost more than it saves, so the reads stop once they have read four times as many
/// rows as were asked about (plus a margin), and every later row takes the statement.
package final class StoredAttempts {
    /// Text columns are kept as ranges into `arena` (no string per stored value).
    private struct Text {
        var start: Int32
        var count: Int32
        static let null = Text(start: 0, count: -1)
        var isNull: Bool { count < 0 }
    }

    private struct Row {
        var item: Text
        var curriculum: Text
        var attempt: Int64
        var kind: Text
        var level: Text
        var status: Int64
        var score: Double?
        var scoreMax: Double?
        var startedAt: Text
        var lastAt: Text
        var seconds: Int64?
        var observer: Text
        var signedAt: Text
        var scoreAt: Text
        /// This import wrote the row (or a column had an unexpected type): always merge.
        var dirty: Bool
    }

    static let selectSQL = """
        SELECT item_id, curriculum, attempt, kind, level, status, score, score_max, started_at, last_at, seconds, observer, signed_at, score_at
        FROM attempts WHERE learner_id = ? ORDER BY item_id, curriculum, attempt
        """

    private let statement: GRDB.Statement
    private let db: Database
    private var learner: [UInt8]?
    private var arena: [UInt8] = []
    private var rows: [Row] = []
    /// Where the next look-up starts (rows usually come in key order).
    private var hint = 0
    private var asked = 0
    private var read = 0
    private(set) var enabled = true
    /// Counts for the trace: rows that skipped the merge statement.
    private(set) var skipped = 0

    /// Rows read beyond four per row asked about before the reads stop.
    private let margin: Int

    init(db: Database, enabled: Bool = true, margin: Int = 100_000) throws {
        self.db = db
        self.enabled = enabled
        self.margin = margin
        statement = try db.makeStatement(sql: Self.selectSQL)
    }

    /// True when merging `r` would change nothing in its attempt row (its interactions are
    /// not looked at: the caller merges them).
    func unchanged(_ r: AttemptRecord) throws -> Bool {
        guard enabled else { return false }
        asked += 1
        if !(learner.map { r.learner.utf8.elementsEqual($0) } ?? false) {
            guard read <= 4 * asked + margin else {
                enabled = false
                rows.removeAll()
                arena.removeAll()
                learner = nil
                return false
            }
            try load(r.learner)
        }
        guard let i = find(r), !rows[i].dirty else { return false }
        let s = rows[i]
        if !same(r.kind, s.kind) { return false }
        if let v = r.level, !same(v, s.level) { return false }
        // `ProgressWriter.newerStatus` and `newerScore`: texts compared as SQLite's COALESCE(…, '').
        let lastOrder = compareOrEmpty(r.lastAt, s.lastAt)
        if lastOrder > 0 || (lastOrder == 0 && Int64(r.status.rawValue) > s.status) { return false }
        if let v = r.score {
            guard let stored = s.score else { return false }
            let at = compareOrEmpty(r.lastAt, s.scoreAt)
            if at > 0 || (at == 0 && (v < stored || (v == stored && (r.scoreMax ?? 0) > (s.scoreMax ?? 0)))) { return false }
        } else if let v = r.scoreMax, !(s.scoreMax.map { $0 == v } ?? false) {
            return false
        }
        if let v = r.startedAt, s.startedAt.isNull || compare(v, s.startedAt) < 0 { return false }
        if let v = r.lastAt, s.lastAt.isNull || compare(v, s.lastAt) > 0 { return false }
        if let v = r.seconds, !(s.seconds.map { Int64(v) <= $0 } ?? false) { return false }
        if let v = r.observer, !same(v, s.observer) { return false }
        if let v = r.signedAt, !same(v, s.signedAt) { return false }
        skipped += 1
        return true
    }

    /// Forgets what was read (a new file starts).
    func forget() {
        learner = nil
        rows.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
    }

    /// The import merged `r` through the statement: its stored row may differ from what was read.
    func wrote(_ r: AttemptRecord) {
        guard enabled, learner.map({ r.learner.utf8.elementsEqual($0) }) ?? false, let i = find(r) else { return }
        rows[i].dirty = true
    }

    private func load(_ id: String) throws {
        rows.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        hint = 0
        learner = Array(id.utf8)
        let h = statement.sqliteStatement
        defer { sqlite3_reset(h) }
        let bound = sqlite3_bind_text(h, 1, id, Int32(id.utf8.count), SQLITE_TRANSIENT_VALUE)
        guard bound == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: bound), message: "binding the learner", sql: statement.sql) }
        while true {
            let code = sqlite3_step(h)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
            }
            var dirty = false
            func text(_ c: Int32) -> Text {
                switch sqlite3_column_type(h, c) {
                case SQLITE_NULL: return .null
                case SQLITE_TEXT: break
                default: dirty = true
                }
                let n = Int(sqlite3_column_bytes(h, c))
                let start = arena.count
                if n > 0, let p = sqlite3_column_text(h, c) { arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n)) }
                return Text(start: Int32(start), count: Int32(n))
            }
            func integer(_ c: Int32) -> Int64? {
                switch sqlite3_column_type(h, c) {
                case SQLITE_NULL: return nil
                case SQLITE_INTEGER: return sqlite3_column_int64(h, c)
                default:
                    dirty = true
                    return 0
                }
            }
            func real(_ c: Int32) -> Double? {
                switch sqlite3_column_type(h, c) {
                case SQLITE_NULL: return nil
                case SQLITE_FLOAT, SQLITE_INTEGER: return sqlite3_column_double(h, c)
                default:
                    dirty = true
                    return 0
                }
            }
            let row = Row(
                item: text(0), curriculum: text(1), attempt: integer(2) ?? 0, kind: text(3), level: text(4), status: integer(5) ?? Int64.max,
                score: real(6), scoreMax: real(7), startedAt: text(8), lastAt: text(9), seconds: integer(10), observer: text(11),
                signedAt: text(12), scoreAt: text(13), dirty: false)
            rows.append(row)
            if dirty { rows[rows.count - 1].dirty = true }
            read += 1
        }
    }

    /// The index of `r`'s key among the learner's rows (ordered as SQLite orders the key).
    private func find(_ r: AttemptRecord) -> Int? {
        if hint < rows.count, order(r, rows[hint]) == 0 {
            hint += 1
            return hint - 1
        }
        var lo = 0
        var hi = rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let c = order(r, rows[mid])
            if c == 0 {
                hint = mid + 1
                return mid
            }
            if c < 0 { hi = mid } else { lo = mid + 1 }
        }
        return nil
    }

    private func order(_ r: AttemptRecord, _ s: Row) -> Int {
        let c = compare(r.item, s.item)
        if c != 0 { return c }
        let d = compare(r.curriculum, s.curriculum)
        if d != 0 { return d }
        return Int64(r.attempt) < s.attempt ? -1 : Int64(r.attempt) > s.attempt ? 1 : 0
    }

    /// SQLite's BINARY collation: bytes, then length. A NULL stored text sorts first.
    private func compare(_ a: String, _ b: Text) -> Int {
        if b.isNull { return 1 }
        var a = a
        return a.withUTF8 { x in
            arena.withUnsafeBufferPointer { all in
                ReportScan.compare(x, UnsafeBufferPointer(rebasing: all[Int(b.start)..<Int(b.start + b.count)]))
            }
        }
    }

    private func same(_ a: String, _ b: Text) -> Bool { !b.isNull && compare(a, b) == 0 }

    /// SQLite's `COALESCE(a, '')` against `COALESCE(b, '')`.
    private func compareOrEmpty(_ a: String?, _ b: Text) -> Int {
        let empty = b.isNull || b.count == 0
        guard let a, !a.isEmpty else { return empty ? 0 : -1 }
        return empty ? 1 : compare(a, b)
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies the bound value.
private let SQLITE_TRANSIENT_VALUE = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
