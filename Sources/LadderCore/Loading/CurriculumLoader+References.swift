import Foundation

/// Checks of the references between files once every file is loaded: duplicate ids, files
/// used twice, `after` (known, not higher up, no cycles), targets that drop; and finding
/// where in a level file a reference is written.
extension CurriculumLoader {
    mutating func crossCheck(_ c: inout Curriculum) {
        var seen: [String: (level: String, index: Int)] = [:]
        var files: [String: String] = [:]
        for (li, level) in c.levels.enumerated() {
            let file = display("levels/\(level.id).yaml")
            for (ri, r) in level.responsibilities.enumerated() {
                if let first = seen[r.id] {
                    // A repeat within one level: point at this entry, not the first with the id.
                    let occurrence = level.responsibilities[..<ri].filter { $0.id == r.id }.count
                    let earlier = first.level == level.id ? "line \(locate(r.id, in: level.id).line)" : "level \(first.level)"
                    diags.error(
                        locate(r.id, in: level.id, occurrence: occurrence),
                        "duplicate responsibility id '\(r.id)' (first defined at \(earlier))")
                } else {
                    seen[r.id] = (level.id, li)
                }
                for path in [r.assessment?.path, r.shadowing?.path].compactMap({ $0 }) {
                    if let other = files[path] {
                        diags.error(locate(r.id, in: level.id), "'\(path)' is already used by responsibility '\(other)'; each file trains one responsibility")
                    } else {
                        files[path] = r.id
                    }
                }
                if r.module == nil {
                    diags.warning(
                        locate(r.id, in: level.id),
                        "responsibility '\(r.id)' has no authored module; the plan derives a draft module from its statement")
                }
                _ = file
            }
        }
        // `after` references: known, not higher up the ladder.
        for (li, level) in c.levels.enumerated() {
            for r in level.responsibilities {
                for a in r.after {
                    let at = locate(r.id, in: level.id, key: "after", value: a)
                    guard let target = seen[a] else {
                        // Defined, as far as its text shows, in a level file that did not load:
                        // that file's own error is the one to fix.
                        if unloadedLevels.contains(where: { $0.responsibilities?.contains(a) ?? false }) { continue }
                        let known = seen.keys.sorted() + unloadedLevels.flatMap { ($0.responsibilities ?? []).sorted() }
                        // A level file with no text to look at (missing, unreadable) may define it:
                        // still an error, since it may as well be a typo, but one that says so.
                        let unread = unloadedLevels.filter { $0.responsibilities == nil }.map { "levels/\($0.id).yaml" }
                        let note = unread.isEmpty ? "" : " (\(unread.joined(separator: ", ")) did not load; it may define it)"
                        diags.error(at, "unknown responsibility '\(a)' in 'after'\(Suggest.hint(a, known))\(note)")
                        continue
                    }
                    if target.index > li {
                        diags.error(at, "'\(r.id)' cannot come after '\(a)': '\(a)' belongs to the higher level \(target.level)")
                    }
                    if a == r.id { diags.error(at, "'\(r.id)' lists itself in 'after'") }
                }
            }
        }
        if let cycle = Self.findCycle(c.responsibilities) {
            let first = c.responsibility(cycle[0])!
            diags.error(
                locate(first.id, in: first.level, key: "after"),
                "prerequisite cycle: \((cycle + [cycle[0]]).joined(separator: " -> "))")
        }
        checkCoverage(c)
        checkTitles(c)
        // Targets never drop going up the ladder.
        for (lower, upper) in zip(c.levels, c.levels.dropFirst()) {
            for t in upper.targets {
                if let before = lower.target(for: t.skill), before > t.step {
                    diags.warning(
                        locate(t.skill, in: upper.id, key: "skills"),
                        "skill '\(t.skill)' drops from \(c.stepName(before)) at \(lower.id) to \(c.stepName(t.step)) at \(upper.id)")
                }
            }
        }
    }

    /// A cycle in the `after` graph, as responsibility ids, or nil.
    static func findCycle(_ rs: [Responsibility]) -> [String]? {
        let edges = Dictionary(rs.map { ($0.id, $0.after) }, uniquingKeysWith: { a, _ in a })
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var stack: [String] = []
        func visit(_ id: String) -> [String]? {
            if state[id] == 2 { return nil }
            if state[id] == 1 {
                let start = stack.firstIndex(of: id) ?? 0
                return Array(stack[start...])
            }
            state[id] = 1
            stack.append(id)
            for next in edges[id] ?? [] where edges[next] != nil && next != id {
                if let c = visit(next) { return c }
            }
            stack.removeLast()
            state[id] = 2
            return nil
        }
        for r in rs { if let c = visit(r.id) { return c } }
        return nil
    }

    /// Finds where a responsibility (or one of its keys) is written, re-reading the level file.
    /// `occurrence` picks among entries that share the id (0 = the first).
    func locate(
        _ responsibility: String, in level: String, occurrence: Int = 0, key: String? = nil, value: String? = nil
    ) -> SourceLocation {
        let relative = "levels/\(level).yaml"
        let file = display(relative)
        var scratch = Diagnostics()
        guard let doc = YAMLDocument.read(url: url(relative), displayPath: file, limits: limits, into: &scratch), let root = doc.root else {
            return SourceLocation(file: file)
        }
        if key == "skills", let skills = root[field: "skills"] {
            if let k = skills.pairs.first(where: { $0.key.text == responsibility })?.key { return k.location(in: file) }
            return skills.location(in: file)
        }
        for r in (root[field: "responsibilities"]?.items ?? []).filter({ $0[field: "id"]?.text == responsibility }).dropFirst(occurrence) {
            guard let key, let n = r[field: key] else { return (r[field: "id"] ?? r).location(in: file) }
            if let value, let v = n.items.first(where: { $0.text == value }) { return v.location(in: file) }
            return n.location(in: file)
        }
        return SourceLocation(file: file)
    }
}
