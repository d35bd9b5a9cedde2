import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderPackaging

/// The hand-written readers of the rebuild's JSON files (`JSONCursor`) give what `JSONDecoder`
/// gives, or give up and leave the decision to it.
struct JSONCursorTests {
    /// One value of each kind a reader reads, in the forms `JSONDecoder` accepts.
    @Test(arguments: [
        (#""plain""#, "plain"), (#""a\"b\\c\/d\n\t\r\b\f""#, "a\"b\\c/d\n\t\r\u{8}\u{c}"), (#""\u00e9\u20ac\ud83d\ude00""#, "é€😀"),
        (#""é€😀""#, "é€😀"), (#"  "spaced"  "#, "spaced"),
    ])
    func stringsReadAsTheDecoderReadsThem(json: String, expected: String) throws {
        let data = Data(json.utf8)
        #expect(JSONCursor.read(data) { try $0.string() } == expected)
        #expect(try JSONDecoder().decode(String.self, from: data) == expected)
    }

    /// What the cursor does not read (the decoder then decides): broken or unusual text.
    @Test(arguments: [
        #""unterminated"#, #""bad \x escape""#, #""\ud83d alone""#, "\"tab\tinside\"", #""a" trailing"#, "1.5", "1e3", "01", "-",
        "99999999999999999999", #"{"a": 1, "a": 2}"#, "[1,]", "{\"a\" 1}", "nul",
    ])
    func textItDoesNotReadIsLeftToTheDecoder(json: String) {
        let data = Data(json.utf8)
        let value = JSONCursor.read(data) { c -> String in
            if json.hasPrefix("{") {
                var a = 0
                try c.fields(["a"], required: 1) { c, _ in a = try c.int() }
                return "\(a)"
            }
            if json.hasPrefix("[") {
                var n: [Int] = []
                try c.array { n.append(try $0.int()) }
                return "\(n)"
            }
            if json.hasPrefix("\"") { return try c.string() }
            if json.hasPrefix("n") {
                guard c.null() else { throw JSONCursor.Failure() }
                return "null"
            }
            return "\(try c.int())"
        }
        #expect(value == nil, "\(json) read as \(value ?? "")")
    }

    @Test func skippedValuesOfEveryKindAndInvalidUTF8() throws {
        let json = #"{"skip": {"x": [1, -2.5e+3, 0.25, true, false, null, "s\"", {}, []]}, "keep": 7}"#
        #expect(JSONCursor.read(Data(json.utf8)) { c -> Int in
            var keep = 0
            try c.fields(["skip", "keep"], required: 0b10) { c, n in if n == 0 { try c.skip() } else { keep = try c.int() } }
            return keep
        } == 7)
        let invalid = Data([0x22, 0xC3, 0x28, 0x22])
        #expect(JSONCursor.read(invalid) { try $0.string() } == nil)
        #expect((try? JSONDecoder().decode(String.self, from: invalid)) == nil)
    }

    static func entry(_ n: Int) -> LedgerEntry {
        LedgerEntry(
            path: "track-\(n % 3)/talentlms-\(n)-r\(n).zip", sha256: String(repeating: "ab", count: 32), size: 1000 + n, standard: "SCORM 1.2",
            lms: .talentlms, package: .module, track: "track-\(n % 3)", items: ["r\(n)", "r\(n).assessment"],
            sourceDigest: String(repeating: "cd", count: 32), learners: n % 4 == 0 ? ["ana \"the\" first", "bo/é"] : nil,
            schemasValidated: n % 2 == 0 ? true : (n % 3 == 0 ? nil : false), ladderVersion: n % 5 == 0 ? nil : "0.1.0")
    }

    @Test func aLedgerReadsAsTheDecoderReadsIt() throws {
        let ledger = Ledger(curriculum: "bench", packages: (0..<40).map(Self.entry))
        let written = try PackageBuilder.encode(ledger)
        #expect(Ledger.read(written) == ledger)
        #expect(Ledger.read(written) == (try JSONDecoder().decode(Ledger.self, from: written)))
        // An entry without a required key, or with an LMS Ladder does not know: left to the decoder.
        let text = String(decoding: written, as: UTF8.self)
        #expect(Ledger.read(Data(text.replacingOccurrences(of: "\"source_digest\"", with: "\"source\"").utf8)) == nil)
        #expect(Ledger.read(Data(text.replacingOccurrences(of: "\"talentlms\"", with: "\"blackboard\"").utf8)) == nil)
        #expect(Ledger.read(Data(text.replacingOccurrences(of: "\"format\" : 1", with: "\"format\" : 1, \"extra\" : [1, {}]").utf8)) == ledger)
    }

    @Test func aBuildCacheReadsAsTheDecoderReadsIt() throws {
        var cache = BuildCache(ladderVersion: "0.1.0")
        for n in 0..<30 {
            cache.files["modules/r\(n)/01 \"page\".md"] = .init(
                size: n, mtimeNanoseconds: 1_700_000_000_000_000_000 + Int64(n), inode: UInt64(n) << 40, sha256: "s\(n)", hashedAt: -Int64(n))
            cache.packages["track/p\(n).zip"] = "key\(n)"
        }
        let written = try cache.encoded()
        #expect(BuildCache.read(written) == cache)
        #expect(BuildCache.read(written) == (try JSONDecoder().decode(BuildCache.self, from: written)))
        cache.lastBuild = .init(
            options: "o", files: "f", tracks: ["a", "b"], ledger: OutputStamp(size: 3, inode: 4, mtimeNanoseconds: 5), packages: 6, outputs: "x")
        let withLast = try cache.encoded()
        #expect(BuildCache.read(withLast) == cache)
        #expect(BuildCache.read(withLast) == (try JSONDecoder().decode(BuildCache.self, from: withLast)))
        let folder = try TestSupport.temporaryFolder("ladder-build-cache")
        defer { try? FileManager.default.removeItem(at: folder) }
        try withLast.write(to: folder.appendingPathComponent(BuildCache.fileName))
        #expect(BuildCache.readLastBuild(root: folder.path, version: "0.1.0") == cache.lastBuild)
        #expect(BuildCache.readLastBuild(root: folder.path, version: "0.0.9") == nil)
    }

    @Test func aLoadCacheIsWrittenAsJSONEncoderWritesItAndReadsBack() throws {
        let out = try TestSupport.temporaryFolder("ladder-load-cache-json")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = CurriculumLoader.load(folder: TestSupport.sample.path, jobs: 2, cacheFolder: out)
        var cache = try #require(result.loadCache)
        #expect(cache.pages.count > 50)
        // A page with a diagnostic, no title and a character to escape.
        var odd = try #require(cache.pages.values.first)
        odd.title = nil
        odd.diagnostics = [.init(Diagnostic(.warning, "a/\"b\".md", line: 3, column: 4, "line\none"))]
        cache.pages["odd \"é\".md"] = odd
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let written = try cache.encoded()
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: try encoder.encode(cache), as: UTF8.self))
        #expect(LoadCache.decoded(written) == cache)
        #expect(try JSONDecoder().decode(LoadCache.self, from: written) == cache)
    }
}
