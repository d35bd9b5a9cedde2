import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// Packages built in temporary folders: valid ones with `ZipWriter`, hostile ones byte by byte
/// with `RawZip` (which can write what no zip tool would: `../evil.txt`, absolute names,
/// backslashes, declared sizes that do not match the data).
struct ValidatorTests {
    // MARK: Fixtures

    /// ../shared/conformance/schemas beside the repository, or $LADDER_SCHEMAS.
    static let schemas = TestSupport.schemas

    /// The smallest valid SCORM 1.2 package: one SCO, one organization. Line numbers matter
    /// to the tests (the item is on line 13, the resource on line 20).
    static let manifest = """
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest identifier="com.example.ladder.min" version="1.0"
            xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
            xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <metadata>
            <schema>ADL SCORM</schema>
            <schemaversion>1.2</schemaversion>
          </metadata>
          <organizations default="ORG-1">
            <organization identifier="ORG-1">
              <title>Warehouse safety</title>
              <item identifier="ITEM-1" identifierref="RES-1">
                <title>Forklift basics</title>
                <adlcp:masteryscore>80</adlcp:masteryscore>
              </item>
            </organization>
          </organizations>
          <resources>
            <resource identifier="RES-1" type="webcontent" adlcp:scormtype="sco" href="sco/index.html">
              <file href="sco/index.html"/>
              <file href="shared/ladder.js"/>
            </resource>
          </resources>
        </manifest>

        """

    static let content: [String: Data] = [
        "sco/index.html": Data("<!doctype html><title>Forklift basics</title>".utf8),
        "shared/ladder.js": Data("// runtime".utf8),
    ]

    /// Two SCOs side by side at the top level (what Moodle shows flat).
    static let twoSCOs = """
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest identifier="M" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
          <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
          <organizations default="ORG-1">
            <organization identifier="ORG-1">
              <title>Track</title>
              <item identifier="ITEM-1" identifierref="RES-1"><title>One</title></item>
              <item identifier="ITEM-2" identifierref="RES-2"><title>Two</title></item>
            </organization>
          </organizations>
          <resources>
            <resource identifier="RES-1" type="webcontent" adlcp:scormtype="sco" href="one/index.html"><file href="one/index.html"/></resource>
            <resource identifier="RES-2" type="webcontent" adlcp:scormtype="sco" href="two/index.html"><file href="two/index.html"/></resource>
          </resources>
        </manifest>
        """
    static let twoSCOFiles: Set<String> = ["one/index.html", "two/index.html"]

    static let scorm2004 = """
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest identifier="M" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
          <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
          <organizations default="ORG-1">
            <organization identifier="ORG-1"><title>T</title>
              <item identifier="ITEM-1" identifierref="RES-1"><title>One</title></item>
            </organization>
          </organizations>
          <resources>
            <resource identifier="RES-1" type="webcontent" adlcp:scormType="sco" href="sco/index.html">
              <file href="sco/index.html"/><file href="shared/ladder.js"/>
            </resource>
          </resources>
        </manifest>
        """

    /// `text` with `old` replaced; fails the test when `old` is not there (an edit that silently
    /// does nothing would make a test pass for the wrong reason).
    static func edit(
        _ text: String, _ old: String, _ new: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> String {
        #expect(text.contains(old), "fixture edit did not apply: '\(old)'", sourceLocation: sourceLocation)
        return text.replacingOccurrences(of: old, with: new)
    }

    static func check(
        _ manifest: String, files: Set<String> = Set(content.keys), lms: LMSProfile = .generic
    ) throws -> ValidationReport {
        try PackageValidator(schemasFolder: nil, lms: lms).validate(manifest: Data(manifest.utf8), files: files, label: "test")
    }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-validator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A zip written with libzip, entries in sorted order.
    static func zip(_ entries: [String: Data], in folder: URL, name: String = "package.zip", method: ZipWriter.Method = .deflate) throws -> String {
        let path = folder.appendingPathComponent(name).path
        let w = try ZipWriter(path: path)
        for k in entries.keys.sorted() { try w.add(k, data: entries[k]!, method: method) }
        try w.close()
        return path
    }

    /// The entries written as files under `folder`: a package unpacked into a folder.
    static func unpack(_ entries: [String: Data], in folder: URL) throws {
        for (name, data) in entries {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
    }

    static var validEntries: [String: Data] { content.merging(["imsmanifest.xml": Data(manifest.utf8)]) { a, _ in a } }

    static func codes(_ r: ValidationReport, _ severity: ValidationIssue.Severity? = nil) -> [String] {
        r.issues.filter { severity == nil || $0.severity == severity }.map(\.code)
    }

    // MARK: Valid packages

    @Test func minimalZipIsValidWithOnlyTheSchemaSkippedWarning() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.zip(Self.validEntries, in: dir)
        let r = try PackageValidator(schemasFolder: nil).validate(path: path)
        #expect(r.valid)
        #expect(r.issues == [ValidationIssue(severity: .warning, code: "schema-skipped", message: "schema validation skipped: no schemas given")])
        #expect(r.standard == "SCORM 1.2" && r.schemaVersion == "1.2" && !r.schemaValidated)
        #expect(r.scos == 1 && r.resources == 1 && r.files == 3)
    }

    @Test func packageFolderAndManifestPathAreValidToo() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.unpack(Self.validEntries, in: dir)
        let v = try PackageValidator(schemasFolder: nil)
        for path in [dir.path, dir.appendingPathComponent("imsmanifest.xml").path] {
            let r = v.validate(path: path)
            #expect(r.valid && r.files == 3 && Self.codes(r) == ["schema-skipped"], "\(path): \(r.issues)")
        }
    }

    @Test(.enabled(if: ValidatorTests.schemas != nil, "no SCORM schemas at ../shared/conformance/schemas and no $LADDER_SCHEMAS"))
    func minimalPackagePassesSchemaValidation() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.zip(Self.validEntries, in: dir)
        for lms in LMSProfile.allCases {
            let r = try PackageValidator(schemasFolder: Self.schemas, lms: lms).validate(path: path)
            #expect(r.valid && r.schemaValidated && r.issues.isEmpty, "\(lms): \(r.issues)")
        }
    }

    @Test(.enabled(if: ValidatorTests.schemas != nil, "no SCORM schemas at ../shared/conformance/schemas and no $LADDER_SCHEMAS"))
    func unknownElementInTheContentPackagingNamespaceFailsTheSchema() throws {
        let bad = Self.edit(Self.manifest, "      <title>Warehouse safety</title>\n", "      <title>Warehouse safety</title>\n      <chapter/>\n")
        let r = try PackageValidator(schemasFolder: Self.schemas).validate(manifest: Data(bad.utf8), files: Set(Self.content.keys), label: "t")
        #expect(!r.valid && r.schemaValidated)
        let schema = r.issues.filter { $0.code == "schema" }
        #expect(schema.count >= 1 && Self.codes(r) == Array(repeating: "schema", count: schema.count), "\(r.issues)")
        #expect(schema.first?.line == 13)
        #expect(schema.first?.message.contains("chapter") == true)
    }

    @Test(.enabled(if: ValidatorTests.schemas != nil, "no SCORM schemas at ../shared/conformance/schemas and no $LADDER_SCHEMAS"))
    func aTwoThousandFourManifestIsNotSchemaCheckedAsOnePointTwo() throws {
        let r = try PackageValidator(schemasFolder: Self.schemas).validate(
            manifest: Data(Self.scorm2004.utf8), files: Set(Self.content.keys), label: "t")
        #expect(r.valid && !r.schemaValidated && Self.codes(r) == ["scorm-2004"])
    }

    @Test func schemasFolderThatCannotBeUsedThrows() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        func unusable(_ folder: URL) -> Bool {
            let e = #expect(throws: PackagingError.self) { _ = try PackageValidator(schemasFolder: folder) }
            if case .unusableSchemas = e?.problem { return true }
            return false
        }
        #expect(unusable(dir.appendingPathComponent("missing")))
        #expect(unusable(dir))
        try Data("<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:nonsense/>".utf8)
            .write(to: dir.appendingPathComponent("scorm12.xsd"))
        #expect(unusable(dir))
    }

    // MARK: LMS profiles

    @Test func moodleWarnsWhenSCOsSitFlatAtTheTopLevel() throws {
        let flat = try Self.check(Self.twoSCOs, files: Self.twoSCOFiles, lms: .moodle)
        #expect(flat.valid && flat.scos == 2 && flat.warnings.map(\.code).contains("moodle-flat-toc"))
        #expect(!Self.codes(try Self.check(Self.twoSCOs, files: Self.twoSCOFiles)).contains("moodle-flat-toc"), "Moodle only")
        let wrapped = Self.edit(
            Self.edit(Self.twoSCOs, "<title>Track</title>\n", "<title>Track</title>\n<item identifier=\"ROOT\"><title>Track</title>\n"),
            "    </organization>", "</item></organization>")
        #expect(!Self.codes(try Self.check(wrapped, files: Self.twoSCOFiles, lms: .moodle)).contains("moodle-flat-toc"))
    }

    @Test func talentLMSTakesExactlyOneSCO() throws {
        let two = try Self.check(Self.twoSCOs, files: Self.twoSCOFiles, lms: .talentlms)
        #expect(!two.valid && two.errors.map(\.code) == ["talentlms-sco-count"])
        #expect(try Self.check(Self.twoSCOs, files: Self.twoSCOFiles).valid, "fine elsewhere")
        #expect(try Self.check(Self.manifest, lms: .talentlms).valid)
        let asset = try Self.check(Self.edit(Self.manifest, "scormtype=\"sco\"", "scormtype=\"asset\""), lms: .talentlms)
        #expect(asset.valid && asset.warnings.map(\.code).contains("talentlms-sco-count"))
    }

    // MARK: Reports

    @Test func reportsEncodeAndDecode() throws {
        let r = try Self.check(Self.edit(Self.manifest, "default=\"ORG-1\"", "default=\"ORG-2\""))
        let data = try JSONEncoder().encode(r)
        let back = try JSONDecoder().decode(ValidationReport.self, from: data)
        #expect(back.issues == r.issues && back.valid == r.valid && back.path == "test")
    }
}
