import LadderCore
/// Level reached and readiness for promotion: the one definition every report and cohort
/// count uses (docs/progress.md, "Level reached and readiness").
///
/// - An item is **done** when a module or shadowing task is completed (or passed) and an
///   assessment is passed: its best credited score (of an attempt whose status does not say
///   failed or not attempted) reaches the item's mastery score, or, when there is no score or
///   no mastery score, its status is passed.
/// - A level is **complete** when every required item of it is done.
/// - The **level reached** is the highest level L such that every level up to and including L
///   is complete: a missing item of the lowest level blocks every higher verdict.
/// - A learner is **ready for promotion to L** when they reached L and their current level is
///   known and below L.
package enum Standing {
    /// Whether one required item counts as done, from its summary: `status` is the best
    /// `LessonStatus` rank, `best` the best score in percent, `credited` the best score of the
    /// attempts whose status is not failed or not attempted, `mastery` the item's mastery
    /// score. A score is read against the mastery score only when the source did not state
    /// the outcome against it: "failed 85" is the SCO's verdict (its own mastery, a required
    /// question missed), and "not attempted 85" is no attempt; neither is ever "passed".
    static func isDone(kind: String, status: Int, best: Double?, credited: Double?, mastery: Int?) -> Bool {
        if kind == "assessment" {
            if best != nil, let mastery { return credited.map { $0 >= Double(mastery) } ?? false }
            return status == LessonStatus.passed.rawValue
        }
        return status >= LessonStatus.completed.rawValue
    }

    /// The index of the level reached, given each level's completeness in rank order: the last
    /// level of the leading run of complete levels; nil when the lowest level is not complete.
    static func reached(complete: [Bool]) -> Int? {
        var reached: Int?
        for (i, done) in complete.enumerated() {
            guard done else { break }
            reached = i
        }
        return reached
    }

    /// The index of the level the learner is ready for promotion to, or nil: the level reached,
    /// when the current level is known and below it.
    static func readyFor(reached: Int?, current: Int?) -> Int? {
        guard let reached, let current, current < reached else { return nil }
        return reached
    }

    /// The level a track starts a learner from: a promotion track's `from` level, an onboarding
    /// track's own level. Tracks the plan does not know are read from their id
    /// (`promotion-P1-P2` → P1, `onboarding-P2` → P2).
    static func startLevel(ofTrack id: String, plan: Plan?, levels: [String]) -> String? {
        if let t = plan?.track(id) { return t.kind == .gaps ? nil : (t.from ?? t.level) }
        let parts = id.split(separator: "-").map(String.init)
        if parts.first == "promotion", parts.count == 3, levels.contains(parts[1]) { return parts[1] }
        if parts.first == "onboarding", parts.count == 2, levels.contains(parts[1]) { return parts[1] }
        return nil
    }

    /// Where a learner's current level came from.
    enum CurrentSource: String, Sendable {
        case learnersFile = "learners file"
        case store
        case tracks
    }

    /// The current level's index: the learners file's, else the store's enrolment, else the
    /// highest start level among the tracks the learner is enrolled in; nil when none is known.
    /// The highest, since a learner who opened onboarding-P1 once and now the P2→P3 promotion
    /// track is at P2: taking P1 would call them ready for a P2 they hold (a wrong "ready").
    /// A track opened above one's level can only withhold a verdict, never give a wrong one.
    static func current(
        learnersFile: String?, store: String?, trackStarts: [String], levels: [String]
    ) -> (index: Int, source: CurrentSource)? {
        if let l = learnersFile, let i = levels.firstIndex(of: l) { return (i, .learnersFile) }
        if let l = store, let i = levels.firstIndex(of: l) { return (i, .store) }
        if let i = trackStarts.compactMap({ levels.firstIndex(of: $0) }).max() { return (i, .tracks) }
        return nil
    }

    /// Percent done, rounded to the nearest whole number, but never 100 before every item is
    /// done nor 0 once one is (199 of 200 is 99%, 1 of 300 is 1%).
    static func percent(done: Int, of total: Int) -> Int {
        guard total > 0 else { return 100 }
        let p = Int((Double(done) * 100 / Double(total)).rounded())
        if done < total && p == 100 { return 99 }
        if done > 0 && p == 0 { return 1 }
        return p
    }
}
