import Foundation
import GRDB
import LadderCore

/// A learners file (`ladder progress report --learners FILE`, the cohort file of `ladder gaps`)
/// matched to the store's learners: each entry's current level goes to the stored learner it
/// names, and the entries that name none are said, so a lead sees when the file was not applied.
///
/// An entry names a stored learner when its `learner_id` (or its `email` column) is the stored
/// learner's id or email, ignoring case (`LearnerMatcher`); else when its name is that of
/// exactly one stored learner (also written "Last First"), no other entry has that name, and
/// no entry names that learner by id. One entry may name several stored learners: a store
/// written before ids were normalised can hold one email under two spellings.
public struct LearnersFileMatch: Sendable {
    /// Stored learner id → the file's current level (`ReportOptions.currentLevels`).
    public var currentLevels: [String: String] = [:]
    /// Warnings for entries that match no stored learner and for entries matched by name;
    /// an error for a stored learner two entries give different current levels.
    public var diagnostics = Diagnostics()
}

extension ProgressStore {
    /// Matches `profiles`, read from the learners file `path`, to the stored learners.
    public func matchLearnersFile(_ profiles: [LearnerProfile], path: String) throws -> LearnersFileMatch {
        let (byKey, byName) = try pool.read { db -> ([String: [String]], [String: [String]]) in
            var keys: [String: [String]] = [:], names: [String: [String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, email, name FROM learners ORDER BY id") {
                let id: String = row[0]
                for k in Set([LearnerMatcher.key(id)] + ((row[1] as String?).map { [LearnerMatcher.key($0)] } ?? [])) {
                    keys[k, default: []].append(id)
                }
                if let name: String = row[2] { names[LearnerMatcher.norm(name), default: []].append(id) }
            }
            return (keys, names)
        }
        var result = LearnersFileMatch()
        var matched: [(profile: LearnerProfile, ids: [String])] = []
        var unmatched: [(profile: LearnerProfile, why: String)] = []
        var byID = Set<String>()
        var pending: [LearnerProfile] = []
        for p in profiles {
            let ids = Set([p.id, p.email].compactMap { $0 }.flatMap { byKey[LearnerMatcher.key($0)] ?? [] }).sorted()
            if ids.isEmpty { pending.append(p) } else {
                matched.append((p, ids))
                byID.formUnion(ids)
            }
        }
        // By name: only a name one stored learner and one entry have, for a learner no entry
        // names by id (that entry is someone else with the same name).
        let fileNames = Dictionary(grouping: profiles, by: { LearnerMatcher.norm($0.name) }).mapValues(\.count)
        var byNameShown: [String] = []
        for p in pending {
            let key = LearnerMatcher.norm(p.name)
            let stored = LearnerMatcher.named(p.name, in: byName)
            if stored.count == 1, !byID.contains(stored[0]), fileNames[key] == 1 {
                matched.append((p, stored))
                byNameShown.append("'\(p.id)' → '\(stored[0])' (line \(p.line))")
            } else if stored.count > 1 {
                unmatched.append((p, "its id and email match no stored learner, and \(stored.count) stored learners are named '\(p.name)'"))
            } else if stored.count == 1 {
                unmatched.append((p, byID.contains(stored[0])
                    ? "its id and email match no stored learner, and the one named '\(p.name)' is another entry's"
                    : "its id and email match no stored learner, and \(fileNames[key] ?? 0) entries are named '\(p.name)'"))
            } else {
                unmatched.append((p, "no stored learner has its id or email (ignoring case) or its name"))
            }
        }
        var from: [String: LearnerProfile] = [:]
        for (p, ids) in matched.sorted(by: { $0.profile.line < $1.profile.line }) {
            for id in ids {
                if let other = from[id], other.currentLevel != p.currentLevel {
                    result.diagnostics.error(
                        SourceLocation(file: path, line: p.line),
                        "learner '\(p.id)' is stored learner '\(id)', as is '\(other.id)' on line \(other.line), with another current level "
                            + "(\(p.currentLevel), \(other.currentLevel)): ids compare ignoring case; keep one entry per learner")
                    continue
                }
                from[id] = p
                result.currentLevels[id] = p.currentLevel
            }
        }
        Self.warn(&result.diagnostics, path: path, unmatched: unmatched, of: profiles.count, byName: byNameShown)
        return result
    }

    /// The warnings: each entry that matches no stored learner (the first ten at their lines,
    /// then a count), and the entries matched by name.
    private static func warn(_ d: inout Diagnostics, path: String, unmatched: [(profile: LearnerProfile, why: String)], of total: Int,
                             byName: [String]) {
        let shown = 10
        for (p, why) in unmatched.prefix(shown) {
            d.warning(SourceLocation(file: path, line: p.line),
                      "learner '\(p.id)' (\(p.name)) matches no learner in the progress store (\(why)): its current level \(p.currentLevel) is not applied")
        }
        if !unmatched.isEmpty {
            let more = unmatched.count > shown ? " (\(unmatched.count - shown) more not listed)" : ""
            let what = unmatched.count == total ? "none of the file's \(Plural.count(total, "entry", "entries")) matches a learner"
                : "\(unmatched.count) of the file's \(total) entries \(unmatched.count == 1 ? "matches" : "match") no learner"
            d.warning(SourceLocation(file: path),
                      "\(what) in the progress store\(more), so the report uses the store's current level for "
                          + "those learners; learner_id must be the learner's id in the store (the LMS email or login), "
                          + "or the name must be that of exactly one stored learner")
        }
        if !byName.isEmpty {
            let listed = byName.prefix(5).joined(separator: ", ") + (byName.count > 5 ? ", and \(byName.count - 5) more" : "")
            d.warning(SourceLocation(file: path),
                      "\(Plural.count(byName.count, "entry", "entries")) matched a stored learner by name only (the id matches none): \(listed)")
        }
    }

    /// The stored learners whose id or email is `key`, ignoring case (`--learner`); the exact
    /// id first when it is stored.
    public func learnerIDs(matching key: String) throws -> [String] {
        let k = LearnerMatcher.key(key)
        let found = try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, email FROM learners ORDER BY id").compactMap { row -> String? in
                let id: String = row[0]
                return LearnerMatcher.key(id) == k || (row[1] as String?).map(LearnerMatcher.key) == k ? id : nil
            }
        }
        return found.filter { $0 == key } + found.filter { $0 != key }
    }
}
