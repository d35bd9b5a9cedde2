import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderPackaging

/// The no-op build (issue 15, point 2): taken only when no input, option or published file
/// changed since the last build, and then it reports what a full no-op rebuild reports.
struct NoOpBuildTests {
    static let page = "modules/inform-customers/02-explaining-clearly.md"

    static func request(_ out: URL, lms: LMSProfile = .talentlms, selection: String = "all", clean: Bool = false) -> BuildRequest {
        var r = BuildRequest(tracks: [], lms: lms, mode: lms == .generic ? .track : .module, outputFolder: out, schemasFolder: nil, jobs: 2)
        r.selection = selection
        r.clean = clean
        return r
    }

    /// The no-op check, then (when it finds changes) the build as `ladder build` runs it.
    static func build(_ folder: URL, _ request: BuildRequest) throws -> (unchanged: PackageBuilder.UnchangedBuild?, ledger: Ledger, changes: BuildChanges) {
        var r = request
        if let same = try PackageBuilder.unchangedBuild(curriculumFolder: folder.path, request: &r) { return (same, same.ledger, same.changes) }
        let (c, plan) = try TestSupport.loadSample(folder)
        r.tracks = plan.tracks
        let (ledger, changes) = try PackageBuilder(curriculum: c, plan: plan).buildReportingChanges(r)
        return (nil, ledger, changes)
    }

    static func stamp(_ url: URL) -> OutputStamp? { OutputStamp.of(url.path) }

    @Test func aNoOpBuildTouchesNothingAndReportsWhatARebuildReports() throws {
        let folder = try TestSupport.copySample()
        defer { removeCopy(folder) }
        let out = try TestSupport.temporaryFolder("ladder-noop")
        defer { try? FileManager.default.removeItem(at: out) }
        let root = out.appendingPathComponent("customer-service")
        let ledgerURL = root.appendingPathComponent("ledger.json")
        // Stamps are trusted only for files that last changed two seconds before the build.
        Thread.sleep(forTimeInterval: 2.1)

        let first = try Self.build(folder, Self.request(out))
        #expect(first.unchanged == nil, "nothing to compare with yet")
        #expect(BuildCache.readLastBuild(root: root.path) != nil, "the build records what it saw")
        // A rebuild that goes all the way (the cache says every package is unchanged)…
        var full = Self.request(out)
        let (c, plan) = try TestSupport.loadSample(folder)
        full.tracks = plan.tracks
        _ = try PackageBuilder.unchangedBuild(curriculumFolder: folder.path, request: &full)
        let (rebuiltLedger, rebuilt) = try PackageBuilder(curriculum: c, plan: plan).buildReportingChanges(full)
        #expect(rebuilt.rebuilt.isEmpty && rebuilt.unchanged == first.ledger.packages.count, "\(rebuilt.summary)")
        // …and the no-op check after it: the same report, and nothing written.
        let published = Self.stamp(ledgerURL)
        let noop = try Self.build(folder, Self.request(out))
        let same = try #require(noop.unchanged, "no input changed: the no-op check answers")
        #expect(same.curriculum == "customer-service" && same.tracks == Set(plan.tracks.map(\.id)))
        #expect(same.ledger == rebuiltLedger && same.changes == rebuilt && same.changes.summary == "\(rebuilt.unchanged) unchanged")
        #expect(Self.stamp(ledgerURL) == published, "the ledger was not written again")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".customer-service.building").path))

        // Other options, --clean: built as usual (and each such build records its own options).
        #expect(try Self.build(folder, Self.request(out, lms: .moodle)).unchanged == nil)
        #expect(try Self.build(folder, Self.request(out, selection: "onboarding")).unchanged == nil)
        #expect(try Self.build(folder, Self.request(out, clean: true)).unchanged == nil)
        #expect(try Self.build(folder, Self.request(out)).unchanged != nil, "the clean build recorded its inputs")

        // A package replaced by a copy of itself (same bytes, another inode): not trusted.
        let victim = root.appendingPathComponent(same.ledger.packages[0].path)
        let bytes = try Data(contentsOf: victim)
        try FileManager.default.removeItem(at: victim)
        try bytes.write(to: victim)
        #expect(try Self.build(folder, Self.request(out)).unchanged == nil)
        #expect(try Self.build(folder, Self.request(out)).unchanged != nil, "the rebuild recorded the folder as it is")
        // A package removed: not trusted either, and the build puts it back.
        try FileManager.default.removeItem(at: victim)
        let restored = try Self.build(folder, Self.request(out))
        #expect(restored.unchanged == nil && restored.changes.rebuilt.map(\.path).contains(same.ledger.packages[0].path))

        // An input edited: built again, and since the page changed under two seconds before that
        // build began, its stamps are not recorded: the next build is checked in full as well.
        try write(folder, Self.page, try read(folder, Self.page) + "\nOne more sentence.\n")
        let edited = try Self.build(folder, Self.request(out))
        #expect(edited.unchanged == nil && !edited.changes.rebuilt.isEmpty)
        #expect(BuildCache.readLastBuild(root: root.path) == nil)
        let after = try Self.build(folder, Self.request(out))
        #expect(after.unchanged == nil && after.changes.rebuilt.isEmpty)
        // A file added anywhere in the folder counts too.
        Thread.sleep(forTimeInterval: 2.1)
        _ = try Self.build(folder, Self.request(out))
        #expect(try Self.build(folder, Self.request(out)).unchanged != nil)
        try write(folder, "notes.txt", "not a source, but in the folder\n")
        #expect(try Self.build(folder, Self.request(out)).unchanged == nil)
        // Changes older than two seconds are seen from the stamps alone: a file added, then one
        // with its old modification time given back (its status-change time still moved).
        Thread.sleep(forTimeInterval: 2.1)
        _ = try Self.build(folder, Self.request(out))
        #expect(try Self.build(folder, Self.request(out)).unchanged != nil)
        try write(folder, "more-notes.txt", "another\n")
        Thread.sleep(forTimeInterval: 2.1)
        #expect(try Self.build(folder, Self.request(out)).unchanged == nil)
        #expect(try Self.build(folder, Self.request(out)).unchanged != nil)
        let pagePath = folder.appendingPathComponent(Self.page).path
        var st = stat()
        #expect(stat(pagePath, &st) == 0)
        try write(folder, Self.page, try read(folder, Self.page).replacingOccurrences(of: "One more", with: "One other"))
        var times = [st.st_atim, st.st_mtim]
        #expect(utimensat(AT_FDCWD, pagePath, &times, 0) == 0)
        Thread.sleep(forTimeInterval: 2.1)
        let renamed = try Self.build(folder, Self.request(out))
        #expect(renamed.unchanged == nil && renamed.changes.rebuilt.allSatisfy { $0.reason == .sourceChanged } && !renamed.changes.rebuilt.isEmpty)

        // A cache of another Ladder version: no no-op check.
        Thread.sleep(forTimeInterval: 2.1)
        _ = try Self.build(folder, Self.request(out))
        let cacheURL = root.appendingPathComponent(BuildCache.fileName)
        var cache = try JSONDecoder().decode(BuildCache.self, from: Data(contentsOf: cacheURL))
        #expect(cache.lastBuild != nil)
        // The cache is written by hand: it reads back as it was, whatever its names hold.
        var odd = cache
        odd.files["a \"quoted\" \\ name\n\u{1}"] = try #require(cache.files.values.first)
        odd.packages["x/\"y\".zip"] = "k"
        #expect(try JSONDecoder().decode(BuildCache.self, from: odd.encoded()) == odd)
        cache.ladderVersion = "0.0.1"
        try cache.encoded().write(to: cacheURL)
        #expect(try Self.build(folder, Self.request(out)).unchanged == nil)
    }
}
