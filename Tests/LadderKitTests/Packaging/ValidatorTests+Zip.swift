import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// The validator on the zip itself: unreadable archives, unsafe names, bombs, entries that do not read back.
extension ValidatorTests {
    // MARK: The zip and its entries

    @Test func unreadableZip() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("course.zip").path
        try Data("PK\u{03}\u{04} this is not a zip".utf8).write(to: URL(fileURLWithPath: path))
        let r = try PackageValidator(schemasFolder: nil).validate(path: path)
        #expect(!r.valid && Self.codes(r) == ["zip-unreadable"])
        #expect(Self.codes(try PackageValidator(schemasFolder: nil).validate(path: dir.appendingPathComponent("nope.zip").path)) == ["not-found"])
    }

    @Test func manifestMissingOrInASubfolder() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let v = try PackageValidator(schemasFolder: nil)

        let none = v.validate(path: try Self.zip(Self.content, in: dir, name: "none.zip"))
        #expect(Self.codes(none) == ["manifest-missing"])

        var nestedEntries: [String: Data] = [:]
        for (k, d) in Self.validEntries { nestedEntries["course/" + k] = d }
        let nested = v.validate(path: try Self.zip(nestedEntries, in: dir, name: "nested.zip"))
        #expect(Self.codes(nested) == ["manifest-not-at-root"])
        #expect(nested.issues.first?.entry == "course/imsmanifest.xml" && nested.issues.first?.severity == .error)

        // A second manifest below a valid root one is reported, but does not invalidate.
        var extra = Self.validEntries
        extra["old/imsmanifest.xml"] = Data(Self.manifest.utf8)
        let both = v.validate(path: try Self.zip(extra, in: dir, name: "both.zip"))
        #expect(both.valid && both.issues.contains { $0.code == "manifest-not-at-root" && $0.severity == .warning })

        var upper = Self.content
        upper["IMSManifest.xml"] = Data(Self.manifest.utf8)
        let cased = v.validate(path: try Self.zip(upper, in: dir, name: "case.zip"))
        #expect(Self.codes(cased) == ["manifest-missing"] && cased.issues[0].message.contains("case-sensitive"))
    }

    @Test func entriesThatEscapeThePackageAreRejected() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let hostile = ["../evil.txt", "/etc/evil.txt", "sco\\..\\..\\evil.txt", "C:/evil.txt", "sco/../../evil.txt"]
        var entries = Self.validEntries.map { RawZip.Entry(name: $0.key, data: $0.value) }
        entries += hostile.map { RawZip.Entry(name: $0, data: Data("boom".utf8)) }
        let path = dir.appendingPathComponent("evil.zip")
        try RawZip.bytes(entries).write(to: path)
        let r = try PackageValidator(schemasFolder: nil).validate(path: path.path)
        #expect(!r.valid)
        let unsafe = r.issues.filter { $0.code == "unsafe-path" }
        #expect(Set(unsafe.compactMap(\.entry)) == Set(hostile))
        #expect(unsafe.allSatisfy { $0.severity == .error })
        // The manifest is still checked, so every problem shows in one run; an unsafe entry
        // is not reported a second time as undeclared.
        #expect(r.schemaVersion == "1.2")
        #expect(!Self.codes(r).contains("undeclared-file"))
    }

    @Test func duplicateEntryNamesMakeTheZipUnreadable() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var entries = Self.validEntries.map { RawZip.Entry(name: $0.key, data: $0.value) }
        entries.append(RawZip.Entry(name: "sco/index.html", data: Data("<p>other</p>".utf8)))
        let path = dir.appendingPathComponent("dup.zip")
        try RawZip.bytes(entries).write(to: path)
        let r = try PackageValidator(schemasFolder: nil).validate(path: path.path)
        #expect(Self.codes(r) == ["zip-unreadable"] && r.issues[0].message.contains("same name"))
    }

    @Test func symbolicLinksOutOfAPackageFolderAreUnsafe() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.unpack(Self.validEntries, in: dir)
        let outside = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: outside) }
        try Data("secret".utf8).write(to: outside.appendingPathComponent("secret.txt"))
        try FileManager.default.createSymbolicLink(
            at: dir.appendingPathComponent("sco/secret.txt"), withDestinationURL: outside.appendingPathComponent("secret.txt"))
        let r = try PackageValidator(schemasFolder: nil).validate(path: dir.path)
        #expect(!r.valid && r.errors.map(\.code) == ["unsafe-path"] && r.errors[0].entry == "sco/secret.txt")
    }

    @Test(arguments: [
        ("../x", true), ("a/../../x", true), ("/x", true), ("a\\b", true), ("C:/x", true), ("c:x", true),
        ("a/b.html", false), ("a/..b/c", false), ("./a", false), ("ab:c/d", false), ("dir/", false),
    ])
    func unsafeEntryNames(name: String, unsafe: Bool) {
        #expect((PackagePath.escapeReason(name) != nil) == unsafe)
    }

    @Test func macOSLitterIsAWarning() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var entries = Self.validEntries
        entries["__MACOSX/._imsmanifest.xml"] = Data([0])
        entries["__MACOSX/sco/._index.html"] = Data([0])
        entries["sco/.DS_Store"] = Data([0])
        let r = try PackageValidator(schemasFolder: nil).validate(path: try Self.zip(entries, in: dir))
        #expect(r.valid)
        let mac = r.issues.filter { $0.code == "macos-metadata" }
        #expect(Set(mac.compactMap(\.entry)) == ["__MACOSX/", "sco/.DS_Store"] && mac.allSatisfy { $0.severity == .warning })
        #expect(!Self.codes(r).contains("undeclared-file"), "litter is reported once, as litter")
    }

    @Test func namesThatDifferOnlyInCaseCollide() throws {
        let r = try Self.check(Self.manifest, files: Set(Self.content.keys).union(["shared/Ladder.js"]))
        #expect(r.issues.contains { $0.code == "case-collision" && $0.severity == .warning })
    }

    @Test func hugeDeclaredSizesAreRefusedWithoutExtracting() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var entries = Self.validEntries.map { RawZip.Entry(name: $0.key, data: $0.value) }
        // 16 bytes that claim to inflate to 3 GiB: never read, so the bytes need not be deflate.
        entries.append(RawZip.Entry(name: "media/bomb.bin", data: Data(repeating: 0, count: 16), method: 8, declaredSize: 3 << 30))
        let path = dir.appendingPathComponent("bomb.zip")
        try RawZip.bytes(entries).write(to: path)
        let r = try PackageValidator(schemasFolder: nil).validate(path: path.path)
        #expect(!r.valid)
        #expect(Set(Self.codes(r)) == ["zip-bomb-size", "zip-bomb-ratio"], "\(r.issues)")
        #expect(r.issues.first { $0.code == "zip-bomb-ratio" }?.entry == "media/bomb.bin")
        #expect(r.schemaVersion == nil, "the manifest is not even read")
    }

    @Test func highlyCompressibleEntryOverTheRatio() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var entries = Self.validEntries
        entries["media/zeros.bin"] = Data(repeating: 0, count: 2 << 20)  // deflates about 1000:1
        let r = try PackageValidator(schemasFolder: nil).validate(path: try Self.zip(entries, in: dir))
        #expect(Self.codes(r) == ["zip-bomb-ratio"])
        // Under the 1 MiB floor the ratio is not held against an entry.
        entries["media/zeros.bin"] = Data(repeating: 0, count: 1 << 20)
        let small = try PackageValidator(schemasFolder: nil).validate(path: try Self.zip(entries, in: dir, name: "small.zip"))
        #expect(!Self.codes(small).contains("zip-bomb-ratio"))
    }

    @Test func entryCountAndTotalSizeLimits() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.zip(Self.validEntries, in: dir)
        let few = try PackageValidator(schemasFolder: nil, limits: .init(maxEntries: 2)).validate(path: path)
        #expect(Self.codes(few) == ["zip-bomb-entries"])
        let small = try PackageValidator(schemasFolder: nil, limits: .init(maxTotalSize: 100)).validate(path: path)
        #expect(Self.codes(small) == ["zip-bomb-size"])
        #expect(PackageValidator.Limits() == .init(maxTotalSize: 2 << 30, maxCompressionRatio: 200, ratioCheckedAbove: 1 << 20, maxEntries: 65_535))
    }

    @Test func aHostileManifestThatInflatesPastItsLimitIsNotRead() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.zip(Self.validEntries, in: dir)
        let r = try PackageValidator(schemasFolder: nil, limits: .init(maxManifestSize: 64)).validate(path: path)
        #expect(Self.codes(r) == ["manifest-unreadable"])
    }
}

/// Zip bytes written by hand: stored or "deflated" entries whose declared sizes, names and
/// methods are whatever the test says, with consistent local and central headers so that
/// libzip's consistency check (ZIP_CHECKCONS) accepts the archive.
enum RawZip {
    struct Entry {
        var name: String
        var data: Data
        /// 0 stored, 8 deflate (the data is not inflated by these tests, so it need not be real deflate).
        var method: UInt16 = 0
        /// The uncompressed size written in the headers; the data's length when nil.
        var declaredSize: UInt32? = nil
        /// The Unix mode in the central directory's external attributes (0o120777: a symlink).
        var mode: UInt32 = 0o100644
    }

    static func bytes(_ entries: [Entry]) -> Data {
        var out = Data()
        var central = Data()
        for e in entries {
            let offset = UInt32(out.count)
            let name = Data(e.name.utf8)
            let crc = crc32(e.data)
            let size = e.declaredSize ?? UInt32(e.data.count)
            out.append(le32: 0x0403_4b50)
            out.append(le16: 20)
            out.append(le16: 0x0800)  // names are UTF-8
            out.append(le16: e.method)
            out.append(le16: 0)  // time
            out.append(le16: 0x21)  // 1980-01-01
            out.append(le32: crc)
            out.append(le32: UInt32(e.data.count))
            out.append(le32: size)
            out.append(le16: UInt16(name.count))
            out.append(le16: 0)
            out.append(name)
            out.append(e.data)

            central.append(le32: 0x0201_4b50)
            central.append(le16: 0x0314)  // made by Unix, 2.0
            central.append(le16: 20)
            central.append(le16: 0x0800)
            central.append(le16: e.method)
            central.append(le16: 0)
            central.append(le16: 0x21)
            central.append(le32: crc)
            central.append(le32: UInt32(e.data.count))
            central.append(le32: size)
            central.append(le16: UInt16(name.count))
            central.append(le16: 0)  // extra
            central.append(le16: 0)  // comment
            central.append(le16: 0)  // disk
            central.append(le16: 0)  // internal attributes
            central.append(le32: e.mode << 16)
            central.append(le32: offset)
            central.append(name)
        }
        let centralOffset = UInt32(out.count)
        out.append(central)
        out.append(le32: 0x0605_4b50)
        out.append(le16: 0)
        out.append(le16: 0)
        out.append(le16: UInt16(entries.count))
        out.append(le16: UInt16(entries.count))
        out.append(le32: UInt32(central.count))
        out.append(le32: centralOffset)
        out.append(le16: 0)
        return out
    }

    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }
}

extension Data {
    fileprivate mutating func append(le16 v: UInt16) { Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) } }
    fileprivate mutating func append(le32 v: UInt32) { Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) } }
}
