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

    /// What the analysis looks up for every learner, indexed once per cohort, and what it
    /// works out once and shares between learners (`Memo`).
    struct Context {
        let curriculum: Curriculum
        let plan: Plan
        let items: [String: PlanItem]
        let levelIndex: [String: Int]
        /// Every responsibility id, lowest level first (the analysis counts them by index).
        let responsibilityIDs: [String]
        /// The plan's items in plan order, with what the analysis needs of each as indices.
        let infos: [ItemInfo]
        /// The curriculum's skill ids, in curriculum order.
        let skillIDs: [String]
        /// `targets[level][skill]`: the step a level requires of a skill (0 when it sets none),
        /// by the indices of `curriculum.levels` and `skillIDs`.
        let targets: [[Int]]
        /// One per responsibility, in the order of `responsibilityIDs`.
        let responsibilities: [ResponsibilityInfo]
        let memo = Memo()

        struct ItemInfo {
            var id: String
            var level: String
            var levelIndex: Int?
            /// The index of the item's responsibility in `responsibilityIDs`.
            var responsibility: Int?
            var minutes: Int
            /// Indices of the prerequisites that are items of the plan.
            var prerequisites: [Int]
            /// The reason an item taken in as a prerequisite of this one is given.
            var asPrerequisite: String
        }

        struct ResponsibilityInfo {
            var level: Int
            /// Its skills as indices of `skillIDs`, in its order (ids that are not skills of
            /// the curriculum left out: they are never gap skills).
            var skills: [Int]
            /// The reason when it develops none of the learner's gap skills.
            var developsNone: String
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
                    minutes: item.minutes, prerequisites: item.prerequisites.compactMap { iIndex[$0] }, asPrerequisite: "prerequisite of \(item.id)")
            }
            skillIDs = c.skills.map(\.id)
            // The first skill and the first target with an id, as `skill(_:)` and `target(for:)` find them.
            let sIndex = Dictionary(skillIDs.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
            targets = c.levels.map { level in c.skills.map { level.target(for: $0.id) ?? 0 } }
            responsibilities = c.levels.enumerated().flatMap { li, level in
                level.responsibilities.map { r in
                    ResponsibilityInfo(
                        level: li, skills: r.skills.compactMap { sIndex[$0] },
                        developsNone: "develops none of the gap skills (it develops \(r.skills.map { c.skill($0)?.name ?? $0 }.joined(separator: ", ")))")
                }
            }
        }

        /// A step as the reasons name it: `Apply (3)`, or `none`.
        func step(_ n: Int) -> String { n == 0 ? "none" : "\(curriculum.stepName(n)) (\(n))" }
    }

    /// What is worked out once per cohort and shared by every learner who needs the same: the
    /// phrases reasons are made of, the reasons for prerequisites taken as done, and each
    /// distinct item set's ids and track id. Bounded by the curriculum and the number of
    /// distinct item sets (which the tracks summary keeps anyway), never by the learners.
    final class Memo {
        /// By level, skill and the learner's step: `Speaking (P2 requires Apply (3), the learner is at Assist (2))`
        /// and `Speaking: P2 requires Apply (3), the learner is at Assist (2)`.
        fileprivate var phrases: [Int: (develops: String, hasAlready: String)] = [:]
        /// By level and target level: `level P4 is above the target level P3`.
        fileprivate var aboveTarget: [Int: String] = [:]
        fileprivate var takenAsDone: [Int: String] = [:]
        fileprivate var tracks: [[UInt64]: (ids: [String], minutes: Int, id: String)] = [:]
    }

    /// The phrases for skill `s` of a responsibility at level `li`, for a learner at step `have`.
    private static func phrases(_ context: Context, level li: Int, skill s: Int, have: Int) -> (develops: String, hasAlready: String) {
        let c = context.curriculum
        let steps = c.scale.count + 1
        let key = (0...c.scale.count).contains(have) ? (li * c.skills.count + s) * steps + have : nil
        if let key, let known = context.memo.phrases[key] { return known }
        let name = c.skills[s].name
        let requires = "\(c.levels[li].id) requires \(context.step(context.targets[li][s])), the learner is at \(context.step(have))"
        let made = (develops: "\(name) (\(requires))", hasAlready: "\(name): \(requires)")
        if let key { context.memo.phrases[key] = made }
        return made
    }

    /// Why responsibility `ri` is chosen or not, for a learner with steps `have` (by skill
    /// index) and target level `ti`; `developed` is how many of its skills it develops.
    private static func reason(_ context: Context, _ ri: Int, target ti: Int, have: [Int], developed: Int) -> String {
        let r = context.responsibilities[ri]
        guard r.level <= ti else {
            let key = r.level * context.curriculum.levels.count + ti
            if let known = context.memo.aboveTarget[key] { return known }
            let why = "level \(context.curriculum.levels[r.level].id) is above the target level \(context.curriculum.levels[ti].id)"
            context.memo.aboveTarget[key] = why
            return why
        }
        let gapsHere = r.skills.filter { context.targets[ti][$0] > have[$0] }
        if gapsHere.isEmpty { return r.developsNone }
        if developed == 0 {
            let parts = gapsHere.map { phrases(context, level: r.level, skill: $0, have: have[$0]).hasAlready }
            return "develops gap skills only up to what the learner already has (" + parts.joined(separator: "; ") + ")"
        }
        let develops = gapsHere.filter { context.targets[r.level][$0] > have[$0] }
        return "develops " + develops.map { phrases(context, level: r.level, skill: $0, have: have[$0]).develops }.joined(separator: ", ")
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
        let skills = context.skillIDs.indices.map { s in
            let measured = p.proficiency[context.skillIDs[s]]
            let now = measured ?? context.targets[ci][s]
            let required = context.targets[ti][s]
            return SkillGap(
                skill: context.skillIDs[s], required: required, current: now, assessed: measured != nil, gap: max(0, required - now),
                responsibilities: [], items: [])
        }
        return LearnerGaps(
            learner: p.id, name: p.name, currentLevel: c.levels[ci].id, targetLevel: c.levels[ti].id, skills: skills, items: [],
            minutes: 0, decisions: [], track: nil)
    }

    /// One learner's gaps, items and track id; a pure function of the profile, so learners can
    /// be analysed one at a time as they are read.
    ///
    /// Without `reasons`, the decisions are left empty (the text and CSV reports never show
    /// them): the items, gaps and track are the same.
    static func analyze(_ context: Context, learner p: LearnerProfile, reasons: Bool = true) -> LearnerGaps {
        let c = context.curriculum
        let ci = context.levelIndex[p.currentLevel] ?? 0
        let ti = context.levelIndex[p.targetLevel] ?? ci
        var gaps = skillGaps(context, learner: p)
        let have = gaps.skills.map(\.current)

        // The rule (docs/gaps.md): a responsibility is chosen when it is at a level up to the
        // target, lists a gap skill, and its level requires more of that skill than the learner
        // has. By index, in curriculum order; and the ones chosen for each gap skill (by skill index).
        let rCount = context.responsibilities.count
        var chosen = [Bool](repeating: false, count: rCount)
        var why = [String](repeating: "", count: reasons ? rCount : 0)
        var bySkill = [[Int]](repeating: [], count: have.count)
        for (ri, r) in context.responsibilities.enumerated() {
            var developed = 0
            if r.level <= ti {
                for s in r.skills where context.targets[ti][s] > have[s] && context.targets[r.level][s] > have[s] {
                    bySkill[s].append(ri)
                    developed += 1
                }
            }
            chosen[ri] = developed > 0
            if reasons { why[ri] = reason(context, ri, target: ti, have: have, developed: developed) }
        }

        // Items (by index, in plan order): every item of a chosen responsibility, then
        // prerequisites transitively.
        let infos = context.infos
        var inTrack = [String?](repeating: nil, count: infos.count)
        var takenAsDone = [String?](repeating: nil, count: infos.count)
        var queue: [Int] = []
        for k in infos.indices {
            if let r = infos[k].responsibility, chosen[r] {
                inTrack[k] = reasons ? why[r] : ""
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
                    if takenAsDone[pre] == nil { takenAsDone[pre] = reasons ? takenAsDoneReason(context, pre, of: k, current: ci) : "" }
                } else {
                    inTrack[pre] = infos[k].asPrerequisite
                    queue.append(pre)
                }
            }
        }

        let items = infos.indices.filter { inTrack[$0] != nil }
        for s in gaps.skills.indices where !bySkill[s].isEmpty {
            let rs = bySkill[s]
            gaps.skills[s].responsibilities = rs.map { context.responsibilityIDs[$0] }
            gaps.skills[s].items = items.filter { k in infos[k].responsibility.map(rs.contains) ?? false }.map { infos[$0].id }
        }
        if reasons {
            gaps.decisions = infos.indices.map { k -> ItemDecision in
                if let because = inTrack[k] { return ItemDecision(item: infos[k].id, chosen: true, reason: because) }
                var reason = infos[k].responsibility.map { why[$0] } ?? "not needed for any gap"
                if let done = takenAsDone[k] { reason += "; \(done)" }
                return ItemDecision(item: infos[k].id, chosen: false, reason: reason)
            }
        }
        let track = self.track(context, items)
        gaps.items = track.ids
        gaps.minutes = track.minutes
        gaps.track = track.ids.isEmpty ? nil : track.id
        return gaps
    }

    /// The reason for prerequisite `pre` of item `k`, at or below current level `ci`.
    private static func takenAsDoneReason(_ context: Context, _ pre: Int, of k: Int, current ci: Int) -> String {
        let infos = context.infos
        let key = (k * infos.count + pre) * context.curriculum.levels.count + ci
        if let known = context.memo.takenAsDone[key] { return known }
        let why =
            "prerequisite of \(infos[k].id), but at \(infos[pre].level), at or below the current level \(context.curriculum.levels[ci].id): taken as done"
        context.memo.takenAsDone[key] = why
        return why
    }

    /// The ids, minutes and track id of an item set (plan indices, in plan order).
    private static func track(_ context: Context, _ items: [Int]) -> (ids: [String], minutes: Int, id: String) {
        var words = [UInt64](repeating: 0, count: (context.infos.count + 63) / 64)
        for k in items { words[k / 64] |= 1 << UInt64(k % 64) }
        if let known = context.memo.tracks[words] { return known }
        let ids = items.map { context.infos[$0].id }
        let track = (ids, items.reduce(0) { $0 + context.infos[$1].minutes }, ids.isEmpty ? "" : trackID(ids))
        context.memo.tracks[words] = track
        return track
    }
}

/// The personal tracks of a cohort, gathered as analysed learners go by (learners whose items
/// are the same share one track and one package). Keeps one entry per distinct item set and
/// the learner ids, never the learners' analyses.
package struct GapTrackCollector {
    private struct Group {
        var items: [String]
        /// Which skills (by their position in `LearnerGaps.skills`, curriculum order) are gap skills of a learner on it.
        var gapSkills: [Bool]
        var learners: [String]
    }
    private var index: [String: Int] = [:]
    private var groups: [Group] = []
    /// Learners with nothing to train, in the order they came.
    private(set) var withoutTrack: [String] = []

    mutating func add(_ l: LearnerGaps) {
        guard let id = l.track else {
            withoutTrack.append(l.learner)
            return
        }
        let g: Int
        if let known = index[id] {
            g = known
        } else {
            g = groups.count
            index[id] = g
            groups.append(Group(items: l.items, gapSkills: [Bool](repeating: false, count: l.skills.count), learners: []))
        }
        // A gap no responsibility develops is not closed by the track: its title leaves it out.
        for (i, s) in l.skills.enumerated() where s.gap > 0 && !s.responsibilities.isEmpty { groups[g].gapSkills[i] = true }
        groups[g].learners.append(l.learner)
    }

    /// Track id → its learners, sorted (as `GapReport.learnersByTrack`).
    var learnersByTrack: [String: [String]] { index.mapValues { groups[$0].learners.sorted() } }

    /// One track per distinct item set, sorted by id. Kind `.gaps`.
    func tracks(_ context: GapAnalyzer.Context) -> [Track] {
        let c = context.curriculum
        return index.keys.sorted().map { id in
            let g = groups[index[id]!]
            let names = c.skills.indices.filter { g.gapSkills[$0] }.map { c.skills[$0].name }
            let items = g.items.compactMap { context.items[$0] }
            let top = items.compactMap { context.levelIndex[$0.level] }.max() ?? 0
            return Track(
                id: id, kind: .gaps, title: "Skill-gap track: " + names.joined(separator: ", "), level: c.levels[top].id,
                from: nil, items: g.items, minutes: items.reduce(0) { $0 + $1.minutes })
        }
    }
}
