import Foundation

/// A job ladder and the training that prepares people for each of its levels, as loaded
/// from `curricula/<id>/`. Every stage after loading works from this value alone.
public struct Curriculum: Sendable {
    public var id: String
    public var title: String
    public var summary: String
    public var track: CareerTrack
    /// The content's BCP 47 tag as written (`es-MX`), used for `lang` and `xml:lang`.
    public var language: String
    public var occupationCodes: [OccupationCode]
    public var scopeNotes: [String]
    public var scale: [ProficiencyStep]
    public var skills: [Skill]
    /// Lowest level first.
    public var levels: [Level]
    public var frameworks: [Framework]
    public var theme: Theme
    /// What opens a level above the first (curriculum.yaml `gating`).
    public var gating: Gating = .assessments
    /// The folder the curriculum was loaded from.
    public var root: URL

    /// The language of the text Ladder itself writes into pages: the tag's primary
    /// language (the loader refuses a tag without a supported one).
    public var pageLanguage: PageLanguage { PageLanguage(tag: language) ?? .en }

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

    /// The name of a 1-based proficiency step ("Apply"); step 0 is "none" (not required).
    public func stepName(_ step: Int) -> String {
        if step == 0 { return ProficiencyStep.notRequired }
        return scale.indices.contains(step - 1) ? scale[step - 1].name : "\(step)"
    }
}

/// What a learner must have done before the items of the next level open (curriculum.yaml
/// `gating`, docs/curriculum-format.md). A responsibility's `after` adds to it.
public enum Gating: String, Sendable, Codable, CaseIterable {
    /// Every assessment of the level below is passed (a level below without assessments
    /// passes on its own gate: its last item).
    case assessments
    /// The last module or assessment of the level below is done (Ladder before issue 14).
    case lastItem = "last-item"
    /// Levels do not gate each other; only `after` orders items.
    case none
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
    /// The target value that says a level does not require a skill (step 0): `none` in a
    /// level file, or the number 0.
    public static let notRequired = "none"
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
    /// Skill id → required 1-based proficiency step, in file order; step 0 is an explicit
    /// `none` (not required at this level).
    public var targets: [SkillTarget]
    public var responsibilities: [Responsibility]
    /// Skills of the curriculum the level file gives no target at all (a warning; gaps takes
    /// them as none), in curriculum order.
    public var unsetSkills: [String] = []

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
    /// The local images it shows, relative to the curriculum folder (packaged with the
    /// module; part of its source digest).
    public var images: [String] = []
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
