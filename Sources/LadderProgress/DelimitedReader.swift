import Foundation
import LadderCore

/// One record of a delimited file (or a worksheet row) with the (1-based) line it starts on.
public struct DelimitedRecord: Sendable, Equatable {
    public var line: Int
    public var fields: [String]
    /// False for a last record the file ends in without a line break: with fewer fields than
    /// the header it is a truncated download, not a short row.
    public var terminated: Bool = true
}

/// A problem reading a file. `recoverable` ones concern one record: reading goes on after it.
public struct DelimitedFileError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var message: String
    public var recoverable = false
    public var description: String { "\(path):\(line): \(message)" }
}

/// The text encodings the reader decodes.
public enum TextEncodingKind: String, Sendable {
    case utf8 = "UTF-8", utf16LE = "UTF-16LE", utf16BE = "UTF-16BE", windows1252 = "Windows-1252"
}

/// Limits on what one record may hold; over them a record is refused, not stored.
package enum DelimitedLimits {
    static let fieldBytes = 64 * 1024
    static let recordBytes = 16 * 1024 * 1024
}

/// A streaming RFC 4180 reader. Quoted fields, doubled quotes, CR, LF or CRLF line ends;
/// UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode Text"), and Windows-1252
/// (Excel's "CSV" on Windows) when the bytes are not UTF-8; comma, tab (Moodle's text
/// download) or semicolon (Excel in many locales) as the delimiter, decided from the header
/// line. It reads fixed chunks, so memory stays flat whatever the file's size, and hashes the
/// bytes as they pass so an import knows the file's digest without a second read.
///
/// A damaged record is an error at its line and reading goes on: a quote never closed is
/// reported where it opened and the lines after it are read again as records; a field over
/// 64 KiB is refused. Text is never decoded with replacement characters.
public final class DelimitedReader {
    public let path: String
    public private(set) var delimiter: UInt8
    public private(set) var encoding: TextEncodingKind = .utf8
    public private(set) var hadBOM = false
    private let handle: FileHandle
    /// Decoded UTF-8 (or Windows-1252) bytes; kept from the current record's start so a
    /// record can be read again from an inner line break.
    private var buffer: [UInt8] = []
    private var pos = 0
    private var recordStart = 0
    private var eof = false
    private var line = 1
    private let hasher = SHA256Hasher()
    /// A UTF-16 byte or high surrogate left over at a chunk's end.
    private var pending16: [UInt8] = []
    private var pendingHigh: UInt16?
    /// A valid multi-byte UTF-8 sequence was seen: the file is UTF-8 and cannot switch.
    private var sawUTF8 = false
    private static let chunk = 1 << 20

    /// Opens `path`; `delimiter` nil means "decide from the first line" (the most frequent of
    /// tab, comma and semicolon outside quotes; comma when none).
    public init(path: String, delimiter: UInt8? = nil) throws {
        self.path = path
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw DelimitedFileError(path: path, line: 0, message: "cannot open the file")
        }
        handle = h
        self.delimiter = delimiter ?? UInt8(ascii: ",")
        let first: Data
        do { first = try h.read(upToCount: DelimitedReader.chunk) ?? Data() } catch {
            throw DelimitedFileError(path: path, line: 0, message: "cannot read: \(error.localizedDescription)")
        }
        hasher.update(first)
        var bytes = [UInt8](first)
        if bytes.starts(with: [0xFF, 0xFE]) {
            encoding = .utf16LE
            bytes.removeFirst(2)
        } else if bytes.starts(with: [0xFE, 0xFF]) {
            encoding = .utf16BE
            bytes.removeFirst(2)
        } else if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
        }
        hadBOM = bytes.count < first.count
        if encoding == .utf8 {
            if DelimitedReader.looksLikeBOMlessUTF16(bytes) {
                throw DelimitedFileError(
                    path: path, line: 1,
                    message: "the file looks like UTF-16 without a byte-order mark; save it as UTF-8 CSV or as \"Unicode Text\" (with its mark)")
            }
            if DelimitedReader.looksLikeWindows1252(bytes, complete: first.count < DelimitedReader.chunk) { encoding = .windows1252 }
            buffer = bytes
        } else {
            try append16(bytes[...])
        }
        if first.isEmpty { eof = true }
        if delimiter == nil { self.delimiter = DelimitedReader.detectDelimiter(buffer) }
    }

    deinit { try? handle.close() }

    /// What was found, for messages: "UTF-8, tab-delimited".
    public var detected: String {
        "\(encoding.rawValue)\(hadBOM ? " with BOM" : ""), \(DelimitedReader.name(of: delimiter))-delimited"
    }

    static func name(of delimiter: UInt8) -> String {
        switch delimiter {
        case 9: "tab"
        case 44: "comma"
        case 59: "semicolon"
        default: "'\(Character(Unicode.Scalar(delimiter)))'"
        }
    }

    /// The SHA-256 of the bytes read so far (the whole file once `next()` returned nil).
    public func digest() -> String {
        hasher.peek()
    }

    // MARK: Detection

    static func detectDelimiter(_ b: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [9: 0, 44: 0, 59: 0]
        var inQuotes = false
        for c in b {
            if c == 34 { inQuotes.toggle() }
            if inQuotes { continue }
            if c == 10 || c == 13 { break }
            if counts[c] != nil { counts[c]! += 1 }
        }
        // Ties go to tab, then comma; comma when the line has none.
        var best: UInt8 = 44, most = 0
        for d: UInt8 in [9, 44, 59] where counts[d]! > most {
            best = d
            most = counts[d]!
        }
        return best
    }

    /// Many NUL bytes at alternate positions: UTF-16 text that lost its byte-order mark.
    static func looksLikeBOMlessUTF16(_ b: [UInt8]) -> Bool {
        let n = min(b.count, 512)
        guard n >= 4 else { return false }
        var zeros = 0
        for i in 0..<n where b[i] == 0 { zeros += 1 }
        return zeros * 4 >= n
    }

    /// Whether the first chunk reads as Windows-1252: bytes that are not UTF-8 and not one
    /// well-formed multi-byte UTF-8 sequence (a file with some is UTF-8 with damaged rows,
    /// which are refused one by one). A sequence cut by the chunk's end is not counted.
    static func looksLikeWindows1252(_ b: [UInt8], complete: Bool) -> Bool {
        var i = 0, invalid = false
        while i < b.count {
            let lead = b[i]
            if lead < 0x80 { i += 1; continue }
            let n = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0
            if n > 0 && i + n > b.count && !complete { break }
            if n > 0 && i + n <= b.count && b[(i + 1)..<(i + n)].allSatisfy({ $0 & 0xC0 == 0x80 }) {
                return false
            }
            invalid = true
            i += 1
        }
        return invalid
    }

    // MARK: Reading

    private func fill() throws {
        if eof { return }
        if recordStart > 0 {
            buffer.removeFirst(recordStart)
            pos -= recordStart
            recordStart = 0
        }
        let data: Data
        do {
            data = try handle.read(upToCount: DelimitedReader.chunk) ?? Data()
        } catch {
            throw DelimitedFileError(path: path, line: line, message: "cannot read: \(error.localizedDescription)")
        }
        if data.isEmpty {
            eof = true
            if !pending16.isEmpty || pendingHigh != nil {
                throw DelimitedFileError(path: path, line: line, message: "the file ends in the middle of a \(encoding.rawValue) character (truncated?)")
            }
            return
        }
        hasher.update(data)
        if encoding == .utf16LE || encoding == .utf16BE {
            try append16([UInt8](data)[...])
        } else {
            buffer.append(contentsOf: data)
        }
    }

    /// Transcodes UTF-16 bytes to UTF-8 at the buffer's end.
    private func append16(_ raw: ArraySlice<UInt8>) throws {
        var bytes = pending16 + raw
        pending16 = []
        if bytes.count % 2 == 1 { pending16 = [bytes.removeLast()] }
        buffer.reserveCapacity(buffer.count + bytes.count)
        var i = bytes.startIndex
        let le = encoding == .utf16LE
        while i < bytes.endIndex {
            let u = le ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
            i += 2
            var scalar: UInt32
            if let high = pendingHigh {
                pendingHigh = nil
                guard (0xDC00...0xDFFF).contains(u) else { throw badUTF16() }
                scalar = 0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(u - 0xDC00)
            } else if (0xD800...0xDBFF).contains(u) {
                pendingHigh = u
                continue
            } else if (0xDC00...0xDFFF).contains(u) {
                throw badUTF16()
            } else {
                scalar = UInt32(u)
            }
            buffer.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
        }
    }

    private func badUTF16() -> DelimitedFileError {
        DelimitedFileError(path: path, line: line, message: "not valid \(encoding.rawValue) text (an unpaired surrogate)")
    }

    @inline(__always) private func peek() throws -> UInt8? {
        if pos >= buffer.count {
            try fill()
            if pos >= buffer.count { return nil }
        }
        return buffer[pos]
    }

    /// The next record, nil at the end. Blank lines are skipped. A recoverable error concerns
    /// one record; call `next()` again for the ones after it.
    public func next() throws -> DelimitedRecord? {
        while true {
            recordStart = pos
            guard let first = try peek() else { return nil }
            if first == 10 || first == 13 {
                consumeNewline(first)
                continue
            }
            break
        }
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        field.reserveCapacity(64)
        var high: UInt8 = 0
        var quoted = false
        var inQuotes = false
        var quoteLine = line
        /// Where to read again from when a quote is never closed: after its first line break
        /// (an offset from the record's start, which stays in the buffer).
        var rewind: (offset: Int, line: Int)?
        var oversize: Int?
        var badText: DelimitedFileError?
        func endField() {
            if oversize == nil, badText == nil {
                do { fields.append(try decode(field, high: high, line: startLine, column: fields.count + 1)) } catch let e as DelimitedFileError {
                    badText = e
                } catch {}
            } else {
                fields.append("")
            }
            field.removeAll(keepingCapacity: true)
            high = 0
            quoted = false
        }
        func finish(terminated: Bool) throws -> DelimitedRecord {
            endField()
            if let oversize {
                throw DelimitedFileError(path: path, line: startLine, message: "field \(oversize) is longer than 64 KiB; the record is skipped", recoverable: true)
            }
            if let badText { throw badText }
            return DelimitedRecord(line: startLine, fields: fields, terminated: terminated)
        }
        func unclosed() throws -> Never {
            if let rewind {
                pos = recordStart + rewind.offset
                line = rewind.line
                throw DelimitedFileError(path: path, line: quoteLine,
                                         message: "a quoted field opened on this line is never closed (or is longer than 64 KiB); reading on from line \(rewind.line)",
                                         recoverable: true)
            }
            throw DelimitedFileError(path: path, line: quoteLine, message: "a quoted field opened on this line is never closed", recoverable: true)
        }
        while true {
            guard let b = try peek() else {
                if inQuotes { try unclosed() }
                return try finish(terminated: false)
            }
            if pos - recordStart > DelimitedLimits.recordBytes {
                if inQuotes { try unclosed() }
                throw DelimitedFileError(path: path, line: startLine, message: "a record longer than 16 MiB", recoverable: false)
            }
            if field.count >= DelimitedLimits.fieldBytes && oversize == nil {
                if inQuotes && rewind != nil { try unclosed() }
                oversize = fields.count + 1
            }
            if inQuotes {
                pos += 1
                if b == 34 {
                    if try peek() == 34 {
                        pos += 1
                        if oversize == nil { field.append(34) }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if b == 10 || b == 13 {
                        if b == 13, try peek() == 10 {
                            pos += 1
                            if oversize == nil { field.append(contentsOf: [13, 10]) }
                        } else if oversize == nil {
                            field.append(b)
                        }
                        line += 1
                        if rewind == nil { rewind = (pos - recordStart, line) }
                        continue
                    }
                    high |= b
                    if oversize == nil { field.append(b) }
                }
                continue
            }
            if b == delimiter {
                pos += 1
                endField()
                continue
            }
            if b == 10 || b == 13 {
                consumeNewline(b)
                return try finish(terminated: true)
            }
            pos += 1
            if b == 34 && field.isEmpty && !quoted {
                inQuotes = true
                quoted = true
                quoteLine = line
                continue
            }
            // A stray quote inside an unquoted field is kept as text (Excel does the same).
            high |= b
            if oversize == nil { field.append(b) }
        }
    }

    /// A field's text: ASCII as is, else UTF-8 validated (a file without any UTF-8 sequence
    /// so far that turns out not to be UTF-8 is read as Windows-1252 from there on).
    private func decode(_ field: [UInt8], high: UInt8, line: Int, column: Int) throws -> String {
        if high < 0x80 { return String(decoding: field, as: UTF8.self) }
        if encoding != .windows1252 {
            if let s = String(validating: field, as: UTF8.self) {
                sawUTF8 = true
                return s
            }
            if sawUTF8 || encoding != .utf8 {
                throw DelimitedFileError(path: path, line: line,
                                         message: "field \(column) is not valid UTF-8 although earlier lines are (a file with mixed encodings?)",
                                         recoverable: true)
            }
            encoding = .windows1252
        }
        return Windows1252.decode(field)
    }

    private func consumeNewline(_ b: UInt8) {
        pos += 1
        if b == 13, (try? peek()) == 10 { pos += 1 }
        line += 1
    }
}

/// Windows-1252 (Excel's "CSV" on Windows in western locales) to Unicode.
package enum Windows1252 {
    /// 0x80–0x9F; the five unassigned bytes map to the C1 controls as Windows does.
    private static let high: [UInt16] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    static func decode(_ bytes: [UInt8]) -> String {
        var s = String.UnicodeScalarView()
        for b in bytes {
            let v: UInt32 = (0x80...0x9F).contains(b) ? UInt32(high[Int(b) - 0x80]) : UInt32(b)
            s.append(Unicode.Scalar(v)!)
        }
        return String(s)
    }
}

/// Progress CSV output goes through the one guarded writer, `CSVField`.
public typealias ProgressCSV = CSVField
