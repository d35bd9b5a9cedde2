import Foundation
import Testing

/// axe-core (Deque's accessibility engine) run in the real browser through the WebDriver
/// client: its `axe.min.js` is injected with execute-script and `axe.run` checks the page
/// against the WCAG 2.0, 2.1 and 2.2 A and AA rules.
///
/// The script is not in this repository: it comes inside PyPI's axe-playwright-python (or
/// axe-selenium-python). `LADDER_AXE_JS` names the file; without it the site-packages of
/// `python3` are searched. `.ci/run` installs the package.
public enum Axe {
    public static let tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

    /// The path of `axe.min.js`, or why there is none.
    public static let location: Result<String, TestFailure> = locate()

    public static var available: Bool { (try? location.get()) != nil }

    /// Printed when the checks are skipped.
    public static let skipReason =
        "needs axe-core's axe.min.js: set LADDER_AXE_JS, or pip install --break-system-packages --no-deps axe-playwright-python"

    static func locate() -> Result<String, TestFailure> {
        let fm = FileManager.default
        if let p = ProcessInfo.processInfo.environment["LADDER_AXE_JS"], !p.isEmpty {
            return fm.fileExists(atPath: p) ? .success(p) : .failure(TestFailure("LADDER_AXE_JS=\(p): no such file"))
        }
        for module in ["axe_playwright_python", "axe_selenium_python"] {
            guard let folder = pythonPackageFolder(module) else { continue }
            let e = fm.enumerator(atPath: folder)
            while let f = e?.nextObject() as? String {
                if (f as NSString).lastPathComponent == "axe.min.js" { return .success((folder as NSString).appendingPathComponent(f)) }
            }
        }
        return .failure(TestFailure("axe.min.js not found (no LADDER_AXE_JS, and no axe-playwright-python or axe-selenium-python for python3)"))
    }

    /// Where python3 would import `module` from, without importing it (the package's own
    /// dependencies, Playwright or Selenium, are not needed for the script).
    static func pythonPackageFolder(_ module: String) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "python3", "-c",
            "import importlib.util, os, sys; s = importlib.util.find_spec(sys.argv[1]); print(os.path.dirname(s.origin) if s and s.origin else '')",
            module,
        ]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return p.terminationStatus == 0 && !path.isEmpty ? path : nil
    }

    public struct Violation: CustomStringConvertible {
        public var id: String
        public var impact: String
        public var help: String
        public var nodes: [(target: String, summary: String)]
        public var serious: Bool { impact == "serious" || impact == "critical" }
        public var description: String {
            "\(id) [\(impact)] \(help)\n" + nodes.map { "    at \($0.target): \($0.summary.replacingOccurrences(of: "\n", with: " "))" }.joined(separator: "\n")
        }
    }

    /// Puts axe-core into the current frame (once per document).
    public static func inject(_ driver: WebDriver) async throws {
        if try await driver.execute("return typeof window.axe === 'object' && typeof window.axe.run === 'function'") as? Bool == true { return }
        let source = try String(contentsOfFile: try location.get(), encoding: .utf8)
        try await driver.execute(source + "\n;return typeof window.axe;")
        let ok = try await driver.execute("return typeof window.axe === 'object' && typeof window.axe.run === 'function'") as? Bool
        guard ok == true else { throw TestFailure("axe-core did not load in the page") }
    }

    /// Runs axe in the current frame's document. With `frame`, axe is first put into that
    /// frame too, so its content is checked with the page around it.
    /// The frame's document is also checked alone, so its findings do not depend on axe
    /// reaching into frames.
    public static func run(_ driver: WebDriver, frame: String? = nil) async throws -> [Violation] {
        var inFrame: [Violation] = []
        if let frame {
            try await driver.switchToFrame(frame)
            try await inject(driver)
            inFrame = try await runHere(driver).map {
                var v = $0
                v.nodes = v.nodes.map { ("\(frame) \($0.target)", $0.summary) }
                return v
            }
            try await driver.switchToTop()
        }
        return inFrame + (try await runHere(driver))
    }

    static func runHere(_ driver: WebDriver) async throws -> [Violation] {
        try await inject(driver)
        let script = """
            var done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: 'tag', values: \(tags)}, resultTypes: ['violations']}).then(function (r) {
              done(JSON.stringify(r.violations.map(function (v) {
                return {id: v.id, impact: v.impact || '', help: v.help, nodes: v.nodes.map(function (n) {
                  return {target: JSON.stringify(n.target), summary: n.failureSummary || ''}; })};
              })));
            }, function (e) { done(JSON.stringify({error: String(e)})); });
            """
        let text = try await driver.executeAsync(script) as? String ?? "[]"
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8))
        if let e = json as? [String: Any] { throw TestFailure("axe.run failed: \(e["error"] ?? e)") }
        return (json as? [[String: Any]] ?? []).map { v in
            Violation(
                id: v["id"] as? String ?? "", impact: v["impact"] as? String ?? "", help: v["help"] as? String ?? "",
                nodes: (v["nodes"] as? [[String: Any]] ?? []).map { ($0["target"] as? String ?? "", $0["summary"] as? String ?? "") })
        }
    }

    /// Checks the page as it is now: prints every violation (any impact) and records an issue
    /// for each serious or critical one. Returns the violations found.
    @discardableResult
    public static func check(
        _ driver: WebDriver, _ what: String, frame: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [Violation] {
        let found = try await run(driver, frame: frame)
        print("axe: \(what): \(found.count) violation(s)" + found.map { "\n  " + $0.description }.joined())
        for v in found where v.serious {
            Issue.record("\(what): \(v)", sourceLocation: sourceLocation)
        }
        return found
    }
}
