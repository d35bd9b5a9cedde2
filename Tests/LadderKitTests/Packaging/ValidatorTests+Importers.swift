import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// What third-party importers get wrong (Tests/peers/edge_cases.py): the validator says so before an LMS does.
extension ValidatorTests {
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
}
