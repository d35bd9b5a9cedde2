import Foundation
import Testing

@testable import LadderCore

/// The loader's faster text operations (issue 15, point 3) give what the code they replaced
/// gave: Foundation's trimming, the line-array front matter split, the rendered document's
/// image list.
struct FastLoadingTests {
    @Test func whitespaceSetsAreFoundationsForEveryScalar() {
        var differ: [String] = []
        for v in UInt32(0)...0x10FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            if TextScan.isWhitespaceOrNewline(u) != CharacterSet.whitespacesAndNewlines.contains(u) { differ.append("whitespacesAndNewlines U+\(String(v, radix: 16))") }
            if TextScan.isWhitespace(u) != CharacterSet.whitespaces.contains(u) { differ.append("whitespaces U+\(String(v, radix: 16))") }
        }
        #expect(differ.isEmpty, "\(differ.prefix(20))")
    }

    static let texts = [
        "", " ", "a", " a ", "\n\t a b \r\n", "\u{00A0}x\u{2003}", "\u{3000}\u{85}y\u{2028}", " \u{301}e ", "é\u{301} ",
        "\r\n", "x\r\n\r\n", "\u{1F600} ", "\u{200B}a\u{200B}", "\u{FEFF}a", " \u{180E} ",
    ]

    @Test func trimmingIsFoundations() {
        for t in Self.texts {
            #expect(TextScan.trimmed(t) == t.trimmingCharacters(in: .whitespacesAndNewlines), "\(Array(t.unicodeScalars))")
            #expect(TextScan.trimmed(t).unicodeScalars.elementsEqual(t.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars))
            #expect(TextScan.isBlank(t) == t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
            #expect(String(TextScan.trimmedSpaces(Substring(t))) == t.trimmingCharacters(in: .whitespaces))
        }
    }

    /// The split as it was written before (lines as `Character`s, joined again).
    static func oldSplit(_ text: String) -> FrontMatter.Parts {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else { return .init(yaml: nil, body: text, bodyLine: 1) }
        guard let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
            return .init(yaml: nil, body: text, bodyLine: 1)
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        lines = Array(lines[(end + 1)...])
        return .init(yaml: yaml, body: lines.joined(separator: "\n"), bodyLine: end + 2)
    }

    @Test func frontMatterSplitsAsBefore() {
        let pages = [
            "", "---", "---\n", "---\n---", "---\n---\n", "---\ntitle: A\n---\nBody\n", " --- \t\ntitle: A\n\t---\u{00A0}\n\nBody",
            "---\r\ntitle: A\r\n---\r\nBody\r\n", "---\ntitle: A\r\n---\nBody\r", "---\ntitle: A\n---\r", "---\ntitle: A\n---",
            "--- \ntitle: A\nno end\n", "----\ntitle: A\n---\nx", "x\n---\ny\n---\n", "---\n\n---\n\n\n# H\n\nText\n\n",
            "---\ntitle: A\n---\nBody\n\r", "---\ntitle: é\n---\n\u{301}Body", "---\u{301}\ntitle: A\n---\nB", "\u{FEFF}---\na: 1\n---\nb",
            "---\ntitle: A\nminutes: 3\n---\n# T\n---\nmore\n",
        ]
        for p in pages {
            let new = FrontMatter.split(p)
            let old = Self.oldSplit(p)
            #expect(new.yaml == old.yaml && new.body == old.body && new.bodyLine == old.bodyLine, "\(p.debugDescription): \(new) vs \(old)")
            #expect(new.body.unicodeScalars.elementsEqual(old.body.unicodeScalars), "\(p.debugDescription)")
        }
    }

    @Test func imageSourcesAreTheRenderedOnes() {
        let docs = [
            "![a](images/a.png) text ![b](b.jpg \"t\")", "![x](javascript:alert(1)) ![y](https://e.x/y.png)", "[![in](i.png)](l.html)",
            "![outer ![inner](in.png)](out.png)", "| a |\n|---|\n| ![c](c.png) |\n", "<img src=x.png>", "![](data:image/png;base64,AA)",
            "![s](sp%20ace.png) ![q](q.png?x=1#f)",
        ]
        for d in docs {
            #expect(Markdown.imageSources(d) == Markdown.render(d).imageSources, "\(d)")
        }
    }

    @Test func lineIndexCountsAsBefore() {
        for (needle, text) in [("(b.png", "a\r\nb\n(b.png"), ("(x", "no"), ("(é", "a\n(é"), ("(c", "\n\n\r\n(c")] {
            let old: Int = text.range(of: needle).map { r in text[..<r.lowerBound].filter { $0 == "\n" }.count } ?? 0
            #expect(CurriculumLoader.lineIndex(of: needle, in: text) == old, "\(needle) in \(text.debugDescription)")
        }
    }

    @Test func controlCharacterPrecheckMissesNothing() {
        for v in UInt32(0)...0x2FF {
            guard let u = Unicode.Scalar(v) else { continue }
            let text = "ab" + String(Character(u)) + "cd"
            #expect(ControlCharacters.mayHoldRefused(text) || !ControlCharacters.isRefused(u), "U+\(String(v, radix: 16))")
        }
        #expect(!ControlCharacters.mayHoldRefused("plain\ttext\r\nwith é and \u{A0}"))
    }

    @Test func relativePathProblemsAsBefore() {
        func old(_ s: String) -> String? {
            if s.isEmpty { return "the path is empty" }
            if s.hasPrefix("/") || s.hasPrefix("~") { return "'\(s)' is absolute; write it relative to the curriculum folder" }
            if s.contains("\\") { return "'\(s)' contains a backslash; separate folders with '/'" }
            if s.split(separator: "/", omittingEmptySubsequences: false).contains("..") { return "'\(s)' leaves the curriculum folder" }
            if s.contains(":") { return "'\(s)' is not a relative path" }
            return nil
        }
        let paths = [
            "", "a", "a/b.md", "/a", "~a", "a\\b", "..", "../a", "a/..", "a/../b", "a/...", "a/..b", "..a/b", "a//b", "a/./b", "a:b", "c:/x",
            "a/.", "./..", "é/../b", "e\u{301}/..", "../\u{301}", "a/..\u{301}/b", "a\r\n..", "a/..\r\n/b", "日本/x.md", "x\u{301}:y", ":",
        ]
        for p in paths { #expect(RelativePath.problem(p) == old(p), "\(p.debugDescription)") }
    }

    /// `FileReader.isPlain` (one pass over the bytes) says what the string tests it replaced
    /// said, and a plain path joins as URL joins it.
    @Test func plainRelativePathsAsBefore() {
        func before(_ r: String) -> Bool {
            !r.isEmpty && !r.hasSuffix("/") && !r.hasPrefix("/") && !r.contains("//") && !r.hasPrefix("./") && !r.contains("/./") && r != "."
        }
        let paths = [
            "", ".", "..", "./", "/", "//", "a", "a/", "/a", "a//b", "./a", "a/./b", "a/.", "a/..", "../a", ".a", "a/.b", "a./b",
            ".hidden/x.md", "modules/r00001/01-overview.md", "modules/r00001/images/fig 1.png", "a/b/./", "é/ü.md", "a/../b", "...",
            "a/.../b", "./.", "./..", "x/./", "modules/r00001//x.md",
        ]
        let root = URL(fileURLWithPath: "/tmp/some folder", isDirectory: true)
        for p in paths {
            #expect(FileReader.isPlain(p) == before(p), "\(p)")
            if FileReader.isPlain(p) {
                #expect(FileReader.path(p, in: root) == root.appendingPathComponent(p).path, "\(p)")
                #expect(FileReader.path(p, in: root, rootPath: root.path) == root.appendingPathComponent(p).path, "\(p)")
            }
        }
    }

    /// A page's folder and its images' files (`PagePaths`) are what NSString gave for them,
    /// plain paths joined as text and every other through NSString.
    @Test func pageFoldersAndImageSourcesAsBefore() {
        func folderBefore(_ r: String) -> String { (r as NSString).deletingLastPathComponent }
        func sourceBefore(_ src: String, _ folder: String) -> String? {
            if src.contains(":") || src.hasPrefix("//") { return nil }
            let clean = String(src.split(separator: "#", omittingEmptySubsequences: false)[0].split(separator: "?", omittingEmptySubsequences: false)[0])
            return ((folder as NSString).appendingPathComponent(clean) as NSString).standardizingPath
        }
        let pages = [
            "modules/r00001/01-overview.md", "overview.md", "modules/a//b.md", "modules/./a/b.md", "modules/a/../b.md", "a/b/",
            "~x/a.md", "modules/é/a.md", "modules/.../a.md", "modules/.h/a.md", "/abs/a.md", "", "a/.", "..",
        ]
        let sources = [
            "images/flow.png", "flow.png", "images/flow.png?v=2#top", "images//flow.png", "./images/flow.png", "images/./a.png",
            "../shared/a.png", "images/../a.png", "images/", "/abs.png", "~/a.png", "https://example.org/a.png", "//cdn/a.png",
            "data:image/png;base64,AA", "images/fig 1.png", "images/é.png", "images/.../a.png", ".a.png", "a..png", "#only", "?q", "",
            "images/a.png/", "...", "..", ".",
        ]
        var compared = 0
        for page in pages {
            #expect(PagePaths.folder(of: page) == folderBefore(page), "\(page.debugDescription)")
            let folder = folderBefore(page)
            for src in sources {
                #expect(PagePaths.imageSource(src, folder: folder) == sourceBefore(src, folder), "\(src.debugDescription) in \(folder.debugDescription)")
                compared += 1
            }
        }
        #expect(PagePaths.isPlain("modules/r00001/images/flow.png") && !PagePaths.isPlain("modules/../x") && PagePaths.isPlain("a/.../b"))
        #expect(compared == pages.count * sources.count)
    }
}
