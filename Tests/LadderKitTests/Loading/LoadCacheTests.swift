import Foundation
import TestSupport
import Testing

@testable import LadderCore

/// The load cache (issue 15, point 2): pages whose files did not change are not parsed again,
/// and a page that did change is always read again, even when its size and modification time
/// are the old ones.
struct LoadCacheTests {
    static let page = "modules/resolve-routine-inquiries/01-diagnosing-the-inquiry.md"

    /// A load with the cache in `out`, the next cache then written where a build publishes it.
    static func load(_ folder: URL, out: URL, readsCache: Bool = true, jobs: Int = 2) -> LoadResult {
        let result = CurriculumLoader.load(folder: folder.path, jobs: jobs, cacheFolder: out, readsCache: readsCache)
        if let next = result.loadCache {
            #expect(throws: Never.self) {
                try FileManager.default.createDirectory(at: cacheURL(out).deletingLastPathComponent(), withIntermediateDirectories: true)
                try next.encoded().write(to: cacheURL(out))
            }
        }
        return result
    }

    static func cacheURL(_ out: URL) -> URL { LoadCache.url(out: out, curriculum: "customer-service") }

    static func readCache(_ out: URL) throws -> LoadCache {
        try JSONDecoder().decode(LoadCache.self, from: Data(contentsOf: cacheURL(out)))
    }

    static func writeCache(_ cache: LoadCache, _ out: URL) throws { try cache.encoded().write(to: cacheURL(out)) }

    /// Every entry made to look as if it was read `seconds` after the files last changed, so
    /// that the copy's just-written files count as settled.
    static func settled(_ cache: LoadCache, by seconds: Int64 = 10) -> LoadCache {
        var c = cache
        for (k, var e) in c.pages {
            e.readAtNanoseconds = max(e.stamp.mtimeNanoseconds, e.stamp.ctimeNanoseconds) + seconds * 1_000_000_000
            c.pages[k] = e
        }
        return c
    }

    static func title(_ r: LoadResult, _ path: String) -> String? {
        r.curriculum?.responsibilities.lazy.compactMap { $0.module?.pages.first { $0.path == path } }.first?.title
    }

    static func setMtime(_ path: String, _ ns: Int64) {
        var times = [
            timespec(tv_sec: Int(ns / 1_000_000_000), tv_nsec: Int(ns % 1_000_000_000)),
            timespec(tv_sec: Int(ns / 1_000_000_000), tv_nsec: Int(ns % 1_000_000_000)),
        ]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
    }

    @Test func aCachedLoadEqualsAParsedOne() throws {
        let copy = try copySample()
        defer { removeCopy(copy) }
        let out = try TestSupport.temporaryFolder("ladder-load-cache")
        defer { try? FileManager.default.removeItem(at: out) }
        let parsed = Self.load(copy, out: out)
        let cache = try Self.readCache(out)
        #expect(cache.pages.count > 50 && cache.pages[Self.page] != nil)
        try Self.writeCache(Self.settled(cache), out)
        // Every page now comes from the cache: a title changed in it shows.
        var forged = Self.settled(cache)
        forged.pages[Self.page]!.title = "From the cache"
        try Self.writeCache(forged, out)
        let cached = Self.load(copy, out: out)
        #expect(Self.title(cached, Self.page) == "From the cache", "the cache was not used")
        #expect(cached.pagesFromCache == cache.pages.count && cached.loadCache == nil, "every page from the cache, nothing new to write")
        #expect(parsed.pagesFromCache == 0)
        try Self.writeCache(Self.settled(cache), out)
        let again = Self.load(copy, out: out, jobs: 1)
        let a = try #require(parsed.curriculum), b = try #require(again.curriculum)
        #expect(parsed.diagnostics.all == again.diagnostics.all)
        #expect(try PlanJSON.encode(Planner.plan(a)) == PlanJSON.encode(Planner.plan(b)))
        let pa = a.responsibilities.flatMap { $0.module?.pages ?? [] }, pb = b.responsibilities.flatMap { $0.module?.pages ?? [] }
        #expect(pa.map(\.markdown) == pb.map(\.markdown) && pa.map(\.title) == pb.map(\.title))
        #expect(pa.map(\.minutes) == pb.map(\.minutes) && pa.map(\.images) == pb.map(\.images) && pa.map(\.path) == pb.map(\.path))
        // --clean: parsed again whatever the cache says, and a fresh cache written.
        try Self.writeCache(forged, out)
        #expect(Self.title(Self.load(copy, out: out, readsCache: false), Self.page) != "From the cache")
        #expect(try Self.readCache(out).pages[Self.page]?.title != "From the cache")
    }

    /// A page rewritten with the same size and its old modification time given back: its
    /// status-change time still moved, and the page is parsed again.
    @Test func anEditWithTheSameSizeAndModificationTimeIsSeen() throws {
        let copy = try copySample()
        defer { removeCopy(copy) }
        let out = try TestSupport.temporaryFolder("ladder-load-cache")
        defer { try? FileManager.default.removeItem(at: out) }
        _ = Self.load(copy, out: out)
        try Self.writeCache(Self.settled(try Self.readCache(out)), out)
        let file = copy.appendingPathComponent(Self.page).path
        let before = try #require(LoadCache.Stamp.of(file))
        let text = try read(copy, Self.page)
        let old = try #require(Self.title(Self.load(copy, out: out), Self.page))
        let renamed = String(old.prefix(1)) == "X" ? "Y" + old.dropFirst() : "X" + old.dropFirst()
        try write(copy, Self.page, text.replacingOccurrences(of: "title: \(old)", with: "title: \(renamed)"))
        Self.setMtime(file, before.mtimeNanoseconds)
        let after = try #require(LoadCache.Stamp.of(file))
        #expect(after.size == before.size && after.mtimeNanoseconds == before.mtimeNanoseconds && after.inode == before.inode)
        #expect(Self.title(Self.load(copy, out: out), Self.page) == renamed)
    }

    /// A page changed within the clock tick of the read that made its entry, on a file system
    /// whose times are that coarse: the stamp is the old one, yet the entry is not trusted,
    /// because the page last changed less than two seconds before that read began.
    @Test func aStampFromTheSameSecondAsTheReadIsNotTrusted() throws {
        let copy = try copySample()
        defer { removeCopy(copy) }
        let out = try TestSupport.temporaryFolder("ladder-load-cache")
        defer { try? FileManager.default.removeItem(at: out) }
        _ = Self.load(copy, out: out)
        let file = copy.appendingPathComponent(Self.page).path
        let text = try read(copy, Self.page)
        let old = try #require(Self.title(Self.load(copy, out: out), Self.page))
        try write(copy, Self.page, text.replacingOccurrences(of: "title: \(old)", with: "title: Z\(old.dropFirst())"))
        // The entry as a coarse clock would have left it: the file's stamp now, read in the same second.
        var cache = try Self.readCache(out)
        let now = try #require(LoadCache.Stamp.of(file))
        cache.pages[Self.page]!.stamp = now
        cache.pages[Self.page]!.readAtNanoseconds = max(now.mtimeNanoseconds, now.ctimeNanoseconds) + 500_000_000
        try Self.writeCache(cache, out)
        #expect(Self.title(Self.load(copy, out: out), Self.page) == "Z\(old.dropFirst())")
        // The same entry read three seconds after the change would be trusted (the rule decides).
        cache.pages[Self.page]!.readAtNanoseconds = max(now.mtimeNanoseconds, now.ctimeNanoseconds) + 3_000_000_000
        try Self.writeCache(cache, out)
        #expect(Self.title(Self.load(copy, out: out), Self.page) == old)
    }

    @Test func aCacheFromAnotherVersionOrFolderIsIgnored() throws {
        let copy = try copySample()
        defer { removeCopy(copy) }
        let out = try TestSupport.temporaryFolder("ladder-load-cache")
        defer { try? FileManager.default.removeItem(at: out) }
        _ = Self.load(copy, out: out)
        var forged = Self.settled(try Self.readCache(out))
        forged.pages[Self.page]!.title = "From the cache"
        try Self.writeCache(forged, out)
        #expect(Self.title(Self.load(copy, out: out), Self.page) == "From the cache", "this version's cache is used")
        for change in ["version", "format", "folder", "limit"] {
            var other = forged
            switch change {
            case "version": other.ladderVersion = "0.0.1-older"
            case "format": other.format = LoadCache.format + 1
            case "folder": other.folder = copy.path + "/."
            default: other.markdownLimit -= 1
            }
            try Self.writeCache(other, out)
            #expect(Self.title(Self.load(copy, out: out), Self.page) != "From the cache", "a cache of another \(change) was used")
        }
        try "not json".write(to: Self.cacheURL(out), atomically: true, encoding: .utf8)
        #expect(Self.load(copy, out: out).curriculum != nil)
        #expect(try Self.readCache(out).pages.count > 50, "an unreadable cache is replaced")
    }
}
