/// HTML text escaping, the one copy: SCO pages, the gap and progress reports and the preview's
/// player pass every value that does not come from this module through it. Markup is only
/// ever written as literals.
package enum HTML {
    /// `&`, `<`, `>`, `"` and `'` (`&#39;`) as entities, and NUL (not allowed in HTML text) as
    /// U+FFFD.
    package static func escape(_ s: String) -> String { escaped(s, apostrophe: true) }

    /// The first lines of a page (the gap report, the preview player): the doctype, `<html lang>` (escaped), `<head>`,
    /// the UTF-8 charset and the responsive viewport, each ending with a line break.
    package static func documentStart(language: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"\(escape(language))\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    }

    /// `escape(s)` appended to `out`; `apostrophe: false` keeps `'` as it is: cmark-gfm's set,
    /// which Markdown pages keep so that they read as cmark writes them.
    package static func write(_ s: String, apostrophe: Bool = true, into out: inout String) {
        out += escaped(s, apostrophe: apostrophe)
    }

    /// `escape(s)` appended to `out` as UTF-8.
    package static func write(_ s: String, apostrophe: Bool = true, into out: inout [UInt8]) {
        for b in s.utf8 {
            switch b {
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0x22: out.append(contentsOf: "&quot;".utf8)
            case 0x27 where apostrophe: out.append(contentsOf: "&#39;".utf8)
            case 0: out.append(contentsOf: "\u{FFFD}".utf8)
            default: out.append(b)
            }
        }
    }

    private static func escaped(_ s: String, apostrophe: Bool) -> String {
        // Most values need no escaping: return them as they are, without a copy.
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || ($0 == 0x27 && apostrophe) || $0 == 0 })
        else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        write(s, apostrophe: apostrophe, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
