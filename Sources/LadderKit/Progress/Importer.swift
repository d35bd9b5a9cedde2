import Foundation
import GRDB

/// How to import.
public struct ImportOptions: Sendable {
    public var source: ImportSource
    /// With `strict`, nothing lands unless every row of every file is valid.
    public var strict: Bool
    /// The plan of the curriculum the rows belong to: maps titles to items and gives levels.
    public var plan: Plan?
    public init(source: ImportSource, strict: Bool = false, plan: Plan? = nil) {
        self.source = source
        self.strict = strict
        self.plan = plan
    }
}

/// What an import did.
public struct ImportSummary: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        public var path: String
        public var digest: String
        public var rows: Int
        public var attempts: Int
        public var changed: Int
        public var rejected: Int
        /// The same bytes were imported before and nothing changed.
        public var alreadyImported: Bool
    }
    public var files: [File] = []
    public var issues: [ImportIssue] = []
    /// False when `strict` rolled everything back.
    public var committed = true
    public var rows: Int { files.reduce(0) { $0 + $1.rows } }
    public var changed: Int { files.reduce(0) { $0 + $1.changed } }
    public var rejected: Int { files.reduce(0) { $0 + $1.rejected } }
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
    public func importFiles(_ paths: [String], options: ImportOptions, now: Date = Date()) throws -> ImportSummary {
        var summary = ImportSummary()
        let curriculum = options.plan?.curriculum ?? ""
        let resolver = ItemResolver(plan: options.plan)
        do {
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    for path in paths {
                        let file: ImportSummary.File
                        if options.source == .preview {
                            file = try importPreview(db, path: path, curriculum: curriculum, summary: &summary)
                        } else {
                            file = try importDelimited(db, path: path, options: options, curriculum: curriculum,
                                                       resolver: resolver, now: now, summary: &summary)
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
        } catch let e as DatabaseError {
            throw ProgressStoreError(path: self.path, message: "import failed: \(e.message ?? e.description)")
        }
        return summary
    }

    private func importDelimited(
        _ db: Database, path: String, options: ImportOptions, curriculum: String, resolver: ItemResolver, now: Date,
        summary: inout ImportSummary
    ) throws -> ImportSummary.File {
        let reader: any RecordSource
        do { reader = try openRecordSource(path) } catch {
            throw ImportError(path: path, message: (error as? DelimitedFileError)?.message ?? "\(error)")
        }
        var file = ImportSummary.File(path: path, digest: "", rows: 0, attempts: 0, changed: 0, rejected: 0, alreadyImported: false)
        guard let header = try? reader.next() else {
            summary.issues.append(ImportIssue(file: path, line: 1, field: nil, message: "the file is empty"))
            return file
        }
        let parser: any RowParser
        switch makeRowParser(options.source, file: path, header: header, curriculum: curriculum, resolver: resolver) {
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
        var learnersSeen = Set<String>()
        var enrolmentsSeen: [String: (String?, String?)] = [:]
        var itemsSeen = Set<String>()
        while true {
            let record: DelimitedRecord?
            do { record = try reader.next() } catch let e as DelimitedFileError {
                summary.issues.append(ImportIssue(file: path, line: e.line, field: nil, message: e.message))
                file.rejected += 1
                break
            }
            guard let r = record else { break }
            file.rows += 1
            switch parser.parse(r) {
            case .skip: continue
            case .learner(let id, let name, let email):
                try ProgressWriter.upsertLearner(db, id: id, name: name, email: email)
                if db.changesCount > 0 { file.changed += 1 }
                learnersSeen.insert(id)
            case .issues(let list):
                summary.issues += list
                file.rejected += 1
            case .records(let recs):
                for rec in recs {
                    file.attempts += 1
                    if !learnersSeen.contains(rec.learner) {
                        try ProgressWriter.upsertLearner(db, id: rec.learner, name: rec.learnerName, email: rec.email)
                        if db.changesCount > 0 { file.changed += 1 }
                        learnersSeen.insert(rec.learner)
                    }
                    if rec.enrolmentLevel != nil || rec.track != nil,
                       enrolmentsSeen[rec.learner + "\u{1F}" + rec.curriculum].map({ $0 != (rec.enrolmentLevel, rec.track) }) ?? true {
                        enrolmentsSeen[rec.learner + "\u{1F}" + rec.curriculum] = (rec.enrolmentLevel, rec.track)
                        try ProgressWriter.upsertEnrolment(db, learner: rec.learner, curriculum: rec.curriculum,
                                                           level: rec.enrolmentLevel, track: rec.track)
                        if db.changesCount > 0 { file.changed += 1 }
                    }
                    if let level = rec.level, !itemsSeen.contains(rec.curriculum + "\u{1F}" + rec.item) {
                        itemsSeen.insert(rec.curriculum + "\u{1F}" + rec.item)
                        try db.execute(
                            sql: "INSERT INTO items (curriculum, id, kind, level) VALUES (?, ?, ?, ?) ON CONFLICT (curriculum, id) DO UPDATE SET kind = excluded.kind, level = excluded.level WHERE kind IS NOT excluded.kind OR level IS NOT excluded.level",
                            arguments: [rec.curriculum, rec.item, rec.kind, level])
                    }
                    if try ProgressWriter.mergeAttempt(db, rec, source: options.source.rawValue, batch: batch) {
                        file.changed += 1
                    }
                }
            }
        }
        try ProgressWriter.refreshSummaries(db, batch: batch)
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
        var file = ImportSummary.File(path: path, digest: "", rows: 0, attempts: 0, changed: 0, rejected: 0, alreadyImported: false)
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
                var r = AttemptRecord(learner: row["learner_id"], curriculum: row["curriculum"], item: row["item_id"],
                                      attempt: row["attempt"], status: LessonStatus(rawValue: row["status"]) ?? .notAttempted)
                r.kind = row["kind"]
                r.level = row["level"]
                r.score = row["score"]
                r.scoreMax = row["score_max"]
                r.startedAt = row["started_at"]
                r.lastAt = row["last_at"]
                r.seconds = row["seconds"]
                r.observer = row["observer"]
                let irows = try Row.fetchAll(
                    odb, sql: "SELECT * FROM interactions WHERE learner_id = ? AND curriculum = ? AND item_id = ? AND attempt = ? ORDER BY interaction",
                    arguments: [r.learner, r.curriculum, r.item, r.attempt])
                r.interactions = irows.map { ir in
                    var i = InteractionRecord(id: ir["interaction"])
                    i.type = ir["type"]; i.response = ir["response"]; i.correct = ir["correct"]; i.result = ir["result"]
                    i.latency = ir["latency"]; i.time = ir["time"]; i.weighting = ir["weighting"]
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
            if db.changesCount > 0 { file.changed += 1 }
        }
        for var r in records {
            if r.curriculum.isEmpty { r.curriculum = curriculum }
            file.rows += 1
            file.attempts += 1
            if try ProgressWriter.mergeAttempt(db, r, source: "preview", batch: nil) { file.changed += 1 }
        }
        let h = SHA256Hasher()
        h.update(path)
        file.digest = h.finalize()
        return file
    }
}
