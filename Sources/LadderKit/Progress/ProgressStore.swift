import Foundation
import GRDB

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

/// A problem with the progress store itself (not with an imported row).
public struct ProgressStoreError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path): \(message)" }
}

/// The learner-progress store: one SQLite file (GRDB, WAL) holding learners, enrolments,
/// attempts per plan item with their interactions, the preview server's runtime state and
/// the import batches. Safe to share between threads (GRDB's pool serialises writes).
public final class ProgressStore: Sendable {
    public let path: String
    let pool: DatabasePool

    /// Opens (creating the folder and file if needed) and migrates the store at `path`.
    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw ProgressStoreError(path: path, message: "cannot create the folder: \(error.localizedDescription)")
        }
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try ProgressSchema.migrator.migrate(pool)
        } catch let e as DatabaseError {
            throw ProgressStoreError(path: path, message: "cannot open the progress store: \(e.message ?? e.description)")
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
    public func runtimeState(_ key: SCOKey) throws -> CMIState? {
        try pool.read { db in
            guard let row = try Row.fetchOne(
                db,
                sql: "SELECT attempt, cmi_values, cmi_interactions FROM runtime WHERE learner_id = ? AND package = ? AND sco = ? ORDER BY attempt DESC LIMIT 1",
                arguments: [key.learner, key.package, key.sco])
            else { return nil }
            return CMIState(
                attempt: row["attempt"],
                values: RuntimeJSON.decodeValues(row["cmi_values"]),
                interactions: RuntimeJSON.decodeInteractions(row["cmi_interactions"]))
        }
    }

    /// Saves a runtime commit in one transaction: the learner, the attempt's runtime state,
    /// and the attempt row the reports read (source "preview").
    public func commitRuntime(_ key: SCOKey, state: CMIState, learnerName: String?, curriculum: String?) throws {
        try pool.write { db in
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
                    RuntimeJSON.encode(state.values), RuntimeJSON.encode(state.interactions), curriculum,
                ])
            if let record = RuntimeMapping.attempt(key: key, state: state, curriculum: curriculum ?? "") {
                try ProgressWriter.replaceAttempt(db, record, source: "preview")
            }
        }
    }

    /// The next attempt number for that learner and SCO (1 for the first).
    public func startNewAttempt(_ key: SCOKey) throws -> Int {
        try pool.write { db in
            let last = try Int.fetchOne(
                db, sql: "SELECT MAX(attempt) FROM runtime WHERE learner_id = ? AND package = ? AND sco = ?",
                arguments: [key.learner, key.package, key.sco]) ?? 0
            let next = last + 1
            try db.execute(
                sql: "INSERT OR IGNORE INTO runtime (learner_id, package, sco, attempt, cmi_values, cmi_interactions) VALUES (?, ?, ?, ?, '{}', '[]')",
                arguments: [key.learner, key.package, key.sco, next])
            return next
        }
    }

    /// Every runtime state in the store (for `import --from preview`), in key order.
    public func allRuntimeStates() throws -> [(key: SCOKey, state: CMIState, curriculum: String?)] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM runtime ORDER BY learner_id, package, sco, attempt"
            ).map { row in
                (SCOKey(learner: row["learner_id"], package: row["package"], sco: row["sco"]),
                 CMIState(attempt: row["attempt"], values: RuntimeJSON.decodeValues(row["cmi_values"]),
                          interactions: RuntimeJSON.decodeInteractions(row["cmi_interactions"])),
                 row["curriculum"] as String?)
            }
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
            let stored = "SELECT learner_id, curriculum, item_id, status, best, attempts, seconds, last_at, observer, signed_at FROM item_progress"
            return try Int.fetchOne(db, sql: """
                SELECT (SELECT COUNT(*) FROM (\(fresh) EXCEPT \(stored))) + (SELECT COUNT(*) FROM (\(stored) EXCEPT \(fresh)))
                """) ?? -1
        }
    }

    /// One integer from a query (for tests and diagnostics).
    func scalarInt(_ sql: String) throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }
}

/// JSON for the runtime columns; sorted keys so the stored text is deterministic.
enum RuntimeJSON {
    static func encode(_ v: [String: String]) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return (try? enc.encode(v)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }
    static func encode(_ v: [[String: String]]) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return (try? enc.encode(v)).flatMap { String(data: $0, encoding: .utf8) } ?? "[]"
    }
    static func decodeValues(_ s: String?) -> [String: String] {
        guard let s, let d = s.data(using: .utf8) else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: d)) ?? [:]
    }
    static func decodeInteractions(_ s: String?) -> [[String: String]] {
        guard let s, let d = s.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([[String: String]].self, from: d)) ?? []
    }
}
