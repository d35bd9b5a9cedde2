import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// Builds real packages from the sample and reads them back with libzip and libxml2.
struct BuildTests {
    static var schemas: URL? { TestSupport.schemas }

    static func loadSample(_ root: URL = TestSupport.sample) throws -> (Curriculum, Plan) { try TestSupport.loadSample(root) }

    static func build(
        _ c: Curriculum, _ plan: Plan, tracks: [String], lms: LMSProfile, mode: BuildRequest.PackageMode,
        schemas: URL? = nil, jobs: Int = 2
    ) throws -> (URL, Ledger) {
        try TestSupport.build(c, plan, tracks: tracks, lms: lms, mode: mode, schemas: schemas, jobs: jobs)
    }

    @Test func moodleTrackPackageReadsBackWithEveryFileDeclared() throws {
        let (c, plan) = try Self.loadSample()
        let (out, ledger) = try Self.build(c, plan, tracks: ["onboarding-P1"], lms: .moodle, mode: .track)
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(ledger.packages.count == 1)
        let entry = try #require(ledger.packages.first)
        #expect(entry.path == "onboarding-P1/customer-service-onboarding-P1-moodle.zip")
        let zip = try ZipReader(path: out.appendingPathComponent("customer-service").appendingPathComponent(entry.path).path)
        let names = zip.entries.map(\.name)
        #expect(names == names.sorted(), "entries are written in sorted order")
        #expect(names.contains("imsmanifest.xml"))
        #expect(names.contains("ladder/ladder.js") && names.contains("ladder/ladder.css"))
        #expect(names.filter { $0.hasSuffix("/index.html") }.count == 15)
        // Text is deflated (method 8); sizes match what was declared.
        #expect(zip.entries.first { $0.name == "imsmanifest.xml" }?.method == 8)

        let manifestData = try #require(try zip.read("imsmanifest.xml"))
        let doc = try XMLDocument(data: manifestData, name: "imsmanifest.xml")
        let root = doc.root
        #expect(root.name == "manifest")
        #expect(root.namespace == "http://www.imsproject.org/xsd/imscp_rootv1p1p2")
        #expect(root.child("metadata")?.child("schemaversion")?.text == "1.2")
        let text = String(decoding: manifestData, as: UTF8.self)
        #expect(text.contains("adlcp:scormtype=\"sco\""), "the literal adlcp: prefix")
        #expect(!text.contains("xml:base"))
        // One non-launchable root item wrapping the SCOs.
        let org = try #require(root.child("organizations")?.child("organization"))
        let top = org.children("item")
        #expect(top.count == 1 && top[0].attribute("identifierref") == nil)
        let items = top[0].children("item")
        #expect(items.count == 15)
        #expect(items.first?.attribute("identifier") == "ITEM-inform-customers-module")
        // The first resource is the first SCO to launch.
        let resources = try #require(root.child("resources")).children("resource")
        #expect(resources.first?.attribute("identifier") == items.first?.attribute("identifierref"))
        // Mastery scores and prerequisites.
        let assessment = try #require(items.first { $0.attribute("identifier") == "ITEM-inform-customers-assessment" })
        #expect(assessment.child("masteryscore")?.text == "80")
        #expect(assessment.child("prerequisites")?.text == "ITEM-inform-customers-module")
        // Every file of every resource is in the zip, and every zip file (but the manifest) is declared.
        let declared = Set(resources.flatMap { $0.children("file").compactMap { $0.attribute("href") } })
        #expect(declared.count > 15)
        for href in declared { #expect(names.contains(href), "declared file \(href) is in the zip") }
        for name in names where name != "imsmanifest.xml" { #expect(declared.contains(name), "\(name) is declared") }
        // The ledger's digest is the file's.
        let bytes = try Data(contentsOf: out.appendingPathComponent("customer-service").appendingPathComponent(entry.path))
        #expect(entry.sha256 == SHA256Hasher.hex(bytes))
        #expect(entry.size == bytes.count)
    }

    @Test func talentLMSGetsOneSCOPerPackage() throws {
        let (c, plan) = try Self.loadSample()
        let (out, ledger) = try Self.build(c, plan, tracks: ["onboarding-P1"], lms: .talentlms, mode: .module)
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(ledger.packages.count == 15)
        #expect(ledger.packages.first?.path == "onboarding-P1/talentlms-01-inform-customers.module.zip")
        for p in ledger.packages {
            let zip = try ZipReader(path: out.appendingPathComponent("customer-service/\(p.path)").path)
            let manifest = try XMLDocument(data: try #require(try zip.read("imsmanifest.xml")), name: p.path)
            let scos = manifest.root.descendants.filter { $0.name == "resource" && $0.attribute("scormtype") == "sco" }
            #expect(scos.count == 1, "\(p.path) has exactly one SCO")
            #expect(manifest.root.descendants.filter { $0.name == "prerequisites" }.isEmpty)
        }
    }

    @Test func sharedFilesCopiedCompressedGiveTheBytesOfCompressingThemAgain() throws {
        let (c, _) = try Self.loadSample()
        let assets = try SharedAssets.files(for: c)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-shared-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = Data("<p>page</p>".utf8)
        // Compressed for this archive alone, as every package did before.
        let direct = dir.appendingPathComponent("direct.zip").path
        let a = try ZipWriter(path: direct)
        for name in (Array(assets.keys) + ["x/index.html"]).sorted() {
            try a.add(name, data: assets[name] ?? page, method: PackageBuilder.isCompressed(name) ? .store : .deflate)
        }
        try a.close()
        // Copied from the build's shared archive.
        var sharedPath = ""
        do {
            let shared = try PackageBuilder.SharedFiles(assets: assets, control: [:])
            sharedPath = shared.path
            #expect(Set(shared.entries.map(\.name)) == Set(assets.keys))
            let copied = dir.appendingPathComponent("copied.zip").path
            let reader = try shared.open()
            let b = try ZipWriter(path: copied)
            let index = Dictionary(uniqueKeysWithValues: shared.entries.map { ($0.name, $0.index) })
            for name in (Array(assets.keys) + ["x/index.html"]).sorted() {
                let method: ZipWriter.Method = PackageBuilder.isCompressed(name) ? .store : .deflate
                if let i = index[name] { try b.add(name, copying: i, from: reader, method: method) } else { try b.add(name, data: page, method: method) }
            }
            try b.close()
            #expect(try Data(contentsOf: URL(fileURLWithPath: copied)) == Data(contentsOf: URL(fileURLWithPath: direct)))
            // The copy holds the same content, read back through libzip.
            let back = try ZipReader(path: copied)
            #expect(try back.read("ladder/ladder.js") == assets["ladder/ladder.js"])
        }
        #expect(!FileManager.default.fileExists(atPath: sharedPath), "the build's temporary archive is removed")
    }

    @Test func ledgerIsWrittenAsJSONEncoderWritesIt() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let entry = LedgerEntry(
            path: "onboarding-P1/a \"b\"/c.zip", sha256: String(repeating: "a", count: 64), size: 12, standard: "SCORM 1.2",
            lms: .moodle, package: .track, track: "onboarding-P1", items: ["x.module", "y.assessment"], sourceDigest: "d",
            learners: nil)
        var gap = entry
        gap.learners = ["amara", "bruno"]
        gap.items = []
        for packages in [[], [entry], [entry, gap, entry]] {
            let ledger = Ledger(curriculum: "cs/é", packages: packages)
            let expected = try encoder.encode(ledger)
            let written = try PackageBuilder.encode(ledger)
            #expect(written == expected, "\(String(decoding: written, as: UTF8.self))\n---\n\(String(decoding: expected, as: UTF8.self))")
            #expect(try JSONDecoder().decode(Ledger.self, from: written) == ledger)
        }
    }

    @Test func twoBuildsAreByteIdentical() throws {
        let (c, plan) = try Self.loadSample()
        let (a, la) = try Self.build(c, plan, tracks: ["promotion-P1-P2", "onboarding-P1"], lms: .moodle, mode: .track, jobs: 2)
        let (b, lb) = try Self.build(c, plan, tracks: ["promotion-P1-P2", "onboarding-P1"], lms: .moodle, mode: .track, jobs: 1)
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        #expect(la.packages.count == 2)
        #expect(la == lb)
        let ledgerA = try Data(contentsOf: a.appendingPathComponent("customer-service/ledger.json"))
        let ledgerB = try Data(contentsOf: b.appendingPathComponent("customer-service/ledger.json"))
        #expect(ledgerA == ledgerB)
    }

    @Test(.enabled(if: schemas != nil, "no SCORM schemas at ../shared/conformance/schemas or $LADDER_SCHEMAS: schema validation skipped"))
    func schemasValidateEveryManifestAndControlDocumentsAreInside() throws {
        let (c, plan) = try Self.loadSample()
        let schemaURL = try #require(Self.schemas)
        let (out, ledger) = try Self.build(c, plan, tracks: ["onboarding-P2"], lms: .moodle, mode: .track, schemas: schemaURL)
        defer { try? FileManager.default.removeItem(at: out) }
        let schema = try XMLSchema(path: schemaURL.appendingPathComponent("scorm12.xsd").path)
        #expect(ledger.packages.count == 1)
        for p in ledger.packages {
            let zip = try ZipReader(path: out.appendingPathComponent("customer-service/\(p.path)").path)
            for doc in ["adlcp_rootv1p2.xsd", "imscp_rootv1p1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd"] {
                #expect(zip.entries.contains { $0.name == doc }, "control document \(doc) at the package root")
            }
            let manifest = try XMLDocument(data: try #require(try zip.read("imsmanifest.xml")), name: p.path)
            #expect(manifest.validate(with: schema) == [], "\(p.path) is schema-valid")
        }
    }

    @Test func aFailingBuildLeavesExistingExportsUntouched() throws {
        let copy = try copySample()
        defer { removeCopy(copy) }
        let (c, plan) = try Self.loadSample(copy)
        let (out, _) = try Self.build(c, plan, tracks: ["onboarding-P1"], lms: .moodle, mode: .track)
        defer { try? FileManager.default.removeItem(at: out) }
        let zipURL = out.appendingPathComponent("customer-service/onboarding-P1/customer-service-onboarding-P1-moodle.zip")
        let before = try Data(contentsOf: zipURL)
        let ledgerBefore = try Data(contentsOf: out.appendingPathComponent("customer-service/ledger.json"))
        // Make one source unreadable after loading: the build must fail and change nothing.
        try FileManager.default.removeItem(at: copy.appendingPathComponent("assessments/confirm-resolution.yaml"))
        let request = BuildRequest(
            tracks: plan.tracks.filter { $0.id == "onboarding-P1" }, lms: .moodle, mode: .track, outputFolder: out,
            schemasFolder: nil, jobs: 2)
        #expect(throws: (any Error).self) { try PackageBuilder(curriculum: c, plan: plan).build(request) }
        #expect(try Data(contentsOf: zipURL) == before)
        #expect(try Data(contentsOf: out.appendingPathComponent("customer-service/ledger.json")) == ledgerBefore)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: zipURL.deletingLastPathComponent().path)
        #expect(leftovers == ["customer-service-onboarding-P1-moodle.zip"], "no temporary file is left behind")
    }

    @Test func hostileTextIsEscapedInManifestAndPages() throws {
        let copy = try copySample()
        defer { removeCopy(copy) }
        let hostile = "<script>alert('x')</script> & \"quotes\" ]]> 🚀 مرحبا " + String(repeating: "long ", count: 20) + "end"
        edit(
            copy, "levels/P1.yaml", replace: "title: Informing customers about products and services",
            with: "title: '\(hostile.replacingOccurrences(of: "'", with: "''"))'")
        let (c, plan) = try Self.loadSample(copy)
        let (out, ledger) = try Self.build(c, plan, tracks: ["onboarding-P1"], lms: .generic, mode: .track, schemas: Self.schemas)
        defer { try? FileManager.default.removeItem(at: out) }
        let zip = try ZipReader(path: out.appendingPathComponent("customer-service/\(try #require(ledger.packages.first).path)").path)
        let manifestData = try #require(try zip.read("imsmanifest.xml"))
        let manifest = try XMLDocument(data: manifestData, name: "imsmanifest.xml")
        let titles = manifest.root.descendants.filter { $0.name == "title" }.map(\.text)
        #expect(titles.contains(hostile), "the title survives the XML round trip exactly")
        #expect(!String(decoding: manifestData, as: UTF8.self).contains("<script>"))
        let page = String(decoding: try #require(try zip.read("inform-customers.module/index.html")), as: UTF8.self)
        #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot; ]]&gt; 🚀 مرحبا"))
        #expect(!page.contains("<script>alert"))
        // The JSON config cannot close its script element.
        let config = try #require(page.range(of: "id=\"ladder-sco\">")).upperBound
        let rest = page[config...]
        let end = try #require(rest.range(of: "</script>"))
        #expect(rest[..<end.lowerBound].contains("\\u003cscript\\u003e"))
    }
}
