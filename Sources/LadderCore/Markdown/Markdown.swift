// Curriculum pages are CommonMark with GitHub's tables and strikethrough, parsed by cmark-gfm
// (Debian's libcmark-gfm, the parser GitHub itself uses). Ladder walks cmark's syntax tree and
// writes the HTML itself, so that the things a page inside an LMS needs are decided on the tree,
// not by patching HTML text afterwards:
// - heading levels are shifted under the page title and get stable, de-duplicated ids;
// - every link and image URL passes one policy (relative, http(s) or mailto only);
// - image sources are rewritten to their packaged paths;
// - raw HTML is never passed through: it shows as the text the author wrote.
// The output depends only on the input; the tree walk is iterative, so deep nesting cannot
// exhaust the stack.

internal import CCmarkGFM

/// A heading found while rendering, in document order, for building a table of contents.
public struct MarkdownHeading: Sendable, Equatable, Hashable {
    /// The level of the rendered HTML element (1–6), after `headingOffset` was applied and clamped.
    public var level: Int
    /// The heading's plain text: formatting removed, escapes and entities resolved, not HTML-escaped.
    public var text: String
    /// The value of the heading's `id` attribute, including the `idPrefix` (not HTML-escaped).
    public var id: String

    /// Creates a heading description.
    public init(level: Int, text: String, id: String) {
        self.level = level
        self.text = text
        self.id = id
    }
}

/// The result of rendering one Markdown document.
public struct MarkdownDocument: Sendable, Equatable {
    /// The rendered body HTML, ending with a newline unless empty.
    public var html: String
    /// The destination of every rendered image, in document order, as the author wrote it
    /// (escapes and entities resolved, no percent-decoding). Images whose source was refused by
    /// the URL policy are not rendered and not listed.
    public var imageSources: [String]
    /// The destination of every rendered link (including autolinks), in document order.
    /// Links refused by the URL policy are rendered as plain text and not listed.
    public var linkTargets: [String]
    /// Every heading, in document order.
    public var headings: [MarkdownHeading]

    /// Creates a rendered document.
    public init(html: String, imageSources: [String], linkTargets: [String], headings: [MarkdownHeading]) {
        self.html = html
        self.imageSources = imageSources
        self.linkTargets = linkTargets
        self.headings = headings
    }
}

/// Renders CommonMark with GitHub tables and strikethrough to HTML, safely.
///
/// Safety: all text is HTML-escaped; raw HTML (blocks and inline tags) is shown as written;
/// link and image URLs must be relative or use `http`, `https` or `mailto` (others lose their
/// link, or for images are not rendered). External links open outside the LMS frame with
/// `rel="noopener noreferrer"`.
public enum Markdown {
    /// Renders `markdown` to HTML.
    ///
    /// - Parameters:
    ///   - markdown: The Markdown source (line endings may be LF, CRLF or CR).
    ///   - headingOffset: Added to every heading level, so that `1` turns `# X` into `<h2>` on a
    ///     page that already has an `<h1>`. Levels are clamped to 1…6.
    ///   - idPrefix: Prepended to every heading `id`. Ids are slugs of the heading text,
    ///     de-duplicated within the document with `-2`, `-3`, … suffixes.
    ///   - imageSource: Maps an image's source (as listed in `imageSources`) to the URL its `src`
    ///     attribute gets, e.g. its path inside a package. Default: the source, URL-escaped.
    /// - Returns: The HTML together with the images, links and headings it contains.
    public static func render(
        _ markdown: String, headingOffset: Int = 0, idPrefix: String = "", imageSource: ((String) -> String)? = nil
    ) -> MarkdownDocument {
        var renderer = MarkdownHTMLRenderer(style: .ladder(headingOffset: headingOffset, idPrefix: idPrefix))
        renderer.imageSource = imageSource
        CmarkTree.parse(markdown) { renderer.render($0) }
        return MarkdownDocument(
            html: renderer.out, imageSources: renderer.imageSources, linkTargets: renderer.linkTargets,
            headings: renderer.headings)
    }

    /// The HTML cmark-gfm's own renderer would write (no heading ids, no link attributes of
    /// Ladder's, every URL allowed), with raw HTML still shown as text. It exists so that the
    /// conformance test can hold the tree walk to the GFM spec's examples.
    package static func renderPlain(_ markdown: String) -> String {
        var renderer = MarkdownHTMLRenderer(style: .plain)
        CmarkTree.parse(markdown) { renderer.render($0) }
        return renderer.out
    }
}

extension Markdown {
    /// Whether the document has raw HTML (blocks or inline tags), which Ladder shows as text.
    package static func containsRawHTML(_ markdown: String) -> Bool {
        var found = false
        CmarkTree.parse(markdown) { root in
            guard let iter = cmark_iter_new(root) else { return }
            defer { cmark_iter_free(iter) }
            while case let event = cmark_iter_next(iter), event != CMARK_EVENT_DONE, !found {
                guard let node = cmark_iter_get_node(iter) else { continue }
                let type = cmark_node_get_type(node)
                found = type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE
            }
        }
        return found
    }
}

/// cmark-gfm's parser with the table and strikethrough extensions, owning the tree for the
/// duration of one call.
package enum CmarkTree {
    /// cmark-gfm registers its core extensions in a process-wide list: once, before any parse.
    private static let registered: Void = cmark_gfm_core_extensions_ensure_registered()

    /// The option set: cmark's defaults (raw HTML is not rendered by cmark itself either).
    static let options = CMARK_OPT_DEFAULT

    static func parse(_ markdown: String, _ body: (OpaquePointer) -> Void) {
        _ = registered
        guard let parser = cmark_parser_new(options) else { fatalError("cmark_parser_new: out of memory") }
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough"] {
            // Both ship inside libcmark-gfm-extensions, which the module map links.
            guard let ext = cmark_find_syntax_extension(name) else { fatalError("cmark-gfm has no '\(name)' extension") }
            cmark_parser_attach_syntax_extension(parser, ext)
        }
        var source = markdown
        source.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { cmark_parser_feed(parser, $0, bytes.count) }
        }
        guard let root = cmark_parser_finish(parser) else { fatalError("cmark_parser_finish: out of memory") }
        defer { cmark_node_free(root) }
        body(root)
    }
}
