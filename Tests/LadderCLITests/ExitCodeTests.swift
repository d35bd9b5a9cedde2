import Foundation
import TestSupport
import Testing

/// The same mistake ends every command with the same exit code (README, "Exit codes"), and
/// standard error names the mistake: each command run through the built `ladder` binary with
/// each kind of mistake it can meet.
@Suite("ladder exit codes")
struct ExitCodeTests {
    enum Kind: String {
        case unknownLevel = "unknown level"
        case unknownTrack = "unknown track"
        case missingFile = "missing file"
        case unreadableCurriculum = "unreadable curriculum"
        case badOptionValue = "bad option value"

        /// The exit code of the table for this kind of mistake.
        var status: Int32 {
            switch self {
            case .unknownLevel, .unknownTrack, .badOptionValue: return 64
            case .missingFile: return 66
            case .unreadableCurriculum: return 1
            }
        }
    }

    struct Mistake: CustomTestStringConvertible, Sendable {
        var kind: Kind
        var arguments: [String]
        /// What standard error must contain: the mistake's name or value.
        var names: String
        var testDescription: String { "\(kind.rawValue): ladder \(arguments.joined(separator: " "))" }
    }

    static let sample = "curricula/customer-service"
    static let cohort = "curricula/customer-service/learners/cohort.csv"
    static let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-exit-codes").path
    /// A curriculum folder whose curriculum.yaml is not YAML.
    static let broken = scratch + "/broken"
    static let store = scratch + "/progress.sqlite"
    static let missing = "/nonexistent-ladder-input"
    static let out = ["--out", scratch + "/exports"]

    static let mistakes: [Mistake] = [
        Mistake(kind: .unknownLevel, arguments: ["plan", sample, "--level", "P9"], names: "unknown level 'P9'"),
        Mistake(kind: .unknownLevel, arguments: ["build", sample, "--level", "P9"] + out, names: "unknown level 'P9'"),
        Mistake(kind: .unknownLevel, arguments: ["progress", "report", "--curriculum", sample, "--level", "P9", "--db", store], names: "unknown level 'P9'"),
        Mistake(kind: .unknownTrack, arguments: ["plan", sample, "--track", "sideways"], names: "'sideways'"),
        Mistake(kind: .unknownTrack, arguments: ["build", sample, "--track", "sideways"] + out, names: "'sideways'"),
        Mistake(kind: .unknownTrack, arguments: ["build", sample, "--track", "promotion", "--level", "P1"] + out, names: "no promotion track leads to P1"),
        Mistake(kind: .unknownTrack, arguments: ["plan", sample, "--track", "promotion", "--level", "P1"], names: "no promotion track leads to P1"),
        Mistake(kind: .missingFile, arguments: ["check", missing], names: missing),
        Mistake(kind: .missingFile, arguments: ["plan", missing], names: missing),
        Mistake(kind: .missingFile, arguments: ["build", missing] + out, names: missing),
        Mistake(kind: .missingFile, arguments: ["build", sample, "--track", "gaps", "--learners", missing + ".csv"] + out, names: missing + ".csv"),
        Mistake(kind: .missingFile, arguments: ["gaps", missing, "--learners", cohort], names: missing),
        Mistake(kind: .missingFile, arguments: ["gaps", sample, "--learners", missing + ".csv"], names: missing + ".csv"),
        Mistake(kind: .missingFile, arguments: ["gaps", sample, "--learners", missing + ".sqlite"], names: missing + ".sqlite"),
        Mistake(kind: .missingFile, arguments: ["validate", missing + ".zip"], names: missing + ".zip"),
        Mistake(kind: .missingFile, arguments: ["validate", sample, "--schemas", missing], names: missing),
        Mistake(kind: .missingFile, arguments: ["preview", missing + ".zip"], names: missing + ".zip"),
        Mistake(kind: .missingFile, arguments: ["progress", "import", "--from", "csv", missing + ".csv", "--db", store], names: missing + ".csv"),
        Mistake(kind: .missingFile, arguments: ["progress", "import", "--from", "csv", cohort, "--curriculum", missing, "--db", store], names: missing),
        Mistake(kind: .missingFile, arguments: ["progress", "report", "--db", missing + ".sqlite"], names: missing + ".sqlite"),
        Mistake(kind: .missingFile, arguments: ["progress", "report", "--curriculum", missing, "--db", store], names: missing),
        Mistake(kind: .missingFile, arguments: ["progress", "report", "--curriculum", sample, "--learners", missing + ".csv", "--db", store], names: missing + ".csv"),
        Mistake(kind: .unreadableCurriculum, arguments: ["check", broken], names: broken + "/curriculum.yaml"),
        Mistake(kind: .unreadableCurriculum, arguments: ["plan", broken], names: broken + "/curriculum.yaml"),
        Mistake(kind: .unreadableCurriculum, arguments: ["build", broken] + out, names: broken + "/curriculum.yaml"),
        Mistake(kind: .unreadableCurriculum, arguments: ["gaps", broken, "--learners", cohort], names: broken + "/curriculum.yaml"),
        Mistake(kind: .unreadableCurriculum, arguments: ["progress", "import", "--from", "csv", cohort, "--curriculum", broken, "--db", store], names: broken + "/curriculum.yaml"),
        Mistake(kind: .unreadableCurriculum, arguments: ["progress", "report", "--curriculum", broken, "--db", store], names: broken + "/curriculum.yaml"),
        Mistake(kind: .badOptionValue, arguments: ["check", sample, "--strictly"], names: "--strictly"),
        Mistake(kind: .badOptionValue, arguments: ["plan", sample, "--format", "xml"], names: "'xml'"),
        Mistake(kind: .badOptionValue, arguments: ["schema", "--kind", "chapter"], names: "'chapter'"),
        Mistake(kind: .badOptionValue, arguments: ["build", sample, "-j", "0"] + out, names: "-j must be at least 1"),
        Mistake(kind: .badOptionValue, arguments: ["build", sample, "--lms", "blackboard"] + out, names: "'blackboard'"),
        Mistake(kind: .badOptionValue, arguments: ["gaps", sample, "--learners", cohort, "--format", "pdf"], names: "'pdf'"),
        Mistake(kind: .badOptionValue, arguments: ["validate", sample, "--format", "xml"], names: "'xml'"),
        Mistake(kind: .badOptionValue, arguments: ["preview", sample, "--port", "70000"], names: "--port"),
        Mistake(kind: .badOptionValue, arguments: ["preview", sample, "--learner", "a b"], names: "--learner"),
        Mistake(kind: .badOptionValue, arguments: ["progress", "import", "--from", "csv", cohort, "--timezone", "Mars/Base", "--db", store], names: "Mars/Base"),
        Mistake(kind: .badOptionValue, arguments: ["progress", "report", "--as-of", "yesterday", "--db", store], names: "--as-of"),
    ]

    @Test(arguments: mistakes)
    func mistakeEndsWithItsCode(_ m: Mistake) throws {
        try FileManager.default.createDirectory(atPath: Self.broken, withIntermediateDirectories: true)
        try Data("id: [customer-service\n".utf8).write(to: URL(fileURLWithPath: Self.broken + "/curriculum.yaml"))
        let run = try Ladder.run(m.arguments)
        #expect(run.status == m.kind.status, "\(run.stderr)")
        #expect(run.stderr.contains(m.names), "\(run.stderr)")
        #expect(run.stdout.isEmpty, "\(run.stdout)")
        for trace in ["Fatal error", "Stack dump", "NSCocoaErrorDomain", "Error Domain="] { #expect(!run.stderr.contains(trace)) }
        #expect(!FileManager.default.fileExists(atPath: Self.scratch + "/exports"), "a failed command wrote nothing")
    }
}
