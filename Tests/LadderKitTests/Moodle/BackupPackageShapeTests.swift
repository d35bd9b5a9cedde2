import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderMoodle
@testable import LadderPackaging

/// A course backup keeps only the shape of a package's SCO rows and reads the rows again from
/// the package when scorm.xml is made (`CourseBackup.Package.rows()`). A package changed in
/// between must be refused, not written with ids that no longer fit its rows.
struct BackupPackageShapeTests {
    /// One assessment package of an onboarding-P1 build (its manifest has a mastery score), and
    /// the exports folder to remove.
    static func assessmentPackage() throws -> (out: URL, zip: URL) {
        let (c, plan) = try TestSupport.loadSample()
        let out = try TestSupport.temporaryFolder("ladder-shape")
        let tracks = plan.tracks.filter { $0.id == "onboarding-P1" }
        let request = BuildRequest(tracks: tracks, lms: .moodle, mode: .module, outputFolder: out, schemasFolder: nil, jobs: 1)
        let ledger = try PackageBuilder(curriculum: c, plan: plan).build(request)
        for e in ledger.packages {
            let zip = out.appendingPathComponent(c.id).appendingPathComponent(e.path)
            let manifest = try Self.entries(zip).first { $0.name == "imsmanifest.xml" }
            if let manifest, String(decoding: manifest.data, as: UTF8.self).contains("<adlcp:masteryscore>") { return (out, zip) }
        }
        Issue.record("no package of onboarding-P1 has a mastery score")
        throw CancellationError()
    }

    static func entries(_ zip: URL) throws -> [(name: String, data: Data)] {
        let reader = try ZipReader(path: zip.path)
        return try reader.entries.map { ($0.name, try reader.read($0)) }
    }

    /// Writes `entries` over `zip` in the order given.
    static func rewrite(_ zip: URL, _ entries: [(name: String, data: Data)]) throws {
        let temporary = zip.deletingLastPathComponent().appendingPathComponent("rewrite.zip")
        let writer = try ZipWriter(path: temporary.path)
        for e in entries { try writer.add(e.name, data: e.data, method: .deflate) }
        try writer.close()
        #expect(rename(temporary.path, zip.path) == 0, "rename onto \(zip.path): errno \(errno)")
    }

    static func message(_ error: any Error) -> String {
        guard let e = error as? MoodleBackupError, case .invalidBackup(let problems) = e.problem else { return "\(error)" }
        return problems.joined(separator: "; ")
    }

    @Test func rowsOfAnUnchangedPackageAreThoseOfItsManifest() throws {
        let (out, zip) = try Self.assessmentPackage()
        defer { try? FileManager.default.removeItem(at: out) }
        let package = try CourseBackup.Package(zip: zip, fileName: zip.lastPathComponent)
        let manifest = try #require(try Self.entries(zip).first { $0.name == "imsmanifest.xml" })
        let rows = try package.rows()
        #expect(rows == MoodleSCORows.rows(try PackageManifest(data: manifest.data)))
        #expect(rows.contains { $0.data.contains { $0.name == "masteryscore" } })
    }

    @Test func aManifestThatNoLongerMakesTheRowsCountedIsRefused() throws {
        let (out, zip) = try Self.assessmentPackage()
        defer { try? FileManager.default.removeItem(at: out) }
        let package = try CourseBackup.Package(zip: zip, fileName: zip.lastPathComponent)
        // The same entries in the same order; the manifest loses its mastery score, so the
        // SCO's row has one scorm_scoes_data row fewer than counted.
        let changed = try Self.entries(zip).map { e -> (name: String, data: Data) in
            guard e.name == "imsmanifest.xml" else { return e }
            let text = String(decoding: e.data, as: UTF8.self)
            let cut = try #require(text.range(of: #"<adlcp:masteryscore>[^<]*</adlcp:masteryscore>"#, options: .regularExpression))
            return (e.name, Data(text.replacingCharacters(in: cut, with: "").utf8))
        }
        try Self.rewrite(zip, changed)
        let error = #expect(throws: MoodleBackupError.self) { try package.rows() }
        #expect(error?.path == zip.path)
        #expect(Self.message(try #require(error)).contains("SCO rows changed after it was read"))
    }

    @Test func aManifestMovedToAnotherEntryIsRefused() throws {
        let (out, zip) = try Self.assessmentPackage()
        defer { try? FileManager.default.removeItem(at: out) }
        let package = try CourseBackup.Package(zip: zip, fileName: zip.lastPathComponent)
        let entries = try Self.entries(zip)
        let manifest = try #require(entries.first { $0.name == "imsmanifest.xml" })
        try Self.rewrite(zip, entries.filter { $0.name != "imsmanifest.xml" } + [manifest])
        let error = #expect(throws: MoodleBackupError.self) { try package.rows() }
        #expect(Self.message(try #require(error)).contains("is no longer entry \(package.manifestIndex + 1)"))
    }
}
