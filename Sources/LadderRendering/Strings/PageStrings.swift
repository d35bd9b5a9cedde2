import Foundation
import LadderCore

/// The text Ladder itself writes into SCO pages, the runtime (ladder.js) and the preview
/// player, in every `PageLanguage`: the one catalogue. Each language's table is data, a JSON
/// file beside this one (`Catalogue/<language>.json`, a resource of this target) that maps a
/// `PageText` key to its text, or to `{"one": …, "other": …}` for a plural; the files are
/// read once, on first use. A test checks that every table has every key, plain or plural as
/// in English, with the same placeholders.
///
/// Placeholders are `{name}`. Text whose words follow a count has a `one` and an `other`
/// form, picked by `PageLanguage.pluralCategory`. The curriculum's own content is never
/// looked up here: it is written in the curriculum's language by its authors.
///
/// The languages' conventions: Spanish is neutral and addresses the learner as tú, as most
/// workplace e-learning does; French addresses the learner as vous, with a no-break space
/// (U+00A0, written `\u00a0` in the file) before `:`, `;`, `?` and `%` and inside guillemets,
/// as French typography wants; German addresses the learner as Sie, with a no-break space
/// before `%`.
package struct PageStrings: Sendable {
    package let language: PageLanguage
    let table: [PageText: CatalogueText]

    package init(_ language: PageLanguage) {
        self.language = language
        table = Self.table(language)
    }

    package static func table(_ language: PageLanguage) -> [PageText: CatalogueText] {
        catalogue[language] ?? [:]
    }

    /// Every language's table, read on first use. The files ship in this target's resource
    /// bundle and a test reads every one, so a missing or malformed file is a defect of
    /// Ladder's build, not of a curriculum: it stops the program with the file and the cause
    /// rather than writing pages that show keys for text.
    static let catalogue: [PageLanguage: [PageText: CatalogueText]] = {
        var tables: [PageLanguage: [PageText: CatalogueText]] = [:]
        for language in PageLanguage.allCases {
            do {
                tables[language] = try load(language)
            } catch {
                fatalError("Ladder's page catalogue Catalogue/\(language.rawValue).json cannot be read: \(error)")
            }
        }
        return tables
    }()

    /// One language's table from its file in the resource bundle.
    package static func load(_ language: PageLanguage) throws -> [PageText: CatalogueText] {
        guard let url = Bundle.module.url(forResource: language.rawValue, withExtension: "json", subdirectory: "Catalogue") else {
            throw RenderingError.missingAsset("Catalogue/\(language.rawValue).json")
        }
        return try decode(Data(contentsOf: url))
    }

    /// A table from a catalogue file's JSON: an object whose keys are `PageText` raw values; a
    /// key that is not one is an error (a misspelt key would otherwise leave its text unused).
    package static func decode(_ json: Data) throws -> [PageText: CatalogueText] {
        var table: [PageText: CatalogueText] = [:]
        for (name, text) in try JSONDecoder().decode([String: CatalogueText].self, from: json) {
            guard let key = PageText(rawValue: name) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "'\(name)' is not a page text key (PageText)"))
            }
            table[key] = text
        }
        return table
    }

    /// The text for `key` with its placeholders filled; a plural text takes its form from
    /// `count`.
    package func text(_ key: PageText, count: Int? = nil, _ values: [String: String] = [:]) -> String {
        let template: String
        switch table[key] ?? .plain(key.rawValue) {
        case .plain(let s): template = s
        case .plural(let one, let other):
            template = language.pluralCategory(count ?? 0) == .one ? one : other
        }
        return Self.fill(template, values)
    }

    /// `text(…)` escaped for HTML text or a double-quoted attribute (apostrophes stay, as the
    /// pages always wrote them).
    package func html(_ key: PageText, count: Int? = nil, _ values: [String: String] = [:]) -> String {
        var out = ""
        HTML.write(text(key, count: count, values), apostrophe: false, into: &out)
        return out
    }

    /// One pass over the template, so a value that itself looks like `{name}` stays as it is.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        guard !values.isEmpty, template.contains("{") else { return template }
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            out += values[name] ?? "{\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// The placeholders a template names, for the completeness test.
    package static func placeholders(_ template: String) -> Set<String> {
        var names = Set<String>()
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// The `<script type="application/json" id="ladder-strings">` block a page of `kind`
    /// (module, assessment, shadowing, or player) carries: the texts its script shows, each
    /// plural as `{"one": …, "other": …}`, and `pluralOne`, the counts below 2 that take the
    /// `one` form (every count from 2 up takes `other` in the supported languages).
    package func scriptBlock(for kind: String) -> ScriptJSON {
        var strings: [String: ScriptJSON] = [:]
        for key in PageText.allCases where key.scripts.contains(kind) {
            switch table[key] ?? .plain(key.rawValue) {
            case .plain(let s): strings[key.rawValue] = .string(s)
            case .plural(let one, let other): strings[key.rawValue] = .object(["one": .string(one), "other": .string(other)])
            }
        }
        return .object([
            "lang": .string(language.rawValue),
            "pluralOne": .array([0, 1].filter { language.pluralCategory($0) == .one }.map { .int($0) }),
            "strings": .object(strings),
        ])
    }

    /// The block as page text (the bytes inside the script element).
    package func scriptBlockText(for kind: String) -> String { scriptBlock(for: kind).text }
}

/// A catalogue entry: one text, or the forms a count chooses between.
package enum CatalogueText: Sendable, Equatable, Decodable {
    case plain(String)
    case plural(one: String, other: String)

    package var forms: [String] {
        switch self {
        case .plain(let s): [s]
        case .plural(let one, let other): [one, other]
        }
    }

    /// A JSON string, or an object with exactly the keys `one` and `other`.
    package init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if let text = try? value.decode(String.self) {
            self = .plain(text)
            return
        }
        let forms = try value.decode([String: String].self)
        guard forms.count == 2, let one = forms["one"], let other = forms["other"] else {
            throw DecodingError.dataCorruptedError(
                in: value, debugDescription: "a plural text has exactly the forms \"one\" and \"other\", not \(forms.keys.sorted())")
        }
        self = .plural(one: one, other: other)
    }
}

extension PageLanguage {
    package enum PluralCategory: Sendable { case one, other }

    /// CLDR's cardinal rule for whole numbers: `one` is 1 in English, Spanish and German, 0
    /// and 1 in French. (CLDR's `many`, for Spanish and French multiples of a million, never
    /// arises for the counts pages show: at most 9999 pages or 1000 questions.)
    package func pluralCategory(_ n: Int) -> PluralCategory {
        switch self {
        case .fr: n == 0 || n == 1 ? .one : .other
        case .en, .es, .de: n == 1 ? .one : .other
        }
    }
}
