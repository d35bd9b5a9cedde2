import Foundation
import TestSupport
import Testing

/// End to end: runs the built `ladder` executable and checks exit codes and output.
@Suite("ladder CLI")
struct CLITests {
    @Test func checkSampleExitsZeroWithoutWarnings() throws {
        let run = try Ladder.run(["check", "curricula/customer-service"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("curricula/customer-service: 5 levels"))
        #expect(run.stdout.contains("(0 draft); 0 errors, 0 warnings"))
        #expect(!run.stdout.contains(": warning:") && !run.stderr.contains("warning"))
        #expect(run.stderr.isEmpty)
    }

    @Test func checkBrokenCopyPrintsCompilerStyleErrors() throws {
        let root = try Ladder.copySample()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        try Ladder.edit(root, "levels/P2.yaml", replace: "[empathy, active-listening, speaking", with: "[empathie, active-listening, speaking")
        try Ladder.edit(root, "assessments/inform-customers.yaml", replace: "mastery_score: 80\n", with: "mastery_score: 101\n")
        try Ladder.edit(root, "shadowing/inform-customers.yaml", replace: "title: ", with: "title: [")

        let run = try Ladder.run(["check", root.path])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(run.stderr)")
        #expect(lines.last == "3 errors, 0 warnings")
        let diagnostics = lines.dropLast()
        let pattern = /^(.+):(\d+):(\d+): error: (.+)$/
        for line in diagnostics {
            let match = try #require(line.wholeMatch(of: pattern), "not compiler style: \(line)")
            #expect(match.1.hasPrefix(root.path + "/"))
            #expect(Int(match.2)! > 0 && Int(match.3)! > 0)
        }
        #expect(diagnostics.contains { $0.hasPrefix("\(root.path)/levels/P2.yaml:") && $0.contains("did you mean 'empathy'?") })
        #expect(diagnostics.contains { $0.hasPrefix("\(root.path)/assessments/inform-customers.yaml:2:16: error: 'mastery_score' is 101") })
        #expect(diagnostics.contains { $0.hasPrefix("\(root.path)/shadowing/inform-customers.yaml:") && $0.contains("YAML syntax error") })
        for bad in ["Fatal error", "Stack dump", "Backtrace", "Current stack trace", "0x0000"] {
            #expect(!run.stderr.contains(bad))
        }
    }

    @Test func planJSONMatchesTextOutput() throws {
        let base = ["plan", "curricula/customer-service", "--track", "onboarding", "--level", "P1"]
        let json = try Ladder.run(base + ["--format", "json"])
        let text = try Ladder.run(base)
        #expect(json.status == 0 && text.status == 0, "\(json.stderr)\(text.stderr)")
        #expect(json.stderr.isEmpty && text.stderr.isEmpty)

        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let tracks = try #require(object["tracks"] as? [[String: Any]])
        #expect(tracks.count == 1)
        #expect(tracks.first?["id"] as? String == "onboarding-P1")
        let trackItems = try #require(tracks.first?["items"] as? [String])
        let items = try #require(object["items"] as? [[String: Any]])
        #expect(trackItems.count == 15)
        #expect(items.compactMap { $0["id"] as? String } == trackItems)

        // The text output's numbered lines, read back into `<responsibility>.<kind>` ids.
        var responsibility = ""
        var numbered: [(n: Int, id: String, line: String)] = []
        for line in text.stdout.split(separator: "\n").map(String.init) {
            if let m = line.wholeMatch(of: /^ {4}([A-Za-z][A-Za-z0-9_-]*): .*$/) {
                responsibility = String(m.1)
            } else if let m = line.wholeMatch(of: /^ {6}(\d+)\. (module|assessment|shadowing) +.*$/) {
                numbered.append((Int(m.1)!, "\(responsibility).\(m.2)", line))
            }
        }
        #expect(text.stdout.contains("track onboarding-P1: 15 items"))
        #expect(numbered.map(\.n) == Array(1...15))
        #expect(numbered.map(\.id) == trackItems)
        // Same content: each line shows the JSON item's title, and its pass mark when it has one.
        #expect(numbered.count == items.count)
        for (entry, item) in zip(numbered, items) {
            let title = try #require(item["title"] as? String)
            #expect(entry.line.contains(" \(title) ("), "\(entry.line)")
            if let score = item["mastery_score"] as? Int { #expect(entry.line.contains("pass at \(score)%")) }
            #expect((item["draft"] as? Bool) == entry.line.contains("[draft]"))
        }
    }

    @Test func planJSONIsByteIdenticalAcrossRuns() throws {
        let args = ["plan", "curricula/customer-service", "--format", "json"]
        let a = try Ladder.run(args)
        let b = try Ladder.run(args)
        #expect(a.status == 0 && b.status == 0)
        #expect(!a.stdout.isEmpty)
        #expect(a.stdout == b.stdout)
    }

    @Test func schemaForLevelIsJSONSchema() throws {
        let run = try Ladder.run(["schema", "--kind", "level"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        let properties = try #require(object["properties"] as? [String: Any])
        #expect(Set(properties.keys).isSuperset(of: ["id", "rank", "title", "skills", "responsibilities"]))
    }

    @Test func badFormatIsAUsageError() throws {
        let run = try Ladder.run(["plan", "curricula/customer-service", "--format", "xml"])
        #expect(run.status == 64)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("'xml'"))
        #expect(run.stderr.contains("--format"))
    }

    @Test func missingFolderExitsNoInput() throws {
        let run = try Ladder.run(["check", "curricula/no-such-curriculum"])
        #expect(run.status == 66)
        #expect(run.stderr.contains("curricula/no-such-curriculum: error: no such curriculum folder"))
    }
}
