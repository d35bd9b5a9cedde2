import LadderCore

/// The text Ladder itself writes into SCO pages, the runtime (ladder.js) and the preview
/// player, in every `PageLanguage`: the one catalogue. Each language's table is in its own
/// file beside this one (`PageStrings+<language>.swift`); a test checks that every table has
/// every key with the same placeholders.
///
/// Placeholders are `{name}`. Text whose words follow a count has a `one` and an `other`
/// form, picked by `PageLanguage.pluralCategory`. The curriculum's own content is never
/// looked up here: it is written in the curriculum's language by its authors.
package struct PageStrings: Sendable {
    package let language: PageLanguage
    let table: [PageText: CatalogueText]

    package init(_ language: PageLanguage) {
        self.language = language
        table = Self.table(language)
    }

    package static func table(_ language: PageLanguage) -> [PageText: CatalogueText] {
        switch language {
        case .en: english
        case .es: spanish
        case .fr: french
        case .de: german
        }
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
package enum CatalogueText: Sendable, Equatable {
    case plain(String)
    case plural(one: String, other: String)

    package var forms: [String] {
        switch self {
        case .plain(let s): [s]
        case .plural(let one, let other): [one, other]
        }
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
