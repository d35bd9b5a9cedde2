import Foundation

/// A JSON reader that walks the bytes once and hands each value to the caller as it comes,
/// for the files a rebuild reads whole (`ledger.json`, `build-cache.json`, `load-cache.json`):
/// `JSONDecoder` builds a map of the whole document and then decodes through `Codable`'s
/// containers, 13 % of a one-page rebuild of 15,200 packages.
///
/// It is a shortcut, never the judge: it accepts less than JSON allows (only whole numbers,
/// no repeated keys in an object read by field) and gives up with `Failure` on anything else,
/// and then the caller decodes with `JSONDecoder`, which gives the value or the error it always
/// gave. What it does accept it reads as `JSONDecoder` would (tests compare the two).
package struct JSONCursor {
    package struct Failure: Error { package init() {} }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// `body` applied to the document's one value; nil when the bytes are not what it reads.
    package static func read<T>(_ data: Data, _ body: (inout JSONCursor) throws -> T) -> T? {
        data.withUnsafeBytes { raw -> T? in
            var cursor = JSONCursor(raw.bindMemory(to: UInt8.self))
            guard let value = try? body(&cursor) else { return nil }
            cursor.skipSpace()
            return cursor.i == cursor.bytes.count ? value : nil
        }
    }

    private mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    private mutating func take(_ b: UInt8) throws {
        skipSpace()
        guard i < bytes.count, bytes[i] == b else { throw Failure() }
        i += 1
    }

    /// Whether the next value is `null` (then read).
    package mutating func null() -> Bool {
        skipSpace()
        guard i + 4 <= bytes.count, bytes[i] == 0x6E, bytes[i + 1] == 0x75, bytes[i + 2] == 0x6C, bytes[i + 3] == 0x6C else { return false }
        i += 4
        return true
    }

    package mutating func bool() throws -> Bool {
        skipSpace()
        if i + 4 <= bytes.count, bytes[i] == 0x74, bytes[i + 1] == 0x72, bytes[i + 2] == 0x75, bytes[i + 3] == 0x65 {
            i += 4
            return true
        }
        if i + 5 <= bytes.count, bytes[i] == 0x66, bytes[i + 1] == 0x61, bytes[i + 2] == 0x6C, bytes[i + 3] == 0x73, bytes[i + 4] == 0x65 {
            i += 5
            return false
        }
        throw Failure()
    }

    /// A whole number written with digits only (an optional minus, no fraction or exponent).
    package mutating func int<I: FixedWidthInteger>(_: I.Type = I.self) throws -> I {
        skipSpace()
        let negative = i < bytes.count && bytes[i] == 0x2D
        if negative { i += 1 }
        let start = i
        var value: I = 0
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            let digit = I(bytes[i] - 0x30)
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(digit) : m.addingReportingOverflow(digit)
            guard !o1, !o2 else { throw Failure() }
            value = s
            i += 1
        }
        // No digits, a leading zero before more digits, or a fraction or exponent: not ours.
        guard i > start, !(bytes[start] == 0x30 && i - start > 1) else { throw Failure() }
        if i < bytes.count, bytes[i] == 0x2E || bytes[i] == 0x65 || bytes[i] == 0x45 { throw Failure() }
        return value
    }

    package mutating func int() throws -> Int { try int(Int.self) }

    package mutating func string() throws -> String {
        try take(0x22)
        let start = i
        while i < bytes.count, bytes[i] != 0x22, bytes[i] != 0x5C, bytes[i] >= 0x20 { i += 1 }
        guard i < bytes.count else { throw Failure() }
        if bytes[i] == 0x22 {
            defer { i += 1 }
            return try Self.text(UnsafeBufferPointer(rebasing: bytes[start..<i]))
        }
        var out = Array(bytes[start..<i])
        while true {
            guard i < bytes.count, bytes[i] >= 0x20 else { throw Failure() }
            let b = bytes[i]
            i += 1
            if b == 0x22 { break }
            guard b == 0x5C else {
                out.append(b)
                continue
            }
            guard i < bytes.count else { throw Failure() }
            let e = bytes[i]
            i += 1
            switch e {
            case 0x22, 0x5C, 0x2F: out.append(e)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by an escaped low one.
                    guard i + 1 < bytes.count, bytes[i] == 0x5C, bytes[i + 1] == 0x75 else { throw Failure() }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw Failure() }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { throw Failure() }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw Failure()
            }
        }
        return try out.withUnsafeBufferPointer { try Self.text($0) }
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count else { throw Failure() }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt8
            switch b {
            case 0x30...0x39: d = b - 0x30
            case 0x41...0x46: d = b - 0x41 + 10
            case 0x61...0x66: d = b - 0x61 + 10
            default: throw Failure()
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    /// Valid UTF-8 only, as `JSONDecoder` insists.
    private static func text(_ b: UnsafeBufferPointer<UInt8>) throws -> String {
        guard let s = String(validating: b, as: UTF8.self) else { throw Failure() }
        return s
    }

    /// Reads an object, calling `body` with each key, which must read (or `skip`) its value.
    package mutating func object(_ body: (inout JSONCursor, String) throws -> Void) throws {
        try members(open: 0x7B, close: 0x7D) { c in
            let key = try c.string()
            try c.take(0x3A)
            try body(&c, key)
        }
    }

    /// The members of an object or the items of an array, `open` and `close` its brackets,
    /// separated by commas; `member` reads one.
    private mutating func members(open: UInt8, close: UInt8, _ member: (inout JSONCursor) throws -> Void) throws {
        try take(open)
        skipSpace()
        if i < bytes.count, bytes[i] == close {
            i += 1
            return
        }
        while true {
            try member(&self)
            skipSpace()
            guard i < bytes.count else { throw Failure() }
            i += 1
            if bytes[i - 1] == close { return }
            guard bytes[i - 1] == 0x2C else { throw Failure() }
        }
    }

    /// Reads an object whose keys are `fields` (each at most once; others skipped), calling
    /// `body` with each key's index; throws unless every index of `required` was read.
    package mutating func fields(_ fields: [String], required: Int, _ body: (inout JSONCursor, Int) throws -> Void) throws {
        var seen: UInt64 = 0
        try object { c, key in
            guard let n = fields.firstIndex(of: key) else { return try c.skip() }
            guard seen & (1 << n) == 0 else { throw Failure() }
            seen |= 1 << n
            try body(&c, n)
        }
        guard seen & UInt64(required) == UInt64(required) else { throw Failure() }
    }

    /// Reads an array, calling `body` for each item, which must read it.
    package mutating func array(_ body: (inout JSONCursor) throws -> Void) throws {
        try members(open: 0x5B, close: 0x5D, body)
    }

    package mutating func strings() throws -> [String] {
        var out: [String] = []
        try array { out.append(try $0.string()) }
        return out
    }

    /// Reads and drops one value of any kind (numbers of every form included).
    package mutating func skip() throws {
        skipSpace()
        guard i < bytes.count else { throw Failure() }
        switch bytes[i] {
        case 0x7B: try object { c, _ in try c.skip() }
        case 0x5B: try array { try $0.skip() }
        case 0x22: _ = try string()
        case 0x74, 0x66: _ = try bool()
        case 0x6E: guard null() else { throw Failure() }
        default: try number()
        }
    }

    /// A number of any JSON form: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func number() throws {
        func digits() throws {
            let start = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            guard i > start else { throw Failure() }
        }
        if i < bytes.count, bytes[i] == 0x2D { i += 1 }
        guard i < bytes.count else { throw Failure() }
        if bytes[i] == 0x30 { i += 1 } else { try digits() }
        if i < bytes.count, bytes[i] == 0x2E {
            i += 1
            try digits()
        }
        if i < bytes.count, bytes[i] == 0x45 || bytes[i] == 0x65 {
            i += 1
            if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D { i += 1 }
            try digits()
        }
    }
}
