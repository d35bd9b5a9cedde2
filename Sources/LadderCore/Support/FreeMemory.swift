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
    #endif

    /// Returns the free pages of every allocation arena to the system (glibc keeps one arena
    /// per thread that allocated at once, and what the loader's reading threads freed stays
    /// there otherwise); nothing elsewhere.
    package static func release() {
        #if canImport(Glibc)
            _ = trim?(0)
        #endif
    }
}
