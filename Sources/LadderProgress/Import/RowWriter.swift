import Foundation
import GRDB
import LadderCore

/// What an import remembers while it writes one file.
package struct FileWriteState {
    let path: String
    let source: String
    let batch: Int64
    let matcher: LearnerMatcher
    var learnersSeen = Set<String>()
    /// Per learner and curriculum: the last level, track and date written (a row stating the
    /// same again skips the upsert).
    var enrolmentsSeen: [String: (String?, String?, String?)] = [:]
    /// The enrolments this file changed (counted once each, however many of its rows date them).
    var enrolmentsChanged = Set<String>()
    var itemsSeen = Set<ItemKey>()
    var lastLearner = ""
}

package struct ItemKey: Hashable {
    var curriculum: String
    var item: String
}

/// Writes parsed rows into the store inside the import's transaction, with the statements
/// prepared once for every row of every file.
package final class RowWriter {
    private let db: Database
    private let merge: GRDB.Statement
    /// The current learner's stored attempts: rows the merge would not change skip it.
    let stored: StoredAttempts
    private let hooks: ImportHooks
    private var written = 0

    init(db: Database, hooks: ImportHooks) throws {
        self.db = db
        self.hooks = hooks
        merge = try ProgressWriter.prepareMerge(db)
        stored = try StoredAttempts(db: db, enabled: hooks.skipUnchanged)
    }

    /// The stored id for a row's learner, or nil with the row's issue recorded.
    private func learnerID(_ who: LearnerIdentity, line: Int, state: FileWriteState, file: inout ImportSummary.File,
                           summary: inout ImportSummary) throws -> String? {
        switch try state.matcher.match(who, db: db) {
        case .found(let id, let isNew):
            if isNew && who.byName && !state.learnersSeen.contains(id) { file.newByName += 1 }
            return id
        case .refused(let message):
            summary.issues.append(ImportIssue(file: state.path, line: line, field: "learner", message: message))
            file.rejected += 1
            return nil
        }
    }

    func write(_ parsed: ParsedRow, line: Int, state: inout FileWriteState, file: inout ImportSummary.File,
               summary: inout ImportSummary) throws {
        switch parsed {
        case .skip: return
        case .learner(let who):
            guard let id = try learnerID(who, line: line, state: state, file: &file, summary: &summary) else { return }
            try ProgressWriter.upsertLearner(db, id: id, name: who.name, email: who.email)
            if db.changesCount > 0 { file.changedLearners += 1 }
            state.learnersSeen.insert(id)
            state.matcher.noteStored(id: id, name: who.name)
            file.imported += 1
        case .issues(let list):
            summary.issues += list
            file.rejected += 1
        case .records(var recs):
            if let first = recs.first {
                let who = LearnerIdentity(id: first.learner, name: first.learnerName, email: first.email, byName: first.byName)
                guard let id = try learnerID(who, line: line, state: state, file: &file, summary: &summary) else { return }
                // Rewritten only when matching changed it (a copy of every record otherwise).
                if id != first.learner { for k in recs.indices { recs[k].learner = id } }
                state.matcher.noteStored(id: id, name: who.name)
                file.imported += 1
            }
            for rec in recs { try write(rec, state: &state, file: &file) }
        }
        written += 1
        if let hook = hooks.afterRows, written % hooks.everyRows == 0 { try hook(written) }
    }

    private func write(_ rec: AttemptRecord, state: inout FileWriteState, file: inout ImportSummary.File) throws {
        file.attempts += 1
        // Rows come grouped by learner: comparing with the last one spares most look-ups.
        if rec.learner != state.lastLearner, !state.learnersSeen.contains(rec.learner) {
            try ProgressWriter.upsertLearner(db, id: rec.learner, name: rec.learnerName, email: rec.email)
            if db.changesCount > 0 { file.changedLearners += 1 }
            state.learnersSeen.insert(rec.learner)
        }
        state.lastLearner = rec.learner
        if rec.enrolmentLevel != nil || rec.track != nil {
            let key = rec.learner + "\u{1F}" + rec.curriculum
            let stated = ProgressWriter.enrolmentDate(rec)
            if state.enrolmentsSeen[key].map({ $0 != (rec.enrolmentLevel, rec.track, stated) }) ?? true {
                state.enrolmentsSeen[key] = (rec.enrolmentLevel, rec.track, stated)
                try ProgressWriter.upsertEnrolment(db, learner: rec.learner, curriculum: rec.curriculum, level: rec.enrolmentLevel,
                                                   track: rec.track, statedAt: stated)
                if db.changesCount > 0 && state.enrolmentsChanged.insert(key).inserted { file.changedEnrolments += 1 }
            }
        }
        if let level = rec.level {
            let key = ItemKey(curriculum: rec.curriculum, item: rec.item)
            if !state.itemsSeen.contains(key) {
                state.itemsSeen.insert(key)
                try db.execute(
                    sql: "INSERT INTO items (curriculum, id, kind, level) VALUES (?, ?, ?, ?) ON CONFLICT (curriculum, id) DO UPDATE SET kind = excluded.kind, level = excluded.level WHERE kind IS NOT excluded.kind OR level IS NOT excluded.level",
                    arguments: [rec.curriculum, rec.item, rec.kind, level])
            }
        }
        if try stored.unchanged(rec) {
            // The attempt row stays as it is; its interactions still merge.
            var changed = false
            for i in rec.interactions where try ProgressWriter.mergeInteraction(db, rec, i) { changed = true }
            if changed { file.changedAttempts += 1 }
            return
        }
        if try ProgressWriter.mergeAttempt(db, rec, source: state.source, batch: state.batch, statement: merge) {
            file.changedAttempts += 1
        }
        stored.wrote(rec)
    }
}
