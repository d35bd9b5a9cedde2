import Foundation

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// What every fuzzer shares: the repository's location (for fixtures), a scratch folder of its
/// own, and the conversions from libFuzzer's bytes.
public enum Fuzz {
    /// The repository root: `LADDER_FUZZ_ROOT` (run.sh sets it), else the folder this source
    /// file was compiled from (Fuzz/Sources/FuzzSupport/FuzzSupport.swift).
    public static let repoRoot: URL = {
        if let root = ProcessInfo.processInfo.environment["LADDER_FUZZ_ROOT"], !root.isEmpty {
            return URL(fileURLWithPath: root, isDirectory: true)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }()

    /// A folder for this process's files: under `LADDER_FUZZ_SCRATCH` (run.sh makes one and
    /// removes it afterwards: libFuzzer ends with `exit`, so nothing here can clean up), else
    /// under the system's temporary folder.
    public static let scratch: URL = {
        let base = ProcessInfo.processInfo.environment["LADDER_FUZZ_SCRATCH"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory
        let dir = base.appendingPathComponent("ladder-fuzz-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: dir)
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }()

    public static func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// The input as text the way the loaders see a file: invalid UTF-8 repaired (the loaders
    /// refuse such files before parsing, so repairing lets the fuzzer reach the parsers).
    public static func text(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `bytes` to `url`, replacing what was there. A failure here is the harness's,
    /// not the code under test's, so it stops the run.
    public static func write(_ bytes: some Collection<UInt8>, to url: URL) {
        do { try Data(bytes).write(to: url) } catch { fatalError("fuzz harness: cannot write \(url.path): \(error)") }
    }

    /// Stops the run with `message` when `condition` fails: a finding, reported as a crash.
    public static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError("fuzz invariant: \(message())") }
    }
}
