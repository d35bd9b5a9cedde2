import Foundation
import TestSupport
import Testing

/// Runs Tests/peers/edge_cases.py: 35 hand-made packages (symlinks, xml:base, manifests in
/// subfolders, SCORM 2004, other prefixes, …) whose expected verdicts come from what real
/// third-party importers do (see Tests/peers/README.md), checked with the built `ladder
/// validate` under every LMS profile. Needs only python3's standard library.
struct PeerEdgeCaseTests {
    static var python: String? {
        ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: python != nil, "python3 is not installed: the third-party edge cases were skipped"))
    func validatorVerdictsMatchThirdPartyImporters() throws {
        let ladder = try Ladder.executable()
        let run = try Tool.run(
            Self.python!, [Ladder.repoRoot.appendingPathComponent("Tests/peers/edge_cases.py").path, "--ladder", ladder.path], in: Ladder.repoRoot)
        let text = run.output
        let summary = text.split(separator: "\n").last { $0.contains(" passed, ") } ?? ""
        #expect(run.status == 0, "edge cases failed:\n\(text.split(separator: "\n").filter { $0.hasPrefix("FAIL") }.joined(separator: "\n"))")
        #expect(summary.hasSuffix(" 0 failed"), "\(summary)")
        let passed = Int(summary.split(separator: " ").first ?? "") ?? 0
        #expect(passed >= 100, "expected the full set of edge cases to run, got: \(summary)")
    }
}
