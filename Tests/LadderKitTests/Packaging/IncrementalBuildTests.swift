import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderPackaging

/// Builds that do each package once and only what changed (issue 15, points 1 and 2; issue 14,
/// point 8): every result is compared byte for byte with a clean build of the same sources.
struct IncrementalBuildTests {
    static let red = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGM4IScHAAK2AQU0pnWqAAAAAElFTkSuQmCC")!
    static let blue = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGOQkzsBAAFiAQURG6MhAAAAAElFTkSuQmCC")!

    /// Every file under `root` (relative path → bytes), the build and load caches left out
    /// (they record modification times).
    static func files(_ root: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for case let r as String in FileManager.default.enumerator(atPath: root.path)! {
            let u = root.appendingPathComponent(r)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: u.path, isDirectory: &isDir), !isDir.boolValue,
                r != BuildCache.fileName, r != LoadCache.fileName
            else { continue }
            out[r] = try Data(contentsOf: u)
        }
        return out
    }

    static func build(_ folder: URL, out: URL, lms: LMSProfile, mode: BuildRequest.PackageMode, schemas: URL? = nil, clean: Bool = false) throws
        -> (Ledger, BuildChanges)
    {
        let (c, plan) = try TestSupport.loadSample(folder)
        var request = BuildRequest(tracks: plan.tracks, lms: lms, mode: mode, outputFolder: out, schemasFolder: schemas, jobs: 2)
        request.clean = clean
        return try PackageBuilder(curriculum: c, plan: plan).buildReportingChanges(request)
    }

    static func inode(_ path: String) -> UInt64? {
        var st = stat()
        return stat(path, &st) == 0 ? UInt64(st.st_ino) : nil
    }

    @Test func anItemsPackageIsBuiltOnceAndIsTheSameFileInEveryTrackThatHoldsIt() throws {
        let out = try TestSupport.temporaryFolder("ladder-once")
        defer { try? FileManager.default.removeItem(at: out) }
        let (ledger, changes) = try Self.build(TestSupport.sample, out: out, lms: .talentlms, mode: .module)
        let root = out.appendingPathComponent("customer-service")
        var byItem: [String: [LedgerEntry]] = [:]
        for e in ledger.packages { byItem[e.items[0], default: []].append(e) }
        let inMany = byItem.filter { $0.value.count > 1 }
        #expect(inMany.count > 10, "the sample's onboarding tracks share lower levels' items")
        for (item, entries) in inMany {
            let first = try Data(contentsOf: root.appendingPathComponent(entries[0].path))
            for e in entries.dropFirst() {
                #expect(try Data(contentsOf: root.appendingPathComponent(e.path)) == first, "\(item): \(e.path) differs from \(entries[0].path)")
                #expect(e.sha256 == entries[0].sha256 && e.size == entries[0].size)
                #expect(Self.inode(root.appendingPathComponent(e.path).path) == Self.inode(root.appendingPathComponent(entries[0].path).path), "\(e.path) is a hard link")
            }
            #expect(Set(entries.map(\.track)).count == entries.count, "one ledger entry per track folder")
        }
        #expect(changes.shared == ledger.packages.count - byItem.count, "each item built once: \(changes.shared) linked, \(byItem.count) built")
        #expect(changes.rebuilt.count == ledger.packages.count && changes.rebuilt.allSatisfy { $0.reason == .new })
        // The same bytes as a package built alone in its track.
        let alone = try TestSupport.temporaryFolder("ladder-once-alone")
        defer { try? FileManager.default.removeItem(at: alone) }
        let (c, plan) = try TestSupport.loadSample()
        let p3 = plan.tracks.filter { $0.id == "onboarding-P3" }
        let single = try PackageBuilder(curriculum: c, plan: plan).build(
            BuildRequest(tracks: p3, lms: .talentlms, mode: .module, outputFolder: alone, schemasFolder: nil, jobs: 1))
        for e in single.packages {
            #expect(
                try Data(contentsOf: alone.appendingPathComponent("customer-service/" + e.path)) == (try Data(contentsOf: root.appendingPathComponent(e.path))),
                "\(e.path) built alone differs")
        }
    }

    /// One edit, then an incremental build into `incremental` and a clean one into a new folder:
    /// the same files and ledger, byte for byte. Returns the incremental build's changes.
    static func expectIncrementalEqualsClean(
        _ folder: URL, incremental: URL, lms: LMSProfile, mode: BuildRequest.PackageMode, _ what: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> BuildChanges {
        let (_, changes) = try build(folder, out: incremental, lms: lms, mode: mode)
        let clean = try TestSupport.temporaryFolder("ladder-clean")
        defer { try? FileManager.default.removeItem(at: clean) }
        _ = try build(folder, out: clean, lms: lms, mode: mode)
        let a = try files(incremental.appendingPathComponent("customer-service"))
        let b = try files(clean.appendingPathComponent("customer-service"))
        #expect(a.keys.sorted() == b.keys.sorted(), "\(what): other files than a clean build's", sourceLocation: sourceLocation)
        let differing = a.keys.filter { a[$0] != b[$0] }.sorted()
        #expect(differing.isEmpty, "\(what): differs from a clean build: \(differing.prefix(5))", sourceLocation: sourceLocation)
        return changes
    }

    @Test(arguments: [(LMSProfile.talentlms, BuildRequest.PackageMode.module), (.moodle, .track)])
    func anIncrementalBuildEqualsACleanBuildAfterEachKindOfEdit(lms: LMSProfile, mode: BuildRequest.PackageMode) throws {
        let folder = try TestSupport.copySample()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let out = try TestSupport.temporaryFolder("ladder-incremental")
        defer { try? FileManager.default.removeItem(at: out) }
        let page = "modules/inform-customers/02-explaining-clearly.md"
        let image = "modules/inform-customers/diagram.png"
        try Self.red.write(to: folder.appendingPathComponent(image))
        let pageURL = folder.appendingPathComponent(page)
        try (try String(contentsOf: pageURL, encoding: .utf8) + "\n![A diagram](diagram.png)\n").write(to: pageURL, atomically: true, encoding: .utf8)
        let (first, firstChanges) = try Self.build(folder, out: out, lms: lms, mode: mode)
        #expect(firstChanges.unchanged == 0 && firstChanges.rebuilt.allSatisfy { $0.reason == .new })
        let total = first.packages.count

        // Nothing changed: nothing built.
        let none = try Self.expectIncrementalEqualsClean(folder, incremental: out, lms: lms, mode: mode, "no edit")
        #expect(none.rebuilt.isEmpty && none.unchanged == total, "a no-op rebuild builds nothing: \(none.summary)")

        func rebuiltItems(_ changes: BuildChanges, _ ledger: Ledger? = nil) -> Int { changes.rebuilt.count }

        // A page, the same size (the content digest tells, not the size).
        var text = try String(contentsOf: pageURL, encoding: .utf8)
        text = text.replacingOccurrences(of: "clearly", with: "plainly")
        try text.write(to: pageURL, atomically: true, encoding: .utf8)
        let edited = try Self.expectIncrementalEqualsClean(folder, incremental: out, lms: lms, mode: mode, "page edit")
        #expect(!edited.rebuilt.isEmpty && edited.unchanged > 0, "only the packages holding the page: \(edited.summary)")
        #expect(edited.rebuilt.allSatisfy { $0.reason == .sourceChanged })

        // An image, the same size.
        try Self.blue.write(to: folder.appendingPathComponent(image))
        let imaged = try Self.expectIncrementalEqualsClean(folder, incremental: out, lms: lms, mode: mode, "image edit")
        #expect(!imaged.rebuilt.isEmpty && imaged.unchanged > 0, "\(imaged.summary)")

        // An assessment.
        try Ladder.edit(folder, "assessments/confirm-resolution.yaml", replace: "Only a processed status", with: "Only a processed state")
        let assessed = try Self.expectIncrementalEqualsClean(folder, incremental: out, lms: lms, mode: mode, "assessment edit")
        #expect(!assessed.rebuilt.isEmpty && assessed.unchanged > 0, "\(assessed.summary)")

        // A level file: every package of that level and (in track mode) every track holding it.
        try Ladder.edit(folder, "levels/P2.yaml", replace: "responsibilities:", with: "# edited\nresponsibilities:")
        let levelled = try Self.expectIncrementalEqualsClean(folder, incremental: out, lms: lms, mode: mode, "level file edit")
        #expect(!levelled.rebuilt.isEmpty, "\(levelled.summary)")

        // A deletion: a page removed from its module, and an assessment removed altogether.
        try Ladder.edit(folder, "levels/P1.yaml", replace: "          - modules/inform-customers/03-working-with-scripts.md\n", with: "")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("modules/inform-customers/03-working-with-scripts.md"))
        try Ladder.edit(folder, "levels/P1.yaml", replace: "      assessment: assessments/inform-customers.yaml\n", with: "")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("assessments/inform-customers.yaml"))
        let deleted = try Self.expectIncrementalEqualsClean(folder, incremental: out, lms: lms, mode: mode, "deletion")
        #expect(!deleted.rebuilt.isEmpty, "\(deleted.summary)")
        if mode == .module { #expect(!deleted.removed.isEmpty, "the assessment's packages are retired: \(deleted.summary)") }
    }

    @Test func aCacheOfAnotherLadderVersionOrCleanIsIgnored() throws {
        let out = try TestSupport.temporaryFolder("ladder-version")
        defer { try? FileManager.default.removeItem(at: out) }
        let (ledger, _) = try Self.build(TestSupport.sample, out: out, lms: .moodle, mode: .track)
        let root = out.appendingPathComponent("customer-service")
        let reference = try Self.files(root)
        // Damage a package without changing its size: a build trusting the cache keeps it.
        let victim = root.appendingPathComponent(ledger.packages[0].path)
        func damage() throws {
            var bytes = try Data(contentsOf: victim)
            bytes[bytes.count / 2] ^= 0xFF
            try? FileManager.default.removeItem(at: victim)  // a hard link shared with nobody now, but be sure
            try bytes.write(to: victim)
        }
        try damage()
        let (_, same) = try Self.build(TestSupport.sample, out: out, lms: .moodle, mode: .track)
        #expect(same.unchanged == ledger.packages.count, "this version's cache is used: \(same.summary)")
        #expect(try Data(contentsOf: victim) != reference[ledger.packages[0].path], "the cache trusted the damaged file (the shortcut this test relies on)")

        // The cache as an older Ladder wrote it: ignored, everything built again.
        let cacheURL = root.appendingPathComponent(BuildCache.fileName)
        var cache = try JSONDecoder().decode(BuildCache.self, from: try Data(contentsOf: cacheURL))
        cache.ladderVersion = "0.0.1"
        try cache.encoded().write(to: cacheURL)
        let (_, older) = try Self.build(TestSupport.sample, out: out, lms: .moodle, mode: .track)
        #expect(older.unchanged == 0 && older.rebuilt.count == ledger.packages.count, "\(older.summary)")
        #expect(older.rebuilt.allSatisfy { $0.reason == .notCached })
        #expect(try Self.files(root) == reference, "rebuilt from the sources, the same bytes as the first build")

        // --clean ignores a good cache.
        try damage()
        let (_, cleaned) = try Self.build(TestSupport.sample, out: out, lms: .moodle, mode: .track, clean: true)
        #expect(cleaned.unchanged == 0, "\(cleaned.summary)")
        #expect(try Self.files(root) == reference)
    }

    @Test func aBuildWithoutSchemasSaysItReplacesPackagesBuiltWithThem() throws {
        guard let schemas = TestSupport.schemas else {
            print("skipped: needs the SCORM schemas (LADDER_SCHEMAS or ../shared/conformance/schemas)")
            return
        }
        let out = try TestSupport.temporaryFolder("ladder-options")
        defer { try? FileManager.default.removeItem(at: out) }
        let (with, _) = try Self.build(TestSupport.sample, out: out, lms: .moodle, mode: .track, schemas: schemas)
        #expect(with.packages.allSatisfy { $0.schemasValidated == true && $0.ladderVersion == LadderCore.version })
        let (without, changes) = try Self.build(TestSupport.sample, out: out, lms: .moodle, mode: .track)
        #expect(without.packages.allSatisfy { $0.schemasValidated == false })
        #expect(changes.rebuilt.count == with.packages.count && changes.rebuilt.allSatisfy { $0.reason == .optionsChanged }, "\(changes.summary)")
        #expect(changes.optionDetails.values.allSatisfy { $0 == "schemas validated → not schema-validated" }, "\(changes.optionDetails)")
        #expect(changes.summary == "\(with.packages.count) options changed, 0 unchanged")
    }
}
