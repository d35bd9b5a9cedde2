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
    /// Rows that name their learner only by name, written at the end of the file (`finish`).
    var held: [(line: Int, row: NamedRow)] = []
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
        case .byName(let named):
            state.held.append((line, named))
            return
        case .learner(let who):
            guard let id = try learnerID(who, line: line, state: state, file: &file, summary: &summary) else { return }
            try ProgressWriter.upsertLearner(db, id: id, name: who.name, email: who.email.map(LearnerMatcher.key))
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
                // Emails are stored in lower case (they compare ignoring case: LearnerMatcher).
                let email = first.email.map(LearnerMatcher.key)
                // Rewritten only when matching changed them (a copy of every record otherwise).
                if id != first.learner || email != first.email {
                    for k in recs.indices {
                        recs[k].learner = id
                        recs[k].email = email
                    }
                }
                state.matcher.noteStored(id: id, name: who.name)
                file.imported += 1
            }
            for rec in recs { try write(rec, state: &state, file: &file) }
        }
        written += 1
        if let hook = hooks.afterRows, written % hooks.everyRows == 0 { try hook(written) }
    }

    /// Writes the rows held because they name their learner only by name, once the whole file
    /// is read: the rows of a name that stands for two people in this file (`NamedRow.twoPeople`)
    /// are refused, all of them, with one issue naming the lines; the others are written in
    /// file order.
    func finish(state: inout FileWriteState, file: inout ImportSummary.File, summary: inout ImportSummary) throws {
        let held = state.held
        state.held = []
        var groups: [String: [Int]] = [:]
        for (k, h) in held.enumerated() { groups[LearnerMatcher.norm(h.row.name), default: []].append(k) }
        var refused = Set<Int>()
        for ks in groups.values.sorted(by: { $0[0] < $1[0] }) where NamedRow.twoPeople(ks.map { held[$0].row }) {
            refused.formUnion(ks)
            file.rejected += ks.count
            let first = held[ks[0]].row
            let lines = ks.map { k in
                let h = held[k]
                return "\(h.line)" + ((h.row.slot ?? h.row.rule.only).map { " (\($0))" } ?? "")
            }
            let listed = lines.count == 2 ? "\(lines[0]) and \(lines[1])" : lines.dropLast().joined(separator: ", ") + " and " + lines.last!
            summary.issues.append(ImportIssue(
                file: state.path, line: held[ks[0]].line, field: first.rule.column,
                message: "'\(first.name)' is on lines \(listed): \(first.rule.why), and this file names learners only by name, "
                    + "so it cannot say which is which; none of these \(ks.count) rows was imported. To import them, \(first.rule.fix)"))
        }
        for (k, h) in held.enumerated() where !refused.contains(k) {
            try write(h.row.row, line: h.line, state: &state, file: &file, summary: &summary)
        }
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
