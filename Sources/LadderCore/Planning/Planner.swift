/// Planning: curriculum → items with prerequisites, in an order that respects them, and
/// the onboarding and promotion tracks. A pure function of the curriculum.
public enum Planner {
    public static func plan(_ c: Curriculum) -> Plan {
        var items: [PlanItem] = []
        let placed = c.frameworks.flatMap { f in f.statements.map { (f, $0) } }
        // The items that open the next level (curriculum.yaml `gating`): every module of a level
        // above the first comes after its level's gate, and after its `after` modules too.
        var gate: [String] = []

        for level in c.levels {
            // The gate is the same for every module of the level: made unique once, not once a
            // module (a big ladder's gate holds hundreds of items).
            let gateBelow = orderedUnion(gate)
            let inGate = Set(gateBelow)
            var assessments: [String] = []
            var lastItem: String?
            for r in level.responsibilities {
                let objectives = placed.filter { $0.1.level == level.id && !Set($0.1.skills).isDisjoint(with: r.skills) }
                    .map { "\($0.0.id).\($0.1.id)" }
                let moduleID = "\(r.id).module"
                var afterSeen = Set<String>()
                // orderedUnion(gateBelow + after), with the gate already unique.
                let after = r.after.map { "\($0).module" }.filter { !inGate.contains($0) && afterSeen.insert($0).inserted }
                // The gate's own array when nothing is added: a copy per module was 13 MB of a
                // 2,000-module ladder's plan (each P2-P5 module lists its level's 400-item gate).
                let modulePrereqs = after.isEmpty ? gateBelow : gateBelow + after
                let module = r.module
                items.append(
                    PlanItem(
                        id: moduleID, kind: .module, title: module?.title ?? r.statement, level: level.id, responsibility: r.id,
                        skills: r.skills, minutes: module?.pages.reduce(0) { $0 + $1.minutes } ?? 0, prerequisites: modulePrereqs,
                        draft: module == nil, masteryScore: nil, sources: module?.pages.map(\.path) ?? ["levels/\(level.id).yaml"],
                        objectives: objectives, summary: module?.summary,
                        learningObjectives: (module?.objectives).flatMap { $0.isEmpty ? nil : $0 }))
                var last = moduleID
                if let a = r.assessment {
                    let id = "\(r.id).assessment"
                    items.append(
                        PlanItem(
                            id: id, kind: .assessment, title: a.title, level: level.id, responsibility: r.id,
                            skills: orderedUnion(a.questions.flatMap(\.skills)), minutes: a.minutes, prerequisites: [moduleID],
                            draft: false, masteryScore: a.masteryScore, sources: [a.path], objectives: objectives))
                    last = id
                    assessments.append(id)
                }
                lastItem = last
                if let s = r.shadowing {
                    items.append(
                        PlanItem(
                            id: "\(r.id).shadowing", kind: .shadowing, title: s.title, level: level.id, responsibility: r.id,
                            skills: r.skills, minutes: s.minutes, prerequisites: [last], draft: false, masteryScore: nil,
                            sources: [s.path], objectives: objectives))
                }
            }
            switch c.gating {
            case .assessments: gate = !assessments.isEmpty ? assessments : lastItem.map { [$0] } ?? gateBelow
            case .lastItem: gate = lastItem.map { [$0] } ?? gateBelow
            case .none: gate = []
            }
        }
        let ordered = topologicalOrder(items)
        let levelPlans = c.levels.map { level in
            let ids = ordered.filter { $0.level == level.id }
            return LevelPlan(
                id: level.id, rank: level.rank, title: level.title,
                targets: level.targets.map { PlanTarget(skill: $0.skill, step: $0.step, name: c.stepName($0.step)) },
                responsibilities: level.responsibilities.map(\.id),
                objectives: placed.filter { $0.1.level == level.id }.map {
                    Objective(framework: $0.0.id, statement: $0.1.id, text: $0.1.text, reason: nil)
                },
                items: ids.map(\.id), minutes: ids.reduce(0) { $0 + $1.minutes })
        }
        var tracks: [Track] = []
        for (li, level) in c.levels.enumerated() {
            let upTo = Set(c.levels[...li].map(\.id))
            tracks.append(
                makeTrack(
                    id: "onboarding-\(level.id)", kind: .onboarding, title: "Onboarding into \(level.id): \(level.title)",
                    level: level.id, from: nil, items: ordered.filter { upTo.contains($0.level) }))
        }
        for (lower, upper) in zip(c.levels, c.levels.dropFirst()) {
            tracks.append(
                makeTrack(
                    id: "promotion-\(lower.id)-\(upper.id)", kind: .promotion,
                    title: "Promotion from \(lower.id) to \(upper.id): \(upper.title)", level: upper.id, from: lower.id,
                    items: ordered.filter { $0.level == upper.id }))
        }
        let excluded = placed.filter { $0.1.level == nil }.map {
            Objective(framework: $0.0.id, statement: $0.1.id, text: $0.1.text, reason: $0.1.excluded)
        }
        return Plan(
            curriculum: c.id, title: c.title, levels: levelPlans, items: ordered, tracks: tracks, excludedStatements: excluded,
            gating: c.gating)
    }

    /// A track holds a subset of the plan; prerequisites on items outside it are dropped,
    /// because the learner is taken to have done them already.
    static func makeTrack(id: String, kind: Track.Kind, title: String, level: String, from: String?, items: [PlanItem]) -> Track {
        Track(id: id, kind: kind, title: title, level: level, from: from, items: items.map(\.id), minutes: items.reduce(0) { $0 + $1.minutes })
    }

    /// Kahn's algorithm; among ready items the one declared first goes first, so the order
    /// is deterministic and close to file order. Items in a cycle (reported by the loader)
    /// keep file order at the end rather than disappearing.
    static func topologicalOrder(_ items: [PlanItem]) -> [PlanItem] {
        let index = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($1.id, $0) })
        var indegree = Array(repeating: 0, count: items.count)
        var dependents = Array(repeating: [Int](), count: items.count)
        for (i, item) in items.enumerated() {
            for p in item.prerequisites {
                if let j = index[p] {
                    indegree[i] += 1
                    dependents[j].append(i)
                }
            }
        }
        // The ready items in a min-heap of their indices: the first declared is taken first.
        var ready = MinHeap(indegree.indices.filter { indegree[$0] == 0 })
        var out: [Int] = []
        var done = Array(repeating: false, count: items.count)
        while let i = ready.popMin() {
            out.append(i)
            done[i] = true
            for d in dependents[i] {
                indegree[d] -= 1
                if indegree[d] == 0 { ready.insert(d) }
            }
        }
        out += items.indices.filter { !done[$0] }
        return out.map { items[$0] }
    }

    static func orderedUnion(_ xs: [String]) -> [String] {
        var seen = Set<String>()
        return xs.filter { seen.insert($0).inserted }
    }
}

extension Plan {
    /// The items of a track, in order, with prerequisites outside the track removed.
    public func items(of track: Track) -> [PlanItem] {
        let inside = Set(track.items)
        // Looked up by id through an index: `item(_:)` searches the list, and tracks of a big
        // ladder hold thousands of items.
        let byID = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return track.items.compactMap { byID[$0] }.map { item in
            // Most prerequisites are inside the track (onboarding-P5 holds every item below
            // it, and each module there lists its level's 400-assessment gate): the plan's
            // array is kept, not copied per track, which held 33 MB for a 2,000-module ladder.
            guard !item.prerequisites.allSatisfy(inside.contains) else { return item }
            var i = item
            i.prerequisites = i.prerequisites.filter(inside.contains)
            return i
        }
    }
}

/// Ints, smallest first.
struct MinHeap {
    private var a: [Int] = []

    init(_ values: [Int]) { values.forEach { insert($0) } }

    mutating func insert(_ v: Int) {
        a.append(v)
        var i = a.count - 1
        while i > 0, a[(i - 1) / 2] > a[i] {
            a.swapAt(i, (i - 1) / 2)
            i = (i - 1) / 2
        }
    }

    mutating func popMin() -> Int? {
        guard let last = a.popLast() else { return nil }
        guard !a.isEmpty else { return last }
        let top = a[0]
        a[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var m = i
            if l < a.count, a[l] < a[m] { m = l }
            if r < a.count, a[r] < a[m] { m = r }
            if m == i { return top }
            a.swapAt(i, m)
            i = m
        }
    }
}
