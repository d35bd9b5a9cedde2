import LadderCore
/// A JSON value for a page's `<script type="application/json">` block, written with sorted
/// keys (deterministic bytes) and escaped so the text can never close the script element:
/// `<`, `>` and `&` become `\u003c`…, and U+2028/U+2029 are escaped for old parsers.
package indirect enum ScriptJSON {
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([ScriptJSON])
    case object([String: ScriptJSON])

    var text: String {
        var out: [UInt8] = []
        write(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func write(into out: inout [UInt8]) {
        switch self {
        case .string(let s): JSONText.write(s, .html, into: &out)
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
                JSONText.write(key, .html, into: &out)
                out.append(0x3A)
                o[key]!.write(into: &out)
            }
            out.append(0x7D)
        }
    }
}
