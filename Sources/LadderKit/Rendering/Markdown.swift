// TEMPORARY stub until the real renderer lands.
public struct MarkdownDocument: Sendable, Equatable {
    public var html: String
    public var imageSources: [String]
}
public enum Markdown {
    public static func render(_ markdown: String, headingOffset: Int = 0, idPrefix: String = "") -> MarkdownDocument {
        MarkdownDocument(html: markdown, imageSources: [])
    }
}
