import Foundation

/// Runs a program to its end and gives back what it printed. Output goes to files, not pipes,
/// so a child that prints more than a pipe holds can never block on it.
public enum Tool {
    public struct Run: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// Standard output, then standard error.
        public var output: String { stdout + stderr }
    }

    /// Runs `executable` with `arguments` in `directory` (this process's own when nil);
    /// `environment` entries are set on top of this process's environment.
    public static func run(
        _ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
    ) throws -> Run {
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("ladder-tool-\(UUID().uuidString)", isDirectory: true)
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("stdout")
        let err = scratch.appendingPathComponent("stderr")
        guard fm.createFile(atPath: out.path, contents: nil), fm.createFile(atPath: err.path, contents: nil) else {
            throw Ladder.Failure(description: "cannot create output files in \(scratch.path)")
        }
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
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

    /// As `run(_:_:in:environment:)`, for a program named by its path.
    public static func run(_ path: String, _ arguments: [String], in directory: URL? = nil) throws -> Run {
        try run(URL(fileURLWithPath: path), arguments, in: directory)
    }
}
