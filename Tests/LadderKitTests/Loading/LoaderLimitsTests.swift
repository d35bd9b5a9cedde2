import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// Files too large, aliases that expand too far, nesting too deep and control characters get a
/// clear error at file:line:column, in words an author can act on (no libyaml internals).
@Suite("Loader limits and control characters")
struct LoaderLimitsTests {
    static let title = "title: Customer Service Representative I\n"

    // MARK: Sizes

    /// Pads a file with a comment line so that it is `bytes` long or more.
    static func pad(_ root: URL, _ relative: String, to bytes: Int, comment: String) throws {
        let text = try read(root, relative)
        try write(root, relative, text + comment + String(repeating: "x", count: max(0, bytes - text.utf8.count)) + "\n")
    }

    @Test func yamlFileOverTheLimitIsRefusedWithTheLimit() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        try Self.pad(root, "levels/P1.yaml", to: 3 * 1024 * 1024, comment: "# ")
        let result = load(root)
        #expect(result.curriculum == nil)
        let d = expectDiagnostic(result, in: root, "levels/P1.yaml", line: 0, contains: "a YAML file may be at most 2 MiB")
        #expect(d?.message.contains("the file is 3.0 MiB") == true, "\(d?.message ?? "")")
    }

    @Test func curriculumYAMLRaisesTheLimitWithinTheCeiling() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        try Self.pad(root, "levels/P1.yaml", to: 3 * 1024 * 1024, comment: "# ")
        try Self.pad(root, "modules/inform-customers/01-opening-the-contact.md", to: 5 * 1024 * 1024, comment: "\n")
        try write(root, "curriculum.yaml", try read(root, "curriculum.yaml") + "limits:\n  yaml_file_kib: 4096\n  markdown_file_kib: 6144\n")
        let result = load(root)
        #expect(result.curriculum != nil, "\(result.diagnostics.sorted.map(\.description))")

        let over = try #require(edit(root, "curriculum.yaml", replace: "yaml_file_kib: 4096", with: "yaml_file_kib: 1000000"))
        let refused = load(root)
        expectDiagnostic(refused, in: root, "curriculum.yaml", line: over.line, contains: "must be between 1 and 65536")
    }

    @Test func markdownPageOverTheLimitIsRefused() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let page = "modules/inform-customers/01-opening-the-contact.md"
        try Self.pad(root, page, to: 4 * 1024 * 1024 + 1, comment: "\n")
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(result, in: root, page, line: 0, contains: "a Markdown page may be at most 4 MiB")
    }

    // MARK: Aliases and nesting

    @Test func aLargeAnchorAliasedManyTimesStopsAtTheBudget() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        // 1 MB of text, aliased 2,000 times: 2 GB once expanded.
        let big = String(repeating: "lorem ipsum ", count: 1_000_000 / 12)
        let aliases = Array(repeating: "*big", count: 2000).joined(separator: ", ")
        let at = try #require(edit(root, "levels/P1.yaml", replace: Self.title, with: "title: &big \"\(big)\"\nnotes: [\(aliases)]\n"))
        let result = load(root)
        #expect(result.curriculum == nil)
        // At the anchored value that is repeated.
        expectDiagnostic(result, in: root, "levels/P1.yaml", line: at.line, contains: "aliases expand this file to more than 16 MiB")
    }

    @Test func nestedAliasesAreCountedWithoutExpandingThem() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        // "Billion laughs": ten lists of ten, nine deep, is 10^9 values once expanded.
        var yaml = "l0: &l0 [" + Array(repeating: "\"lol\"", count: 10).joined(separator: ", ") + "]\n"
        for n in 1...9 { yaml += "l\(n): &l\(n) [" + Array(repeating: "*l\(n - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let at = try #require(edit(root, "levels/P1.yaml", replace: Self.title, with: Self.title + yaml))
        let result = load(root)
        #expect(result.curriculum == nil)
        // At l8, the list whose ten repeats weigh most.
        expectDiagnostic(result, in: root, "levels/P1.yaml", line: at.line + 9, contains: "aliases expand this file to more than")
    }

    @Test func deepNestingSaysSoInPlainWords() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let at = try #require(
            edit(root, "levels/P1.yaml", replace: Self.title, with: Self.title + "deep: " + String(repeating: "[", count: 1200) + "\n"))
        let result = load(root)
        #expect(result.curriculum == nil)
        let d = expectDiagnostic(result, in: root, "levels/P1.yaml", line: at.line + 1, contains: "nested too deeply")
        #expect(d?.message.contains("yaml_set_max_nest_level") == false)
    }

    // MARK: Control characters

    static func controlError(_ result: LoadResult) -> [Diagnostic] {
        result.diagnostics.all.filter { $0.message.contains("control character") }
    }

    @Test(arguments: [("\u{1B}[31m", "U+001B (ESC, escape)"), ("\u{01}", "U+0001"), ("\u{00}", "U+0000 (NUL)"), ("\u{7F}", "U+007F (DEL"), ("\u{9B}", "U+009B")])
    func rawControlCharacterInAPageIsRefusedAtItsPosition(character: String, name: String) throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let page = "modules/inform-customers/01-opening-the-contact.md"
        let at = try #require(edit(root, page, replace: "The first thirty seconds", with: "The first \(character)thirty seconds"))
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(result, in: root, page, line: at.line, column: at.column + "The first ".count, contains: name)
    }

    @Test(arguments: [("\u{1B}", "U+001B"), ("\u{01}", "U+0001"), ("\u{00}", "U+0000 (NUL)")])
    func rawControlCharacterInYAMLIsRefusedAtItsPosition(character: String, name: String) throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let at = try #require(edit(root, "levels/P1.yaml", replace: Self.title, with: "title: Customer\(character) Service Representative I\n"))
        let result = load(root)
        #expect(result.curriculum == nil)
        let d = expectDiagnostic(
            result, in: root, "levels/P1.yaml", line: at.line, column: at.column + "title: Customer".count, contains: name)
        #expect(d?.message.contains("is not allowed") == true)
        #expect(Self.controlError(result).count == 1, "one message for one character, NUL or not")
    }

    @Test(arguments: ["\\e[2J", "\\x01", "\\0", "\\u009B"])
    func escapedControlCharacterInAYAMLValueIsRefused(escape: String) throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let at = try #require(edit(root, "levels/P1.yaml", replace: Self.title, with: "title: \"Customer \(escape) Service\"\n"))
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(result, in: root, "levels/P1.yaml", line: at.line, column: at.column + "title: ".count, contains: "control character")
    }

    @Test func escapedControlCharacterInPageFrontMatterIsRefusedAtItsFileLine() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let page = "modules/inform-customers/01-opening-the-contact.md"
        let at = try #require(edit(root, page, replace: "title: Opening the contact", with: "title: \"Opening \\e[5m the contact\""))
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(result, in: root, page, line: at.line, column: at.column + "title: ".count, contains: "U+001B")
    }

    @Test(arguments: ["&#27;", "&#x1b;", "&#X9B;", "&#0000001;"])
    func characterReferenceToAControlCharacterInAPageIsRefused(reference: String) throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let page = "modules/inform-customers/01-opening-the-contact.md"
        let at = try #require(edit(root, page, replace: "The first thirty seconds", with: "The first \(reference)thirty seconds"))
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(result, in: root, page, line: at.line, column: at.column + "The first ".count, contains: reference)
    }

    @Test func tabsAndLineBreaksAreNotControlCharactersHere() throws {
        for u: Unicode.Scalar in ["\t", "\n", "\r", " ", "é", "\u{A0}"] { #expect(!ControlCharacters.isRefused(u)) }
        for v: UInt32 in [0, 1, 8, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F, 0x80, 0x85, 0x9F] {
            #expect(ControlCharacters.isRefused(Unicode.Scalar(v)!))
        }
    }

    @Test func controlCharacterInACohortIsRefused() throws {
        let result = load(TestSupport.sample)
        let c = try #require(result.curriculum)
        let text = "learner_id,name,current_level,target_level\namara,Amara\u{1B}]0;pwned\u{07},P1,P2\n"
        let r = LearnerProfileLoader.parse(text: text, format: .csv, displayPath: "c.csv", curriculum: c)
        #expect(r.profiles.isEmpty)
        #expect(r.diagnostics.all.contains { $0.line == 2 && $0.column == 12 && $0.message.contains("U+001B") }, "\(r.diagnostics.sorted)")
    }
}
