import Foundation
import LadderCore

/// A course backup that cannot be written or does not hold together: the file concerned and
/// every problem found. Input problems (an id number Moodle would refuse, a title over one of
/// Moodle's column sizes) are found before anything is written.
public struct MoodleBackupError: LadderError, Equatable {
    public enum Problem: Sendable, Equatable {
        /// The curriculum cannot become a Moodle course as it is; one line per problem, each
        /// naming its file and field.
        case unfitForMoodle([String])
        /// A backup (read back or given to `ladder validate`) that Moodle's restore would refuse.
        case invalidBackup([String])
        /// A package given to the backup is not a single-SCO package.
        case notSingleSCO(scos: Int)
    }

    public var path: String
    public var problem: Problem
    public var underlying: (any Error)? { nil }

    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    public var category: LadderErrorCategory {
        switch problem {
        case .unfitForMoodle: return .input
        case .invalidBackup, .notSingleSCO: return .internal
        }
    }

    public var description: String {
        switch problem {
        case .unfitForMoodle(let lines):
            return "\(path): cannot become a Moodle course backup; nothing was written:\n  " + lines.joined(separator: "\n  ")
        case .invalidBackup(let lines):
            return "\(path): not a course backup Moodle can restore:\n  " + lines.joined(separator: "\n  ")
        case .notSingleSCO(let n):
            return "\(path): a course backup holds one single-SCO package per activity; this package has \(n) SCOs"
        }
    }

    public static func == (a: Self, b: Self) -> Bool { a.path == b.path && a.problem == b.problem }
}
