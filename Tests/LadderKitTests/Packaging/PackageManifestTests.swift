import Foundation
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// The manifest model itself: xml:base resolution, the one escape check, the item extensions,
/// and the libxml2 wrapper's error text.
struct PackageManifestTests {
    typealias V = ValidatorTests

    /// A manifest whose resource sits under xml:base on all three levels IMS CP allows.
    static func threeLevels(manifest m: String, resources r: String, resource s: String, href: String = "index.html") -> String {
        var text = V.edit(V.manifest, "<manifest identifier", "<manifest xml:base=\"\(m)\" identifier")
        text = V.edit(text, "<resources>", "<resources xml:base=\"\(r)\">")
        text = V.edit(text, "href=\"sco/index.html\">", "xml:base=\"\(s)\" href=\"\(href)\">")
        text = V.edit(text, "<file href=\"sco/index.html\"/>", "<file href=\"\(href)\"/>")
        return V.edit(text, "<file href=\"shared/ladder.js\"/>", "<file href=\"/ladder.js\"/>")
    }

    static func read(_ text: String) throws -> PackageManifest { try PackageManifest(data: Data(text.utf8)) }

    @Test func xmlBaseOnThreeLevelsResolvesToTheRightEntry() throws {
        let text = Self.threeLevels(manifest: "course/", resources: "v1/", resource: "sco/")
        let model = try Self.read(text)
        let resource = try #require(model.resources.first)
        #expect(resource.launch?.file?.path == "course/v1/sco/index.html")
        #expect(resource.files.map(\.target) == [resource.launch, .refused("is an absolute path; package references are relative to the manifest")])
        // The validator finds the file where the model says it is, and only there.
        let files: Set<String> = ["course/v1/sco/index.html"]
        let found = try V.check(text.replacingOccurrences(of: "<file href=\"/ladder.js\"/>", with: ""), files: files)
        #expect(found.errors.isEmpty, "\(found.issues)")
        let flat = try V.check(text.replacingOccurrences(of: "<file href=\"/ladder.js\"/>", with: ""), files: ["sco/index.html"])
        #expect(flat.errors.map(\.entry) == ["course/v1/sco/index.html"])
        // Moodle stores only the resource's own base before the href (scorm_get_manifest).
        #expect(resource.moodleLaunch == "sco/index.html")
    }

    @Test(arguments: [
        // RFC 3986 5.2: a base without a final "/" loses its last segment; "..", "." and %-escapes.
        ("a/", "b/", "c/", "x.html", "a/b/c/x.html"),
        ("a/", "b", "c/", "x.html", "a/c/x.html"),
        ("a", "b", "c", "x.html", "x.html"),
        ("a/", "b/", "../c/", "x.html", "a/c/x.html"),
        ("a/", "./", "", "../y/x%20page.html?q=1#top", "y/x page.html"),
        ("", "", "c/d/", "../../x.html", "x.html"),
    ])
    func resolutionFollowsRFC3986(_ c: (String, String, String, String, String)) throws {
        let model = try Self.read(Self.threeLevels(manifest: c.0, resources: c.1, resource: c.2, href: c.3))
        #expect(model.resources.first?.launch?.file?.path == c.4, "\(c)")
    }

    @Test func percentDecodingIsDoneOnceAndKeepsQueryAndFragment() {
        let h = ResolvedHref.resolve("my%20page.html?lesson=1#top", bases: ["sco/"])
        #expect(h == .file(PackageHref(path: "sco/my page.html", undecoded: "sco/my%20page.html", query: "lesson=1", fragment: "top")))
        // Decoded once: "%2520" names a file called "%20", not a space.
        #expect(ResolvedHref.resolve("a%2520b.html", bases: []).file?.path == "a%20b.html")
        #expect(h.file?.launchURL(parameters: "?mode=review") == "sco/my%20page.html?lesson=1&mode=review#top")
        #expect(h.file?.launchURL(parameters: "#end") == "sco/my%20page.html?lesson=1#end")
        #expect(ResolvedHref.resolve("a.html", bases: []).file?.launchURL(parameters: "&x=1") == "a.html?x=1")
    }

    /// `..` that climbs out, in the href, a base or behind a %-escape, is refused when the
    /// manifest is read: the validator reports it (once) and the preview gets no launch.
    @Test(arguments: [
        ("", "../../etc/passwd"), ("../", "index.html"), ("a/", "%2e%2e/%2e%2e/etc/passwd"), ("a/b/", "../../../x.html"),
    ])
    func escapingHrefsAreRefusedOnce(_ c: (String, String)) throws {
        var text = V.edit(V.manifest, "href=\"sco/index.html\">", "xml:base=\"\(c.0)\" href=\"\(c.1)\">")
        text = V.edit(text, "<file href=\"sco/index.html\"/>", "")
        let model = try Self.read(text)
        #expect(model.resources.first?.launch == .refused("points outside the package ('..' climbs above the root)"), "\(c)")
        let r = try V.check(text)
        let refused = r.errors.filter { $0.message.hasPrefix("resource href '\(c.1)'") }
        #expect(refused.map(\.code) == ["bad-href"] && refused[0].message.hasSuffix("climbs above the root)"), "\(c): \(r.issues)")
        #expect(model.launch(of: try #require(model.defaultOrganization?.items.first))?.href.file == nil)
    }

    @Test func otherEscapesAreRefusedByTheOneCheck() {
        for (href, why) in [
            ("/etc/passwd", "is an absolute path"), ("file:///etc/passwd", "'file:' scheme"), ("C:/x.html", "drive letter"),
            ("a\\b.html", "backslash"),
        ] {
            guard case .refused(let reason) = ResolvedHref.resolve(href, bases: []) else {
                Issue.record("\(href) was not refused")
                continue
            }
            #expect(reason.contains(why), "\(href): \(reason)")
        }
        #expect(ResolvedHref.resolve("https://example.com/a.html", bases: []) == .external("https://example.com/a.html"))
        #expect(ResolvedHref.resolve("a.html", bases: ["http://cdn.example.com/"]) == .external("http://cdn.example.com/"))
        // The same check decides zip entry names and the paths the preview serves.
        #expect(PackagePath.escapeReason("a/../../b") == "climbs out with '..'")
        #expect(PackagePath.decodedRequest("a/%2e%2e/b") == nil && PackagePath.decodedRequest("sco/my%20page.html") == "sco/my page.html")
    }

    @Test func itemExtensionsAreRead() throws {
        var text = V.edit(
            V.manifest, "<adlcp:masteryscore>80</adlcp:masteryscore>",
            """
            <adlcp:prerequisites type="aicc_script"> ITEM-0 &amp; ITEM-2 </adlcp:prerequisites>
                    <adlcp:masteryscore> 72.5 </adlcp:masteryscore>
                    <adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>
                    <adlcp:timelimitaction>exit,message</adlcp:timelimitaction>
                    <adlcp:datafromlms>level=P1</adlcp:datafromlms>
            """)
        text = V.edit(text, "identifierref=\"RES-1\">", "identifierref=\"RES-1\" parameters=\"?lang=en\" isvisible=\"false\">")
        let model = try Self.read(text)
        let item = try #require(model.defaultOrganization?.items.first)
        #expect(item.identifier == "ITEM-1" && item.title == "Forklift basics" && item.isVisible == "false")
        #expect(item.prerequisites == "ITEM-0 & ITEM-2")
        #expect(item.masteryScore == 72.5)
        #expect(item.maxTimeAllowed == "00:30:00" && item.timeLimitAction == "exit,message" && item.dataFromLMS == "level=P1")
        #expect(model.launch(of: item)?.href.file?.launchURL(parameters: item.parameters) == "sco/index.html?lang=en")
        #expect(model.schema?.value == "ADL SCORM" && model.schemaVersion?.value == "1.2" && model.standard == .scorm12)
        #expect(model.defaultOrganization?.title == "Warehouse safety" && model.identifier == "com.example.ladder.min")
        // Only aicc_script prerequisites count (as in Moodle); a score out of range is no score.
        let other = try Self.read(
            V.edit(V.edit(text, "type=\"aicc_script\"", "type=\"other\""), "<adlcp:masteryscore> 72.5 ", "<adlcp:masteryscore>120"))
        let otherItem = try #require(other.defaultOrganization?.items.first)
        #expect(otherItem.prerequisites == nil && otherItem.masteryScore == nil)
    }

    @Test func nestedItemsAndTheDefaultOrganization() throws {
        let text = V.edit(
            V.twoSCOs, "<organizations default=\"ORG-1\">",
            """
            <organizations default="ORG-2">
                <organization identifier="ORG-0"><title>First</title><item identifier="X" identifierref="RES-2"><title>X</title></item></organization>
                <organization identifier="ORG-2"><title>Chosen</title>
                  <item identifier="ROOT"><title>Root</title>
                    <item identifier="A" identifierref="RES-2"><title>A</title></item>
                  </item>
                </organization>
            """)
        let org = try #require(try Self.read(text).defaultOrganization)
        #expect(org.title == "Chosen" && org.allItems.map { "\($0.item.identifier ?? "")@\($0.depth)" } == ["ROOT@0", "A@1"])
    }

    /// libxml2's own text (file and line) travels with the error.
    @Test func libxml2ErrorsCarryItsMessage() throws {
        let dir = try V.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let xsd = dir.appendingPathComponent("broken.xsd")
        try Data("<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n<xs:nonsense/>".utf8).write(to: xsd)
        do {
            _ = try XMLSchema(path: xsd.path)
            Issue.record("a schema that is not well-formed compiled")
        } catch let e as XMLError {
            #expect(e.message.hasPrefix("\(xsd.path): the schema does not compile: \(xsd.path):"), "\(e.message)")
            #expect(e.message.lowercased().contains("premature end of data"), "\(e.message)")
        }
        let w = try XMLWriter()
        #expect(throws: XMLError.self) { try w.end() }
    }
}
