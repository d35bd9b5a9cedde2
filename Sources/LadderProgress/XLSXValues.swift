import Foundation

/// How a cell's number is shown, decided by its style's number format (xl/styles.xml).
package enum XLSXNumberStyle: Equatable {
    case general
    case date
    case dateTime
    /// A time of day or a duration (`h:mm`, `[h]:mm:ss`): read as elapsed time.
    case time
    case percent(decimals: Int)

    /// The built-in formats ECMA-376 Part 1 §18.8.30 defines without writing their code into
    /// styles.xml. 27–36 and 50–58 are the East Asian date formats.
    static func builtin(_ id: Int) -> XLSXNumberStyle {
        switch id {
        case 9: return .percent(decimals: 0)
        case 10: return .percent(decimals: 2)
        case 14...17, 27...36, 50...58: return .date
        case 22: return .dateTime
        case 18...21, 45...47: return .time
        default: return .general
        }
    }

    /// Classifies a custom format code such as `dd/mm/yyyy hh:mm` or `0.00%`: only its first
    /// section counts, and quoted text, escaped characters, colours, conditions and locale
    /// tags (`[Red]`, `[$-409]`) are not date parts.
    static func classify(code: String) -> XLSXNumberStyle {
        var plain: [Character] = []
        var elapsed = false
        var chars = Array(code).makeIterator()
        loop: while let c = chars.next() {
            switch c {
            case ";": break loop
            case "\"":
                while let q = chars.next(), q != "\"" {}
            case "\\", "_", "*":
                _ = chars.next()
            case "[":
                var inner = ""
                while let b = chars.next(), b != "]" { inner.append(b) }
                let l = inner.lowercased()
                if !l.isEmpty, l.allSatisfy({ $0 == "h" || $0 == "m" || $0 == "s" }) { elapsed = true }
            default:
                plain.append(Character(c.lowercased()))
            }
        }
        var text = String(plain)
        for marker in ["am/pm", "a/p"] { text = text.replacingOccurrences(of: marker, with: "") }
        let hasDate = text.contains("y") || text.contains("d")
        let hasTime = elapsed || text.contains("h") || text.contains("s")
        if hasDate && hasTime { return .dateTime }
        if hasDate { return .date }
        if hasTime { return .time }
        if text.contains("m") { return .date }  // `mmmm`: a month name
        if let pct = text.firstIndex(of: "%") {
            let before = text[..<pct]
            let decimals = before.firstIndex(of: ".").map { before[$0...].dropFirst().filter { $0 == "0" }.count } ?? 0
            return .percent(decimals: decimals)
        }
        return .general
    }
}

/// A cell reference such as `AA10`, checked against Excel's grid (16,384 columns, XFD, and
/// 1,048,576 rows) before anything is sized from it.
package enum XLSXCellReference {
    static let maxColumn = 16_384
    static let maxRow = 1_048_576

    enum Parsed: Equatable {
        case cell(column: Int, row: Int)
        case malformed
        case outsideGrid
    }

    static func parse(_ ref: String) -> Parsed {
        var column = 0, row = 0, letters = 0, digits = 0
        for b in ref.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                if digits > 0 { return .malformed }
                letters += 1
                // Four letters already exceed XFD: stop before the arithmetic can overflow.
                if letters > 3 { return .outsideGrid }
                column = column * 26 + Int((b | 0x20) - UInt8(ascii: "a")) + 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if letters == 0 || (digits == 0 && b == UInt8(ascii: "0")) { return .malformed }
                digits += 1
                if digits > 7 { return .outsideGrid }
                row = row * 10 + Int(b - UInt8(ascii: "0"))
            default:
                return .malformed
            }
        }
        if letters == 0 || digits == 0 { return .malformed }
        if column > maxColumn || row > maxRow { return .outsideGrid }
        return .cell(column: column, row: row)
    }

    /// Column letters for a 1-based column number (1 → A, 27 → AA).
    static func letters(_ column: Int) -> String {
        var n = column, out: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            out.insert(Character(Unicode.Scalar(UInt8(ascii: "A") + UInt8(r))), at: 0)
            n = (n - 1) / 26
        }
        return String(out)
    }
}

/// Numbers and dates as text, the way Excel shows them in a CSV it saves: up to 15
/// significant digits, no exponent; dates as ISO 8601 local text (the workbook has no zone).
package enum XLSXValueText {
    /// `<v>` of a numeric cell, shown in `style`. Nil when `raw` is not a number.
    static func number(_ raw: String, style: XLSXNumberStyle, date1904: Bool) -> String? {
        guard let d = Double(raw.trimmingCharacters(in: .whitespaces)), d.isFinite else { return nil }
        switch style {
        case .general:
            return general(raw, d)
        case .percent(let decimals):
            // Shown with the format's decimals unless that rounds the value: a score of 0.795
            // in a `0%` cell is 79.5%, not the 80% on screen (79.5 is below a mastery of 80).
            let shown = fixed(d * 100, decimals: decimals)
            let full = plain(String(format: "%.15g", d * 100))
            return (Double(shown) == Double(full) ? shown : full) + "%"
        case .date, .dateTime, .time:
            return dateText(serial: d, style: style, date1904: date1904) ?? general(raw, d)
        }
    }

    private static func general(_ raw: String, _ d: Double) -> String {
        // The common case, an integer as written, needs no formatting.
        if raw.utf8.count <= 15, !raw.isEmpty, raw.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), raw.utf8.first != 48 || raw.utf8.count == 1 {
            return raw
        }
        return plain(String(format: "%.15g", d))
    }

    private static func fixed(_ d: Double, decimals: Int) -> String {
        plain(String(format: "%.\(min(decimals, 15))f", d))
    }

    /// Rewrites `1.5e-05` as `0.000015` and `1e+20` as `100000000000000000000`; `-0` as `0`.
    static func plain(_ s: String) -> String {
        guard let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }), let exp = Int(s[s.index(after: e)...]) else {
            return s == "-0" ? "0" : s
        }
        var mantissa = String(s[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let intPart = mantissa.split(separator: ".", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let digits = mantissa.replacingOccurrences(of: ".", with: "")
        let point = intPart.count + exp
        var out: String
        if point <= 0 {
            out = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            out = digits + String(repeating: "0", count: point - digits.count)
        } else {
            out = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
        }
        if out.contains(".") {
            while out.hasSuffix("0") { out.removeLast() }
            if out.hasSuffix(".") { out.removeLast() }
        }
        return negative ? "-" + out : out
    }

    /// A serial date as `2026-03-13`, `2026-03-13 14:11:00` or, for a time style, the elapsed
    /// time `HH:MM:SS` (hours past 24 when the value is over a day). Nil when the serial is no
    /// real day: negative, 1900's non-existent 29 February (serial 60), day 0 under a date
    /// style, or past the year 9999.
    static func dateText(serial: Double, style: XLSXNumberStyle, date1904: Bool) -> String? {
        guard serial >= 0, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds == 86_400 {
            days += 1
            seconds = 0
        }
        if style == .time {
            let total = days * 86_400 + seconds
            return pad(total / 3600) + ":" + pad(total / 60 % 60) + ":" + pad(total % 60)
        }
        // Day numbers relative to 1970-01-01. The 1900 system counts a 29 February 1900 that
        // never was (Lotus 1-2-3's bug, kept by Excel): serials from 61 on are one day late.
        let unixDay: Int
        if date1904 {
            unixDay = days - 24_107
        } else if days >= 61 {
            unixDay = days - 25_569
        } else if days >= 1 && days < 60 {
            unixDay = days - 25_568
        } else {
            return nil
        }
        let (y, m, d) = civil(fromDays: unixDay)
        let date = String(y) + "-" + pad(m) + "-" + pad(d)
        if style == .date { return date }
        return date + " " + pad(seconds / 3600) + ":" + pad(seconds / 60 % 60) + ":" + pad(seconds % 60)
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's algorithm).
    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Decodes the `_xHHHH_` escapes OOXML uses for characters XML cannot carry
    /// (`_x000D_` for a carriage return; `_x005F_` escapes a literal underscore).
    static func unescape(_ s: String) -> String {
        guard s.contains("_x") else { return s }
        var out = ""
        var scalars = Array(s.unicodeScalars)[...]
        while let c = scalars.first {
            if c == "_", scalars.count >= 7, scalars[scalars.startIndex + 1] == "x", scalars[scalars.startIndex + 6] == "_" {
                let hex = String(String.UnicodeScalarView(scalars[(scalars.startIndex + 2)..<(scalars.startIndex + 6)]))
                if let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v), hex.allSatisfy(\.isHexDigit) {
                    out.unicodeScalars.append(u)
                    scalars = scalars.dropFirst(7)
                    continue
                }
            }
            out.unicodeScalars.append(c)
            scalars = scalars.dropFirst()
        }
        return out
    }
}
