import Foundation
import TestSupport
import Testing

/// Runs the SCO runtime's JavaScript tests (Tests/runtime/*.test.mjs) with node's built-in
/// runner, so `swift test` covers them too. Skipped, with the reason printed, without node.
struct RuntimeJSTests {
    static let repo = TestSupport.repoRoot

    static var node: String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/local/bin").split(separator: ":") {
            let p = "\(dir)/node"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    @Test(.enabled(if: node != nil, "node is not installed: the runtime's JavaScript tests were skipped"))
    func nodeRuntimeTests() throws {
        let folder = Self.repo.appendingPathComponent("Tests/runtime")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".test.mjs") }.sorted()
        #expect(files.count >= 3, "expected the runtime test files in Tests/runtime")
        let run = try Tool.run(Self.node!, ["--test", "--test-reporter=tap"] + files.map { folder.appendingPathComponent($0).path }, in: Self.repo)
        let out = run.output
        let failed = out.split(separator: "\n").filter { $0.hasPrefix("not ok") || $0.contains("# fail") }
        #expect(run.status == 0, "node --test failed:\n\(out.suffix(4000))")
        #expect(out.contains("# pass"), "no node test ran:\n\(out.suffix(2000))")
        if run.status != 0 { print(failed.joined(separator: "\n")) }
    }
}
