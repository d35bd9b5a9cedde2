import Foundation

/// One record of a delimited file with the (1-based) line it starts on.
public struct DelimitedRecord: Sendable, Equatable {
    public var line: Int
    public var fields: [String]
}

public struct DelimitedFileError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var message: String
    public var description: String { "\(path):\(line): \(message)" }
}

/// A streaming RFC 4180 reader: quoted fields, doubled quotes, CR, LF or CRLF line ends, a
/// UTF-8 byte-order mark, comma or tab (Moodle's "text" download) as the delimiter. It reads
/// the file in fixed chunks, so memory stays flat whatever the file's size, and hashes the
/// bytes as they pass so an import knows the file's digest without a second read.
public final class DelimitedReader {
    public let path: String
    public private(set) var delimiter: UInt8
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var pos = 0
    private var eof = false
    private var line = 1
    private let hasher = SHA256Hasher()
    private var started = false
    private static let chunk = 1 << 20

    /// Opens `path`; `delimiter` nil means "decide from the first line" (tab if it has more
    /// tabs than commas, else comma).
    public init(path: String, delimiter: UInt8? = nil) throws {
        self.path = path
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw DelimitedFileError(path: path, line: 0, message: "cannot open the file")
        }
        handle = h
        self.delimiter = delimiter ?? UInt8(ascii: ",")
        try fill()
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
        if delimiter == nil {
            var tabs = 0, commas = 0
            var i = pos
            while i < buffer.count, buffer[i] != 10, buffer[i] != 13 {
                if buffer[i] == 9 { tabs += 1 } else if buffer[i] == 44 { commas += 1 }
                i += 1
            }
            self.delimiter = tabs > commas ? 9 : 44
        }
    }

    deinit { try? handle.close() }

    /// The SHA-256 of the bytes read so far (the whole file once `next()` returned nil).
    public func digest() -> String {
        hasher.peek()
    }

    private func fill() throws {
        if eof { return }
        if pos > 0 {
            buffer.removeFirst(pos)
            pos = 0
        }
        let data: Data
        do {
            data = try handle.read(upToCount: DelimitedReader.chunk) ?? Data()
        } catch {
            throw DelimitedFileError(path: path, line: line, message: "cannot read: \(error.localizedDescription)")
        }
        if data.isEmpty {
            eof = true
        } else {
            hasher.update(data)
            buffer.append(contentsOf: data)
        }
    }

    @inline(__always) private func peek() throws -> UInt8? {
        if pos >= buffer.count {
            try fill()
            if pos >= buffer.count { return nil }
        }
        return buffer[pos]
    }

    /// The next record, nil at the end. Blank lines are skipped.
    public func next() throws -> DelimitedRecord? {
        while true {
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
        var quoted = false
        var inQuotes = false
        while true {
            guard let b = try peek() else {
                if inQuotes {
                    throw DelimitedFileError(path: path, line: startLine, message: "a quoted field is never closed")
                }
                fields.append(String(decoding: field, as: UTF8.self))
                return DelimitedRecord(line: startLine, fields: fields)
            }
            if inQuotes {
                pos += 1
                if b == 34 {
                    if try peek() == 34 {
                        pos += 1
                        field.append(34)
                    } else {
                        inQuotes = false
                    }
                } else {
                    if b == 10 { line += 1 } else if b == 13 {
                        if try peek() != 10 { line += 1 }
                    }
                    field.append(b)
                }
                continue
            }
            if b == delimiter {
                pos += 1
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                quoted = false
                continue
            }
            if b == 10 || b == 13 {
                consumeNewline(b)
                fields.append(String(decoding: field, as: UTF8.self))
                return DelimitedRecord(line: startLine, fields: fields)
            }
            pos += 1
            if b == 34 && field.isEmpty && !quoted {
                inQuotes = true
                quoted = true
                continue
            }
            // A stray quote inside an unquoted field is kept as text (Excel does the same).
            field.append(b)
        }
    }

    private func consumeNewline(_ b: UInt8) {
        pos += 1
        if b == 13, (try? peek()) == 10 { pos += 1 }
        line += 1
    }
}

/// Progress CSV output goes through the one guarded writer, `CSVField`.
public typealias ProgressCSV = CSVField
