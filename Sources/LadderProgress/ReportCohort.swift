import Foundation
import LadderCore

/// What the cohort counts need of one learner, as level indices (rank order).
package struct LearnerFacts {
    /// The level the learner is filed under (`LearnerProgress.level`).
    var filed: Int
    var reached: Int?
    var readyFor: Int?
    var currentKnown: Bool
    /// Per level: any attempt at its items.
    var started: [Bool]
}

/// The cohort, counted learner by learner as the report streams: counts per level, the ready
/// and stalled lists (small records, not whole learners).
package struct CohortBuilder {
    let levels: [String]
    /// The levels the report shows (the counts are restricted to them).
    let shown: Set<String>
    private var learners = 0
    private var filed: [Int]
    private var filedReady: [Int]
    private var started: [Int]
    private var reached: [Int]
    private var ready: [[Cohort.Person]]
    private var unknown = 0
    private var stalled: [Cohort.Stalled] = []

    init(levels: [String], shown: [String]) {
        self.levels = levels
        self.shown = Set(shown)
        filed = Array(repeating: 0, count: levels.count)
        filedReady = filed
        started = filed
        reached = filed
        ready = Array(repeating: [], count: levels.count)
    }

    mutating func add(_ l: LearnerProgress, _ f: LearnerFacts, asOf: Date) {
        learners += 1
        guard !levels.isEmpty else { return }
        filed[f.filed] += 1
        if !f.currentKnown { unknown += 1 }
        if let r = f.readyFor {
            filedReady[f.filed] += 1
            ready[r].append(Cohort.Person(id: l.id, name: l.name))
        }
        for (i, s) in f.started.enumerated() where s { started[i] += 1 }
        if let r = f.reached { for i in 0...r { reached[i] += 1 } }
        if l.stalled, let last = l.lastActivity {
            stalled.append(Cohort.Stalled(learner: l.id, name: l.name, level: l.level, lastActivity: last,
                                          days: ReportDates.days(from: last, to: asOf)))
        }
    }

    /// The cohort: ready lists by name, stalled learners longest first.
    func finish(hardest: [Cohort.Question]) -> Cohort {
        let show = levels.indices.filter { shown.contains(levels[$0]) }
        let readyLists = show.filter { !ready[$0].isEmpty }.map { i in
            Cohort.Ready(level: levels[i], learners: ready[i].sorted { ($0.name ?? $0.id, $0.id) < ($1.name ?? $1.id, $1.id) })
        }
        return Cohort(
            learners: learners, ready: readyLists,
            atLevel: show.map { .init(level: levels[$0], learners: filed[$0], ready: filedReady[$0]) },
            currentUnknown: unknown,
            funnel: show.map { .init(level: levels[$0], started: started[$0], completed: reached[$0]) },
            stalled: stalled.sorted { ($0.days, $0.learner) > ($1.days, $1.learner) },
            hardest: hardest)
    }
}
