import Foundation
import TestSupport
import Testing

@testable import LadderPackaging

/// The manifest's model and markup read as the bytes stream past (`PackageManifest.read` of
/// data, no tree) are those read from `XMLDocument`'s tree, and the markup is what a walk of
/// that tree finds.
struct ManifestReaderTests {
    /// Both readings of `xml`; the streamed one is nil when the stream gave up.
    static func readings(_ xml: Data) throws -> (streamed: (PackageManifest, ManifestMarkup)?, tree: (PackageManifest, ManifestMarkup), root: XMLNode) {
        let root = try XMLDocument(data: xml, name: "imsmanifest.xml").root
        let tree = PackageManifest.read(root)
        var streamed: (PackageManifest, ManifestMarkup)?
        if XMLTreeReader.root(of: xml, name: "imsmanifest.xml") != nil { streamed = try PackageManifest.read(xml, name: "imsmanifest.xml") }
        return (streamed, tree, root)
    }

    /// The markup as the checks found it by walking the tree.
    static func markup(of root: XMLNode, adlcp: String) -> ManifestMarkup {
        var m = ManifestMarkup(rootName: root.name, rootQualifiedName: root.qualifiedName, rootNamespace: root.namespace)
        for n in root.elements {
            if let base = n.attributes.first(where: { $0.name == "base" && $0.namespace == PackageValidator.xmlNamespace })?.value {
                m.xmlBases.append(.init(qualifiedName: n.qualifiedName, name: n.name, namespace: n.namespace, value: base, line: n.line))
            }
            if n.namespace == adlcp, n.prefix?.lowercased() != "adlcp" { m.otherAdlcpPrefixes.append(.init(prefix: n.prefix, line: n.line)) }
            for a in n.attributes where a.namespace == adlcp && a.prefix?.lowercased() != "adlcp" {
                m.otherAdlcpPrefixes.append(.init(prefix: a.prefix, line: n.line))
            }
        }
        return m
    }

    static func expectSame(_ xml: String, streams: Bool = true, _ comment: Comment? = nil) throws {
        let (streamed, tree, root) = try readings(Data(xml.utf8))
        #expect((streamed != nil) == streams, comment)
        if let streamed {
            #expect(streamed.0 == tree.0, comment)
            #expect(streamed.1 == tree.1, comment)
        }
        let adlcp = tree.0.standard == .scorm2004 ? PackageValidator.adlcp2004 : PackageValidator.adlcp12
        #expect(tree.1 == markup(of: root, adlcp: adlcp), comment)
    }

    @Test func sameModelFromTheStreamForTheValidatorsManifests() throws {
        for xml in [ValidatorTests.manifest, ValidatorTests.scorm2004, PackageManifestTests.threeLevels(manifest: "c/", resources: "v/", resource: "s/")] {
            try Self.expectSame(xml)
        }
    }

    @Test func sameModelFromTheStreamForTheFuzzCorpus() throws {
        let folder = TestSupport.repoRoot.appendingPathComponent("Fuzz/Corpus/manifest")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            guard let (streamed, tree, root) = try? Self.readings(data) else { continue }
            if let streamed {
                #expect(streamed.0 == tree.0, "\(name)")
                #expect(streamed.1 == tree.1, "\(name)")
            }
            let adlcp = tree.0.standard == .scorm2004 ? PackageValidator.adlcp2004 : PackageValidator.adlcp12
            #expect(tree.1 == Self.markup(of: root, adlcp: adlcp), "\(name)")
        }
    }

    /// What the model takes from where: only the first of several `<metadata>` (any namespace),
    /// `<organizations>`, `<resources>`, `<title>`, `<schema>`; elements of other namespaces
    /// skipped with everything below them (but `adlcp:location` and the markup taken from
    /// anywhere); item extensions under any prefix; xml:base on every level.
    @Test func firstOfEachAndOtherNamespacesAsTheModelReadsThem() throws {
        let xml = """
            <?xml version="1.0"?>
            <manifest identifier=" M " xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
                xmlns:a="http://www.adlnet.org/xsd/adlcp_rootv1p2" xmlns:x="urn:x" xml:base="root/">
              <metadata>
                <schema> ADL SCORM </schema><schema>second</schema>
                <schemaversion>1.2</schemaversion>
                <lom xmlns="urn:lom"><general><language>  </language><language>fr</language>
                  <title><langstring xml:lang=" de ">T</langstring><langstring xml:lang="it">U</langstring></title></general></lom>
                <a:location> meta/lom.xml </a:location>
              </metadata>
              <x:metadata><schema>no</schema><language>xx</language></x:metadata>
              <organizations default="O1">
                <organization identifier="O1"><title>  First  </title><title>Second</title>
                  <item identifier="I1" identifierref="R1" isvisible="false" parameters="?p=1">
                    <title>One</title>
                    <a:masteryscore> 80 </a:masteryscore>
                    <a:prerequisites type="aicc_script">I2 &amp; I3</a:prerequisites>
                    <x:wrap><item identifier="hidden"/><a:location>deep.xml</a:location></x:wrap>
                    <item identifier="I2"><a:title>adlcp title</a:title><item identifier="I3" identifierref="R2"/></item>
                  </item>
                </organization>
                <organization identifier="O2"/>
              </organizations>
              <organizations><organization identifier="ignored"/></organizations>
              <resources xml:base="res/">
                <resource identifier="R1" type="webcontent" a:scormtype="sco" href=" sco/index.html " xml:base="one/">
                  <file href="sco/index.html"/><file/><file href=" "/><dependency identifierref="R2"/><dependency/>
                  <x:file href="not-a-file.html"/>
                </resource>
                <resource identifier="R2" type="webcontent" ScormType="asset" href="two.html"><file href="two.html" xml:base="f/"/></resource>
                <x:resource identifier="X1"/>
              </resources>
              <resources><resource identifier="R9"/></resources>
            </manifest>
            """
        try Self.expectSame(xml)
        let (manifest, markup) = try PackageManifest.read(Data(xml.utf8), name: "imsmanifest.xml")
        #expect(manifest.schema?.value == "ADL SCORM")
        #expect(manifest.language == "de")
        #expect(manifest.metadataLocations.map(\.href) == ["meta/lom.xml", "deep.xml"])
        #expect(manifest.organizations.map(\.identifier) == ["O1", "O2"])
        #expect(manifest.organizations.first?.title == "First")
        let items = manifest.organizations[0].allItems.map(\.item)
        #expect(items.map(\.identifier) == ["I1", "I2", "I3"])
        #expect(items[0].extensions.map(\.name) == ["masteryscore", "prerequisites"])
        #expect(items[1].extensions.map(\.name) == ["title"])
        #expect(manifest.resources.map(\.identifier) == ["R1", "R2"])
        #expect(manifest.resources[0].launch?.file?.path == "root/res/one/sco/index.html")
        #expect(manifest.resources[0].files.count == 2)
        #expect(manifest.resources[1].scormTypeLookalike?.name == "ScormType")
        #expect(manifest.declarations.map { $0.attribute ?? "-" } == [" M ", "O1", "I1", "I2", "I3", "O2", "ignored", "R1", "R2", "R9"])
        #expect(markup.xmlBases.map(\.value) == ["root/", "res/", "one/", "f/"])
        #expect(Set(markup.otherAdlcpPrefixes.map { $0.prefix ?? "-" }) == ["a"])
    }

    /// The language from `langstring` only when the first `language` is blank or missing, and
    /// from nothing outside the first `<metadata>`.
    @Test func languageAsTheModelReadsIt() throws {
        let head = "<manifest xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\">"
        for (body, language) in [
            ("<metadata><language> en </language><langstring xml:lang=\"fr\"/></metadata>", "en"),
            ("<metadata><langstring/><langstring xml:lang=\"fr\"/></metadata>", "fr"),
            ("<metadata/><metadata><language>en</language></metadata>", nil),
            ("<organizations/>", nil),
        ] as [(String, String?)] {
            let xml = head + body + "</manifest>"
            try Self.expectSame(xml)
            #expect(try PackageManifest(data: Data(xml.utf8)).language == language, "\(body)")
        }
    }

    /// Not a manifest, or in no IMS CP namespace: still read alike (the validator reports it).
    @Test func otherRootsAreReadAlike() throws {
        try Self.expectSame("<quiz><item identifier=\"a\"/></quiz>")
        try Self.expectSame("<manifest xmlns=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\"><organizations><organization><item><title>t</title></item></organization></organizations></manifest>")
        // A DOCTYPE: the stream gives up, the tree is read.
        try Self.expectSame("<?xml version=\"1.0\"?><!DOCTYPE manifest><manifest/>", streams: false)
    }
}
