import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// A valid package written by libzip, then damaged byte by byte the ways a failed copy or a
/// hostile sender damages a zip: the central directory still lists every entry with plausible
/// sizes, so only reading every byte finds it.
struct DamagedZipTests {
    /// The valid package: a deflated page and a stored image beside the manifest.
    static let page = Data(String(repeating: "<p>Lift with your legs, not your back.</p>\n", count: 200).utf8)
    static let image = Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })

    static func validZip(in folder: URL) throws -> (path: String, bytes: Data) {
        var entries = ValidatorTests.validEntries
        entries["sco/index.html"] = page
        entries["sco/photo.png"] = image
        let manifest = ValidatorTests.edit(
            ValidatorTests.manifest, "<file href=\"shared/ladder.js\"/>", "<file href=\"shared/ladder.js\"/><file href=\"sco/photo.png\"/>")
        entries["imsmanifest.xml"] = Data(manifest.utf8)
        let path = folder.appendingPathComponent("package.zip").path
        let w = try ZipWriter(path: path)
        for k in entries.keys.sorted() { try w.add(k, data: entries[k]!, method: k.hasSuffix(".png") ? .store : .deflate) }
        try w.close()
        return (path, try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Where an entry's local header and its data start, read from the zip's own headers.
    static func local(_ name: String, in zip: Data) throws -> (header: Int, data: Int) {
        let bytes = [UInt8](zip)
        func le16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        var i = 0
        while i + 30 <= bytes.count {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 3, bytes[i + 3] == 4 {
                let nameLength = le16(i + 26)
                let extraLength = le16(i + 28)
                if String(decoding: bytes[(i + 30)..<(i + 30 + nameLength)], as: UTF8.self) == name {
                    return (i, i + 30 + nameLength + extraLength)
                }
            }
            i += 1
        }
        throw Failure("no local header for \(name)")
    }

    /// Writes a new uncompressed size for `name` into its local header and its central
    /// directory record, so the two still agree (libzip's consistency check compares them).
    static func declare(_ size: UInt32, for name: String, in zip: Data) throws -> Data {
        var out = zip
        let header = try local(name, in: zip).header
        out.replaceSubrange((header + 22)..<(header + 26), with: withUnsafeBytes(of: size.littleEndian, Array.init))
        let bytes = [UInt8](zip)
        let nameBytes = Array(name.utf8)
        for i in 0..<(bytes.count - 46) where bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 1 && bytes[i + 3] == 2 {
            if Array(bytes[(i + 46)..<min(bytes.count, i + 46 + nameBytes.count)]) == nameBytes {
                out.replaceSubrange((i + 24)..<(i + 28), with: withUnsafeBytes(of: size.littleEndian, Array.init))
                return out
            }
        }
        throw Failure("no central directory record for \(name)")
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ s: String) { description = s }
    }

    static func validate(_ bytes: Data, in folder: URL, name: String) throws -> ValidationReport {
        let url = folder.appendingPathComponent(name)
        try bytes.write(to: url)
        return try PackageValidator(schemasFolder: nil).validate(path: url.path)
    }

    static func errors(_ r: ValidationReport) -> [String] { r.errors.map(\.code) }

    @Test func theUndamagedZipIsValid() throws {
        let dir = try ValidatorTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (path, _) = try Self.validZip(in: dir)
        let r = try PackageValidator(schemasFolder: nil).validate(path: path)
        #expect(r.valid && r.errors.isEmpty, "\(r.issues)")
        #expect(r.files == 4)
    }

    @Test func aChangedByteInStoredDataIsACRCMismatch() throws {
        let dir = try ValidatorTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = try Self.validZip(in: dir).bytes
        let data = try Self.local("sco/photo.png", in: bytes).data
        #expect(bytes[data] == Self.image[0], "the stored image starts where its local header says")
        bytes[data + 100] ^= 0x01
        let r = try Self.validate(bytes, in: dir, name: "crc.zip")
        #expect(!r.valid)
        #expect(Self.errors(r) == ["entry-crc-mismatch"])
        #expect(r.errors.first?.entry == "sco/photo.png")
        #expect(
            r.errors.first?.message
                == "'sco/photo.png' is damaged: its bytes do not match the CRC-32 checksum the zip records for it; the zip was changed or cut after it was written (a failed copy, upload or download): make or download it again"
        )
    }

    @Test func deflateDataThatDoesNotInflateIsCorrupt() throws {
        let dir = try ValidatorTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = try Self.validZip(in: dir).bytes
        let data = try Self.local("sco/index.html", in: bytes).data
        // Block type 11 (bits 1-2 of the first byte) is reserved: no inflater accepts it.
        bytes[data] |= 0b110
        let r = try Self.validate(bytes, in: dir, name: "deflate.zip")
        #expect(!r.valid)
        #expect(Self.errors(r) == ["entry-corrupt-data"])
        #expect(r.errors.first?.entry == "sco/index.html")
        #expect(r.errors.first?.message.hasPrefix("'sco/index.html' is damaged: its compressed data does not inflate (") == true, "\(r.errors)")
    }

    @Test func anEntryThatHoldsLessThanItDeclaresIsDamaged() throws {
        let dir = try ValidatorTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = try Self.declare(UInt32(Self.page.count + 500), for: "sco/index.html", in: try Self.validZip(in: dir).bytes)
        let r = try Self.validate(bytes, in: dir, name: "short.zip")
        #expect(Self.errors(r) == ["entry-size-mismatch"])
        #expect(r.errors.first?.message.hasPrefix("'sco/index.html' is damaged: it declares \(Self.page.count + 500) bytes but holds \(Self.page.count);") == true)
    }

    @Test func anEntryThatInflatesPastItsDeclaredSizeIsDamagedAndNotReadFurther() throws {
        let dir = try ValidatorTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = try Self.declare(100, for: "sco/index.html", in: try Self.validZip(in: dir).bytes)
        let r = try Self.validate(bytes, in: dir, name: "long.zip")
        #expect(Self.errors(r) == ["entry-size-mismatch"])
        #expect(r.errors.first?.message.hasPrefix("'sco/index.html' is damaged: it declares 100 bytes but inflates to more (reading stopped there);") == true)
    }

    @Test func aStoredEntryWhoseSizesDisagreeIsDamaged() throws {
        let dir = try ValidatorTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = try Self.declare(UInt32(Self.image.count - 1), for: "sco/photo.png", in: try Self.validZip(in: dir).bytes)
        let r = try Self.validate(bytes, in: dir, name: "stored.zip")
        #expect(Self.errors(r) == ["entry-size-mismatch"])
    }

    @Test func aDamagedManifestIsReportedAsDamageNotAsBadXML() throws {
        let dir = try ValidatorTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = try Self.validZip(in: dir).bytes
        bytes[try Self.local("imsmanifest.xml", in: bytes).data] |= 0b110
        let r = try Self.validate(bytes, in: dir, name: "manifest.zip")
        #expect(Self.errors(r) == ["entry-corrupt-data"])
        #expect(r.schemaVersion == nil, "a damaged manifest is not parsed")
    }

    /// The preview and every other reader go through the same stream: damage is an error there too.
    @Test func readingADamagedEntryThrows() throws {
        let dir = try ValidatorTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = try Self.validZip(in: dir).bytes
        bytes[try Self.local("sco/photo.png", in: bytes).data + 5] ^= 0x80
        let url = dir.appendingPathComponent("read.zip")
        try bytes.write(to: url)
        let contents = try PackageContents(zipPath: url.path)
        #expect(throws: ZipEntryError.self) { try contents.read("sco/photo.png") }
        #expect(try contents.read("sco/index.html") == Self.page)
    }
}

/// What the schema validator cannot do comes out as what to change, not as libxml2 internals.
struct SchemaMessageTests {
    @Test(.enabled(if: ValidatorTests.schemas != nil, "no SCORM schemas at ../shared/conformance/schemas or $LADDER_SCHEMAS"))
    func anEntityReferenceIsExplainedNotAnInternalError() throws {
        let manifest = ValidatorTests.edit(
            ValidatorTests.edit(ValidatorTests.manifest, "<manifest identifier", "<!DOCTYPE manifest [<!ENTITY co \"Example Co\">]>\n<manifest identifier"),
            "<title>Warehouse safety</title>", "<title>&co; safety</title>")
        let r = try PackageValidator(schemasFolder: ValidatorTests.schemas)
            .validate(manifest: Data(manifest.utf8), files: Set(ValidatorTests.content.keys), label: "test")
        #expect(!r.issues.contains { $0.message.contains("xmlSchema") || $0.message.contains("Internal error") }, "\(r.issues)")
        let issue = try #require(r.errors.first { $0.code == "entity-reference" }, "\(r.issues)")
        #expect(issue.line == 13)
        #expect(
            issue.message
                == "the manifest uses an entity reference (&name;) defined in its DOCTYPE: Ladder does not expand entities (a defence against XXE), the schema cannot be checked through them, and LMS importers differ on them; write the characters out instead"
        )
    }

    @Test func otherInternalErrorsLoseTheFunctionName() {
        let (code, text) = PackageValidator.translateSchemaMessage("Internal error: xmlSchemaValidateElem, calling something failed.")
        #expect(code == "schema")
        #expect(text == "the XML Schema validator could not check this part of the manifest: calling something failed.")
        #expect(PackageValidator.translateSchemaMessage("Element 'x': This element is not expected.") == ("schema", "Element 'x': This element is not expected."))
    }
}
