import Foundation
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

/// Finds and runs the `ladder` executable built alongside the tests.
enum Ladder {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Tests/LadderCLITests/CLITests.swift → the repository root.
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The products folder of this build holds both the test bundle and `ladder`; prefer it
    /// so the binary under test is the one just built (whatever `--scratch-path` was used).
    static func executable() throws -> URL {
        let fm = FileManager.default
        var folders: [URL] = []
        let argv0 = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath()
        folders.append(argv0.deletingLastPathComponent())
        for bundle in [Bundle.main] + Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") || bundle == Bundle.main {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
            folders.append(bundle.bundleURL)
        }
        // Walking up from the test executable finds the products folder of a nested bundle.
        var up = argv0.deletingLastPathComponent()
        for _ in 0..<4 {
            folders.append(up)
            up = up.deletingLastPathComponent()
        }
        folders.append(repoRoot.appendingPathComponent(".build/debug"))
        for folder in folders {
            let candidate = folder.appendingPathComponent("ladder")
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue, fm.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        throw Failure(description: "no built 'ladder' executable in \(folders.map(\.path))")
    }

    /// Runs `ladder` in the repository root; output goes to files, so a large output can
    /// never block the child on a full pipe.
    static func run(_ arguments: [String]) throws -> Run {
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("ladder-cli-\(UUID().uuidString)", isDirectory: true)
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("stdout")
        let err = scratch.appendingPathComponent("stderr")
        guard fm.createFile(atPath: out.path, contents: nil), fm.createFile(atPath: err.path, contents: nil) else {
            throw Failure(description: "cannot create output files in \(scratch.path)")
        }
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.currentDirectoryURL = repoRoot
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    /// A private copy of the sample, in a folder named customer-service.
    static func copySample() throws -> URL {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let copy = parent.appendingPathComponent("customer-service")
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("curricula/customer-service"), to: copy)
        return copy
    }

    /// Replaces text that must occur exactly once; throws (failing the test) otherwise.
    static func edit(_ root: URL, _ relative: String, replace: String, with replacement: String) throws {
        let url = root.appendingPathComponent(relative)
        let text = try String(contentsOf: url, encoding: .utf8)
        let count = text.components(separatedBy: replace).count - 1
        guard count == 1 else { throw Failure(description: "\(relative): \(replace.debugDescription) occurs \(count) times") }
        try text.replacingOccurrences(of: replace, with: replacement).write(to: url, atomically: true, encoding: .utf8)
    }
}
