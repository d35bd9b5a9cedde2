import FuzzSupport
import LadderCore
import LadderRendering
import LadderPackaging
import LadderProgress

// Input: a Markdown page body. Besides crashes and hangs, each output is checked against the
// renderer's promises: only the tags it emits, properly nested; no URL a browser would run as
// script; the same HTML for the same input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMarkdown(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = Fuzz.text(Fuzz.bytes(data, size))
    let offset = size % 3
    let doc = Markdown.render(text, headingOffset: offset, idPrefix: offset == 1 ? "s1-" : "")
    HTMLShape.check(doc.html)
    Fuzz.require(Markdown.render(text, headingOffset: offset, idPrefix: offset == 1 ? "s1-" : "") == doc, "two renders differ")
    return 0
}

enum HTMLShape {
    static let void: Set<String> = ["br", "hr", "img"]
    static let allowed: Set<String> = void.union([
        "a", "blockquote", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ol", "p", "pre", "strong",
        "table", "tbody", "td", "th", "thead", "tr", "ul",
    ])

    static func check(_ html: String) {
        let b = Array(html.utf8)
        var open: [String] = []
        var i = 0
        while i < b.count {
            guard b[i] == UInt8(ascii: "<") else {
                Fuzz.require(b[i] != UInt8(ascii: ">"), "a bare '>' at byte \(i): \(html)")
                i += 1
                continue
            }
            guard let end = b[i...].firstIndex(of: UInt8(ascii: ">")) else {
                Fuzz.require(false, "an unclosed '<' at byte \(i): \(html)")
                return
            }
            let inner = String(decoding: b[(i + 1)..<end], as: UTF8.self)
            let closing = inner.hasPrefix("/")
            let name = String((closing ? inner.dropFirst() : Substring(inner)).prefix { $0.isLetter || $0.isNumber })
            Fuzz.require(allowed.contains(name), "tag <\(inner)> is not one the renderer emits: \(html)")
            if closing {
                Fuzz.require(open.last == name, "</\(name)> closes <\(open.last ?? "nothing")>: \(html)")
                open.removeLast()
            } else {
                checkAttributes(inner, html)
                if !void.contains(name) { open.append(name) }
            }
            i = end + 1
        }
        Fuzz.require(open.isEmpty, "unclosed <\(open.joined(separator: "><"))>: \(html)")
    }

    /// A URL attribute must not be one a browser runs: browsers drop tabs and line breaks and
    /// leading spaces or controls before reading the scheme, and decode character references.
    static func checkAttributes(_ tag: String, _ html: String) {
        for attr in ["href=\"", "src=\""] {
            guard let r = tag.range(of: attr), let close = tag[r.upperBound...].firstIndex(of: "\"") else { continue }
            let raw = String(tag[r.upperBound..<close])
            Fuzz.require(!raw.contains("<") && !raw.contains("'"), "an unescaped character in \(attr)\(raw)\": \(html)")
            let decoded = raw.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&amp;", with: "&")
            let compact = String(decoded.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F })
                .lowercased()
            for scheme in ["javascript:", "vbscript:", "data:", "file:"] {
                Fuzz.require(!compact.hasPrefix(scheme), "a \(scheme) URL: \(attr)\(raw)\": \(html)")
            }
        }
    }
}
