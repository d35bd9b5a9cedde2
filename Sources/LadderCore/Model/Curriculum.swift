import Foundation

/// A job ladder and the training that prepares people for each of its levels, as loaded
/// from `curricula/<id>/`. Every stage after loading works from this value alone.
public struct Curriculum: Sendable {
    public var id: String
    public var title: String
    public var summary: String
    public var track: CareerTrack
    public var language: String
    public var occupationCodes: [OccupationCode]
    public var scopeNotes: [String]
    public var scale: [ProficiencyStep]
    public var skills: [Skill]
    /// Lowest level first.
    public var levels: [Level]
    public var frameworks: [Framework]
    public var theme: Theme
    /// The folder the curriculum was loaded from.
    public var root: URL

    public func skill(_ id: String) -> Skill? { skills.first { $0.id == id } }
    public func level(_ id: String) -> Level? { levels.first { $0.id == id } }
    public func levelIndex(_ id: String) -> Int? { levels.firstIndex { $0.id == id } }

    /// Every responsibility, lowest level first, in file order.
    public var responsibilities: [Responsibility] { levels.flatMap(\.responsibilities) }

    /// Searched level by level: no flattened copy of every responsibility per call.
    public func responsibility(_ id: String) -> Responsibility? {
        for level in levels {
            if let r = level.responsibilities.first(where: { $0.id == id }) { return r }
        }
        return nil
    }

    /// The name of a 1-based proficiency step ("Apply").
    public func stepName(_ step: Int) -> String {
        scale.indices.contains(step - 1) ? scale[step - 1].name : "\(step)"
    }
}

public enum CareerTrack: String, Sendable, Codable, CaseIterable {
    case professional, management
}

public struct OccupationCode: Sendable, Equatable, Codable {
    public var scheme: String
    public var code: String
    public var title: String?
}

public struct ProficiencyStep: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var description: String?
}

public struct Skill: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var description: String?
}

public struct Level: Sendable {
    public var id: String
    public var rank: Int
    public var title: String
    public var summary: String?
    public var guidelines: Guidelines
    /// Skill id → required 1-based proficiency step, in file order.
    public var targets: [SkillTarget]
    public var responsibilities: [Responsibility]

    public func target(for skill: String) -> Int? { targets.first { $0.skill == skill }?.step }
}

public struct SkillTarget: Sendable, Equatable, Codable {
    public var skill: String
    public var step: Int
}

public struct Guidelines: Sendable, Equatable, Codable {
    public var knowledge: String?
    public var problemSolving: String?
    public var collaboration: String?
    public var experience: String?
}

public struct Responsibility: Sendable {
    public var id: String
    public var level: String
    public var statement: String
    public var skills: [String]
    public var after: [String]
    public var module: Module?
    public var assessment: Assessment?
    public var shadowing: ShadowingTask?
}

/// What to learn: one or more Markdown pages.
public struct Module: Sendable {
    public var title: String
    public var summary: String?
    public var objectives: [String]
    public var pages: [Page]
}

public struct Page: Sendable {
    /// Path relative to the curriculum folder.
    public var path: String
    public var title: String
    public var minutes: Int
    /// The Markdown body, without front matter.
    public var markdown: String
}

/// How mastery is checked: a scored question bank.
public struct Assessment: Sendable {
    public var path: String
    public var title: String
    /// Percentage (0-100) needed to pass.
    public var masteryScore: Int
    public var minutes: Int
    /// The bank. Each try shows `draw` of them (all when nil), chosen by the runtime.
    public var questions: [Question]
    /// How many questions each try draws from the bank (`draw:`); nil shows every question.
    public var draw: Int? = nil
    /// Whether the runtime shuffles the options of each question per try (`shuffle:`).
    /// True/false questions keep True before False.
    public var shuffle: Bool = false

    /// The questions one try scores: mastery is a share of these, not of the bank.
    public var questionsPerAttempt: Int { min(draw ?? questions.count, questions.count) }
}

public struct Question: Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case single, multiple, trueFalse = "true-false", scenario
    }
    public var id: String
    public var kind: Kind
    public var prompt: String
    public var scenario: String?
    public var options: [AnswerOption]
    public var skills: [String]

    public init(id: String, kind: Kind, prompt: String, scenario: String? = nil, options: [AnswerOption], skills: [String] = []) {
        self.id = id
        self.kind = kind
        self.prompt = prompt
        self.scenario = scenario
        self.options = options
        self.skills = skills
    }
}

public struct AnswerOption: Sendable {
    public var text: String
    public var correct: Bool
    public var feedback: String

    public init(text: String, correct: Bool, feedback: String) {
        self.text = text
        self.correct = correct
        self.feedback = feedback
    }
}

/// Learned on the job: observe a colleague, then do the work under observation.
public struct ShadowingTask: Sendable {
    public var path: String
    public var title: String
    public var setting: String
    public var observer: String
    public var minutes: Int
    public var observe: [String]
    public var behaviours: [Behaviour]
    public var evidence: String
    public var signOff: String
}

public struct Behaviour: Sendable {
    public var id: String
    public var text: String
    public var evidence: String?
}

/// Competency statements from another framework, placed at levels.
public struct Framework: Sendable {
    public var id: String
    public var name: String
    public var source: String?
    public var statements: [Statement]
}

public struct Statement: Sendable {
    public var id: String
    public var text: String
    /// The level it is placed at, or nil when excluded.
    public var level: String?
    public var excluded: String?
    public var skills: [String]
}

/// How exported pages look.
public struct Theme: Sendable {
    public var stylesheet: String?
    public var logo: String?
    public var accent: String?
    public init(stylesheet: String? = nil, logo: String? = nil, accent: String? = nil) {
        self.stylesheet = stylesheet
        self.logo = logo
        self.accent = accent
    }
}
