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

        init(_ c: Curriculum, plan: Plan) {
            curriculum = c
            self.plan = plan
            items = Dictionary(plan.items.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            levelIndex = Dictionary(c.levels.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
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
    static func analyze(_ context: Context, learner p: LearnerProfile) -> LearnerGaps {
        let c = context.curriculum
        let plan = context.plan
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

        // Responsibilities chosen for a gap skill, with the reason.
        var chosen: [String: String] = [:]
        var notChosen: [String: String] = [:]
        var bySkill: [String: [String]] = [:]
        for (li, level) in c.levels.enumerated() {
            for r in level.responsibilities {
                guard li <= ti else {
                    notChosen[r.id] = "level \(level.id) is above the target level \(target.id)"
                    continue
                }
                let gapsHere = r.skills.filter(gapSkills.contains)
                if gapsHere.isEmpty {
                    notChosen[r.id] = "develops none of the gap skills (it develops \(r.skills.map(skillName).joined(separator: ", ")))"
                    continue
                }
                let develops = gapsHere.filter { (level.target(for: $0) ?? 0) > have[$0]! }
                if develops.isEmpty {
                    let parts = gapsHere.map {
                        "\(skillName($0)): \(level.id) requires \(step(level.target(for: $0) ?? 0)), the learner is at \(step(have[$0]!))"
                    }
                    notChosen[r.id] = "develops gap skills only up to what the learner already has (" + parts.joined(separator: "; ") + ")"
                    continue
                }
                for s in develops { bySkill[s, default: []].append(r.id) }
                chosen[r.id] =
                    "develops "
                    + develops.map {
                        "\(skillName($0)) (\(level.id) requires \(step(level.target(for: $0) ?? 0)), the learner is at \(step(have[$0]!)))"
                    }.joined(separator: ", ")
            }
        }

        // Items: every item of a chosen responsibility, then prerequisites transitively.
        var inTrack: [String: String] = [:]
        for item in plan.items where chosen[item.responsibility] != nil {
            inTrack[item.id] = chosen[item.responsibility]!
        }
        var takenAsDone: [String: String] = [:]
        var queue = plan.items.filter { inTrack[$0.id] != nil }.map(\.id)
        var next = 0
        while next < queue.count {
            let id = queue[next]
            next += 1
            guard let item = context.items[id] else { continue }
            for pre in item.prerequisites where inTrack[pre] == nil {
                guard let p = context.items[pre], let pli = context.levelIndex[p.level] else { continue }
                if pli <= ci {
                    if takenAsDone[pre] == nil {
                        takenAsDone[pre] =
                            "prerequisite of \(id), but at \(p.level), at or below the current level \(current.id): taken as done"
                    }
                } else {
                    inTrack[pre] = "prerequisite of \(id)"
                    queue.append(pre)
                }
            }
        }

        let items = plan.items.filter { inTrack[$0.id] != nil }
        for i in skills.indices {
            let rs = bySkill[skills[i].skill] ?? []
            skills[i].responsibilities = rs
            skills[i].items = items.filter { rs.contains($0.responsibility) }.map(\.id)
        }
        let decisions = plan.items.map { item -> ItemDecision in
            if let why = inTrack[item.id] { return ItemDecision(item: item.id, chosen: true, reason: why) }
            var why = notChosen[item.responsibility] ?? "not needed for any gap"
            if let done = takenAsDone[item.id] { why += "; \(done)" }
            return ItemDecision(item: item.id, chosen: false, reason: why)
        }
        let ids = items.map(\.id)
        return LearnerGaps(
            learner: p.id, name: p.name, currentLevel: current.id, targetLevel: target.id, skills: skills, items: ids,
            minutes: items.reduce(0) { $0 + $1.minutes }, decisions: decisions, track: ids.isEmpty ? nil : trackID(ids))
    }
}

/// The personal tracks of a cohort, gathered as analysed learners go by (learners whose items
/// are the same share one track and one package). Keeps one entry per distinct item set and
/// the learner ids, never the learners' analyses.
struct GapTrackCollector {
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
