import Foundation
import GRDB
import GRDBSQLite
import LadderCore

/// One SCO of one package as seen by one learner: the key of the preview server's runtime state.
public struct SCOKey: Hashable, Sendable {
    public var learner: String
    /// The manifest identifier of the package.
    public var package: String
    /// The manifest item identifier, e.g. `ITEM-inform-customers-module`.
    public var sco: String
    public init(learner: String, package: String, sco: String) {
        self.learner = learner
        self.package = package
        self.sco = sco
    }
}

/// The SCORM 1.2 data model of one attempt at a SCO, as the runtime last committed it.
public struct CMIState: Sendable, Equatable {
    public var attempt: Int
    /// `cmi.core.lesson_status`, `cmi.core.score.raw`, `cmi.suspend_data`, … by element name.
    public var values: [String: String]
    /// One dictionary per `cmi.interactions.n`: "id", "type", "student_response", "result",
    /// "latency", "time", "weighting", "correct_responses.0.pattern".
    public var interactions: [[String: String]]
    public init(attempt: Int, values: [String: String], interactions: [[String: String]]) {
        self.attempt = attempt
        self.values = values
        self.interactions = interactions
    }
}

/// The learner-progress store: one SQLite file (GRDB, WAL) holding learners, enrolments,
/// attempts per plan item with their interactions, the preview server's runtime state and
/// the import batches. Safe to share between threads (GRDB's pool serialises writes).
///
/// Two writers share it: imports and the preview server (issue 11, point 6). An import holds
/// the write lock for its whole transaction (so a reader sees the store before or after it,
/// never part of it); the preview's writes wait for the lock at most `previewWait` and then
/// go to the `PreviewInbox`, which the next writer applies first. Every connection has a busy
/// timeout. The WAL is copied back into the database by checkpoints that no learner's commit
/// runs: a commit never waits for one.
public final class ProgressStore: Sendable {
    public let path: String
    let pool: DatabasePool
    let inbox: PreviewInbox
    private let checkpointer: Checkpointer

    /// How long any connection waits for a lock before SQLite reports the store busy.
    static let busyTimeout: TimeInterval = 10
    /// How long a preview write waits for the write lock before going to the inbox.
    static let previewWait: TimeInterval = 0.05

    /// Opens (creating the folder and file if needed) and migrates the store at `path`.
    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw ProgressStoreError(path: path, problem: .cannotCreateFolder, underlying: error)
        }
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeout)
        config.prepareDatabase { db in
            // No automatic checkpoint after a commit: the committing connection would copy
            // the WAL (hundreds of MB after a large import) before its commit returns.
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0")
        }
        inbox = PreviewInbox(storePath: path)
        checkpointer = Checkpointer(path: path)
        do {
            pool = try DatabasePool(path: path, configuration: config)
            // Only a store that needs a migration takes the write lock (a report or a preview
            // server opening the store during an import must not wait for it).
            let current = try pool.read { db in try ProgressSchema.migrator.hasCompletedMigrations(db) }
            if !current { try ProgressSchema.migrator.migrate(pool) }
        } catch let e as DatabaseError {
            throw ProgressStoreError(path: path, problem: .sqlite(doing: "open the progress store"), underlying: e)
        }
    }

    /// `LADDER_DB` when set, else `.ladder/progress.sqlite` under the working folder.
    public static func defaultPath(environment: [String: String]) -> String {
        if let p = environment["LADDER_DB"], !p.isEmpty { return p }
        return FileManager.default.currentDirectoryPath + "/.ladder/progress.sqlite"
    }

    /// The schema versions applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try ProgressSchema.migrator.appliedMigrations(db) }
    }

    // MARK: - Preview runtime

    /// The latest attempt's runtime state for `key`, nil if the learner never launched it.
    /// A write still waiting in the inbox is newer than the store.
    public func runtimeState(_ key: SCOKey) throws -> CMIState? {
        do {
            if let waiting = try inbox.pending(key).last { return waiting.state }
            return try pool.read { db in
                guard let row = try Row.fetchOne(
                    db,
                    sql: "SELECT attempt, cmi_values, cmi_interactions FROM runtime WHERE learner_id = ? AND package = ? AND sco = ? ORDER BY attempt DESC LIMIT 1",
                    arguments: [key.learner, key.package, key.sco])
                else { return nil }
                return CMIState(
                    attempt: row["attempt"],
                    values: try RuntimeJSON.decodeValues(row["cmi_values"]),
                    interactions: try RuntimeJSON.decodeInteractions(row["cmi_interactions"]))
            }
        } catch let e as DatabaseError {
            throw ProgressStoreError(path: path, problem: .sqlite(doing: "read the runtime state"), underlying: e)
        }
    }

    /// Saves a runtime commit in one transaction: the learner, the attempt's runtime state,
    /// and the attempt row the reports read (source "preview"). While an import holds the
    /// store, the commit waits in the inbox instead and lands right after the import.
    public func commitRuntime(_ key: SCOKey, state: CMIState, learnerName: String?, curriculum: String?) throws {
        let now = Date()
        do {
            let written = try writeOrDefer { db in
                try Self.writeRuntime(db, key, state: state, learnerName: learnerName, curriculum: curriculum, now: now)
            }
            if !written {
                try inbox.append { _ in
                    PreviewInbox.Entry(operation: .commit, key: key, state: state, learnerName: learnerName, curriculum: curriculum, at: now)
                }
            }
        } catch let e as DatabaseError {
            throw ProgressStoreError(path: path, problem: .sqlite(doing: "save the runtime state"), underlying: e)
        }
    }

    static func writeRuntime(_ db: Database, _ key: SCOKey, state: CMIState, learnerName: String?, curriculum: String?, now: Date) throws {
        try ProgressWriter.upsertLearner(db, id: key.learner, name: learnerName, email: nil)
        try db.execute(
            sql: """
                INSERT INTO runtime (learner_id, package, sco, attempt, cmi_values, cmi_interactions, curriculum)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (learner_id, package, sco, attempt) DO UPDATE SET
                  cmi_values = excluded.cmi_values, cmi_interactions = excluded.cmi_interactions,
                  curriculum = COALESCE(excluded.curriculum, runtime.curriculum)
                """,
            arguments: [
                key.learner, key.package, key.sco, state.attempt,
                try RuntimeJSON.encode(state.values), try RuntimeJSON.encode(state.interactions), curriculum,
            ])
        if let record = RuntimeMapping.attempt(key: key, state: state, curriculum: curriculum ?? "", now: now) {
            try ProgressWriter.replaceAttempt(db, record, source: "preview")
        }
    }

    /// The next attempt number for that learner and SCO (1 for the first).
    public func startNewAttempt(_ key: SCOKey) throws -> Int {
        let lastSQL = "SELECT MAX(attempt) FROM runtime WHERE learner_id = ? AND package = ? AND sco = ?"
        let keyArgs: StatementArguments = [key.learner, key.package, key.sco]
        do {
            var next = 0
            let written = try writeOrDefer { db in
                next = (try Int.fetchOne(db, sql: lastSQL, arguments: keyArgs) ?? 0) + 1
                try Self.insertAttempt(db, key, next)
            }
            if written { return next }
            // An import holds the store: number the attempt after what is stored and what
            // waits in the inbox, inside the inbox's write transaction.
            let entry = try inbox.append { idb in
                let stored = try pool.read { db in try Int.fetchOne(db, sql: lastSQL, arguments: keyArgs) ?? 0 }
                let waiting = try PreviewInbox.entries(idb, key).map(\.state.attempt).max() ?? 0
                return PreviewInbox.Entry(
                    operation: .newAttempt, key: key, state: CMIState(attempt: max(stored, waiting) + 1, values: [:], interactions: []),
                    learnerName: nil, curriculum: nil, at: Date())
            }
            return entry.state.attempt
        } catch let e as DatabaseError {
            throw ProgressStoreError(path: path, problem: .sqlite(doing: "start a new attempt"), underlying: e)
        }
    }

    static func insertAttempt(_ db: Database, _ key: SCOKey, _ attempt: Int) throws {
        try db.execute(
            sql: "INSERT OR IGNORE INTO runtime (learner_id, package, sco, attempt, cmi_values, cmi_interactions) VALUES (?, ?, ?, ?, '{}', '[]')",
            arguments: [key.learner, key.package, key.sco, attempt])
    }

    /// Every runtime state in the store (for `import --from preview`), in key order, after
    /// applying what waits in the inbox.
    public func allRuntimeStates() throws -> [(key: SCOKey, state: CMIState, curriculum: String?)] {
        do {
            _ = try writeOrDefer(wait: Self.busyTimeout) { _ in }
            return try pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM runtime ORDER BY learner_id, package, sco, attempt"
                ).map { row in
                    (SCOKey(learner: row["learner_id"], package: row["package"], sco: row["sco"]),
                     CMIState(attempt: row["attempt"], values: try RuntimeJSON.decodeValues(row["cmi_values"]),
                              interactions: try RuntimeJSON.decodeInteractions(row["cmi_interactions"])),
                     row["curriculum"] as String?)
                }
            }
        } catch let e as DatabaseError {
            throw ProgressStoreError(path: path, problem: .sqlite(doing: "read the runtime states"), underlying: e)
        }
    }

    // MARK: - Writes that never wait long

    /// Runs `body` in one immediate transaction, after applying what waits in the inbox,
    /// waiting at most `wait` seconds for the write lock. False, with nothing written, when
    /// the store stayed locked (an import holds it).
    func writeOrDefer(wait: TimeInterval = previewWait, _ body: (Database) throws -> Void) throws -> Bool {
        var applied: Int64?
        do {
            try pool.writeWithoutTransaction { db in
                sqlite3_busy_timeout(db.sqliteConnection, Int32(wait * 1000))
                defer { sqlite3_busy_timeout(db.sqliteConnection, Int32(Self.busyTimeout * 1000)) }
                try db.inTransaction(.immediate) {
                    applied = try self.applyInbox(db)
                    try body(db)
                    return .commit
                }
            }
        } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY {
            return false
        }
        if let applied { inbox.forget(through: applied) }
        checkpointer.afterWrite()
        return true
    }

    /// Inside a write transaction: applies the inbox's entries in order; the last one's
    /// number (to delete them once the transaction has committed), nil when none waits.
    func applyInbox(_ db: Database) throws -> Int64? {
        let entries = try inbox.pending()
        for e in entries {
            switch e.operation {
            case .commit: try Self.writeRuntime(db, e.key, state: e.state, learnerName: e.learnerName, curriculum: e.curriculum, now: e.at)
            case .newAttempt: try Self.insertAttempt(db, e.key, e.state.attempt)
            }
        }
        return entries.last?.seq
    }

    /// Copies the WAL into the database now, as far as readers allow (after an import, on
    /// the importing thread, which is not a learner's).
    func checkpoint() {
        checkpointer.run()
    }
}

/// Copies the WAL back into the database on a connection and a thread of its own, once it
/// has grown past a few MB, so that no caller's write waits for a checkpoint. A passive
/// checkpoint takes no write lock: writers go on while it runs.
package final class Checkpointer: Sendable {
    private let path: String
    private let running = Locked(false)
    private let connection = Locked<DatabaseQueue?>(nil)
    private static let threshold = 4 << 20

    init(path: String) { self.path = path }

    /// After a write: starts a checkpoint in the background when the WAL is large.
    func afterWrite() {
        var st = stat()
        guard stat(path + "-wal", &st) == 0, Int(st.st_size) > Self.threshold else { return }
        let start = running.withLock { running -> Bool in
            if running { return false }
            running = true
            return true
        }
        guard start else { return }
        DispatchQueue.global(qos: .utility).async {
            self.run()
            self.running.withLock { $0 = false }
        }
    }

    /// A passive checkpoint, now. A failure leaves the WAL for the next one (the data is
    /// safe in the WAL either way).
    func run() {
        do {
            let q = try connection.withLock { connection -> DatabaseQueue in
                if let connection { return connection }
                var config = Configuration()
                config.busyMode = .timeout(ProgressStore.busyTimeout)
                let q = try DatabaseQueue(path: path, configuration: config)
                connection = q
                return q
            }
            try q.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
        } catch {
            // Left for the next checkpoint: the WAL still holds every committed page.
        }
    }
}

extension ProgressStore {
    /// Every table's rows as text in key order (for tests: equal texts mean nothing changed).
    func snapshotText() throws -> String {
        try pool.read { db in
            var out = ""
            for t in ["learners", "enrolments", "attempts", "interactions", "runtime", "import_batches", "items", "item_progress"] {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(t) ORDER BY 1, 2, 3")
                out += "\(t) \(rows.count)\n" + rows.map(\.description).joined(separator: "\n") + "\n"
            }
            return out
        }
    }

    /// The number of `item_progress` rows that differ from a fresh grouping of the attempts
    /// (missing, extra or different): 0 when every writer kept the summaries current.
    func summaryDrift() throws -> Int {
        try pool.read { db in
            let fresh = ProgressWriter.summarySelect + " GROUP BY learner_id, item_id, curriculum"
            let stored = "SELECT learner_id, curriculum, item_id, status, best, attempts, seconds, last_at, observer, signed_at, credited FROM item_progress"
            return try Int.fetchOne(db, sql: """
                SELECT (SELECT COUNT(*) FROM (\(fresh) EXCEPT \(stored))) + (SELECT COUNT(*) FROM (\(stored) EXCEPT \(fresh)))
                """) ?? -1
        }
    }

    /// The attempts imports stored (not the preview's), read in one transaction: for the
    /// benchmark's reader, which must see the count before an import or after it.
    package func attemptCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempts WHERE source != 'preview'") ?? 0 }
    }

    /// One integer from a query (for tests and diagnostics).
    func scalarInt(_ sql: String) throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }
}

/// JSON for the runtime columns; sorted keys so the stored text is deterministic. What the
/// store holds and cannot be read is an error, never an empty state.
package enum RuntimeJSON {
    static func encode(_ v: some Encodable) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return String(decoding: try enc.encode(v), as: UTF8.self)
    }
    static func decodeValues(_ s: String?) throws -> [String: String] {
        try decode(s, as: [String: String].self) ?? [:]
    }
    static func decodeInteractions(_ s: String?) throws -> [[String: String]] {
        try decode(s, as: [[String: String]].self) ?? []
    }
    private static func decode<T: Decodable>(_ s: String?, as: T.Type) throws -> T? {
        guard let s else { return nil }
        do { return try JSONDecoder().decode(T.self, from: Data(s.utf8)) } catch {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "a stored runtime state is not the JSON Ladder writes: \(error)")
        }
    }
}
