import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Memory the allocator holds free, given back to the system.
package enum FreeMemory {
    #if canImport(Glibc)
        /// glibc's `malloc_trim` (<malloc.h>, which Swift's Glibc module leaves out); nil where
        /// the C library has none.
        private typealias Trim = @convention(c) (Int) -> Int32
        private static let trim: Trim? = dlsym(nil, "malloc_trim").map { unsafeBitCast($0, to: Trim.self) }
        /// glibc's `mallopt` and its `M_ARENA_MAX` (<malloc.h>).
        private typealias Option = @convention(c) (Int32, Int32) -> Int32
        private static let option: Option? = dlsym(nil, "mallopt").map { unsafeBitCast($0, to: Option.self) }
        private static let arenaMax: Int32 = -8
    #endif

    /// Returns the free pages of every allocation arena to the system (glibc keeps one arena
    /// per thread that allocated at once, and what the loader's reading threads freed stays
    /// there otherwise); nothing elsewhere.
    package static func release() {
        #if canImport(Glibc)
            _ = trim?(0)
        #endif
    }

    /// Lets the allocator keep at most `count` arenas (at least 2), unless the user chose with
    /// `MALLOC_ARENA_MAX` or `GLIBC_TUNABLES=glibc.malloc.arena_max=…`. glibc's default is
    /// eight per core: the threads of a parallel build (the loader's, the packages' workers,
    /// the bundles') each get one, and memory one of them freed stays in its arena, unused by
    /// the others. With one per worker, the full course-backup build of the benchmark's ladder
    /// peaked at 110–112 MB of RSS instead of 117–118 MB, for about 2 % more CPU in a talentlms
    /// build (docs/benchmark.md, fifth pass). Call it before the threads start; nothing where
    /// the C library is not glibc.
    package static func limitArenas(to count: Int) {
        #if canImport(Glibc)
            let environment = ProcessInfo.processInfo.environment
            guard environment["MALLOC_ARENA_MAX"] == nil, environment["GLIBC_TUNABLES"]?.contains("arena_max") != true else { return }
            _ = option?(arenaMax, Int32(clamping: max(2, count)))
        #endif
    }
}
