import Foundation
import LadderCore

/// What to report on.
public struct ReportOptions: Sendable {
    /// The curriculum's plan: its levels, their required items and the items' titles. Without
    /// it the levels and items are those the imports recorded (shown by id), and an assessment
    /// counts as passed only on status.
    public var plan: Plan?
    public var level: String?
    public var learner: String?
    /// "Today", for the stalled test (a parameter so reports are reproducible).
    public var asOf: Date
    public var stalledDays: Int
    public var hardestCount: Int
    /// Learner id → current level, from a learners (cohort) file: it wins over the store.
    public var currentLevels: [String: String]
    public init(
        plan: Plan? = nil, level: String? = nil, learner: String? = nil, asOf: Date = Date(), stalledDays: Int = 30,
        hardestCount: Int = 10, currentLevels: [String: String] = [:]
    ) {
        self.plan = plan
        self.level = level
        self.learner = learner
        self.asOf = asOf
        self.stalledDays = stalledDays
        self.hardestCount = hardestCount
        self.currentLevels = currentLevels
    }
}

/// The progress report held in memory: every learner's standing per level, and the cohort's
/// shape. The command writes reports without building this (ReportRenderer streams them); it
/// is what `ProgressStore.report` returns and what the JSON format reads back into.
public struct ProgressReport: Sendable, Codable, Equatable {
    public var format = 1
    public var curriculum: String
    public var title: String
    public var asOf: String
    public var stalledDays: Int
    public var levels: [String]
    /// Item id → title, for the items of `levels` (from the plan; without one, the ids).
    public var titles: [String: String]?
    public var learners: [LearnerProgress]
    public var cohort: Cohort

    enum CodingKeys: String, CodingKey {
        case format, curriculum, title, levels, titles, learners, cohort
        case asOf = "as_of"
        case stalledDays = "stalled_days"
    }
}

public struct LearnerProgress: Sendable, Codable, Equatable {
    public var id: String
    public var name: String?
    public var email: String?
    /// The level the report files the learner under: the current level when known, else the
    /// next level to reach (the top level once every level is reached).
    public var level: String
    /// The current level, when the learners file, the store's enrolment or the tracks say it.
    public var currentLevel: String?
    /// Where `currentLevel` came from: "learners file", "store" or "tracks".
    public var currentLevelSource: String?
    /// The level reached (see `Standing`); nil while an item of the lowest level is missing.
    public var reached: String?
    /// The next level to reach; nil once the top level is reached.
    public var next: String?
    /// True when the learner is ready for promotion (`readyFor` is set).
    public var ready: Bool
    /// The level the learner is ready for promotion to: reached it, current level below it.
    public var readyFor: String?
    public var verdict: String
    public var lastActivity: String?
    public var stalled: Bool
    /// Seconds the attempts recorded; nil when none recorded a time (shown as unknown).
    public var seconds: Int?
    public var levels: [LevelProgress]

    enum CodingKeys: String, CodingKey {
        case id, name, email, level, reached, next, ready, verdict, stalled, seconds, levels
        case currentLevel = "current_level"
        case currentLevelSource = "current_level_source"
        case readyFor = "ready_for"
        case lastActivity = "last_activity"
    }
}

public struct LevelProgress: Sendable, Codable, Equatable {
    public var level: String
    public var required: Int
    public var done: Int
    /// Rounded, never 100 before `complete` (`Standing.percent`).
    public var percent: Int
    /// Every required item of this level is done (the level is reached only when every level
    /// below is complete too).
    public var complete: Bool
    /// Any attempt at any of the level's items.
    public var started: Bool
    /// Required items not yet done, by id, in plan order.
    public var missing: [String]
    /// Assessments with an attempt or passed.
    public var assessments: [AssessmentResult]
    /// Shadowing tasks signed off.
    public var shadowing: [ShadowingSignOff]
    /// nil when no attempt at the level's items recorded a time.
    public var seconds: Int?
}

public struct AssessmentResult: Sendable, Codable, Equatable {
    public var item: String
    /// Best score in percent.
    public var bestScore: Double?
    public var mastery: Int?
    public var attempts: Int
    public var passed: Bool
    enum CodingKeys: String, CodingKey {
        case item, mastery, attempts, passed
        case bestScore = "best_score"
    }
}

public struct ShadowingSignOff: Sendable, Codable, Equatable {
    public var item: String
    public var observer: String?
    public var date: String?
    public var complete: Bool
}

public struct Cohort: Sendable, Codable, Equatable {
    public struct LevelCount: Sendable, Codable, Equatable {
        public var level: String
        /// Learners filed under the level (`LearnerProgress.level`).
        public var learners: Int
        /// Of those, how many are ready for promotion.
        public var ready: Int
    }
    public struct FunnelStep: Sendable, Codable, Equatable {
        public var level: String
        public var started: Int
        /// Learners who reached the level (every required item up to it done).
        public var completed: Int
    }
    public struct Person: Sendable, Codable, Equatable {
        public var id: String
        public var name: String?
    }
    /// The learners ready for promotion to one level, by name.
    public struct Ready: Sendable, Codable, Equatable {
        public var level: String
        public var learners: [Person]
    }
    public struct Stalled: Sendable, Codable, Equatable {
        public var learner: String
        public var name: String?
        public var level: String
        public var lastActivity: String
        public var days: Int
        enum CodingKeys: String, CodingKey {
            case learner, name, level, days
            case lastActivity = "last_activity"
        }
    }
    public struct Question: Sendable, Codable, Equatable {
        public var item: String
        public var question: String
        /// Tries: every interaction row, so each retry within an attempt counts.
        public var responses: Int
        public var wrong: Int
        public var wrongRate: Double
        enum CodingKeys: String, CodingKey {
            case item, question, responses, wrong
            case wrongRate = "wrong_rate"
        }
    }
    public var learners: Int
    /// Per level with anyone ready, in level order.
    public var ready: [Ready]?
    public var atLevel: [LevelCount]
    /// Learners whose current level nothing says (filed under the level they work on).
    public var currentUnknown: Int?
    public var funnel: [FunnelStep]
    public var stalled: [Stalled]
    public var hardest: [Question]
    enum CodingKeys: String, CodingKey {
        case learners, ready, funnel, stalled, hardest
        case atLevel = "at_level"
        case currentUnknown = "current_unknown"
    }
}

/// The error for a report that cannot be made (an unknown level or learner).
public struct ReportError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var description: String { message }
}

/// Date arithmetic for reports, on the ISO 8601 texts the store keeps.
package enum ReportDates {
    /// Whole days from the date an ISO 8601 text starts with (`YYYY-MM-DD…`, UTC) to `date`.
    /// Computed, not parsed with a date formatter: a cohort report calls it per learner.
    static func days(from iso: String, to date: Date) -> Int {
        let b = Array(iso.utf8.prefix(10))
        func number(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                guard (0x30...0x39).contains(b[i]) else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D, let y = number(0..<4), let m = number(5..<7), let d = number(8..<10),
            (1...12).contains(m), (1...31).contains(d)
        else { return 0 }
        let start = Double(daysSinceEpoch(year: y, month: m, day: d)) * 86400
        return max(0, Int((date.timeIntervalSince1970 - start) / 86400))
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (the civil-from-days inverse).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
