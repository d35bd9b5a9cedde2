/// The languages Ladder writes its own page text in (buttons, feedback, "Page 1 of 3",
/// notices). A curriculum's `language` (a BCP 47 tag) picks one by its primary subtag, so
/// `es-MX` pages get the Spanish text; LadderRendering's string catalogue has every case.
public enum PageLanguage: String, Sendable, CaseIterable, Comparable {
    case de, en, es, fr

    /// The language for a well-formed tag whose primary subtag (any case) is supported; nil
    /// otherwise.
    public init?(tag: String) {
        guard Self.isWellFormed(tag), let primary = tag.split(separator: "-").first else { return nil }
        self.init(rawValue: primary.lowercased())
    }

    /// The supported codes, for messages: "de, en, es, fr".
    public static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// A BCP 47 tag's shape (RFC 5646 §2.1, loosely): a 2-3 letter language, then subtags of
    /// 1-8 letters or digits separated by hyphens. Private-use and grandfathered tags are not
    /// accepted: a page language must name a real one.
    public static func isWellFormed(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }

    public static func < (a: PageLanguage, b: PageLanguage) -> Bool { a.rawValue < b.rawValue }
}
