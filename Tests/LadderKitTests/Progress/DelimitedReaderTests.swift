import Foundation
import Testing

@testable import LadderKit

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

    @Test func unclosedQuoteIsAnErrorWithItsLine() throws {
        let p = try temp(Array("a,b\n1,2\n3,\"open\n4,5\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: p) }
        let r = try DelimitedReader(path: p)
        _ = try r.next()
        _ = try r.next()
        #expect(throws: DelimitedFileError(path: p, line: 3, message: "a quoted field is never closed")) { try r.next() }
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
