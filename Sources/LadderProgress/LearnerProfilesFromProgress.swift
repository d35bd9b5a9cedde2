import Foundation
import LadderCore

extension LearnerProfileLoader {
    /// Learner profiles derived from the progress store's report instead of a cohort file.
    ///
    /// The learner's current level is the report's `level`; the target is the next level up
    /// (the same level at the top). For each skill, the assessments of the plan that check it
    /// (their questions' skills) are looked up in the learner's results: the proficiency is the
    /// highest target for that skill among the levels where the learner passed such an
    /// assessment; when the learner only failed them, one step below the lowest such level's
    /// target (at least 1); when the learner has no result for the skill, it is not assessed.
    /// `source` is the store's path, for messages.
    public static func profiles(
        from report: ProgressReport, curriculum c: Curriculum, plan: Plan, source: String
    ) -> LearnerProfilesResult {
        var diags = Diagnostics()
        var out: [LearnerProfile] = []
        for learner in report.learners {
            guard let ci = c.levelIndex(learner.level) else {
                diags.error(
                    SourceLocation(file: source),
                    "learner '\(learner.id)' is at level '\(learner.level)', which the curriculum does not have; the levels are \(c.levels.map(\.id).joined(separator: ", "))")
                continue
            }
            let ti = min(ci + 1, c.levels.count - 1)
            var passed: [String: Set<String>] = [:]
            var failed: [String: Set<String>] = [:]
            for level in learner.levels {
                for result in level.assessments where result.attempts > 0 {
                    guard let item = plan.item(result.item) else { continue }
                    for s in item.skills {
                        if result.passed { passed[s, default: []].insert(item.level) } else { failed[s, default: []].insert(item.level) }
                    }
                }
            }
            var proficiency: [String: Int] = [:]
            for s in c.skills {
                let targets = { (levels: Set<String>) in levels.compactMap { c.level($0)?.target(for: s.id) } }
                if let best = targets(passed[s.id] ?? []).max() {
                    proficiency[s.id] = best
                } else if let lowest = targets(failed[s.id] ?? []).min() {
                    proficiency[s.id] = max(1, lowest - 1)
                }
            }
            out.append(
                LearnerProfile(
                    id: learner.id, name: learner.name ?? learner.id, currentLevel: c.levels[ci].id, targetLevel: c.levels[ti].id,
                    proficiency: proficiency, line: 0))
        }
        if report.learners.isEmpty {
            diags.error(SourceLocation(file: source), "the progress store has no learners")
        }
        return LearnerProfilesResult(profiles: diags.hasErrors ? [] : out, diagnostics: diags)
    }
}
