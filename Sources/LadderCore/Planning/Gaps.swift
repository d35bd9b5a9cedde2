import Foundation

/// One skill of one learner: what the target level requires, where the learner is, and
/// what closes the difference.
public struct SkillGap: Sendable, Equatable, Codable {
    public var skill: String
    /// The step the target level requires (0 when it sets no target for the skill).
    public var required: Int
    /// The learner's step: measured, or (when not assessed) the current level's target.
    public var current: Int
    /// False when the cohort file left the skill blank.
    public var assessed: Bool
    /// `required - current`, never below 0.
    public var gap: Int
    /// The responsibilities chosen for this skill (plan order), and their items.
    public var responsibilities: [String]
    public var items: [String]
}

/// Why an item of the plan is in a learner's track or not (`ladder gaps --explain`).
public struct ItemDecision: Sendable, Equatable, Codable {
    public var item: String
    public var chosen: Bool
    public var reason: String
}

/// The gap analysis of one learner.
public struct LearnerGaps: Sendable, Equatable, Codable {
    public var learner: String
    public var name: String
    public var currentLevel: String
    public var targetLevel: String
    /// Every skill of the curriculum, in curriculum order.
    public var skills: [SkillGap]
    /// The items of the learner's track in plan order (prerequisites included).
    public var items: [String]
    public var minutes: Int
    /// One decision per plan item, in plan order.
    public var decisions: [ItemDecision]
    /// The learner's track id; nil when there is nothing to train (no gaps, or gaps no
    /// responsibility up to the target level develops).
    public var track: String?

    /// The ids of the skills with a gap, in curriculum order.
    public var gapSkills: [String] { skills.filter { $0.gap > 0 }.map(\.skill) }

    enum CodingKeys: String, CodingKey {
        case learner, name, skills, items, minutes, decisions, track
        case currentLevel = "current_level"
        case targetLevel = "target_level"
    }
}

/// The gaps of a cohort and the personal tracks that close them.
public struct GapReport: Sendable, Equatable, Codable {
    public var format = 1
    public var curriculum: String
    public var title: String
    /// In file order.
    public var learners: [LearnerGaps]
    /// One track per distinct item set, sorted by id. Kind `.gaps`.
    public var tracks: [Track]

    /// Track id → the learners it was built for, sorted (for the build ledger).
    public var learnersByTrack: [String: [String]] {
        var out: [String: [String]] = [:]
        for l in learners { if let t = l.track { out[t, default: []].append(l.learner) } }
        return out.mapValues { $0.sorted() }
    }

    public func learner(_ id: String) -> LearnerGaps? { learners.first { $0.learner == id } }
}

/// Planning for a cohort: learner profiles → skill gaps → the items that close them → one
/// track per distinct item set. A pure function of the curriculum, its plan and the profiles.
///
/// The rule (docs/gaps.md): skill S has a gap when the learner's step is below what the
/// target level requires. A responsibility is chosen when it is at a level up to the target
/// level, lists a gap skill S, and its level requires more of S than the learner has; all
/// its items are taken. Prerequisites of chosen items are added transitively, except items
/// at or below the learner's current level, which the learner is taken to have done.
public enum GapAnalyzer {
    public static func analyze(_ c: Curriculum, plan: Plan, learners: [LearnerProfile]) -> GapReport {
        let context = Context(c, plan: plan)
        var collector = GapTrackCollector()
        let analysed = learners.map { p in
            let l = analyze(context, learner: p)
            collector.add(l)
            return l
        }
        return GapReport(curriculum: c.id, title: c.title, learners: analysed, tracks: collector.tracks(context))
    }

    /// What the analysis looks up for every learner, indexed once per cohort.
    struct Context {
        let curriculum: Curriculum
        let plan: Plan
        let items: [String: PlanItem]
        let levelIndex: [String: Int]
        /// Every responsibility id, lowest level first (the analysis counts them by index).
        let responsibilityIDs: [String]
        /// The plan's items in plan order, with what the analysis needs of each as indices.
        let infos: [ItemInfo]

        struct ItemInfo {
            var id: String
            var level: String
            var levelIndex: Int?
            /// The index of the item's responsibility in `responsibilityIDs`.
            var responsibility: Int?
            var minutes: Int
            /// Indices of the prerequisites that are items of the plan.
            var prerequisites: [Int]
        }

        init(_ c: Curriculum, plan: Plan) {
            curriculum = c
            self.plan = plan
            items = Dictionary(plan.items.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let levelIndex = Dictionary(c.levels.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
            self.levelIndex = levelIndex
            responsibilityIDs = c.levels.flatMap { $0.responsibilities.map(\.id) }
            // The first responsibility with an id, as a lookup by id finds it.
            let rIndex = Dictionary(responsibilityIDs.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
            let iIndex = Dictionary(plan.items.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
            infos = plan.items.map { item in
                ItemInfo(
                    id: item.id, level: item.level, levelIndex: levelIndex[item.level], responsibility: rIndex[item.responsibility],
                    minutes: item.minutes, prerequisites: item.prerequisites.compactMap { iIndex[$0] })
            }
        }
    }

    /// `gaps-` and the first 10 hex digits of the SHA-256 of the sorted item ids, one per
    /// line: the same items always give the same package identifier.
    public static func trackID(_ items: [String]) -> String {
        let h = SHA256Hasher()
        h.update(items.sorted().joined(separator: "\n"))
        return "gaps-" + h.finalize().prefix(10)
    }

    static func analyze(_ c: Curriculum, plan: Plan, learner p: LearnerProfile) -> LearnerGaps {
        analyze(Context(c, plan: plan), learner: p)
    }

    /// One learner's skills against the target level, and nothing else (no items, decisions or
    /// track): what a heatmap needs.
    static func skillGaps(_ context: Context, learner p: LearnerProfile) -> LearnerGaps {
        let c = context.curriculum
        let ci = context.levelIndex[p.currentLevel] ?? 0
        let ti = context.levelIndex[p.targetLevel] ?? ci
        let current = c.levels[ci]
        let target = c.levels[ti]
        let skills = c.skills.map { s in
            let measured = p.proficiency[s.id]
            let now = measured ?? current.target(for: s.id) ?? 0
            let required = target.target(for: s.id) ?? 0
            return SkillGap(
                skill: s.id, required: required, current: now, assessed: measured != nil, gap: max(0, required - now),
                responsibilities: [], items: [])
        }
        return LearnerGaps(
            learner: p.id, name: p.name, currentLevel: current.id, targetLevel: target.id, skills: skills, items: [], minutes: 0,
            decisions: [], track: nil)
    }

    /// One learner's gaps, items and track id; a pure function of the profile, so learners can
    /// be analysed one at a time as they are read.
    ///
    /// Without `reasons`, the decisions are left empty and no reason text is made (the text and
    /// CSV reports never show them): the items, gaps and track are the same.
    static func analyze(_ context: Context, learner p: LearnerProfile, reasons: Bool = true) -> LearnerGaps {
        let c = context.curriculum
        let ci = context.levelIndex[p.currentLevel] ?? 0
        let ti = context.levelIndex[p.targetLevel] ?? ci
        let current = c.levels[ci]
        let target = c.levels[ti]
        func step(_ n: Int) -> String { n == 0 ? "none" : "\(c.stepName(n)) (\(n))" }

        var skills = skillGaps(context, learner: p).skills
        var have: [String: Int] = [:]
        for s in skills { have[s.skill] = s.current }
        let gapSkills = Set(skills.filter { $0.gap > 0 }.map(\.skill))
        func skillName(_ id: String) -> String { c.skill(id)?.name ?? id }

        // Responsibilities chosen for a gap skill (by index, in curriculum order), with the reason.
        let rCount = context.responsibilityIDs.count
        var chosen = [String?](repeating: nil, count: rCount)
        var notChosen = [String?](repeating: nil, count: rCount)
        var bySkill: [String: [Int]] = [:]
        var ri = -1
        for (li, level) in c.levels.enumerated() {
            for r in level.responsibilities {
                ri += 1
                guard li <= ti else {
                    if reasons { notChosen[ri] = "level \(level.id) is above the target level \(target.id)" }
                    continue
                }
                let gapsHere = r.skills.filter(gapSkills.contains)
                if gapsHere.isEmpty {
                    if reasons {
                        notChosen[ri] = "develops none of the gap skills (it develops \(r.skills.map(skillName).joined(separator: ", ")))"
                    }
                    continue
                }
                let develops = gapsHere.filter { (level.target(for: $0) ?? 0) > have[$0]! }
                if develops.isEmpty {
                    if reasons {
                        let parts = gapsHere.map {
                            "\(skillName($0)): \(level.id) requires \(step(level.target(for: $0) ?? 0)), the learner is at \(step(have[$0]!))"
                        }
                        notChosen[ri] = "develops gap skills only up to what the learner already has (" + parts.joined(separator: "; ") + ")"
                    }
                    continue
                }
                for s in develops { bySkill[s, default: []].append(ri) }
                chosen[ri] =
                    !reasons
                    ? ""
                    : "develops "
                        + develops.map {
                            "\(skillName($0)) (\(level.id) requires \(step(level.target(for: $0) ?? 0)), the learner is at \(step(have[$0]!)))"
                        }.joined(separator: ", ")
            }
        }

        // Items (by index, in plan order): every item of a chosen responsibility, then
        // prerequisites transitively.
        let infos = context.infos
        var inTrack = [String?](repeating: nil, count: infos.count)
        var takenAsDone = [String?](repeating: nil, count: infos.count)
        var queue: [Int] = []
        for k in infos.indices {
            if let r = infos[k].responsibility, let why = chosen[r] {
                inTrack[k] = why
                queue.append(k)
            }
        }
        var next = 0
        while next < queue.count {
            let k = queue[next]
            next += 1
            for pre in infos[k].prerequisites where inTrack[pre] == nil {
                guard let pli = infos[pre].levelIndex else { continue }
                if pli <= ci {
                    if takenAsDone[pre] == nil {
                        takenAsDone[pre] =
                            !reasons
                            ? "" : "prerequisite of \(infos[k].id), but at \(infos[pre].level), at or below the current level \(current.id): taken as done"
                    }
                } else {
                    inTrack[pre] = reasons ? "prerequisite of \(infos[k].id)" : ""
                    queue.append(pre)
                }
            }
        }

        let items = infos.indices.filter { inTrack[$0] != nil }
        for i in skills.indices {
            let rs = bySkill[skills[i].skill] ?? []
            skills[i].responsibilities = rs.map { context.responsibilityIDs[$0] }
            skills[i].items = items.filter { k in infos[k].responsibility.map(rs.contains) ?? false }.map { infos[$0].id }
        }
        let decisions =
            !reasons
            ? []
            : infos.indices.map { k -> ItemDecision in
                if let why = inTrack[k] { return ItemDecision(item: infos[k].id, chosen: true, reason: why) }
                var why = infos[k].responsibility.flatMap { notChosen[$0] } ?? "not needed for any gap"
                if let done = takenAsDone[k] { why += "; \(done)" }
                return ItemDecision(item: infos[k].id, chosen: false, reason: why)
            }
        let ids = items.map { infos[$0].id }
        return LearnerGaps(
            learner: p.id, name: p.name, currentLevel: current.id, targetLevel: target.id, skills: skills, items: ids,
            minutes: items.reduce(0) { $0 + infos[$1].minutes }, decisions: decisions, track: ids.isEmpty ? nil : trackID(ids))
    }
}

/// The personal tracks of a cohort, gathered as analysed learners go by (learners whose items
/// are the same share one track and one package). Keeps one entry per distinct item set and
/// the learner ids, never the learners' analyses.
package struct GapTrackCollector {
    private var groups: [String: (items: [String], gapSkills: Set<String>, learners: [String])] = [:]
    /// Learners with nothing to train, in the order they came.
    private(set) var withoutTrack: [String] = []

    mutating func add(_ l: LearnerGaps) {
        guard let id = l.track else {
            withoutTrack.append(l.learner)
            return
        }
        groups[id, default: (l.items, [], [])].gapSkills.formUnion(l.gapSkills)
        groups[id]!.learners.append(l.learner)
    }

    /// Track id → its learners, sorted (as `GapReport.learnersByTrack`).
    var learnersByTrack: [String: [String]] { groups.mapValues { $0.learners.sorted() } }

    /// One track per distinct item set, sorted by id. Kind `.gaps`.
    func tracks(_ context: GapAnalyzer.Context) -> [Track] {
        let c = context.curriculum
        return groups.keys.sorted().map { id in
            let g = groups[id]!
            let names = c.skills.filter { g.gapSkills.contains($0.id) }.map(\.name)
            let items = g.items.compactMap { context.items[$0] }
            let top = items.compactMap { context.levelIndex[$0.level] }.max() ?? 0
            return Track(
                id: id, kind: .gaps, title: "Skill-gap track: " + names.joined(separator: ", "), level: c.levels[top].id,
                from: nil, items: g.items, minutes: items.reduce(0) { $0 + $1.minutes })
        }
    }
}
