import Foundation

/// Text operations the loader runs on every value and page, written on Unicode scalars and
/// UTF-8 bytes. Each gives exactly what the Foundation call it replaces gives; Foundation's
/// versions go through `NSString` and UTF-16 on Linux, and were a fifth of `ladder check`'s
/// CPU time on the benchmark curriculum (docs/benchmark.md, "Loading").
package enum TextScan {
    /// The scalars of `CharacterSet.whitespacesAndNewlines`: tab, line feed, vertical tab,
    /// form feed, carriage return, space, NEL, the other space and line/paragraph separators
    /// (general categories Zs, Zl, Zp) and, as Foundation has it, U+200B ZERO WIDTH SPACE
    /// (a test compares every scalar with Foundation's set).
    @inline(__always)
    static func isWhitespaceOrNewline(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        if v == 0x85 || v == 0x200B { return true }
        switch u.properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// The scalars of `CharacterSet.whitespaces`: tab, the space separators (Zs) and U+200B.
    @inline(__always)
    static func isWhitespace(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v < 0x80 { return v == 0x20 || v == 0x09 }
        return v == 0x200B || u.properties.generalCategory == .spaceSeparator
    }

    /// `s.trimmingCharacters(in: .whitespacesAndNewlines)`; `s` itself when there is nothing to trim.
    package static func trimmed(_ s: String) -> String {
        let u = s.unicodeScalars
        let r = kept(u, isWhitespaceOrNewline)
        if r == u.startIndex..<u.endIndex { return s }
        return String(u[r])
    }

    /// `s.trimmingCharacters(in: .whitespaces)`.
    static func trimmedSpaces(_ s: Substring) -> Substring { s[kept(s.unicodeScalars, isWhitespace)] }

    /// The scalars of `u` left when those `drop` accepts are removed from both ends.
    @inline(__always)
    private static func kept<Scalars: BidirectionalCollection<Unicode.Scalar>>(
        _ u: Scalars, _ drop: (Unicode.Scalar) -> Bool
    ) -> Range<Scalars.Index> {
        var start = u.startIndex
        var end = u.endIndex
        while start < end, drop(u[start]) { u.formIndex(after: &start) }
        while end > start {
            let before = u.index(before: end)
            guard drop(u[before]) else { break }
            end = before
        }
        return start..<end
    }

    /// `s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty`.
    package static func isBlank(_ s: some StringProtocol) -> Bool {
        s.unicodeScalars.allSatisfy(isWhitespaceOrNewline)
    }

    /// Whether `byte` occurs in the UTF-8 of `s` (an ASCII byte cannot be part of a longer
    /// sequence, so this is also whether the character occurs).
    static func containsByte(_ s: String, _ byte: UInt8) -> Bool {
        var s = s
        return s.withUTF8 { $0.contains(byte) }
    }

    /// The byte offset of the first occurrence of `needle` in `text`, comparing bytes; nil when
    /// absent. Equal to Foundation's `range(of:)` when both are ASCII (no canonical equivalents).
    static func byteOffset(of needle: String, in text: String) -> Int? {
        var text = text
        var needle = needle
        return text.withUTF8 { hay in
            needle.withUTF8 { n -> Int? in
                guard !n.isEmpty else { return 0 }
                guard hay.count >= n.count else { return nil }
                let first = n[0]
                var i = 0
                let last = hay.count - n.count
                while i <= last {
                    if hay[i] == first {
                        var k = 1
                        while k < n.count, hay[i + k] == n[k] { k += 1 }
                        if k == n.count { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
    }

    /// True when every byte of `s` is ASCII.
    static func isASCII(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { b in b.allSatisfy { $0 < 0x80 } }
    }
}
