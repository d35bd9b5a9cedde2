import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// SCO pages as the builder renders them (course title = the curriculum's title), compared
/// with the files in __Snapshots__/SCOPageSnapshotTests: one page of each kind from the
/// sample, and the warehouse fixture's module whose page has an image (rewritten into the
/// package). Pages carry no date, path or version, so nothing is normalised.
/// Re-record with `LADDER_RECORD_SNAPSHOTS=1 swift test --filter SCOPageSnapshotTests`.
@Suite("Snapshots: SCO pages")
struct SCOPageSnapshotTests {
    static func page(_ id: String, in root: URL = TestSupport.sample) throws -> String {
        let (c, plan) = try TestSupport.loadSample(root)
        let item = try #require(plan.item(id), "no plan item \(id)")
        return String(decoding: SCORenderer(curriculum: c, courseTitle: c.title).render(item).html, as: UTF8.self)
    }

    @Test(arguments: ["inform-customers.module", "inform-customers.assessment", "inform-customers.shadowing"])
    func samplePage(_ id: String) throws {
        Snapshot.expect(try Self.page(id), named: "\(id).html")
    }

    /// The sample with `language:` set to Spanish, French and German in a copy: Ladder's own
    /// text in that language, the authored text as written. The runtime's node tests
    /// (Tests/runtime/dom.test.mjs) run these pages.
    @Test(
        arguments: ["es", "fr", "de"], ["inform-customers.module", "inform-customers.assessment", "inform-customers.shadowing"])
    func translatedSamplePage(_ language: String, _ id: String) throws {
        let root = try PageStringsTests.copySample(language: language)
        defer { removeCopy(root) }
        Snapshot.expect(try Self.page(id, in: root), named: "\(language).\(id).html")
    }

    @Test func moduleWithAnImage() throws {
        let html = try Self.page("safe-lifting.module", in: TestSupport.fixtures.appendingPathComponent("warehouse-associate"))
        #expect(html.contains("<img"), "the fixture's safe-lifting module is expected to show an image")
        Snapshot.expect(html, named: "warehouse-safe-lifting.module.html")
    }
}
