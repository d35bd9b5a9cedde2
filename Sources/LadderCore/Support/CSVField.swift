/// The one CSV writer for every file Ladder writes (progress reports, gap reports, exports):
/// RFC 4180 fields, CRLF line ends, and a guard against spreadsheet formula injection.
///
/// A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is taken by
/// Excel, LibreOffice and Google Sheets for a formula. Such a cell is written with a leading
/// apostrophe inside quotes (`"'=cmd"`), the form OWASP recommends: spreadsheets show the text
/// as it was, and nothing runs. Importers keep the original text; only writers guard.
public enum CSVField {
    /// Characters that make a spreadsheet read a cell as a formula when they come first.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// One field, quoted when it must be and guarded when it could be read as a formula.
    public static func escape(_ s: String) -> String {
        // Most cells need neither quotes nor a guard: tell from the bytes, without walking
        // characters (a gap report writes millions of cells).
        if let b = s.utf8.first, !(b == 0x3D || b == 0x2B || b == 0x2D || b == 0x40 || b == 0x09 || b == 0x0D),
            !s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D })
        {
            return s
        }
        var text = s
        var quote = false
        if let first = text.first, formulaStarts.contains(first), !isPlainNumber(text) {
            text = "'" + text
            quote = true
        }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            quote = true
        }
        guard quote else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `escape(field)` appended to `out`, for a field given as UTF-8 bytes: most fields are
    /// copied as they are, without making a string. The bytes are scanned as one contiguous
    /// buffer: called from another module this function is not specialised, and walking the
    /// collection through its generic iterator took 45 % of a CSV report's samples.
    package static func write(_ field: some Collection<UInt8>, into out: inout [UInt8]) {
        if field.withContiguousStorageIfAvailable({ write(bytes: $0, into: &out) }) == nil {
            Array(field).withUnsafeBufferPointer { write(bytes: $0, into: &out) }
        }
    }

    private static func write(bytes field: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        guard let b = field.first else { return }
        var plain = !(b == 0x3D || b == 0x2B || b == 0x2D || b == 0x40 || b == 0x09 || b == 0x0D)
        if plain {
            for x in field where x == 0x2C || x == 0x22 || x == 0x0A || x == 0x0D {
                plain = false
                break
            }
        }
        if plain {
            out.append(contentsOf: field)
        } else {
            out.append(contentsOf: escape(String(decoding: field, as: UTF8.self)).utf8)
        }
    }

    /// One record: the fields escaped, joined by commas, ended by CRLF.
    public static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\r\n"
    }

    /// `-3`, `+4.5`: a signed number is data, not a formula, and stays as it is so that
    /// spreadsheets keep reading it as a number.
    static func isPlainNumber(_ s: String) -> Bool {
        guard let first = s.first, first == "-" || first == "+" else { return false }
        let rest = s.dropFirst()
        guard !rest.isEmpty, rest.first != ".", rest.last != "." else { return false }
        var dots = 0
        for c in rest {
            if c == "." { dots += 1; if dots > 1 { return false } } else if !c.isASCII || !c.isNumber { return false }
        }
        return true
    }
}

extension CSVField {
    /// One record as PHP's `fputcsv` writes it with its defaults (comma, `"` enclosure, `\`
    /// escape, LF line end): the dialect Moodle's `csv_export_writer` writes and its
    /// `csv_import_reader` reads back with `fgetcsv` (lib/csvlib.class.php). A field is
    /// quoted when it holds a comma, a quote, a backslash, a line break, a tab or a space; a
    /// quote inside is doubled unless a backslash comes right before it, which `fgetcsv` reads
    /// as an escaped quote and keeps as it is.
    ///
    /// No formula guard: this is for files an LMS imports, not a spreadsheet, and the guard's
    /// apostrophe would end up in the imported text (a competency named `'-Level 1`). Callers
    /// that write people's names check them instead.
    public static func phpLine(_ fields: [String]) -> String {
        var out = ""
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(",") }
            out.append(phpField(field))
        }
        out.append("\n")
        return out
    }

    static func phpField(_ s: String) -> String {
        let needsQuotes = s.unicodeScalars.contains { c in
            c == "," || c == "\"" || c == "\\" || c == "\n" || c == "\r" || c == "\t" || c == " "
        }
        guard needsQuotes else { return s }
        var out = "\""
        var escaped = false
        for c in s.unicodeScalars {
            if c == "\\" {
                escaped = true
            } else if !escaped && c == "\"" {
                out.unicodeScalars.append("\"")
            } else {
                escaped = false
            }
            out.unicodeScalars.append(c)
        }
        out.append("\"")
        return out
    }
}
