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
        for (k, v) in Self.validEntries {
            let url = dir.appendingPathComponent(k)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try v.write(to: url)
        }
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
        for (k, v) in Self.validEntries {
            let url = dir.appendingPathComponent(k)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try v.write(to: url)
        }
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

    // MARK: The manifest document

    @Test func notWellFormedReportsTheLine() throws {
        let r = try Self.check(Self.edit(Self.manifest, "<title>Forklift basics</title>", "<title>Forklift basics</titel>"))
        #expect(Self.codes(r) == ["not-well-formed"])
        #expect(r.issues[0].line == 14)
    }

    @Test func rootElementAndNamespace() throws {
        #expect(Self.codes(try Self.check("<html/>")) == ["not-a-manifest"])
        let noNamespace = Self.edit(Self.manifest, "xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\"", "")
        #expect(Self.codes(try Self.check(noNamespace)) == ["manifest-namespace"])
    }

    @Test func scorm2004IsAWarningForGenericAndMoodleAndAnErrorForTalentLMS() throws {
        let generic = try Self.check(Self.scorm2004)
        #expect(generic.valid && generic.standard == "SCORM 2004" && generic.schemaVersion == "2004 4th Edition")
        #expect(generic.issues.map(\.code) == ["scorm-2004"] && generic.issues[0].severity == .warning)
        #expect(generic.issues[0].message.hasPrefix("SCORM 2004 manifest (schemaversion '2004 4th Edition'), not checked as SCORM 1.2"))
        let moodle = try Self.check(Self.scorm2004, lms: .moodle)
        #expect(moodle.valid && moodle.warnings.map(\.code).contains("scorm-2004"), "Moodle imports SCORM 2004, partly supported")
        let talent = try Self.check(Self.scorm2004, lms: .talentlms)
        #expect(!talent.valid && talent.errors.map(\.code) == ["scorm-2004"], "TalentLMS takes SCORM 1.2 only")
        // Structure is still checked.
        let broken = try Self.check(Self.edit(Self.scorm2004, "identifierref=\"RES-1\"", "identifierref=\"RES-9\""))
        #expect(broken.errors.map(\.code).first == "unresolved-identifierref")
    }

    @Test func metadataSchemaAndVersion() throws {
        let noMetadata = Self.edit(
            Self.manifest, "    <schema>ADL SCORM</schema>\n    <schemaversion>1.2</schemaversion>\n", "")
        let r = try Self.check(noMetadata)
        #expect(r.valid && Self.codes(r) == ["metadata-schema", "metadata-schemaversion", "schema-skipped"])
        #expect(r.schemaVersion == nil && r.standard == "SCORM 1.2")

        let talent = try Self.check(noMetadata, lms: .talentlms)
        #expect(!talent.valid && talent.errors.map(\.code) == ["talentlms-schemaversion"])

        let wrong = try Self.check(Self.edit(Self.manifest, "<schemaversion>1.2<", "<schemaversion>CAM 1.3<"))
        #expect(wrong.errors.map(\.code) == ["metadata-schemaversion"] && wrong.issues[0].line == 8)
        let name = try Self.check(Self.edit(Self.manifest, "ADL SCORM", "IMS Content"))
        #expect(name.valid && name.warnings.map(\.code) == ["metadata-schema", "schema-skipped"])
    }

    // MARK: Identifiers and references

    @Test func identifiersAreUniqueAcrossOrganizationsItemsAndResources() throws {
        let r = try Self.check(Self.edit(Self.manifest, "identifier=\"RES-1\" type", "identifier=\"ITEM-1\" type"))
        let dup = r.issues.filter { $0.code == "duplicate-identifier" }
        #expect(dup.count == 1 && dup[0].line == 20 && dup[0].message.contains("line 13"))
        // The item's reference now dangles too.
        #expect(r.errors.map(\.code).contains("unresolved-identifierref"))
    }

    @Test func identifiersMustBePresentAndXMLNames() throws {
        let missing = try Self.check(Self.edit(Self.manifest, "<item identifier=\"ITEM-1\" ", "<item "))
        #expect(missing.errors.map(\.code) == ["missing-identifier"] && missing.errors[0].line == 13)
        let invalid = try Self.check(Self.edit(Self.manifest, "\"ORG-1\"", "\"1 ORG\""))
        #expect(invalid.errors.map(\.code) == ["invalid-identifier"])
    }

    @Test func defaultOrganizationMustResolve() throws {
        let r = try Self.check(Self.edit(Self.manifest, "default=\"ORG-1\"", "default=\"ORG-2\""))
        #expect(r.errors.map(\.code) == ["unknown-default-organization"] && r.errors[0].line == 10)
        let item = try Self.check(Self.edit(Self.manifest, "default=\"ORG-1\"", "default=\"ITEM-1\""))
        #expect(item.errors.map(\.code) == ["unknown-default-organization"])
    }

    @Test func itemReferencesMustNameAResource() throws {
        let unknown = try Self.check(Self.edit(Self.manifest, "identifierref=\"RES-1\"", "identifierref=\"RES-2\""))
        #expect(unknown.errors.map(\.code).first == "unresolved-identifierref" && unknown.errors[0].line == 13)
        let toItem = try Self.check(Self.edit(Self.manifest, "identifierref=\"RES-1\"", "identifierref=\"ORG-1\""))
        #expect(toItem.errors.map(\.code).first == "identifierref-not-resource")
        // With no launchable item left, the package has nothing to play.
        #expect(unknown.errors.map(\.code).contains("no-launchable-item"))
    }

    @Test func dependenciesMustResolve() throws {
        let r = try Self.check(Self.edit(Self.manifest, "      <file href=\"shared/ladder.js\"/>\n", "      <file href=\"shared/ladder.js\"/>\n      <dependency identifierref=\"RES-SHARED\"/>\n"))
        #expect(r.errors.map(\.code) == ["unresolved-dependency"] && r.errors[0].line == 23)
    }

    @Test func organizationsAndLaunchableItems() throws {
        let noOrg = Self.edit(
            Self.manifest,
            String(Self.manifest[Self.manifest.range(of: "    <organization identifier")!.lowerBound..<Self.manifest.range(of: "  </organizations>")!.lowerBound]),
            "")
        #expect(try Self.check(Self.edit(noOrg, " default=\"ORG-1\"", "")).errors.map(\.code) == ["no-organization"])
        let noLaunch = try Self.check(Self.edit(Self.manifest, " identifierref=\"RES-1\"", ""))
        #expect(noLaunch.errors.map(\.code) == ["no-launchable-item"])
    }

    @Test func itemTitlesMustNotBeEmpty() throws {
        let r = try Self.check(Self.edit(Self.manifest, "<title>Forklift basics</title>", "<title>  </title>"))
        #expect(r.errors.map(\.code) == ["empty-title"] && r.errors[0].line == 13)
    }

    // MARK: Resources

    @Test(arguments: ["SCO", "Asset", "lesson"])
    func scormTypeIsScoOrAssetCaseSensitive(_ value: String) throws {
        let r = try Self.check(Self.edit(Self.manifest, "adlcp:scormtype=\"sco\"", "adlcp:scormtype=\"\(value)\""))
        #expect(r.errors.map(\.code) == ["bad-scormtype"] && r.errors[0].line == 20)
        #expect(r.errors[0].message.contains("case-sensitive") == (value != "lesson"))
    }

    @Test func scormTypeSpellingAndNamespace() throws {
        let camel = try Self.check(Self.edit(Self.manifest, "adlcp:scormtype=", "adlcp:scormType="))
        #expect(camel.errors.map(\.code) == ["bad-scormtype"] && camel.errors[0].message.contains("SCORM 2004"))
        let bare = try Self.check(Self.edit(Self.manifest, "adlcp:scormtype=", "scormtype="))
        #expect(bare.errors.map(\.code) == ["bad-scormtype"])
        let none = try Self.check(Self.edit(Self.manifest, "adlcp:scormtype=\"sco\" ", ""))
        #expect(none.valid && none.warnings.map(\.code).contains("missing-scormtype") && none.scos == 0)
    }

    @Test func launchedResourcesNeedAnHref() throws {
        let r = try Self.check(Self.edit(Self.manifest, " href=\"sco/index.html\">", ">"))
        #expect(r.errors.map(\.code).contains("missing-href"))
    }

    @Test(arguments: [
        ("/sco/index.html", "absolute path"), ("../sco/index.html", "outside the package"),
        ("sco/../../index.html", "outside the package"), ("file:///etc/passwd", "'file:' scheme"),
        ("javascript:alert(1)", "'javascript:' scheme"), ("sco\\index.html", "backslash"), ("C:/sco/index.html", "drive letter"),
    ])
    func hrefsMustBeRelativeAndStayInside(href: String, why: String) throws {
        let r = try Self.check(Self.edit(Self.manifest, "href=\"sco/index.html\">", "href=\"\(href)\">"))
        let bad = r.issues.filter { $0.code == "bad-href" }
        #expect(bad.count == 1 && bad[0].message.contains(why) && bad[0].line == 20, "\(r.issues)")
    }

    @Test func externalURLsAreNotChecked() throws {
        let r = try Self.check(Self.edit(Self.manifest, "href=\"sco/index.html\">", "href=\"https://example.com/course?x=1\">"))
        #expect(r.valid && Self.codes(r) == ["schema-skipped"])
    }

    @Test func everyReferencedFileMustBeInThePackageCaseSensitively() throws {
        let r = try Self.check(Self.manifest, files: ["sco/Index.html", "shared/ladder.js"])
        let missing = r.issues.filter { $0.code == "missing-file" }
        #expect(missing.count == 1, "reported once though both the href and a <file> name it: \(r.issues)")
        #expect(missing[0].entry == "sco/index.html" && missing[0].line == 20 && missing[0].message.contains("'sco/Index.html'"))
        let gone = try Self.check(Self.manifest, files: ["sco/index.html"])
        #expect(gone.errors.map(\.code) == ["missing-file"] && gone.errors[0].line == 22)
    }

    @Test func xmlBaseQueriesFragmentsAndPercentEscapesResolve() throws {
        var m = Self.edit(Self.manifest, "href=\"sco/index.html\">", "xml:base=\"sco/\" href=\"my%20page.html?lesson=1#top\">")
        m = Self.edit(m, "<file href=\"sco/index.html\"/>", "<file href=\"my page.html\"/>")
        m = Self.edit(m, "<file href=\"shared/ladder.js\"/>", "<file href=\"../shared/ladder.js\"/>")
        let r = try Self.check(m, files: ["sco/my page.html", "shared/ladder.js"])
        #expect(r.valid && Self.codes(r) == ["schema-skipped", "xml-base"], "\(r.issues)")
        // The base is not ignored: without the folder the files are missing.
        let flat = try Self.check(m, files: ["my page.html", "shared/ladder.js"])
        #expect(flat.errors.map(\.code) == ["missing-file"] && flat.errors[0].entry == "sco/my page.html")
        let outer = try Self.check(Self.edit(m, "<resources>", "<resources xml:base=\"../\">"), files: ["sco/my page.html", "shared/ladder.js"])
        #expect(outer.errors.map(\.code).contains("bad-href"))
    }

    // MARK: What third-party importers get wrong (Tests/peers/edge_cases.py)

    @Test func symbolicLinkEntriesAreUnsafe() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let manifest = Self.edit(Self.manifest, "<file href=\"shared/ladder.js\"/>", "<file href=\"shared/ladder.js\"/><file href=\"sco/passwd\"/>")
        var entries = Self.validEntries.sorted { $0.key < $1.key }.map {
            RawZip.Entry(name: $0.key, data: $0.key == "imsmanifest.xml" ? Data(manifest.utf8) : $0.value)
        }
        // What `zip --symlinks` writes: the link target as the data, S_IFLNK in the mode.
        entries.append(RawZip.Entry(name: "sco/passwd", data: Data("/etc/passwd".utf8), mode: 0o120777))
        let path = dir.appendingPathComponent("links.zip")
        try RawZip.bytes(entries).write(to: path)
        let reader = try ZipReader(path: path.path)
        #expect(reader.entries.filter(\.isSymbolicLink).map(\.name) == ["sco/passwd"])
        let r = try PackageValidator(schemasFolder: nil).validate(path: path.path)
        #expect(!r.valid)
        #expect(r.errors.map(\.code) == ["unsafe-path"] && r.errors.first?.entry == "sco/passwd", "\(r.issues)")
        // The same package with a regular file there is valid: the mode alone decides.
        entries = entries.map { $0.name == "sco/passwd" ? RawZip.Entry(name: $0.name, data: $0.data) : $0 }
        try RawZip.bytes(entries).write(to: path)
        let plain = try PackageValidator(schemasFolder: nil).validate(path: path.path)
        #expect(plain.valid && Self.codes(plain) == ["schema-skipped"], "\(plain.issues)")
    }

    @Test func xmlBaseIsAWarningAndUnderMoodleAnErrorOffResource() throws {
        var m = Self.edit(Self.manifest, "href=\"sco/index.html\">", "xml:base=\"sco/\" href=\"index.html\">")
        m = Self.edit(m, "<file href=\"sco/index.html\"/>", "<file href=\"index.html\"/>")
        m = Self.edit(m, "<file href=\"shared/ladder.js\"/>", "<file href=\"../shared/ladder.js\"/>")
        for lms in LMSProfile.allCases {
            let r = try Self.check(m, lms: lms)
            #expect(r.valid && r.warnings.filter { $0.code == "xml-base" }.map(\.line) == [20], "\(lms): \(r.issues)")
            #expect(r.warnings.first { $0.code == "xml-base" }?.message.contains("ignore xml:base") == true)
        }
        // On <resources> or <manifest> (reported at the end of its start tag, as libxml2 counts), Moodle
        // does not apply it: an error there; elsewhere a warning.
        var outer = Self.edit(Self.manifest, "<resources>", "<resources xml:base=\"./\">")
        outer = Self.edit(outer, "<manifest identifier", "<manifest xml:base=\"./\" identifier")
        let moodle = try Self.check(outer, lms: .moodle)
        #expect(!moodle.valid && moodle.errors.map(\.code) == ["xml-base", "xml-base"] && moodle.errors.map(\.line) == [5, 19], "\(moodle.issues)")
        for lms in [LMSProfile.generic, .talentlms] {
            let r = try Self.check(outer, lms: lms)
            #expect(r.valid && r.warnings.filter { $0.code == "xml-base" }.count == 2, "\(lms): \(r.issues)")
        }
        #expect(!Self.codes(try Self.check(Self.manifest, lms: .moodle)).contains("xml-base"))
    }

    @Test func launchResourceMustBeListedFirst() throws {
        let asset =
            "<resource identifier=\"RES-ASSET\" type=\"webcontent\" adlcp:scormtype=\"asset\" href=\"shared/ladder.js\"><file href=\"shared/ladder.js\"/></resource>\n"
        let m = Self.edit(Self.manifest, "      <file href=\"shared/ladder.js\"/>\n", "")
        let after = try Self.check(Self.edit(m, "  </resources>", asset + "  </resources>"))
        #expect(after.valid && Self.codes(after) == ["schema-skipped"], "\(after.issues)")
        let r = try Self.check(Self.edit(m, "<resources>\n", "<resources>\n" + asset))
        #expect(r.valid && r.warnings.map(\.code) == ["schema-skipped", "launch-resource-not-first"], "\(r.issues)")
        let w = try #require(r.warnings.first { $0.code == "launch-resource-not-first" })
        #expect(w.line == 20 && w.message.contains("'RES-ASSET'") && w.message.contains("'RES-1'") && w.message.contains("'ITEM-1'"))
        // A second SCO listed before the first item's resource is just as wrong.
        let one = "<resource identifier=\"RES-1\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"one/index.html\"><file href=\"one/index.html\"/></resource>"
        let two = "<resource identifier=\"RES-2\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"two/index.html\"><file href=\"two/index.html\"/></resource>"
        let swapped = Self.edit(Self.twoSCOs, one + "\n    " + two, two + "\n    " + one)
        #expect(Self.codes(try Self.check(swapped, files: Self.twoSCOFiles)).contains("launch-resource-not-first"))
        #expect(!Self.codes(try Self.check(Self.twoSCOs, files: Self.twoSCOFiles)).contains("launch-resource-not-first"))
    }

    @Test func defaultOrganizationShouldBeFirst() throws {
        let second =
            "    </organization>\n    <organization identifier=\"ORG-2\"><title>Other</title>"
            + "<item identifier=\"ITEM-2\" identifierref=\"RES-1\"><title>Again</title></item></organization>\n"
        let m = Self.edit(Self.manifest, "    </organization>\n", second)
        let first = try Self.check(m)
        #expect(first.valid && Self.codes(first) == ["schema-skipped"], "\(first.issues)")
        let r = try Self.check(Self.edit(m, "default=\"ORG-1\"", "default=\"ORG-2\""))
        #expect(r.valid && r.warnings.map(\.code) == ["schema-skipped", "default-organization-not-first"], "\(r.issues)")
        let w = try #require(r.warnings.last)
        #expect(w.line == 10 && w.message.contains("'ORG-2'") && w.message.contains("'ORG-1'"))
    }

    @Test func moodleNeedsTheLiteralAdlcpPrefix() throws {
        let m = Self.edit(Self.manifest, "xmlns:adlcp=", "xmlns:adl=").replacingOccurrences(of: "adlcp:", with: "adl:")
        #expect(m.contains("adl:scormtype=\"sco\"") && m.contains("<adl:masteryscore>"))
        let moodle = try Self.check(m, lms: .moodle)
        #expect(!moodle.valid && moodle.errors.map(\.code) == ["moodle-adlcp-prefix"], "\(moodle.issues)")
        // Reported once, at the first use (the masteryscore on line 15), naming the prefix.
        #expect(moodle.errors.first?.line == 15 && moodle.errors.first?.message.contains("'adl'") == true)
        // Still a SCO to a namespace-aware reader.
        #expect(moodle.scos == 1)
        let generic = try Self.check(m)
        #expect(generic.valid && generic.warnings.map(\.code) == ["schema-skipped", "moodle-adlcp-prefix"], "\(generic.issues)")
        // The usual prefix, and Moodle's case-folded spelling of it, are fine.
        #expect(!Self.codes(try Self.check(Self.manifest, lms: .moodle)).contains("moodle-adlcp-prefix"))
        let upper = Self.edit(Self.manifest, "xmlns:adlcp=", "xmlns:ADLCP=").replacingOccurrences(of: "adlcp:", with: "ADLCP:")
        let u = try Self.check(upper, lms: .moodle)
        #expect(u.valid && !Self.codes(u).contains("moodle-adlcp-prefix"), "\(u.issues)")
    }

    @Test func filesNoFileElementDeclaresAreWarnings() throws {
        let files = Set(Self.content.keys).union(["notes/draft.txt", "imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "ims_xml.xsd", "schemas/x.xsd"])
        let r = try Self.check(Self.manifest, files: files)
        #expect(r.valid)
        let undeclared = r.issues.filter { $0.code == "undeclared-file" }
        #expect(undeclared.compactMap(\.entry) == ["notes/draft.txt", "schemas/x.xsd"])
        #expect(undeclared.allSatisfy { $0.severity == .warning })
    }

    // MARK: SCORM 1.2 item extensions

    @Test(arguments: ["120", "-1", "abc", "", "1e2", "eighty"])
    func masteryScoreOutOfRange(_ value: String) throws {
        let r = try Self.check(Self.edit(Self.manifest, "<adlcp:masteryscore>80<", "<adlcp:masteryscore>\(value)<"))
        #expect(r.errors.map(\.code) == ["bad-masteryscore"] && r.errors[0].line == 15)
    }

    @Test(arguments: ["0", "100", "72.5", " 80 "])
    func masteryScoreInRange(_ value: String) throws {
        let r = try Self.check(Self.edit(Self.manifest, "<adlcp:masteryscore>80<", "<adlcp:masteryscore>\(value)<"))
        #expect(r.valid)
    }

    /// Three items in one organization, a fourth in another; ITEM-3 carries the prerequisites.
    static func prerequisites(_ expression: String, type: String = "aicc_script") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest identifier="M" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
          <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
          <organizations default="ORG-1">
            <organization identifier="ORG-1">
              <title>Track</title>
              <item identifier="ROOT"><title>Track</title>
                <item identifier="ITEM-1" identifierref="RES-1"><title>One</title></item>
                <item identifier="ITEM-2" identifierref="RES-1"><title>Two</title></item>
                <item identifier="ITEM-3" identifierref="RES-1"><title>Three</title>
                  <adlcp:prerequisites type="\(type)">\(expression)</adlcp:prerequisites>
                </item>
              </item>
            </organization>
            <organization identifier="ORG-2"><title>Other</title>
              <item identifier="ITEM-4" identifierref="RES-1"><title>Four</title></item>
            </organization>
          </organizations>
          <resources>
            <resource identifier="RES-1" type="webcontent" adlcp:scormtype="sco" href="sco/index.html"><file href="sco/index.html"/><file href="shared/ladder.js"/></resource>
          </resources>
        </manifest>
        """
    }

    @Test(arguments: [
        "ITEM-1", "ITEM-1 &amp; ITEM-2", "ITEM-1 | ~ITEM-2", "(ITEM-1 &amp; ITEM-2) | ROOT", "2*{ITEM-1, ITEM-2, ROOT}",
        "ITEM-1 = \"passed\"", "ITEM-2 &lt;&gt; failed", "ITEM-1 = not attempted", "~(ITEM-1 | 1*{ITEM-2})",
    ])
    func prerequisitesThatParse(_ expression: String) throws {
        let r = try Self.check(Self.prerequisites(expression))
        #expect(r.valid && Self.codes(r) == ["schema-skipped"], "\(expression): \(r.issues)")
    }

    @Test(arguments: [
        "ITEM-1 &amp;", "(ITEM-1 | ITEM-2", "ITEM-1 ITEM-2", "3*{ITEM-1, ITEM-2}", "2*ITEM-1", "ITEM-1 = done", "&amp; ITEM-1",
        "ITEM-1 &gt; ITEM-2", "", "ITEM-3",
    ])
    func prerequisitesThatDoNotParse(_ expression: String) throws {
        let r = try Self.check(Self.prerequisites(expression))
        #expect(r.errors.map(\.code) == ["bad-prerequisites"] && r.errors[0].line == 11, "\(expression): \(r.issues)")
    }

    @Test func prerequisitesNameItemsOfTheSameOrganization() throws {
        let r = try Self.check(Self.prerequisites("ITEM-1 &amp; ITEM-4 &amp; RES-1 &amp; NOPE"))
        let unknown = r.errors.filter { $0.code == "unknown-prerequisite" }
        #expect(unknown.count == 3 && r.errors.count == 3)
        #expect(unknown[0].message.contains("'ITEM-4'") && unknown[0].message.contains("another organization"))
        let type = try Self.check(Self.prerequisites("ITEM-1", type: "javascript"))
        #expect(type.errors.map(\.code) == ["bad-prerequisites"])
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
