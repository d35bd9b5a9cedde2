/// The training plan derived from a curriculum: items (modules, assessments, shadowing
/// tasks) with stable ids and prerequisites, and the tracks that order them.
public struct Plan: Sendable, Codable, Equatable {
    /// Bumped when the JSON layout changes incompatibly.
    public var format: Int = 1
    public var curriculum: String
    public var title: String
    public var levels: [LevelPlan]
    /// Every item, in plan order (a topological order that respects prerequisites).
    public var items: [PlanItem]
    public var tracks: [Track]
    /// Framework statements not placed at any level, with the reason.
    public var excludedStatements: [Objective]
    /// What opens a level above the first (curriculum.yaml `gating`).
    public var gating: Gating = .assessments

    public func item(_ id: String) -> PlanItem? { items.first { $0.id == id } }
    public func track(_ id: String) -> Track? { tracks.first { $0.id == id } }

    enum CodingKeys: String, CodingKey {
        case format, curriculum, title, levels, items, tracks, gating
        case excludedStatements = "excluded_statements"
    }
}

public struct LevelPlan: Sendable, Codable, Equatable {
    public var id: String
    public var rank: Int
    public var title: String
    /// Skill id → required step number and name.
    public var targets: [PlanTarget]
    public var responsibilities: [String]
    /// Framework statements placed at this level.
    public var objectives: [Objective]
    public var items: [String]
    public var minutes: Int
}

public struct PlanTarget: Sendable, Codable, Equatable {
    public var skill: String
    public var step: Int
    public var name: String
}

public struct Objective: Sendable, Codable, Equatable {
    public var framework: String
    public var statement: String
    public var text: String
    public var reason: String?
}

public struct PlanItem: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case module, assessment, shadowing
    }
    /// `<responsibility>.<kind>`: derived from ids only, so renaming a title keeps LMS tracking.
    public var id: String
    public var kind: Kind
    public var title: String
    public var level: String
    public var responsibility: String
    public var skills: [String]
    public var minutes: Int
    /// Items that must be completed (or passed) first.
    public var prerequisites: [String]
    /// A module derived from a responsibility statement because none was authored.
    public var draft: Bool
    public var masteryScore: Int?
    /// Source file(s), relative to the curriculum folder.
    public var sources: [String]
    /// Framework statements at this level sharing a skill with the item.
    public var objectives: [String]
    /// A module's `summary` (one sentence for catalogues); nil for other kinds or when unset.
    public var summary: String? = nil
    /// A module's `objectives` (what the learner will be able to do); nil for other kinds or
    /// when unset.
    public var learningObjectives: [String]? = nil

    enum CodingKeys: String, CodingKey {
        case id, kind, title, level, responsibility, skills, minutes, prerequisites, draft, sources, objectives, summary
        case masteryScore = "mastery_score"
        case learningObjectives = "learning_objectives"
    }
}

public struct Track: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case onboarding, promotion, gaps
    }
    /// `onboarding-P2`, `promotion-P1-P2`, `gaps-<digest>`.
    public var id: String
    public var kind: Kind
    public var title: String
    /// The level the track prepares for.
    public var level: String
    /// For promotion tracks, the level the learner starts from.
    public var from: String?
    /// Item ids in order.
    public var items: [String]
    public var minutes: Int
}
