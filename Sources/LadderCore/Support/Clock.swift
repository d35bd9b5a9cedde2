import Foundation

extension timespec {
    /// Nanoseconds since 1970, for a `stat` time or a `clock_gettime` reading: the unit file
    /// stamps and the caches compare times in.
    package var nanoseconds: Int64 { Int64(tv_sec) * 1_000_000_000 + Int64(tv_nsec) }
}
