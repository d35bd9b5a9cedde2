import Foundation

/// Finds and runs the `ladder` executable built alongside the tests.
public enum Ladder {
    public typealias Run = Tool.Run

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The repository root: commands run there, so relative paths in their output are stable.
    public static let repoRoot = TestSupport.repoRoot

    /// The products folder of this build holds both the test bundle and `ladder`; prefer it
    /// so the binary under test is the one just built (whatever `--scratch-path` was used).
    public static func executable() throws -> URL {
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

    /// Runs `ladder` in the repository root (so relative paths in its output are stable);
    /// `environment` entries are set on top of this process's environment.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        try Tool.run(try executable(), arguments, in: repoRoot, environment: environment)
    }

    /// Runs `ladder` and returns the run as one text for a snapshot: the command, its exit
    /// status, then standard output and standard error, each under a header line.
    public static func transcript(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let run = try run(arguments, environment: environment)
        func block(_ text: String) -> String { text.isEmpty || text.hasSuffix("\n") ? text : text + "\n(no newline at the end)\n" }
        return "$ ladder \(arguments.joined(separator: " "))\nexit \(run.status)\n--- stdout\n\(block(run.stdout))--- stderr\n\(block(run.stderr))"
    }

    /// A private copy of the sample, in a folder named customer-service.
    public static func copySample() throws -> URL { try TestSupport.copySample() }

    /// Replaces text that must occur exactly once; throws (failing the test) otherwise.
    public static func edit(_ root: URL, _ relative: String, replace: String, with replacement: String) throws {
        let url = root.appendingPathComponent(relative)
        let text = try String(contentsOf: url, encoding: .utf8)
        let count = text.components(separatedBy: replace).count - 1
        guard count == 1 else { throw Failure(description: "\(relative): \(replace.debugDescription) occurs \(count) times") }
        try text.replacingOccurrences(of: replace, with: replacement).write(to: url, atomically: true, encoding: .utf8)
    }
}
