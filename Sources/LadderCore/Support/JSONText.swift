/// JSON string literals, the one copy: the progress report, the gap report's JSON, and the
/// JSON blocks of pages (SCO configuration, the HTML reports' rows) write their strings here,
/// byte by byte, so that reports stream instead of encoding a tree.
package enum JSONText {
    /// How a string is written beyond what JSON requires (`"`, `\`, control characters).
    package struct Style: Sendable {
        /// Also `<`, `>`, `&` and U+2028/U+2029 as `\u…`, so the literal can sit inside a
        /// `<script>` element without ending it (and old parsers read it).
        var inHTML = false
        /// Backspace and form feed as `\b` and `\f`, as JSONEncoder writes them (the gap
        /// report's JSON matches the encoder's bytes); otherwise `\u0008` and `\u000c`.
        var encoderControls = false
        /// `/` as `\/`, as JSONEncoder writes it without `.withoutEscapingSlashes`.
        var escapesSlashes = false

        package static let plain = Style()
        package static let html = Style(inHTML: true)
        package static let encoder = Style(encoderControls: true)
        /// JSONEncoder's bytes with its default options (slashes escaped): the build keys.
        package static let encoderEscapingSlashes = Style(encoderControls: true, escapesSlashes: true)
    }

    /// `s` as a JSON string literal.
    package static func quote(_ s: String, _ style: Style = .plain) -> String {
        if !needsEscape(s, style) { return "\"" + s + "\"" }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        write(s, style, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `quote(s)`, or `null` for nil.
    package static func optional(_ s: String?, _ style: Style = .plain) -> String { s.map { quote($0, style) } ?? "null" }
    package static func optional(_ n: Int?) -> String { n.map(String.init) ?? "null" }

    private static func needsEscape(_ s: String, _ style: Style) -> Bool {
        s.utf8.contains {
            $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || (style.inHTML && ($0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0xE2))
                || (style.escapesSlashes && $0 == 0x2F)
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// `quote(s)` appended to `out` as UTF-8: runs of plain bytes are copied whole, so a report
    /// of hundreds of megabytes does not append byte by byte.
    package static func write(_ s: String, _ style: Style = .plain, into out: inout [UInt8]) {
        var s = s
        out.append(0x22)
        s.withUTF8 { bytes in
            var plain = 0
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                var skip = 1
                let escaped: [UInt8]?
                switch b {
                case 0x22: escaped = [0x5C, 0x22]
                case 0x5C: escaped = [0x5C, 0x5C]
                case 0x0A: escaped = [0x5C, 0x6E]
                case 0x0D: escaped = [0x5C, 0x72]
                case 0x09: escaped = [0x5C, 0x74]
                case 0x08 where style.encoderControls: escaped = [0x5C, 0x62]
                case 0x0C where style.encoderControls: escaped = [0x5C, 0x66]
                case 0x2F where style.escapesSlashes: escaped = [0x5C, 0x2F]
                case 0x00..<0x20: escaped = unicodeEscape(UInt16(b))
                case 0x3C, 0x3E, 0x26: escaped = style.inHTML ? unicodeEscape(UInt16(b)) : nil
                case 0xE2 where style.inHTML && i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    // U+2028 and U+2029 are E2 80 A8 / E2 80 A9 in UTF-8.
                    escaped = unicodeEscape(bytes[i + 2] == 0xA8 ? 0x2028 : 0x2029)
                    skip = 3
                default: escaped = nil
                }
                if let escaped {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plain..<i]))
                    out.append(contentsOf: escaped)
                    plain = i + skip
                }
                i += skip
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plain..<bytes.count]))
        }
        out.append(0x22)
    }

    private static func unicodeEscape(_ u: UInt16) -> [UInt8] {
        var out: [UInt8] = [0x5C, 0x75]
        for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((u >> UInt16(shift)) & 0xF)]) }
        return out
    }
}
