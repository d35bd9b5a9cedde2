import Foundation

/// Checks that concern the ladder as a whole rather than one file's shape: skills a level
/// raises that nothing trains, targets left unset, mastery scores that cannot mean what they
/// say, and near misses for file names (docs/curriculum-format.md, "Diagnostics").
extension CurriculumLoader {
    /// A level that raises a skill's target when no responsibility at that level or below lists
    /// the skill: no item develops it, so no track can close a gap in it.
    mutating func checkCoverage(_ c: Curriculum) {
        var developed = Set<String>()
        var below: [String: Int] = [:]
        for (li, level) in c.levels.enumerated() {
            for r in level.responsibilities { developed.formUnion(r.skills) }
            for t in level.targets where t.step > (below[t.skill] ?? 0) && !developed.contains(t.skill) {
                let span = li == 0 ? "at \(level.id)" : "at \(c.levels[0].id)–\(level.id)"
                let fromNone = (below[t.skill] ?? 0) == 0
                let fix =
                    "list it in the 'skills' of a responsibility that trains it"
                    + (fromNone ? ", or write '\(t.skill): \(ProficiencyStep.notRequired)' if \(level.id) does not require it" : "")
                diags.warning(
                    locate(t.skill, in: level.id, key: "skills"),
                    "level \(level.id) raises skill '\(t.skill)' to \(c.stepName(t.step)) but no responsibility \(span) develops it,"
                        + " so no training closes a gap in it (\(fix))")
            }
            below = Dictionary(c.skills.map { ($0.id, level.target(for: $0.id) ?? 0) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// A target as written: a step id or name (any case), a 1-based step number, or `none` /
    /// `0` for "not required at this level" (step 0). A scale step called "none" wins.
    func resolveStep(_ raw: String, scale: [ProficiencyStep]) -> Int? {
        // Not `1...scale.count`: that range traps when the scale is missing or empty.
        if let n = Int(raw) { return n >= 0 && n <= scale.count ? n : nil }
        if let i = scale.firstIndex(where: { $0.id == raw || $0.name.lowercased() == raw.lowercased() }) { return i + 1 }
        if raw.lowercased() == ProficiencyStep.notRequired { return 0 }
        return nil
    }

    /// The consequence of a level file that gives a skill no target, said where it is found
    /// (`ladder check`) and again in `gaps --explain`: gaps reads it as none, so the level's
    /// responsibilities that exercise the skill are never chosen to close a gap in it.
    package static func unsetTargetMessage(_ skill: String, level: Level) -> String {
        "no proficiency target at level \(level.id) for skill '\(skill)': gaps treats it as none and "
            + level.unsetTargetConsequence(skill)
            + " (write '\(skill): \(ProficiencyStep.notRequired)' if the level does not require it)"
    }


    /// " (did you mean 'modules/x/01-intro.md'?)" when a file one edit away from `relative`
    /// sits in the same folder with the same extension; "" otherwise.
    func nearMiss(_ relative: String) -> String {
        let ext = (relative as NSString).pathExtension.lowercased()
        let folder = (relative as NSString).deletingLastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url(folder.isEmpty ? "." : folder).path)) ?? []
        let candidates = names.filter { ($0 as NSString).pathExtension.lowercased() == ext }.sorted()
            .map { folder.isEmpty ? $0 : "\(folder)/\($0)" }
        return Suggest.hint(relative, candidates, maxDistance: 1)
    }
}

extension Level {
    /// What gaps leaves out because this level sets no target for `skill` (taken as none): the
    /// items of its responsibilities that exercise the skill are never chosen for a gap in it.
    package func unsetTargetConsequence(_ skill: String) -> String {
        let items = responsibilities.filter { $0.skills.contains(skill) }.flatMap { r in
            ["\(r.id).module"] + (r.assessment == nil ? [] : ["\(r.id).assessment"]) + (r.shadowing == nil ? [] : ["\(r.id).shadowing"])
        }
        return items.isEmpty
            ? "drops no item (no responsibility at \(id) exercises it)"
            : "drops \(items.joined(separator: ", ")) from skill-gap tracks for it"
    }
}

/// What a mastery score means for a quiz of equally weighted questions. The runtime scores an
/// attempt as round(100 × correct / questions) (halves up, as JavaScript's Math.round) and
/// passes it at the mastery score or above, so only some percentages can occur.
package enum MasteryScore {
    /// The score the runtime reports for `correct` of `questions`.
    static func score(_ correct: Int, of questions: Int) -> Int { (200 * correct + questions) / (2 * questions) }

    /// The fewest correct answers that pass and the score they give: the smallest achievable
    /// percentage at or above `mastery`. Nil without questions.
    package static func effective(mastery: Int, questions n: Int) -> (correct: Int, percent: Int)? {
        guard n > 0 else { return nil }
        for k in 0...n where score(k, of: n) >= mastery { return (k, score(k, of: n)) }
        return nil
    }

    /// True when the mastery score says a mistake is allowed (it is below 100) but the quiz
    /// has too few questions for any: every question must be right. Pass marks that are merely
    /// rounded up to the next achievable score (80 with 7 questions needs 6, 86%) read as the
    /// author meant them and are not reported.
    static func misleads(mastery: Int, effective e: (correct: Int, percent: Int)) -> Bool {
        mastery < 100 && e.percent == 100
    }

    static func message(mastery: Int, questions n: Int, effective e: (correct: Int, percent: Int)) -> String {
        let lower = e.correct > 1 ? ", or \(score(e.correct - 1, of: n)) to pass at \(e.correct - 1) of \(n)" : ""
        return "mastery_score \(mastery) cannot be met exactly with \(Plural.count(n, "scored question")):"
            + " passing takes \(e.correct) of \(n) correct, an effective pass mark of \(e.percent)%"
            + " (write \(e.percent) to say so\(lower))"
    }
}
