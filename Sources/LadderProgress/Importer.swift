import Foundation
import GRDB
import LadderCore

/// How to import.
public struct ImportOptions: Sendable {
    public var source: ImportSource
    /// With `strict`, nothing lands unless every row of every file is valid.
    public var strict: Bool
    /// The plan of the curriculum the rows belong to: maps titles to items and gives levels.
    public var plan: Plan?
    /// The zone dates without an offset are written in (Moodle writes the viewer's zone).
    public var timeZone: TimeZone
    /// How rows are matched to stored learners.
    public var match: LearnerMatch
    /// The plan item (id, SCO id or title) a Moodle report without SCO columns is about.
    public var item: String?
    /// Told, once, when another import holds the store and this one waits for it.
    public var onWait: (@Sendable (String) -> Void)?
    /// Test hooks.
    package var hooks = ImportHooks()
    public init(source: ImportSource, strict: Bool = false, plan: Plan? = nil, timeZone: TimeZone = .current,
                match: LearnerMatch = .auto, item: String? = nil) {
        self.source = source
        self.strict = strict
        self.plan = plan
        self.timeZone = timeZone
        self.match = match
        self.item = item
    }
}

/// Test hooks for an import (`package`: tests only).
package struct ImportHooks: Sendable {
    /// Called on the writing thread inside the import's transaction after every
    /// `everyRows` rows written, with the count so far. Throwing stops the import there.
    package var afterRows: (@Sendable (Int) throws -> Void)?
    package var everyRows = 100
    /// False: every attempt row goes through the merge statement (`StoredAttempts` off), to
    /// compare its outcome with the skip's.
    package var skipUnchanged = true
    package init() {}
}

/// What an import did.
public struct ImportSummary: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        public var path: String
        public var digest: String
        public var rows: Int
        public var attempts: Int
        /// Attempts written or changed (their interactions included).
        public var changedAttempts = 0
        /// Learners added or changed (name, email).
        public var changedLearners = 0
        /// Enrolments added or changed (level, track).
        public var changedEnrolments = 0
        public var rejected: Int
        /// The same bytes were imported before and nothing changed.
        public var alreadyImported: Bool
        /// Rows that landed (attempts, or a learner without attempts).
        public var imported = 0
        /// Learners the file names only by name that matched no stored learner and were added.
        public var newByName = 0
        /// The encoding and delimiter the file was read with.
        public var detected = ""
        /// Every record the file added or changed in the store.
        public var changed: Int { changedAttempts + changedLearners + changedEnrolments }
    }
    public var files: [File] = []
    public var issues: [ImportIssue] = []
    /// False when `strict` rolled everything back.
    public var committed = true
    public var rows: Int { files.reduce(0) { $0 + $1.rows } }
    public var changed: Int { files.reduce(0) { $0 + $1.changed } }
    public var rejected: Int { files.reduce(0) { $0 + $1.rejected } }
    public var imported: Int { files.reduce(0) { $0 + $1.imported } }
}

/// A file's records, whatever its format: delimited text here; a worksheet reader yields the
/// same records.
package protocol RecordReader: AnyObject {
    func next() throws -> DelimitedRecord?
    /// The SHA-256 of the bytes read so far.
    func digest() -> String
    /// What was found (encoding, delimiter), for messages.
    var detected: String { get }
}

extension DelimitedReader: RecordReader {}

/// Opens `path` with the reader its format needs: the one place a format is chosen.
package func openRecords(_ path: String) throws -> any RecordReader {
    do { return try openRecordSource(path) } catch let e as DelimitedFileError {
        throw ImportError(path: path, message: e.message)
    }
}

/// A file that cannot be read at all (as opposed to a bad row in it).
public struct ImportError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var message: String
    public var description: String { "\(path): error: \(message)" }
}

private struct Rollback: Error {}

extension ProgressStore {
    /// Imports `paths` in one transaction. Valid rows land and bad ones are listed in the
    /// summary; with `options.strict` any bad row rolls everything back. Re-importing the same
    /// file changes nothing; overlapping files merge by learner, item and attempt.
    ///
    /// Imports into one store run one at a time (`ImportLock`; a second one waits and
    /// `options.onWait` is told who holds the store). A reader sees the store before or after
    /// the import, never part of it; the preview server's writes made meanwhile wait in the
    /// inbox and are applied right after the import's transaction.
    public func importFiles(_ paths: [String], options: ImportOptions, now: Date = Date()) throws -> ImportSummary {
        let lock = try ImportLock.acquire(store: path, files: paths, waiting: { options.onWait?($0) })
        defer { withExtendedLifetime(lock) {} }
        var summary = ImportSummary()
        let curriculum = options.plan?.curriculum ?? ""
        let resolver = ItemResolver(plan: options.plan)
        do {
            try pool.writeWithoutTransaction { db in
                // The preview's writes hold the lock for milliseconds; the import waits for them.
                try db.execute(sql: "PRAGMA cache_size = -65536")
                defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
                try db.inTransaction(.immediate) {
                    let writer = try RowWriter(db: db, hooks: options.hooks)
                    for path in paths {
                        let file: ImportSummary.File
                        if options.source == .preview {
                            file = try importPreview(db, path: path, curriculum: curriculum, summary: &summary)
                        } else {
                            file = try importDelimited(db, path: path, options: options, curriculum: curriculum,
                                                       resolver: resolver, now: now, writer: writer, summary: &summary)
                        }
                        summary.files.append(file)
                    }
                    if options.strict && !summary.issues.isEmpty {
                        summary.committed = false
                        return .rollback
                    }
                    return .commit
                }
            }
            ImportTrace.mark("committed")
            // What the preview committed during the import lands now, after it.
            _ = try writeOrDefer(wait: Self.busyTimeout) { _ in }
        } catch let e as DatabaseError {
            throw ProgressStoreError(path: self.path, problem: .importFailed, underlying: e)
        }
        checkpoint()
        ImportTrace.mark("checkpoint")
        return summary
    }

    private func importDelimited(
        _ db: Database, path: String, options: ImportOptions, curriculum: String, resolver: ItemResolver, now: Date,
        writer: RowWriter, summary: inout ImportSummary
    ) throws -> ImportSummary.File {
        let reader = try openRecords(path)
        var file = ImportSummary.File(path: path, digest: "", rows: 0, attempts: 0, rejected: 0, alreadyImported: false)
        file.detected = reader.detected
        let header: DelimitedRecord
        do {
            guard let h = try reader.next() else {
                summary.issues.append(ImportIssue(file: path, line: 1, field: nil, message: "the file is empty"))
                return file
            }
            header = h
        } catch let e as DelimitedFileError {
            summary.issues.append(ImportIssue(file: path, line: e.line, field: nil, message: "the header line cannot be read: \(e.message)"))
            file.rejected = 1
            return file
        }
        let ctx = ParseContext(file: path, curriculum: curriculum, resolver: resolver, dates: LMSDates(timeZone: options.timeZone),
                               detected: reader.detected, singleItem: options.item)
        let parser: any RowParser
        switch makeRowParser(options.source, header: header, ctx: ctx) {
        case .success(let made):
            parser = made.parser
            summary.issues += made.issues
        case .failure(let issue):
            summary.issues.append(issue)
            file.rejected = 1
            return file
        }
        try db.execute(
            sql: "INSERT INTO import_batches (source, path, digest, rows, changed, rejected, imported_at) VALUES (?, ?, '', 0, 0, 0, ?)",
            arguments: [options.source.rawValue, path, ISO8601DateFormatter().string(from: now)])
        let batch = db.lastInsertedRowID
        // The file is read and parsed on another thread while this one writes.
        let pipeline = ImportPipeline(reader: reader, parser: parser, file: path)
        defer { pipeline.end() }
        writer.stored.forget()
        var state = FileWriteState(path: path, source: options.source.rawValue, batch: batch, matcher: LearnerMatcher(mode: options.match))
        while let rows = try pipeline.next() {
            for row in rows {
                switch row {
                case .unreadable(let issue, _):
                    summary.issues.append(issue)
                    file.rejected += 1
                case .ragged(let issue):
                    file.rows += 1
                    summary.issues.append(issue)
                    file.rejected += 1
                case .parsed(let line, let parsed):
                    file.rows += 1
                    try writer.write(parsed, line: line, state: &state, file: &file, summary: &summary)
                }
            }
        }
        pipeline.end()
        try writer.finish(state: &state, file: &file, summary: &summary)
        ImportTrace.mark("rows written (\(writer.stored.skipped) attempt rows unchanged, merge skipped)")
        if file.changed > 0 { try ProgressWriter.refreshSummaries(db, batch: batch) }
        ImportTrace.mark("summaries")
        file.digest = reader.digest()
        let seenBefore = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM import_batches WHERE source = ? AND digest = ? AND id != ?)",
            arguments: [options.source.rawValue, file.digest, batch]) ?? false
        if seenBefore && file.changed == 0 {
            // Same bytes, nothing new: leave no trace, so a re-import changes nothing.
            try db.execute(sql: "DELETE FROM import_batches WHERE id = ?", arguments: [batch])
            file.alreadyImported = true
        } else {
            try db.execute(
                sql: "UPDATE import_batches SET digest = ?, rows = ?, changed = ?, rejected = ? WHERE id = ?",
                arguments: [file.digest, file.rows, file.changed, file.rejected, batch])
        }
        return file
    }

    /// Copies the attempts the preview server recorded in another store (or this one).
    private func importPreview(_ db: Database, path: String, curriculum: String, summary: inout ImportSummary) throws -> ImportSummary.File {
        var file = ImportSummary.File(path: path, digest: "", rows: 0, attempts: 0, rejected: 0, alreadyImported: false)
        guard FileManager.default.fileExists(atPath: path) else {
            throw ImportError(path: path, message: "no such preview store")
        }
        let other: ProgressStore
        do { other = try ProgressStore(path: path) } catch let e as ProgressStoreError {
            throw ImportError(path: path, message: e.message)
        }
        let (records, learners) = try other.pool.read { odb -> ([AttemptRecord], [(String, String?, String?)]) in
            var recs: [AttemptRecord] = []
            let rows = try Row.fetchCursor(odb, sql: "SELECT * FROM attempts WHERE source = 'preview' ORDER BY learner_id, curriculum, item_id, attempt")
            while let row = try rows.next() {
                let rank: Int = row["status"]
                guard let status = LessonStatus(rawValue: rank) else {
                    // A status the store cannot hold is damage, not "not attempted".
                    throw ImportError(path: path, message: "attempt \(row["attempt"] as Int) of '\(row["item_id"] as String)' by '\(row["learner_id"] as String)' has status \(rank), which no Ladder store writes")
                }
                var r = AttemptRecord(learner: row["learner_id"], curriculum: row["curriculum"], item: row["item_id"],
                                      attempt: row["attempt"], status: status)
                r.kind = row["kind"]
                r.level = row["level"]
                r.score = row["score"]
                r.scoreMax = row["score_max"]
                r.startedAt = row["started_at"]
                r.lastAt = row["last_at"]
                r.seconds = row["seconds"]
                r.observer = row["observer"]
                r.signedAt = row["signed_at"]
                let irows = try Row.fetchAll(
                    odb, sql: "SELECT * FROM interactions WHERE learner_id = ? AND curriculum = ? AND item_id = ? AND attempt = ? ORDER BY interaction, try",
                    arguments: [r.learner, r.curriculum, r.item, r.attempt])
                r.interactions = irows.map { ir in
                    var i = InteractionRecord(id: ir["interaction"])
                    i.tryNumber = ir["try"]; i.position = ir["position"]
                    for f in InteractionRecord.answerFields { i[keyPath: f.field] = ir[f.column] }
                    return i
                }
                recs.append(r)
            }
            let ls = try Row.fetchAll(odb, sql: "SELECT id, name, email FROM learners ORDER BY id").map {
                ($0["id"] as String, $0["name"] as String?, $0["email"] as String?)
            }
            return (recs, ls)
        }
        for (id, name, email) in learners {
            try ProgressWriter.upsertLearner(db, id: id, name: name, email: email)
            if db.changesCount > 0 { file.changedLearners += 1 }
        }
        for var r in records {
            if r.curriculum.isEmpty { r.curriculum = curriculum }
            file.rows += 1
            file.attempts += 1
            if try ProgressWriter.mergeAttempt(db, r, source: "preview", batch: nil) { file.changedAttempts += 1 }
        }
        let h = SHA256Hasher()
        h.update(path)
        file.digest = h.finalize()
        return file
    }
}

/// `LADDER_IMPORT_TRACE=1`: the import's phases with their times on standard error (for
/// profiling the benchmark).
package enum ImportTrace {
    nonisolated(unsafe) static var last = Date()
    static let on = ProcessInfo.processInfo.environment["LADDER_IMPORT_TRACE"] == "1"
    static func mark(_ phase: String) {
        guard on else { return }
        let now = Date()
        FileHandle.standardError.write(Data(String(format: "import trace: %@ %.2f s\n", phase, now.timeIntervalSince(last)).utf8))
        last = now
    }
}
