import Foundation
import TestSupport
import Testing

@testable import LadderPackaging

/// `XMLTreeReader` builds the very tree `XMLDocument` builds, or gives up so that the caller
/// parses with `XMLDocument` (whose messages are the reference).
struct XMLTreeReaderTests {
    /// The tree of both readers; the streamed one is nil when it gave up.
    static func trees(_ xml: String) throws -> (streamed: XMLNode?, document: XMLNode) {
        let data = Data(xml.utf8)
        return (XMLTreeReader.root(of: data, name: "imsmanifest.xml"), try XMLDocument(data: data, name: "imsmanifest.xml").root)
    }

    @Test func sameTreeAsTheDocumentForTheValidatorsManifests() throws {
        for xml in [ValidatorTests.manifest, ValidatorTests.scorm2004] {
            let (streamed, document) = try Self.trees(xml)
            #expect(streamed == document)
        }
    }

    @Test func sameTreeAsTheDocumentForTheFuzzCorpus() throws {
        let folder = TestSupport.repoRoot.appendingPathComponent("Fuzz/Corpus/manifest")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(!names.isEmpty)
        for name in names {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            guard let document = try? XMLDocument(data: data, name: name).root else {
                #expect(XMLTreeReader.root(of: data, name: name) == nil, "\(name): not read by XMLDocument, so not by the stream")
                continue
            }
            // nil is allowed (the caller then parses with XMLDocument); a tree must be the same.
            if let streamed = XMLTreeReader.root(of: data, name: name) { #expect(streamed == document, "\(name)") }
        }
    }

    @Test func textCommentsCDATAAndEmptyElementsAsInTheDocument() throws {
        let xml = """
            <?xml version="1.0"?>
            <!-- a comment before the root -->
            <a xmlns="urn:a" xmlns:p="urn:p" p:x="1" y="&amp;2">
              before<b/>between<?pi data?><![CDATA[<raw>]]><c></c>
              <!-- inside --><p:d p:e="" xml:base="sub/">t&#233;xt</p:d>
              <e>one<f>two</f>three</e>
            </a>
            """
        let (streamed, document) = try Self.trees(xml)
        #expect(streamed != nil)
        #expect(streamed == document)
        #expect(document.children.map(\.name) == ["b", "c", "d", "e"])
        #expect(document.child("e")?.text == "onethree")
    }

    @Test func givesUpOnWhatOnlyTheDocumentReads() throws {
        let doctype = """
            <?xml version="1.0"?>
            <!DOCTYPE a [<!ENTITY x "y">]>
            <a>&x;</a>
            """
        #expect(XMLTreeReader.root(of: Data(doctype.utf8), name: "t") == nil)
        #expect(XMLTreeReader.root(of: Data("<a><b></a>".utf8), name: "t") == nil)
        #expect(XMLTreeReader.root(of: Data("<a><p:b/></a>".utf8), name: "t") == nil, "an undeclared prefix is an error")
        #expect(XMLTreeReader.root(of: Data(), name: "t") == nil)
    }

    /// Past line 65,535 libxml2 stores no line; `xmlGetLineNo` then looks at the neighbours.
    @Test func linesPastTheLibXMLLimitAsInTheDocument() throws {
        let filler = String(repeating: "<f/>\n", count: 70_000)
        let followed = "<a>\n\(filler)<b><c/> </b>\n<d/>\n</a>"
        let (streamed, document) = try Self.trees(followed)
        #expect(streamed != nil)
        #expect(streamed == document)
        #expect(document.children.last?.line == 65535)
        // An element with no child nodes and nothing after it takes its previous sibling's
        // line in the document: the stream leaves that to `XMLDocument`.
        let last = "<a>\n\(filler)<b/><c/></a>"
        #expect(XMLTreeReader.root(of: Data(last.utf8), name: "t") == nil)
    }

    @Test func walkingElementsVisitsTheDescendantsInOrder() throws {
        let root = try XMLDocument(data: Data("<a><b><c/><d/></b><e><f/></e></a>".utf8), name: "t").root
        #expect(root.elements.map(\.name) == ["a", "b", "c", "d", "e", "f"])
        #expect(root.descendants.map(\.name) == ["a", "b", "c", "d", "e", "f"])
    }

    @Test func validatorGivesTheSameReportWithAndWithoutTheStream() throws {
        // Not well-formed: the stream gives up and the document's message is reported.
        let broken = ValidatorTests.manifest.replacingOccurrences(of: "<title>Forklift basics</title>", with: "<title>Forklift basics</titel>")
        let r = try PackageValidator(schemasFolder: nil).validate(manifest: Data(broken.utf8), files: [], label: "t")
        #expect(r.issues.first?.code == "not-well-formed")
        #expect(r.issues.first?.line == 14)
    }
}
