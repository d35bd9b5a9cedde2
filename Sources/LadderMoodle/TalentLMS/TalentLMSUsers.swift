import LadderCore

/// The user import file of TalentLMS (*Account & Settings > Import - Export*), with each learner
/// enrolled in the courses of their track. TalentLMS has no API to upload SCORM units, so the
/// courses are made by hand from `ladder build --lms talentlms` (one course per track folder,
/// named as `courseName` says); this file then creates or updates the users and enrols them.
///
/// Layout (TalentLMS help centre, "How to add multiple users to your portal at once"): `Login`
/// first, then `Firstname`, `Lastname`, `Email` (all four required), then one `Course` column
/// per course, repeated as often as the learner with the most courses needs. A user whose
/// login exists already is updated, not duplicated.
public enum TalentLMSUsers {
    public static let fixedHeader = ["Login", "Firstname", "Lastname", "Email"]

    /// Which courses a learner gets.
    public enum Enrolment: String, Sendable, CaseIterable {
        /// The learner's level track: `onboarding-<level>` when the target is the current
        /// level, else each `promotion-<from>-<to>` from the current level to the target.
        case levels
        /// The learner's personal skill-gap track (`ladder build --track gaps`), none without gaps.
        case gaps
    }

    /// The course an admin makes for a track: the track's title, and for a personal gap track
    /// also its id (two gap tracks may close the same skills with different items).
    public static func courseName(_ track: Track) -> String {
        track.kind == .gaps ? "\(track.title) (\(track.id))" : track.title
    }

    /// The track ids a learner is enrolled in, in order.
    public static func tracks(for p: LearnerProfile, plan: Plan, curriculum c: Curriculum) -> [String] {
        guard let ci = c.levelIndex(p.currentLevel), let ti = c.levelIndex(p.targetLevel) else { return [] }
        if ti <= ci { return ["onboarding-\(c.levels[ci].id)"] }
        return (ci..<ti).map { "promotion-\(c.levels[$0].id)-\(c.levels[$0 + 1].id)" }
    }

    /// The file's text, or nil with every problem (a learner without an e-mail address or a
    /// first or last name, a value TalentLMS or a spreadsheet would misread) named with the
    /// learners file, the learner's line and the field.
    public static func csv(
        learners: [LearnerProfile], source: String, curriculum c: Curriculum, plan: Plan, enrolment: Enrolment, gaps: GapReport? = nil
    ) -> (text: String?, diagnostics: Diagnostics) {
        var d = Diagnostics()
        var rows: [[String]] = []
        let gapTracks = Dictionary(uniqueKeysWithValues: (gaps?.tracks ?? []).map { ($0.id, $0) })
        for p in learners {
            let at = SourceLocation(file: source, line: p.line)
            var row: [String] = []
            for (field, value) in [("learner_id", p.id), ("first_name", p.firstName), ("last_name", p.lastName), ("email", p.email)] {
                guard let value, !value.isEmpty else {
                    d.error(at, "learner '\(p.id)': field '\(field)' is missing; TalentLMS needs a login, first name, last name and e-mail for every user (add the column; see docs/moodle.md)")
                    continue
                }
                if let first = value.first, "=+-@".contains(first) {
                    d.error(at, "learner '\(p.id)': field '\(field)' starts with '\(first)', which a spreadsheet runs as a formula; TalentLMS would keep any guard character")
                } else if field == "email", !isPlausibleEmail(value) {
                    d.error(at, "learner '\(p.id)': field 'email' '\(value)' is not an e-mail address")
                }
                row.append(value)
            }
            let ids: [String]
            switch enrolment {
            case .levels: ids = tracks(for: p, plan: plan, curriculum: c)
            case .gaps: ids = gaps?.learner(p.id)?.track.map { [$0] } ?? []
            }
            for id in ids {
                if let t = plan.track(id) ?? gapTracks[id] { row.append(courseName(t)) }
            }
            rows.append(row)
        }
        guard !d.hasErrors else { return (nil, d) }
        let courses = rows.map { $0.count - fixedHeader.count }.max() ?? 0
        var out = CSVField.line(fixedHeader + Array(repeating: "Course", count: courses))
        for row in rows { out += CSVField.line(row + Array(repeating: "", count: fixedHeader.count + courses - row.count)) }
        return (out, d)
    }

    /// One `@` with text on both sides, a dot in the domain, no white space.
    static func isPlausibleEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return !s.contains { $0.isWhitespace || $0 == "," || $0 == ";" }
    }
}
