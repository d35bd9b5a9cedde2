import Foundation
import GRDB
import LadderCore

/// Where the preview server's writes wait while an import holds the store's write lock: a
/// small SQLite file beside the store (`<store>-inbox`, WAL) with a write lock of its own,
/// so a learner's `LMSCommit` never waits for an import. Entries are numbered in the order
/// they were made. Every writer of the store (the import once its rows are in, each preview
/// write, the next open) first applies the waiting entries in order inside its own
/// transaction, and deletes them once that transaction has committed.
///
/// Applying an entry twice (a writer killed between its commit and the delete) gives the same
/// store: each entry writes the whole runtime state of its attempt, every writer applies what
/// waits before its own write, and the preview serialises the commits of one session, so the
/// last entry of an attempt is always applied last.
package final class PreviewInbox: Sendable {
    enum Operation: String { case commit, newAttempt = "attempt" }

    struct Entry {
        var seq: Int64 = 0
        var operation: Operation
        var key: SCOKey
        var state: CMIState
        var learnerName: String?
        var curriculum: String?
        var at: Date
    }

    let path: String
    private let queue = Locked<DatabaseQueue?>(nil)

    init(storePath: String) { path = storePath + "-inbox" }

    /// The open inbox; nil when there is none and `create` is false.
    private func open(create: Bool) throws -> DatabaseQueue? {
        try queue.withLock { queue in
            if let queue { return queue }
            if !create && !FileManager.default.fileExists(atPath: path) { return nil }
            var config = Configuration()
            config.journalMode = .wal
            config.busyMode = .timeout(ProgressStore.busyTimeout)
            let q = try DatabaseQueue(path: path, configuration: config)
            try q.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS pending (
                      seq INTEGER PRIMARY KEY AUTOINCREMENT,
                      operation TEXT NOT NULL,
                      learner_id TEXT NOT NULL, package TEXT NOT NULL, sco TEXT NOT NULL, attempt INTEGER NOT NULL,
                      cmi_values TEXT NOT NULL, cmi_interactions TEXT NOT NULL,
                      learner_name TEXT, curriculum TEXT, at REAL NOT NULL
                    )
                    """)
            }
            queue = q
            return q
        }
    }

    /// Appends the entry `make` returns; `make` runs inside the inbox's write transaction, so
    /// what it reads of the waiting entries cannot change before the entry is added.
    @discardableResult
    func append(_ make: (Database) throws -> Entry) throws -> Entry {
        guard let q = try open(create: true) else { preconditionFailure("the inbox was just opened") }
        return try q.write { db in
            let e = try make(db)
            try db.execute(
                sql: """
                    INSERT INTO pending (operation, learner_id, package, sco, attempt, cmi_values, cmi_interactions, learner_name, curriculum, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    e.operation.rawValue, e.key.learner, e.key.package, e.key.sco, e.state.attempt,
                    try RuntimeJSON.encode(e.state.values), try RuntimeJSON.encode(e.state.interactions),
                    e.learnerName, e.curriculum, e.at.timeIntervalSince1970,
                ])
            return e
        }
    }

    /// The waiting entries, oldest first (all, or those of one SCO).
    func pending(_ key: SCOKey? = nil) throws -> [Entry] {
        guard let q = try open(create: false) else { return [] }
        return try q.read { db in try Self.entries(db, key) }
    }

    static func entries(_ db: Database, _ key: SCOKey?) throws -> [Entry] {
        var sql = "SELECT * FROM pending"
        var args: StatementArguments = []
        if let key {
            sql += " WHERE learner_id = ? AND package = ? AND sco = ?"
            args = [key.learner, key.package, key.sco]
        }
        return try Row.fetchAll(db, sql: sql + " ORDER BY seq", arguments: args).map { row in
            Entry(
                seq: row["seq"], operation: Operation(rawValue: row["operation"]) ?? .commit,
                key: SCOKey(learner: row["learner_id"], package: row["package"], sco: row["sco"]),
                state: CMIState(
                    attempt: row["attempt"], values: try RuntimeJSON.decodeValues(row["cmi_values"]),
                    interactions: try RuntimeJSON.decodeInteractions(row["cmi_interactions"])),
                learnerName: row["learner_name"], curriculum: row["curriculum"], at: Date(timeIntervalSince1970: row["at"]))
        }
    }

    /// Deletes the entries up to `seq`, once the store's transaction that applied them has
    /// committed. Best effort: an entry left here is applied again, to the same effect.
    func forget(through seq: Int64) {
        guard let q = try? open(create: false) else { return }
        do { try q.write { db in try db.execute(sql: "DELETE FROM pending WHERE seq <= ?", arguments: [seq]) } } catch {
            // Left for the next writer, which applies them again to the same effect.
        }
    }
}
