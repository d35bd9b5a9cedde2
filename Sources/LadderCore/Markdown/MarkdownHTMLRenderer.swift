internal import CCmarkGFM

/// Walks a cmark-gfm tree and writes HTML in cmark's own shape (so the GFM spec's examples hold),
/// plus what Ladder adds in `.ladder` style: heading ids and offsets, the URL policy, image
/// rewriting, lazy images and external links that leave the LMS frame alone.
package struct MarkdownHTMLRenderer {
    enum Style {
        case ladder(headingOffset: Int, idPrefix: String)
        /// cmark's HTML: no ids, no extra attributes, every URL kept.
        case plain
    }

    let style: Style
    var imageSource: ((String) -> String)?
    private(set) var out = ""
    private(set) var imageSources: [String] = []
    private(set) var linkTargets: [String] = []
    private(set) var headings: [MarkdownHeading] = []
    private var slugs = HeadingSlugs()
    /// One entry per open link: whether its `<a>` was written (a refused link keeps its text only).
    private var openLinks: [Bool] = []
    /// Table state: cell alignments, whether the current row is the header, the cell index.
    private var alignments: [UInt8] = []
    private var inHeaderRow = false
    private var cellIndex = 0
    private var bodyOpen = false

    init(style: Style) { self.style = style }

    private var isLadder: Bool { if case .ladder = style { return true } else { return false } }

    mutating func render(_ root: OpaquePointer) {
        guard let iter = cmark_iter_new(root) else { fatalError("cmark_iter_new: out of memory") }
        defer { cmark_iter_free(iter) }
        while true {
            let event = cmark_iter_next(iter)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iter) else { continue }
            let entering = event == CMARK_EVENT_ENTER
            if entering, skipsChildren(node) {
                // Images and code are written whole on entry; jump past their children.
                cmark_iter_reset(iter, node, CMARK_EVENT_EXIT)
                continue
            }
            visit(node, entering: entering)
        }
    }

    /// Nodes whose whole subtree is written when entered.
    private mutating func skipsChildren(_ node: OpaquePointer) -> Bool {
        guard cmark_node_get_type(node) == CMARK_NODE_IMAGE else { return false }
        image(node)
        return true
    }

    // MARK: Nodes

    private mutating func visit(_ node: OpaquePointer, entering: Bool) {
        let type = cmark_node_get_type(node)
        switch type {
        case CMARK_NODE_DOCUMENT:
            break
        case CMARK_NODE_PARAGRAPH:
            // Paragraphs directly in the items of a tight list are written without <p>.
            if inTightList(node) { return }
            if entering { cr(); out += "<p>" } else { out += "</p>\n" }
        case CMARK_NODE_HEADING:
            heading(node, entering: entering)
        case CMARK_NODE_THEMATIC_BREAK:
            cr(); out += "<hr />\n"
        case CMARK_NODE_BLOCK_QUOTE:
            cr(); out += entering ? "<blockquote>\n" : "</blockquote>\n"
        case CMARK_NODE_LIST:
            list(node, entering: entering)
        case CMARK_NODE_ITEM:
            if entering { cr(); out += "<li>" } else { out += "</li>\n" }
        case CMARK_NODE_CODE_BLOCK:
            codeBlock(node)
        case CMARK_NODE_HTML_BLOCK:
            // Raw HTML is never passed through: it reads as the text the author wrote.
            cr(); out += "<p>"; escape(literal(node).trimmingSuffixNewlines); out += "</p>\n"
        case CMARK_NODE_CUSTOM_BLOCK, CMARK_NODE_CUSTOM_INLINE:
            break
        case CMARK_NODE_TEXT:
            escape(literal(node))
        case CMARK_NODE_SOFTBREAK:
            out += "\n"
        case CMARK_NODE_LINEBREAK:
            out += "<br />\n"
        case CMARK_NODE_CODE:
            out += "<code>"; escape(literal(node)); out += "</code>"
        case CMARK_NODE_HTML_INLINE:
            escape(literal(node))
        case CMARK_NODE_EMPH:
            out += entering ? "<em>" : "</em>"
        case CMARK_NODE_STRONG:
            out += entering ? "<strong>" : "</strong>"
        case CMARK_NODE_LINK:
            link(node, entering: entering)
        default:
            extensionNode(node, entering: entering)
        }
    }

    /// Table and strikethrough nodes, whose types the extensions register at run time.
    private mutating func extensionNode(_ node: OpaquePointer, entering: Bool) {
        switch String(cString: cmark_node_get_type_string(node)) {
        case "strikethrough":
            out += entering ? "<del>" : "</del>"
        case "table":
            if entering {
                let columns = Int(cmark_gfm_extensions_get_table_columns(node))
                let raw = cmark_gfm_extensions_get_table_alignments(node)
                alignments = (0..<columns).map { raw?[$0] ?? 0 }
                bodyOpen = false
                cr(); out += "<table>\n"
            } else {
                out += bodyOpen ? "</tbody>\n</table>\n" : "</table>\n"
            }
        case "table_header", "table_row":
            let header = cmark_gfm_extensions_get_table_row_is_header(node) != 0
            if entering {
                inHeaderRow = header
                cellIndex = 0
                if header { out += "<thead>\n" } else if !bodyOpen { out += "<tbody>\n"; bodyOpen = true }
                out += "<tr>\n"
            } else {
                out += header ? "</tr>\n</thead>\n" : "</tr>\n"
            }
        case "table_cell":
            let tag = inHeaderRow ? "th" : "td"
            if entering {
                let align = cellIndex < alignments.count ? alignments[cellIndex] : 0
                let side: String? = switch align {
                case UInt8(ascii: "l"): "left"
                case UInt8(ascii: "c"): "center"
                case UInt8(ascii: "r"): "right"
                default: nil
                }
                // HTML5 pages use CSS for alignment; the plain style keeps cmark's `align`.
                if let side { out += isLadder ? "<\(tag) style=\"text-align:\(side)\">" : "<\(tag) align=\"\(side)\">" } else { out += "<\(tag)>" }
            } else {
                out += "</\(tag)>\n"
                cellIndex += 1
            }
        default:
            break  // no other extension is attached
        }
    }

    private mutating func heading(_ node: OpaquePointer, entering: Bool) {
        var level = Int(cmark_node_get_heading_level(node))
        if case .ladder(let offset, _) = style { level = min(6, max(1, level + offset)) }
        guard entering else { out += "</h\(level)>\n"; return }
        cr()
        guard case .ladder(_, let prefix) = style else { out += "<h\(level)>"; return }
        let text = plainText(node)
        let id = prefix + slugs.unique(for: text)
        headings.append(MarkdownHeading(level: level, text: text, id: id))
        out += "<h\(level) id=\""; escape(id); out += "\">"
    }

    private mutating func list(_ node: OpaquePointer, entering: Bool) {
        let ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
        guard entering else { out += ordered ? "</ol>\n" : "</ul>\n"; return }
        cr()
        let start = Int(cmark_node_get_list_start(node))
        if !ordered { out += "<ul>\n" } else if start == 1 { out += "<ol>\n" } else { out += "<ol start=\"\(start)\">\n" }
    }

    private mutating func codeBlock(_ node: OpaquePointer) {
        cr()
        out += "<pre><code"
        // The first word of the info string names the language. Ladder keeps a conservative
        // character set, so it can never leave the class attribute; plain style keeps cmark's.
        let info = cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
        let word = info.prefix { $0 != " " && $0 != "\t" }
        let language = isLadder ? String(word.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) : String(word)
        if !language.isEmpty { out += " class=\"language-"; escape(language); out += "\"" }
        out += ">"; escape(literal(node)); out += "</code></pre>\n"
    }

    private mutating func link(_ node: OpaquePointer, entering: Bool) {
        guard entering else {
            if openLinks.popLast() == true { out += "</a>" }
            return
        }
        let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
        let kind = isLadder ? URLKind(url) : .relative
        guard kind != .refused else { openLinks.append(false); return }
        openLinks.append(true)
        linkTargets.append(url)
        out += "<a href=\""; escapeHref(url); out += "\""
        title(node)
        // Pages run inside the LMS: an external page must not get a handle on it.
        if kind == .external { out += " rel=\"noopener noreferrer\" target=\"_blank\"" }
        out += ">"
    }

    private mutating func image(_ node: OpaquePointer) {
        let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
        if isLadder, URLKind(url) == .refused { return }
        imageSources.append(url)
        out += "<img src=\""
        if let imageSource { escape(imageSource(url)) } else { escapeHref(url) }
        out += "\" alt=\""; escape(plainText(node)); out += "\""
        title(node)
        out += isLadder ? " loading=\"lazy\" />" : " />"
    }

    private mutating func title(_ node: OpaquePointer) {
        guard let raw = cmark_node_get_title(node), raw.pointee != 0 else { return }
        out += " title=\""; escape(String(cString: raw)); out += "\""
    }

    // MARK: Helpers

    /// True for a paragraph that is a direct child of an item of a tight list.
    private func inTightList(_ paragraph: OpaquePointer) -> Bool {
        guard let item = cmark_node_parent(paragraph), cmark_node_get_type(item) == CMARK_NODE_ITEM,
            let list = cmark_node_parent(item)
        else { return false }
        return cmark_node_get_list_tight(list) != 0
    }

    private func literal(_ node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    /// The text of a subtree without markup (for alt text and heading ids); line breaks are spaces.
    private func plainText(_ node: OpaquePointer) -> String {
        guard let iter = cmark_iter_new(node) else { return "" }
        defer { cmark_iter_free(iter) }
        var text = ""
        while case let event = cmark_iter_next(iter), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let child = cmark_iter_get_node(iter) else { continue }
            switch cmark_node_get_type(child) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE: text += literal(child)
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: text += " "
            default: break
            }
        }
        return text
    }

    private mutating func cr() {
        if let last = out.utf8.last, last != UInt8(ascii: "\n") { out += "\n" }
    }

    /// cmark's text escaping: `&`, `<`, `>` and `"`.
    private mutating func escape(_ s: String) { HTML.write(s, apostrophe: false, into: &out) }

    /// cmark's href escaping: URL-safe ASCII kept, `&` and `'` as entities, the rest %XX.
    private mutating func escapeHref(_ url: String) {
        for b in url.utf8 {
            switch b {
            case UInt8(ascii: "&"): out += "&amp;"
            case UInt8(ascii: "'"): out += "&#x27;"
            case _ where Self.hrefSafe(b): out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(b >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(b & 15)]))
            }
        }
    }

    private static func hrefSafe(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%()*+,-./:;=?@_~".utf8.contains(b)
        }
    }
}

private extension String {
    var trimmingSuffixNewlines: String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}

/// GitHub-style heading ids, unique within one document.
package struct HeadingSlugs {
    private var used: Set<String> = []
    private var nextSuffix: [String: Int] = [:]

    /// Lowercase letters, digits and marks (any script) joined by hyphens.
    static func slug(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingHyphen = false
        for scalar in text.lowercased().unicodeScalars {
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
                if pendingHyphen && !result.isEmpty { result.append("-") }
                pendingHyphen = false
                result.append(scalar)
            case .spaceSeparator, .dashPunctuation, .connectorPunctuation:
                pendingHyphen = true
            default:
                break  // other punctuation and symbols are dropped, as GitHub does
            }
        }
        return result.isEmpty ? "section" : String(result)
    }

    mutating func unique(for text: String) -> String {
        let base = Self.slug(text)
        // Remembering the next free suffix per slug keeps many equal headings linear.
        var suffix = nextSuffix[base] ?? 1
        var candidate = suffix == 1 ? base : "\(base)-\(suffix)"
        while used.contains(candidate) {
            suffix += 1
            candidate = "\(base)-\(suffix)"
        }
        nextSuffix[base] = suffix + 1
        used.insert(candidate)
        return candidate
    }
}

/// Which URLs a page may link to: relative ones and http(s)/mailto. Anything else
/// (javascript:, data:, vbscript:, file:, …) could run script or reach outside the package.
package enum URLKind: Equatable {
    case relative, external, mailto, refused

    init(_ url: String) {
        // Browsers ignore ASCII whitespace and control characters while reading a scheme
        // ("java\tscript:"), so they are ignored here too before looking for one.
        let compact = Array(url.utf8.filter { $0 > 0x20 && $0 != 0x7F })
        // Browsers read a backslash in a URL as a slash.
        let isSlash = { (b: UInt8) in b == 0x2F || b == 0x5C }
        let separator = compact.firstIndex { isSlash($0) || $0 == 0x3F || $0 == 0x23 } ?? compact.count
        if let colon = compact.firstIndex(of: 0x3A), colon < separator {
            // Anything before the first colon counts as a scheme, valid or not: refusing an odd
            // relative path such as "a:b" is cheaper than guessing what a browser makes of it.
            switch String(decoding: compact[..<colon], as: UTF8.self).lowercased() {
            case "http", "https": self = .external
            case "mailto": self = .mailto
            default: self = .refused
            }
        } else if compact.count >= 2 && isSlash(compact[0]) && isSlash(compact[1]) {
            self = .external  // "//host/path" leaves the package just like "https://host/path"
        } else {
            self = .relative
        }
    }
}
