import Foundation
import TestSupport
import Testing

/// `ladder import questions` and `ladder export questions` through the built binary: the
/// reports on standard error name file and line, the exit code says whether anything was left
/// out, and an exported bank imports back to the same assessment file.
@Suite("ladder import/export questions")
struct QuestionsCLITests {
    static let fixtures = "Tests/LadderKitTests/Fixtures/questions"

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-questions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func importReportsByLineAndExits1WhenSomethingIsLeftOut() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("assessments/imported.yaml").path
        let r = try Ladder.run(["import", "questions", "\(Self.fixtures)/moodle-shapes.gift.txt", "--format", "gift", "--out", out])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("\(Self.fixtures)/moodle-shapes.gift.txt:6:1: warning: question 'Q1' is an essay question; Ladder has multiple-choice and true/false questions only: left out"))
        #expect(r.stderr.contains("5 questions written"))
        let yaml = try String(contentsOfFile: out, encoding: .utf8)
        #expect(yaml.hasPrefix("title: Service desk basics\nmastery_score: 80\nquestions:\n  - id: q2\n    type: single\n"))
    }

    /// Sample → GIFT → import → the same YAML; sample → Moodle XML → import → the same YAML.
    @Test(arguments: ["gift", "moodle-xml"])
    func exportThenImportGivesTheSameFile(_ format: String) throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = "curricula/customer-service/assessments/confirm-resolution.yaml"
        let exported = dir.appendingPathComponent("bank.\(format)").path
        let e = try Ladder.run(["export", "questions", source, "--format", format, "--out", exported])
        #expect(e.status == 0 && e.stderr.isEmpty, "\(e.stderr)")
        let first = dir.appendingPathComponent("a.yaml").path
        let i = try Ladder.run(["import", "questions", exported, "--format", format, "--out", first])
        #expect(i.status == 0, "\(i.stderr)")
        #expect(i.stderr.contains("10 questions written; 0 errors, 0 warnings"), "\(i.stderr)")
        // Export the import again: the same bytes both times (deterministic, lossless).
        let again = dir.appendingPathComponent("again.\(format)").path
        #expect(try Ladder.run(["export", "questions", first, "--format", format, "--out", again]).status == 0)
        // (GIFT's first line names the file it was exported from.)
        func body(_ path: String) throws -> String {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return format == "gift" ? String(text.drop { $0 != "\n" }) : text
        }
        #expect(try body(exported) == body(again))
        let yaml = try String(contentsOfFile: first, encoding: .utf8)
        #expect(yaml.contains("draw: 5\nshuffle: true\n") && yaml.contains("  - id: failed-refund\n    type: scenario\n    scenario: "))
    }

    @Test func exportRejectsAnAssessmentWithErrors() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.yaml")
        try "title: Bad\nmastery_score: 80\nquestions:\n  - id: x\n    type: single\n    prompt: P\n    options:\n      - text: A\n        feedback: F\n      - text: B\n        feedback: G\n".write(to: bad, atomically: true, encoding: .utf8)
        let r = try Ladder.run(["export", "questions", bad.path, "--format", "gift"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(bad.path):4:5: error: question 'x' has no correct answer"), "\(r.stderr)")
    }
}
