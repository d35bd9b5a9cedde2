import Foundation
import LadderCore
import TestSupport
import Testing

@testable import LadderRendering

/// The runtime and the default theme as packages carry them, joined from their parts
/// (Sources/LadderRendering/Assets/ladder-js and ladder-css): pinned to their bytes, so
/// cutting, renaming or reordering a part cannot change what learners' browsers run unnoticed.
@Suite("Shared assets")
struct SharedAssetsTests {
    /// SHA-256 of each file as packages carry it. A deliberate change to the runtime or the
    /// theme changes its figure here, in the same commit.
    static let pinned = [
        "ladder.js": "7c87d363da282df16d98a29150a00126016df108f0792dbb35dce70f379e47e4",
        "ladder.css": "ef8f4fdd3aea4509f265ec27c98c6e5f5b25290f3130e4b606f4c03fbff889ac",
    ]

    static let assets = Array(pinned.keys).sorted()

    @Test(arguments: assets)
    func theJoinedFileHasThePinnedBytes(_ name: String) throws {
        let data = try SharedAssets.joinedAsset(name)
        #expect(SHA256Hasher.hex(data) == Self.pinned[name], "\(name) is not the pinned file (\(data.count) bytes)")
    }

    @Test func packagesCarryTheJoinedFiles() throws {
        let c = try TestSupport.loadSample(TestSupport.sample).0
        let files = try SharedAssets.files(for: c)
        for name in Self.assets {
            #expect(files["ladder/\(name)"] == (try SharedAssets.joinedAsset(name)), "ladder/\(name)")
        }
    }

    /// The source folders: parts named `NN-what-it-holds.ext`, each under 600 lines and ending
    /// in a newline (so a part ends where a line of the whole ends), the same files the build's
    /// bundle joins.
    @Test(arguments: assets)
    func thePartsAreSmallAndNamedInOrder(_ name: String) throws {
        let ext = (name as NSString).pathExtension
        let folder = TestSupport.repoRoot.appendingPathComponent("Sources/LadderRendering/Assets/ladder-\(ext)")
        let parts = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(parts.count >= 4)
        var joined = Data()
        for (i, part) in parts.enumerated() {
            #expect(part.wholeMatch(of: /[0-9]{2}-[a-z0-9]+(-[a-z0-9]+)*\.[a-z]+/) != nil && part.hasSuffix(".\(ext)"), "\(part): NN-name.\(ext)")
            #expect(part.hasPrefix(String(format: "%02d-", i + 1)), "\(part) is part \(i + 1)")
            let data = try Data(contentsOf: folder.appendingPathComponent(part))
            let lines = data.count(where: { $0 == UInt8(ascii: "\n") })
            #expect(lines < 600, "\(part) has \(lines) lines")
            #expect(data.last == UInt8(ascii: "\n"), "\(part) ends in a newline")
            joined += data
        }
        #expect(joined == (try SharedAssets.joinedAsset(name)), "the bundle's parts are the source folder's")
    }
}
