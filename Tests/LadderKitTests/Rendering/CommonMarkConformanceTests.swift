import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// Holds Ladder's tree walk over cmark-gfm to the GFM spec's examples (spec.txt and
/// extensions.txt in ../shared/conformance/commonmark, or LADDER_COMMONMARK): each example's
/// Markdown, rendered in plain style, must give the spec's HTML exactly. Examples are skipped
/// only for a named reason: raw HTML (Ladder shows it as text; cmark's safe mode omits it), and
/// extensions Ladder does not enable (autolink, tag filter, footnotes, task lists).
@Suite struct CommonMarkConformanceTests {
    struct Example: CustomStringConvertible {
        var file: String
        var number: Int
        var line: Int
        var section: String
        var tag: String
        var markdown: String
        var html: String
        var description: String { "\(file) example \(number) (line \(line), \(section))" }
    }

    static var folder: URL? {
        if let env = ProcessInfo.processInfo.environment["LADDER_COMMONMARK"] { return URL(fileURLWithPath: env) }
        let candidate = TestSupport.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance/commonmark")
        return FileManager.default.fileExists(atPath: candidate.appendingPathComponent("spec.txt").path) ? candidate : nil
    }

    /// The spec's example format: a fence of 32 backticks and `example [tag]`, the Markdown, a
    /// line with a single `.`, the HTML, the closing fence; `→` stands for a tab.
    static func examples(in url: URL) throws -> [Example] {
        let fence = String(repeating: "`", count: 32)
        let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        var result: [Example] = []
        var section = ""
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.hasPrefix(fence + " example") {
                let tag = line.dropFirst(fence.count + " example".count).trimmingCharacters(in: .whitespaces)
                var markdown: [String] = []
                var html: [String] = []
                var inHTML = false
                let start = i + 1
                i += 1
                while i < lines.count && lines[i] != fence {
                    if !inHTML && lines[i] == "." { inHTML = true } else if inHTML { html.append(lines[i]) } else { markdown.append(lines[i]) }
                    i += 1
                }
                func text(_ ls: [String]) -> String {
                    ls.map { $0 + "\n" }.joined().replacingOccurrences(of: "→", with: "\t")
                }
                result.append(Example(
                    file: url.lastPathComponent, number: result.count + 1, line: start, section: section, tag: tag,
                    markdown: text(markdown), html: text(html)))
            } else if line.hasPrefix("#"), let space = line.firstIndex(of: " "), line[..<space].allSatisfy({ $0 == "#" }) {
                section = String(line[line.index(after: space)...])
            }
            i += 1
        }
        return result
    }

    static let disabledSections: Set<String> = ["Autolinks", "HTML tag filter", "Footnotes", "Task lists", "Interop"]

    /// Why an example is skipped, or nil when it must pass.
    static func skipReason(_ e: Example) -> String? {
        if !e.tag.isEmpty && e.tag != "table" && e.tag != "strikethrough" {
            return "needs the '\(e.tag)' extension, which Ladder does not enable"
        }
        if e.file == "extensions.txt" && disabledSections.contains(e.section) {
            return "needs the extensions of section '\(e.section)', which Ladder does not enable"
        }
        if Markdown.containsRawHTML(e.markdown) { return "raw HTML: Ladder shows it as text" }
        return nil
    }

    @Test func specExamplesRenderAsTheSpecSays() throws {
        guard let folder = Self.folder else {
            print("skipped: no GFM spec examples (../shared/conformance/commonmark or LADDER_COMMONMARK)")
            return
        }
        var passed = 0
        var skipped: [String: [Int]] = [:]
        for name in ["spec.txt", "extensions.txt"] {
            for e in try Self.examples(in: folder.appendingPathComponent(name)) {
                if let reason = Self.skipReason(e) {
                    skipped["\(name): \(reason)", default: []].append(e.number)
                    continue
                }
                let html = Markdown.renderPlain(e.markdown)
                #expect(html == e.html, "\(e)\n--- markdown\n\(e.markdown)--- expected\n\(e.html)--- got\n\(html)")
                if html == e.html { passed += 1 }
            }
        }
        print("GFM conformance: \(passed) examples pass")
        for (reason, numbers) in skipped.sorted(by: { $0.key < $1.key }) {
            print("  skipped \(numbers.count) (\(reason)): \(numbers.map(String.init).joined(separator: " "))")
        }
        #expect(passed > 500)
    }

    @Test func theParserReadsEveryExample() throws {
        guard let folder = Self.folder else { return }
        let spec = try Self.examples(in: folder.appendingPathComponent("spec.txt"))
        let ext = try Self.examples(in: folder.appendingPathComponent("extensions.txt"))
        #expect(spec.count == 673)
        #expect(ext.count == 28)
    }
}
