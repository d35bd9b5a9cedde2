import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderPackaging
@testable import LadderRendering

/// The page catalogue (Sources/LadderRendering/Strings): complete in every language, and
/// what a curriculum's `language` does to its pages and manifest.
@Suite("Page languages")
struct PageStringsTests {
    // MARK: The catalogue

    /// Read from the files (Sources/LadderRendering/Strings/Catalogue), so a broken file fails
    /// here rather than stopping the first render.
    @Test(arguments: PageLanguage.allCases)
    func everyKeyInEveryLanguageWithTheSamePlaceholders(_ language: PageLanguage) throws {
        let english = try PageStrings.load(.en)
        let table = try PageStrings.load(language)
        #expect(table == PageStrings.table(language))
        for key in PageText.allCases {
            guard let entry = table[key] else {
                Issue.record("\(language.rawValue): no text for \(key.rawValue)")
                continue
            }
            guard let reference = english[key] else {
                Issue.record("en: no text for \(key.rawValue)")
                continue
            }
            switch (reference, entry) {
            case (.plain, .plain), (.plural, .plural): break
            default: Issue.record("\(language.rawValue): \(key.rawValue) must be \(reference) like English (plain or plural)")
            }
            // Form by form: a `one` form may leave out the count ("the behaviour was observed"),
            // as long as every language's does the same.
            for (form, englishForm) in zip(entry.forms, reference.forms) {
                let expected = PageStrings.placeholders(englishForm)
                #expect(!form.trimmingCharacters(in: .whitespaces).isEmpty, "\(language.rawValue): \(key.rawValue) is empty")
                #expect(
                    PageStrings.placeholders(form) == expected,
                    "\(language.rawValue): \(key.rawValue) names \(PageStrings.placeholders(form).sorted()), English \(expected.sorted()): \(form)")
            }
        }
        #expect(Set(table.keys) == Set(PageText.allCases), "\(language.rawValue) has no keys beyond PageText")
    }

    @Test func aCatalogueFileIsReadStrictly() throws {
        let table = try PageStrings.decode(Data(#"{"page.skip": "Skip", "quiz.intro": {"one": "{count} question", "other": "{count} questions"}}"#.utf8))
        #expect(table == [.skipToContent: .plain("Skip"), .quizIntro: .plural(one: "{count} question", other: "{count} questions")])
        for bad in [
            #"{"page.skipp": "Skip"}"#, #"{"quiz.intro": {"one": "a question"}}"#, #"{"quiz.intro": {"one": "a", "other": "b", "few": "c"}}"#,
            #"{"page.skip": 1}"#, #"["page.skip"]"#,
        ] {
            #expect(throws: DecodingError.self, "\(bad)") { try PageStrings.decode(Data(bad.utf8)) }
        }
    }

    @Test func pluralFormsFollowEachLanguagesRule() {
        let values = ["mastery": "80", "count": "0"]
        #expect(PageStrings(.en).text(.quizIntro, count: 0, values).hasPrefix("0 questions."))
        #expect(PageStrings(.fr).text(.quizIntro, count: 0, values).hasPrefix("0\u{00A0}question."), "French: 0 is singular")
        #expect(PageStrings(.es).text(.quizIntro, count: 1, ["count": "1", "mastery": "80"]).hasPrefix("1 pregunta."))
        #expect(PageStrings(.de).text(.quizIntro, count: 2, ["count": "2", "mastery": "80"]).hasPrefix("2 Fragen."))
        #expect(PageStrings(.fr).text(.quizIntro, count: 2, ["count": "2", "mastery": "80"]).hasPrefix("2\u{00A0}questions."))
    }

    @Test func placeholdersAreFilledInOnePass() {
        #expect(PageStrings.fill("{a} and {b}", ["a": "{b}", "b": "x"]) == "{b} and x")
        #expect(PageStrings.fill("Page {page} of {total}", ["page": "2", "total": "3"]) == "Page 2 of 3")
    }

    @Test func tagsResolveByTheirPrimaryLanguage() {
        #expect(PageLanguage(tag: "es") == .es)
        #expect(PageLanguage(tag: "es-MX") == .es)
        #expect(PageLanguage(tag: "FR-ca") == .fr)
        #expect(PageLanguage(tag: "de-CH-1901") == .de)
        #expect(PageLanguage(tag: "pt") == nil)
        #expect(PageLanguage(tag: "es_MX") == nil)
        #expect(PageLanguage(tag: "e") == nil)
        #expect(PageLanguage(tag: "es-") == nil)
    }

    // MARK: Pages

    /// A copy of the sample whose curriculum.yaml says `language: <tag>`; remove it with
    /// `removeCopy`.
    static func copySample(language: String) throws -> URL {
        let root = try TestSupport.copySample()
        let url = root.appendingPathComponent("curriculum.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        try #require(text.components(separatedBy: "\nlanguage: en\n").count == 2, "the sample says language: en once")
        try text.replacingOccurrences(of: "\nlanguage: en\n", with: "\nlanguage: \(language)\n").write(to: url, atomically: true, encoding: .utf8)
        return root
    }

    /// The sample copied with `language` set, loaded, planned and every item rendered.
    static func renderSample(language: String) throws -> [(id: String, html: String)] {
        let root = try copySample(language: language)
        defer { removeCopy(root) }
        let (c, plan) = try TestSupport.loadSample(root)
        #expect(c.language == language)
        let renderer = SCORenderer(curriculum: c, courseTitle: c.title)
        return plan.items.map { ($0.id, String(decoding: renderer.render($0).html, as: UTF8.self)) }
    }

    /// The English catalogue as pages write it (HTML-escaped), that a page in `language` must
    /// not contain, leaving out what that language's own catalogue has too (French "Pages").
    /// A text without placeholders is looked for as a whole element text or attribute value
    /// (`>Observer</`, `"Pages"`; not in table cells, where the sample's Markdown has a
    /// "Next" column): the sample's authored English uses such words too. A text
    /// with placeholders is looked for by its parts between them, those of 12 characters or more.
    static func englishFragments(notIn language: PageLanguage) -> Set<String> {
        let own = Set(PageStrings.table(language).values.flatMap(\.forms))
        func escaped(_ s: String) -> String {
            var out = ""
            HTML.write(s, apostrophe: false, into: &out)
            return out
        }
        var fragments = Set<String>()
        for entry in PageStrings.table(.en).values {
            for form in entry.forms where !own.contains(form) {
                let names = PageStrings.placeholders(form)
                if names.isEmpty {
                    fragments.insert(">" + escaped(form) + "</")
                    fragments.insert("\"" + escaped(form) + "\"")
                    continue
                }
                var text = form
                for name in names { text = text.replacingOccurrences(of: "{\(name)}", with: "\u{0}") }
                for part in text.split(separator: "\u{0}") {
                    let fragment = part.trimmingCharacters(in: .whitespaces)
                    if fragment.count >= 12, !own.contains(where: { $0.contains(fragment) }) { fragments.insert(escaped(fragment)) }
                }
            }
        }
        return fragments
    }

    /// Whether `html` has `fragment` outside table cells (authored Markdown tables).
    static func shows(_ html: String, _ fragment: String) -> Bool {
        func count(_ s: String) -> Int { html.components(separatedBy: s).count - 1 }
        let all = count(fragment)
        guard fragment.hasSuffix("</") else { return all > 0 }
        return all - count(fragment + "td>") - count(fragment + "th>") > 0
    }

    @Test(arguments: ["es", "fr", "de"])
    func pagesInTheCurriculumsLanguageCarryNoEnglishUIText(_ tag: String) throws {
        let language = try #require(PageLanguage(tag: tag))
        let pages = try Self.renderSample(language: tag)
        #expect(pages.count >= 15)
        let fragments = Self.englishFragments(notIn: language)
        #expect(fragments.count > 40)
        let strings = PageStrings(language)
        for (id, html) in pages {
            #expect(html.contains("<html lang=\"\(tag)\">"), "\(id): html lang")
            let kind = try #require(PlanItem.Kind.allCases.first { id.hasSuffix(".\($0.rawValue)") })
            #expect(html.contains(#"<script type="application/json" id="ladder-strings">"# + strings.scriptBlockText(for: kind.rawValue) + "</script>"))
            for fragment in fragments where Self.shows(html, fragment) {
                Issue.record("\(id) (\(tag)) still shows English: \(fragment.debugDescription)")
            }
        }
        // The same scan finds the English text in English pages, so it can fail.
        let english = try Self.renderSample(language: "en")
        let found = Self.englishFragments(notIn: language).filter { f in english.contains { Self.shows($0.html, f) } }
        #expect(found.count >= 15, "the scan finds English UI text in English pages: \(found.count)")
    }

    @Test func aRegionalTagKeepsItsTagAndUsesItsLanguagesText() throws {
        let pages = try Self.renderSample(language: "es-MX")
        let module = try #require(pages.first { $0.id.hasSuffix(".module") })
        #expect(module.html.contains("<html lang=\"es-MX\">"))
        #expect(module.html.contains(">Siguiente</button>"))
        #expect(module.html.contains(#""lang":"es""#))
    }

    // MARK: ladder check

    static func check(language: String) throws -> [Diagnostic] {
        let root = try copySample(language: language)
        defer { removeCopy(root) }
        return CurriculumLoader.load(folder: root.path).diagnostics.sorted.filter { $0.message.contains("language") }
    }

    @Test func anUnsupportedLanguageIsAnErrorAtItsLine() throws {
        let line = try #require(
            try String(contentsOf: TestSupport.sample.appendingPathComponent("curriculum.yaml"), encoding: .utf8)
                .components(separatedBy: "\n").firstIndex(of: "language: en")) + 1
        let diagnostics = try Self.check(language: "pt-BR")
        let d = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(d.severity == .error)
        #expect(d.file.hasSuffix("curriculum.yaml") && d.line == line && d.column > 0)
        #expect(d.message == "language 'pt-BR' is not a language Ladder writes pages in; supported: de, en, es, fr (a regional tag such as es-MX uses its language's text)")
        let malformed = try #require(try Self.check(language: "es_MX").first)
        #expect(malformed.message.hasPrefix("language 'es_MX' is not a BCP 47 language tag; supported: de, en, es, fr"))
        #expect(try Self.check(language: "es-MX").isEmpty)
        #expect(try Self.check(language: "de").isEmpty)
    }

    // MARK: The manifest

    @Test(.enabled(if: TestSupport.schemas != nil, "no SCORM schemas at ../shared/conformance/schemas or $LADDER_SCHEMAS: schema validation skipped"))
    func aSpanishManifestIsSchemaValidAndSaysSpanish() throws {
        let root = try Self.copySample(language: "es")
        defer { removeCopy(root) }
        let (c, plan) = try TestSupport.loadSample(root)
        let schemaURL = try #require(TestSupport.schemas)
        let (out, ledger) = try TestSupport.build(c, plan, tracks: ["onboarding-P1"], lms: .moodle, mode: .track, schemas: schemaURL)
        defer { try? FileManager.default.removeItem(at: out) }
        let schema = try XMLSchema(path: schemaURL.appendingPathComponent("scorm12.xsd").path)
        let entry = try #require(ledger.packages.first)
        let zip = try ZipReader(path: out.appendingPathComponent("customer-service/\(entry.path)").path)
        let data = try #require(try zip.read("imsmanifest.xml"))
        let manifest = try XMLDocument(data: data, name: entry.path)
        #expect(manifest.validate(with: schema) == [], "\(entry.path) is schema-valid")
        let langs = manifest.root.descendants.filter { $0.name == "langstring" }.map {
            $0.attributes.first { $0.name == "lang" && $0.namespace == PackageValidator.xmlNamespace }?.value
        }
        #expect(!langs.isEmpty && langs.allSatisfy { $0 == "es" }, "every langstring is xml:lang=\"es\": \(langs)")
        #expect(try PackageManifest(data: data).language == "es")
        let page = String(decoding: try #require(try zip.read("inform-customers.module/index.html")), as: UTF8.self)
        #expect(page.contains("<html lang=\"es\">"))
    }
}
