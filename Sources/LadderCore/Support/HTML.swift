/// HTML text escaping: every value that comes from a curriculum passes through `escape`
/// before it reaches a page. Markup is only ever written as literals in this module.
package enum HTML {
    package static func escape(_ s: String) -> String {
        // Most values need no escaping: return them as they are, without a copy.
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 == 0 }) else {
            return s
        }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        for b in s.utf8 {
            switch b {
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0x22: out.append(contentsOf: "&quot;".utf8)
            case 0x27: out.append(contentsOf: "&#39;".utf8)
            case 0: out.append(contentsOf: "\u{FFFD}".utf8)
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A JSON value for a page's `<script type="application/json">` block, written with sorted
/// keys (deterministic bytes) and escaped so the text can never close the script element:
/// `<`, `>` and `&` become `\u003c`…, and U+2028/U+2029 are escaped for old parsers.
package indirect enum ScriptJSON {
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([ScriptJSON])
    case object([String: ScriptJSON])

    package var text: String {
        var out: [UInt8] = []
        write(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func write(into out: inout [UInt8]) {
        switch self {
        case .string(let s): Self.writeString(s, into: &out)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .array(let a):
            out.append(0x5B)
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(0x2C) }
                v.write(into: &out)
            }
            out.append(0x5D)
        case .object(let o):
            out.append(0x7B)
            // Keys in code-point order, as JSONSerialization's .sortedKeys gives for ASCII keys.
            for (i, key) in o.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if i > 0 { out.append(0x2C) }
                Self.writeString(key, into: &out)
                out.append(0x3A)
                o[key]!.write(into: &out)
            }
            out.append(0x7D)
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        var bytes = s.utf8.makeIterator()
        while let b = bytes.next() {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x3C, 0x3E, 0x26, 0x00..<0x20: unicodeEscape(UInt16(b), into: &out)
            case 0xE2:
                // U+2028 and U+2029 are E2 80 A8 / E2 80 A9 in UTF-8.
                guard let b2 = bytes.next() else { out.append(b); break }
                guard let b3 = bytes.next() else { out.append(contentsOf: [b, b2]); break }
                if b2 == 0x80 && (b3 == 0xA8 || b3 == 0xA9) {
                    unicodeEscape(b3 == 0xA8 ? 0x2028 : 0x2029, into: &out)
                } else {
                    out.append(contentsOf: [b, b2, b3])
                }
            default: out.append(b)
            }
        }
        out.append(0x22)
    }

    private static func unicodeEscape(_ u: UInt16, into out: inout [UInt8]) {
        out.append(contentsOf: [0x5C, 0x75])
        for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((u >> UInt16(shift)) & 0xF)]) }
    }
}
