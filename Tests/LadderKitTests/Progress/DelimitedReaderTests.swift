import Foundation
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

@Suite("Progress: streaming CSV reader")
struct DelimitedReaderTests {
    func temp(_ bytes: [UInt8]) throws -> String {
        let p = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-csv-\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    func all(_ r: DelimitedReader) throws -> [DelimitedRecord] {
        var out: [DelimitedRecord] = []
        while let rec = try r.next() { out.append(rec) }
        return out
    }

    @Test func quotesDoubledQuotesCRLFAndBOM() throws {
        let text = "\u{FEFF}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\r\n\"multi\r\nline\",2,3\n\nlast,\"\",z"
        let p = try temp(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: p) }
        let recs = try all(DelimitedReader(path: p))
        #expect(recs.map(\.fields) == [["a", "b", "c"], ["x, y", "say \"hi\"", ""], ["multi\r\nline", "2", "3"], ["last", "", "z"]])
        #expect(recs.map(\.line) == [1, 2, 3, 6])
    }

    @Test func tabDelimiterIsDetected() throws {
        let p = try temp(Array("Name\tEmail address\tAttempt\nAna, S.\ta@x\t1\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: p) }
        let r = try DelimitedReader(path: p)
        #expect(r.delimiter == 9)
        #expect(try all(r).map(\.fields) == [["Name", "Email address", "Attempt"], ["Ana, S.", "a@x", "1"]])
    }

    @Test func unclosedQuoteIsAnErrorAtItsLineAndTheLinesAfterItAreRead() throws {
        let p = try temp(Array("a,b\n1,2\n3,\"open\n4,5\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: p) }
        let r = try DelimitedReader(path: p)
        _ = try r.next()
        _ = try r.next()
        #expect(throws: DelimitedFileError(path: p, line: 3,
                                           message: "a quoted field opened on this line is never closed (or is longer than 64 KiB); reading on from line 4",
                                           recoverable: true)) { try r.next() }
        #expect(try r.next() == DelimitedRecord(line: 4, fields: ["4", "5"]))
        #expect(try r.next() == nil)
    }

    @Test func semicolonUTF16AndWindows1252AreDecoded() throws {
        let text = "Name;Score\n\"Zoë; B.\";85\n"
        let cases: [([UInt8], String)] = [
            (Array(text.utf8), "UTF-8, semicolon-delimited"),
            ([0xFF, 0xFE] + Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, "UTF-16LE with BOM, semicolon-delimited"),
            ([0xFE, 0xFF] + Array(text.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }, "UTF-16BE with BOM, semicolon-delimited"),
            (Array("Name;Score\n\"Zo".utf8) + [0xEB] + Array("; B.\";85\n".utf8), "Windows-1252, semicolon-delimited"),
        ]
        for (bytes, detected) in cases {
            let p = try temp(bytes)
            defer { try? FileManager.default.removeItem(atPath: p) }
            let r = try DelimitedReader(path: p)
            #expect(try all(r).map(\.fields) == [["Name", "Score"], ["Zoë; B.", "85"]], "\(detected)")
            #expect(r.detected == detected)
        }
    }

    @Test func aLastLineWithoutItsLineBreakIsMarked() throws {
        let p = try temp(Array("a,b\n1,2\n3".utf8))
        defer { try? FileManager.default.removeItem(atPath: p) }
        let recs = try all(DelimitedReader(path: p))
        #expect(recs.map(\.terminated) == [true, true, false])
    }

    /// Records that straddle the 1 MiB read chunk come out whole, and the digest covers every byte.
    @Test func recordsAcrossChunkBoundariesAndDigest() throws {
        var text = "id,payload\n"
        var expected: [[String]] = []
        var n = 0
        while text.utf8.count < 3 * (1 << 20) {
            let payload = "line one, \"q\"\r\nline two " + String(repeating: "x", count: n % 997)
            text += "\(n),\"" + payload.replacingOccurrences(of: "\"", with: "\"\"") + "\"\r\n"
            expected.append([String(n), payload])
            n += 1
        }
        let p = try temp(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: p) }
        let r = try DelimitedReader(path: p)
        let recs = try all(r)
        #expect(recs.count == expected.count + 1)
        #expect(Array(recs.dropFirst().map(\.fields)) == expected)
        #expect(recs.last?.line == 1 + 2 * expected.count - 1)
        let h = SHA256Hasher()
        h.update(Data(text.utf8))
        #expect(r.digest() == h.finalize())
    }
}
