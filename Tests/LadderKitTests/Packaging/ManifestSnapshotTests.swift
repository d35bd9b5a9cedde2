import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// The imsmanifest.xml of real packages built from the sample, read back from the zip and
/// compared with the files in __Snapshots__/ManifestSnapshotTests. One per package layout:
/// a multi-SCO Moodle track, the generic track with its single root item, and a TalentLMS
/// one-SCO package. Nothing is normalised: a manifest carries no date, path or version.
/// Re-record with `LADDER_RECORD_SNAPSHOTS=1 swift test --filter ManifestSnapshotTests`.
@Suite("Snapshots: manifests")
struct ManifestSnapshotTests {
    /// The manifest of one built package (`entry` is the ledger path's last component).
    static func manifest(lms: LMSProfile, mode: BuildRequest.PackageMode, package name: String) throws -> String {
        let (c, plan) = try TestSupport.loadSample()
        let (out, ledger) = try TestSupport.build(c, plan, tracks: ["onboarding-P1"], lms: lms, mode: mode)
        defer { try? FileManager.default.removeItem(at: out) }
        let entry = try #require(
            ledger.packages.first { $0.path.hasSuffix("/" + name) }, "no \(name) in \(ledger.packages.map(\.path))")
        let zip = try ZipReader(path: out.appendingPathComponent(c.id).appendingPathComponent(entry.path).path)
        return String(decoding: try #require(try zip.read("imsmanifest.xml")), as: UTF8.self)
    }

    @Test func moodleTrack() throws {
        let xml = try Self.manifest(lms: .moodle, mode: .track, package: "customer-service-onboarding-P1-moodle.zip")
        Snapshot.expect(xml, named: "moodle-onboarding-P1.imsmanifest.xml")
    }

    @Test func genericTrack() throws {
        let xml = try Self.manifest(lms: .generic, mode: .track, package: "customer-service-onboarding-P1-generic.zip")
        Snapshot.expect(xml, named: "generic-onboarding-P1.imsmanifest.xml")
    }

    @Test func talentLMSOneSCOPackage() throws {
        let xml = try Self.manifest(lms: .talentlms, mode: .module, package: "talentlms-02-inform-customers.assessment.zip")
        Snapshot.expect(xml, named: "talentlms-inform-customers.assessment.imsmanifest.xml")
    }
}
