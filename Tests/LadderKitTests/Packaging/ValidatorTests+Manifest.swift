import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// The validator on the manifest: the document, identifiers and references, resources, SCORM 1.2 item extensions.
extension ValidatorTests {
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
}
