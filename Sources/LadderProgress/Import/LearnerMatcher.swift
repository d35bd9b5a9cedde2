import Foundation
import GRDB

/// Matches rows to the learners already stored (`--match`): by the row's id (email, login, ID
/// number) or email, or, for a row that names the learner only by name (a Moodle download
/// without identity columns, a TalentLMS matrix), by name when exactly one stored learner has
/// it (also written "Last First"). Never adds a second learner for a name the store already
/// holds twice: that row is refused with the candidates named.
///
/// Ids and emails compare ignoring case: Moodle keeps an email as the user typed it
/// (`Ana.Silva@Example.com`) where TalentLMS may hold `ana.silva@example.com`, and both are
/// one person. A row finds the stored learner whose id or email is its id or email in lower
/// case, so a store written before ids were normalised, which may hold `Ana.Silva@Example.com`
/// as an id, is found too. A new learner whose id is an email address is stored in lower case.
package final class LearnerMatcher {
    let mode: LearnerMatch
    /// Normalised name → stored ids; loaded on the first name look-up.
    private var byName: [String: [String]]?
    /// Lower-case id or email → stored ids (in id order); loaded on the first id look-up.
    private var byKey: [String: [String]]?
    /// The last row's id and email and the id they matched: rows come grouped by learner.
    private var last: (id: String, email: String?, stored: String)?

    init(mode: LearnerMatch) { self.mode = mode }

    static func norm(_ name: String) -> String {
        name.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// How ids and emails compare: in lower case (no copy for text already so: every row's
    /// email goes through here).
    static func key(_ s: String) -> String {
        for b in s.utf8 where (b >= 65 && b <= 90) || b >= 0x80 { return s.lowercased() }
        return s
    }

    /// The id a new learner is stored under: an email address in lower case, any other id as
    /// the file writes it (it still compares ignoring case).
    static func newID(_ id: String) -> String { id.contains("@") ? id.lowercased() : id }

    enum Outcome {
        case found(id: String, isNew: Bool)
        case refused(String)
    }

    func match(_ who: LearnerIdentity, db: Database) throws -> Outcome {
        switch mode {
        case .email:
            guard let email = who.email else {
                return .refused("no email address to identify the learner (--match email); import with --match name to match stored learners by name")
            }
            return .found(id: try stored(id: email, email: email, db: db), isNew: false)
        case .auto where !who.byName:
            return .found(id: try stored(id: who.id, email: who.email, db: db), isNew: false)
        case .auto, .name:
            guard let name = who.name else { return .found(id: try stored(id: who.id, email: who.email, db: db), isNew: false) }
            let found = try candidates(name, db: db)
            if found.count == 1 { return .found(id: found[0], isNew: false) }
            if found.count > 1 {
                let shown = found.prefix(3).map { "'\($0)'" }.joined(separator: ", ") + (found.count > 3 ? ", …" : "")
                return .refused("'\(name)' names \(found.count) learners in the store (\(shown)): the row cannot say which; "
                    + "download the report with an identity column (email) or import with --match email")
            }
            if who.byName { return .found(id: who.id, isNew: true) }
            return .found(id: try stored(id: who.id, email: who.email, db: db), isNew: false)
        }
    }

    /// The stored learner whose id or email is `id`, else `email`, ignoring case; else the id
    /// of a new learner (noted, so the file's next rows find it).
    private func stored(id: String, email: String?, db: Database) throws -> String {
        if let l = last, l.id == id, l.email == email { return l.stored }
        if byKey == nil {
            byKey = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, email FROM learners ORDER BY id")
            while let row = try rows.next() {
                let stored: String = row[0]
                note(stored, email: row[1])
            }
        }
        var found: String?
        for k in [id, email].compactMap({ $0 }) {
            guard let hit = byKey![Self.key(k)], !hit.isEmpty else { continue }
            // A store from before normalisation may hold one email under two ids: the row's
            // own spelling, then the normalised one, then the first.
            found = hit.first { $0 == id } ?? hit.first { $0 == Self.newID(id) } ?? hit[0]
            break
        }
        let result = found ?? Self.newID(id)
        if found == nil { note(result, email: email) }
        last = (id, email, result)
        return result
    }

    private func note(_ id: String, email: String?) {
        for k in Set([Self.key(id)] + (email.map { [Self.key($0)] } ?? [])) where !(byKey![k]?.contains(id) ?? false) {
            byKey![k, default: []].append(id)
        }
    }

    private func candidates(_ name: String, db: Database) throws -> [String] {
        if byName == nil {
            var map: [String: [String]] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, name FROM learners WHERE name IS NOT NULL ORDER BY id")
            while let row = try rows.next() {
                map[LearnerMatcher.norm(row[1]), default: []].append(row[0])
            }
            byName = map
        }
        return Self.named(name, in: byName!)
    }

    /// The ids stored under a name (`byName`: normalised name → ids), also written "Last First".
    static func named(_ name: String, in byName: [String: [String]]) -> [String] {
        let key = norm(name)
        if let hit = byName[key], !hit.isEmpty { return hit }
        let words = key.split(separator: " ")
        if words.count >= 2, let hit = byName[words.reversed().joined(separator: " ")] { return hit }
        return []
    }

    /// Keeps the name map current as the import adds learners.
    func noteStored(id: String, name: String?) {
        guard byName != nil, let name else { return }
        let key = LearnerMatcher.norm(name)
        if !(byName![key]?.contains(id) ?? false) { byName![key, default: []].append(id) }
    }
}
