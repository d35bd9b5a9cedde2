import Foundation
import TestSupport
import Testing

@testable import LadderCore

/// Ladder's composer (issue 15: `ladder check` under 2 s CPU) gives the tree Yams's composer
/// gives, or leaves the text to Yams: never a different tree.
struct YAMLComposerTests {
    /// Same kind, text, style, tag and line and column at every node. A key's tag is left out:
    /// Yams resolves its keys' tags in place (its duplicate check hashes them) and Ladder reads
    /// no key's tag.
    static func differences(_ a: Node?, _ b: Node?, at path: String = "", isKey: Bool = false) -> [String] {
        switch (a, b) {
        case (nil, nil): return []
        case (let a?, let b?):
            guard a.mark == b.mark else { return ["\(path): mark \(a.mark) vs \(b.mark)"] }
            switch (a, b) {
            case (.scalar(let x), .scalar(let y)):
                var out: [String] = []
                if !x.string.unicodeScalars.elementsEqual(y.string.unicodeScalars) { out.append("\(path): \(x.string.debugDescription) vs \(y.string.debugDescription)") }
                if x.style != y.style { out.append("\(path): style \(x.style) vs \(y.style)") }
                if !isKey, x.tag != y.tag { out.append("\(path): tag '\(x.tag)' vs '\(y.tag)'") }
                return out
            case (.sequence(let x, _), .sequence(let y, _)):
                guard x.count == y.count else { return ["\(path): \(x.count) vs \(y.count) items"] }
                return zip(x, y).enumerated().flatMap { differences($1.0, $1.1, at: "\(path)[\($0)]") }
            case (.mapping(let x, _), .mapping(let y, _)):
                guard x.count == y.count else { return ["\(path): \(x.count) vs \(y.count) pairs"] }
                return zip(x, y).enumerated().flatMap { i, p in
                    differences(p.0.key, p.1.key, at: "\(path).key\(i)", isKey: true) + differences(p.0.value, p.1.value, at: "\(path).\(p.0.key.text ?? "?")")
                }
            default: return ["\(path): \(a.kindName) vs \(b.kindName)"]
            }
        default: return ["\(path): one tree is empty"]
        }
    }

    /// The composer's tree, checked against Yams's; nil when the composer left the text to Yams.
    static func composedLikeYams(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Node?? {
        guard case .composed(let root, let size) = YAMLComposer.compose(text) else { return nil }
        do {
            let yams = try YAMLDocument.composeNotingRepeats(text)
            #expect(yams.repeatsRuledOut || text.contains("!"), "\(text.debugDescription)", sourceLocation: sourceLocation)
            let diff = differences(root, yams.root)
            #expect(diff.isEmpty, "\(text.debugDescription): \(diff.prefix(5))", sourceLocation: sourceLocation)
            var nodes = 0
            var bytes = 0
            root?.visitEveryNode { n in
                nodes += 1
                bytes += n.text?.utf8.count ?? 0
            }
            if !text.contains("*") { #expect(size.nodes == nodes && size.bytes == bytes, sourceLocation: sourceLocation) }
        } catch {
            Issue.record("Ladder's composer took a text Yams refuses: \(text.debugDescription): \(error)", sourceLocation: sourceLocation)
        }
        return .some(root)
    }

    static let ordinary = [
        "", "# only a comment\n", "---\n", "---\na: 1\n...\n", "title: A\nminutes: 3\n", "a: 1\r\nb: 2\r\n", "k: v # c\n",
        "a: 'q'\nb: \"d\\n\"\nc: |\n  lit\n  x\nd: >\n  folded\n  y\ne: |-\n  keep\n", "- 1\n- [a, b]\n- {x: 1, y: ~}\n- []\n- {}\n",
        "a:\nb: null\nc: ~\nd: ''\ne: \"\"\nf: Null\n", "x: &a [1, 2]\ny: *a\nz: *a\n", "x: &s v\ny: *s\n", "x: &a 1\ny: &a 2\nz: *a\n",
        "m: &m {k: v}\nn: [*m, *m]\n", "a: !!str 1\nb: !custom x\nc: !!int \"3\"\nd: !!null ''\ne: ! x\n", "é: \"\\u00e9\\uFEFF\"\nf: \"\\uFEFFx\"\ng: \u{FEFF}y\nh: \"\\uFEFF\\uFEFFz\"\ni: \"\\uFEFF\"\n",
        "'quoted key': 1\n\"dq\": 2\nplain: 3\n", "a:\n  - b: 1\n    c: 2\n  - b: 3\n", "a: 日本語 \u{1F600}\nb: \"\\t\\0\"\nc: \"\\x41\\e\"\n",
        "? simple\n: v\n", "a: 1\nA: 2\n", "text: \"line\\\n  joined\"\nplain: many\n  lines\n  here\n",
        "- - - deep\n", "{a: 1, b: [x, {c: d}]}", "[1, 2, 3]", "plain scalar", "'just quoted'", "|\n  block\n",
        (0..<40).map { "k\($0): \($0)" }.joined(separator: "\n"), "a: 'it''s'\nb: \"q\\\"q\"\n", "# tab\tinside\na: b\t# c\n",
    ]

    @Test func ordinaryTextsComposeHereAndLikeYams() {
        for text in Self.ordinary {
            #expect(Self.composedLikeYams(text) != nil, "left to Yams: \(text.debugDescription)")
        }
    }

    /// Errors, repeats and keys Yams compares whole: Yams's own outcome, diagnostics and all.
    @Test func unusualTextsAreLeftToYams() {
        let unusual = [
            "a: 1\na: 2\n", "a: 1\n'a': 2\n", "é: 1\ne\u{301}: 2\n", "x:\n  a: 1\n  b: 2\n  a: 3\n",
            (0..<40).map { "k\($0): \($0)" }.joined(separator: "\n") + "\nk7: again\n", "? [a]\n: 1\n", "? {a: 1}\n: 2\n",
            "x: *undefined\n", "a: [\n", "a: b: c\n", "a: 1\n---\nb: 2\n", "&k a: 1\nb: *k\n", "x: &v k\n*v : 1\n",
            "  a: 1\n b: 2\n", "x: &a [*a]\n", "\"a\\q\": 1\n", "1: a\n'1': b\n", "\t# tab comment\na: b\n",
        ]
        for text in unusual {
            guard case .needsYams = YAMLComposer.compose(text) else {
                Issue.record("composed: \(text.debugDescription)")
                continue
            }
        }
    }

    /// Every YAML file and every page's front matter of the sample.
    @Test func theSampleComposesHereAndLikeYams() throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: TestSupport.sample.path).sorted()
        var yaml = 0
        for relative in files where relative.hasSuffix(".yaml") || relative.hasSuffix(".md") {
            let text = try String(contentsOf: TestSupport.sample.appendingPathComponent(relative), encoding: .utf8)
            guard let source = relative.hasSuffix(".md") ? FrontMatter.split(text).yaml : text else { continue }
            #expect(Self.composedLikeYams(source) != nil, "left to Yams: \(relative)")
            yaml += 1
        }
        #expect(yaml > 50)
    }

    /// What a file says, and the tree it gives, are those of Yams composing every text.
    @Test func parsingGivesWhatYamsAloneGave() {
        let broken = [
            "a: [\n", "a: b: c\n", "title: x\n  bad: indent\n", "a: 1\na: 2\nb:\n  c: 1\n  c: 2\n", "x: *nope\n", "a: 1\n---\nb: 2\n",
            "? [a]\n: 1\n? [a]\n: 2\n", "&k a: 1\n&k a: 2\n", "\"\": 1\n\"\": 2\n", "a: \"\\e\"\n", "a: 1\n'a': 2\n", "a: \u{1B}\n",
            "x: &a [1, 2]\ny: [*a, *a, *a]\n", "!!str a: 1\n!!str a: 2\n",
        ]
        for text in Self.ordinary + broken {
            var fast = Diagnostics()
            var yams = Diagnostics()
            let a = YAMLDocument.parse(text: text, displayPath: "f.yaml", lineOffset: 2, composer: true, into: &fast)
            let b = YAMLDocument.parse(text: text, displayPath: "f.yaml", lineOffset: 2, composer: false, into: &yams)
            #expect(fast.all == yams.all, "\(text.debugDescription)")
            let diff = Self.differences(a, b)
            #expect(diff.isEmpty, "\(text.debugDescription): \(diff.prefix(5))")
        }
    }
}
