import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderPackaging

/// The load cache as `ladder build` uses it (issue 15, point 2): read from
/// `<out>/<curriculum>/load-cache.json` before the build, published with the packages, and a
/// rebuild that takes unchanged pages from it gives what a clean load and build give.
struct LoadCacheBuildTests {
    static let blankPage = "modules/resolve-routine-inquiries/01-diagnosing-the-inquiry.md"
    static let editedPage = "modules/inform-customers/02-explaining-clearly.md"

    /// Loads `folder` with the cache in `out` (or without one) and builds every track for
    /// TalentLMS into `out`, publishing the next load cache as `ladder build` does.
    static func loadAndBuild(_ folder: URL, out: URL, cache: Bool = true, clean: Bool = false) throws -> (LoadResult, BuildChanges) {
        let loaded = CurriculumLoader.load(folder: folder.path, jobs: 2, cacheFolder: cache ? out : nil, readsCache: !clean)
        let c = try #require(loaded.curriculum, "\(loaded.diagnostics.sorted)")
        let plan = Planner.plan(c)
        var request = BuildRequest(tracks: plan.tracks, lms: .talentlms, mode: .module, outputFolder: out, schemasFolder: nil, jobs: 2)
        request.loadCache = loaded.loadCache
        request.clean = clean
        let (_, changes) = try PackageBuilder(curriculum: c, plan: plan).buildReportingChanges(request)
        return (loaded, changes)
    }

    static func cacheURL(_ out: URL) -> URL { LoadCache.url(out: out, curriculum: "customer-service") }

    /// The published cache with every entry dated ten seconds after its file last changed, so
    /// that the copy's freshly written pages count as settled.
    static func settle(_ out: URL) throws -> LoadCache {
        var cache = try JSONDecoder().decode(LoadCache.self, from: Data(contentsOf: cacheURL(out)))
        for (k, var e) in cache.pages {
            e.readAtNanoseconds = max(e.stamp.mtimeNanoseconds, e.stamp.ctimeNanoseconds) + 10_000_000_000
            cache.pages[k] = e
        }
        try cache.encoded().write(to: cacheURL(out))
        return cache
    }

    @Test func aRebuildWithTheLoadCacheEqualsACleanBuildAfterAPageEdit() throws {
        let folder = try TestSupport.copySample()
        defer { removeCopy(folder) }
        let out = try TestSupport.temporaryFolder("ladder-load-cache-build")
        defer { try? FileManager.default.removeItem(at: out) }
        // A page with a warning, so that the cached diagnostics are seen to be given again.
        let blank = try read(folder, Self.blankPage)
        try write(folder, Self.blankPage, String(blank[..<blank.range(of: "\n---\n")!.upperBound]))

        let (first, _) = try Self.loadAndBuild(folder, out: out)
        #expect(first.pagesFromCache == 0 && first.loadCache != nil)
        #expect(first.diagnostics.all.contains { $0.file.hasSuffix(Self.blankPage) && $0.severity == .warning })
        let published = try Self.settle(out)
        #expect(published.pages.count > 50 && published.pages[Self.blankPage] != nil, "the cache is published with the packages")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".customer-service.load-cache.json").path))

        // One page edited: every other page from the cache, the same diagnostics and packages as
        // a clean load and build.
        try write(folder, Self.editedPage, try read(folder, Self.editedPage) + "\nOne more sentence.\n")
        let (cached, changes) = try Self.loadAndBuild(folder, out: out)
        #expect(cached.pagesFromCache == published.pages.count - 1, "every page but the edited one from the cache")
        #expect(changes.rebuilt.allSatisfy { $0.reason == .sourceChanged } && !changes.rebuilt.isEmpty && changes.unchanged > 0, "\(changes.summary)")
        let reference = try TestSupport.temporaryFolder("ladder-load-cache-clean")
        defer { try? FileManager.default.removeItem(at: reference) }
        let (fresh, _) = try Self.loadAndBuild(folder, out: reference, cache: false)
        #expect(cached.diagnostics.all == fresh.diagnostics.all)
        let a = try IncrementalBuildTests.files(out.appendingPathComponent("customer-service"))
        let b = try IncrementalBuildTests.files(reference.appendingPathComponent("customer-service"))
        #expect(a.keys.sorted() == b.keys.sorted())
        #expect(a.keys.filter { a[$0] != b[$0] }.isEmpty, "the packages and ledger of a clean build")
        let next = try JSONDecoder().decode(LoadCache.self, from: Data(contentsOf: Self.cacheURL(out)))
        #expect(next.pages[Self.editedPage] != published.pages[Self.editedPage], "the edited page's entry is replaced")
        #expect(next.pages[Self.blankPage] == published.pages[Self.blankPage])

        // Nothing new: the cache in place stays (carried over, not rewritten); --clean reads none.
        _ = try Self.settle(out)
        let (again, _) = try Self.loadAndBuild(folder, out: out)
        #expect(again.pagesFromCache == published.pages.count && again.loadCache == nil)
        #expect(FileManager.default.fileExists(atPath: Self.cacheURL(out).path))
        let (cleaned, _) = try Self.loadAndBuild(folder, out: out, clean: true)
        #expect(cleaned.pagesFromCache == 0 && cleaned.loadCache != nil)
        #expect(cleaned.diagnostics.all == fresh.diagnostics.all)
    }
}
