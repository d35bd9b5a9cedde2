import LadderCore

/// The id numbers Ladder gives a curriculum's competencies in Moodle. The competency framework
/// CSV (`ladder export moodle-competencies`) writes them and the course backups (`--format mbz`)
/// link activities to them, and Moodle matches the two on restore by these strings alone, so
/// both come from here. They are derived from curriculum ids only, so they stay stable from
/// one build to the next and across edits of titles and texts.
public enum MoodleIDNumbers {
    /// Moodle keeps framework and competency id numbers in 100 characters.
    public static let maximumLength = 100

    /// The framework: `ladder.<curriculum>`, e.g. `ladder.customer-service`.
    public static func framework(_ curriculum: Curriculum) -> String {
        "ladder.\(curriculum.id)"
    }

    /// A level: `<curriculum>.<level>`, e.g. `customer-service.P2`.
    public static func level(_ level: Level, in curriculum: Curriculum) -> String {
        "\(curriculum.id).\(level.id)"
    }

    /// A responsibility, a child of its level: `<curriculum>.<level>.<responsibility>`,
    /// e.g. `customer-service.P2.handle-escalated-tickets`.
    public static func responsibility(_ responsibility: Responsibility, in curriculum: Curriculum) -> String {
        "\(curriculum.id).\(responsibility.level).\(responsibility.id)"
    }

    /// A skill at a proficiency step, where the framework lists skills:
    /// `<curriculum>.skill.<skill>.<step>`, e.g. `customer-service.skill.empathy.3`.
    public static func skill(_ skill: String, step: Int, in curriculum: Curriculum) -> String {
        "\(curriculum.id).skill.\(skill).\(step)"
    }
}
