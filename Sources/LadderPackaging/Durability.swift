import Foundation
import LadderCore

#if canImport(Glibc)
    import Glibc
#endif

extension FileSystem {
    /// Whether `syncWholeFileSystem` makes every file written before it durable in one call
    /// (Linux's `syncfs`). A build then flushes its staging folder once before publishing it
    /// instead of once per package: thousands of `fsync`s, each waiting for the disk, kept
    /// the workers of a big build waiting on one another and cost about a second of system
    /// time on the benchmark's ladder.
    static var syncsWholeFileSystem: Bool {
        #if os(Linux)
            return true
        #else
            return false
        #endif
    }

    /// Flushes the file system holding `path` to the disk (`syncfs`), so that everything
    /// written there so far survives a power cut; a no-op where `syncsWholeFileSystem` is
    /// false (each file was flushed when written). A failure is an error: data the disk did
    /// not take (EIO, reported by `syncfs` since Linux 5.8) must not be published.
    #if os(Linux)
        private typealias SyncFS = @convention(c) (Int32) -> Int32
        /// glibc has syncfs since 2.14, but Swift's Glibc module does not declare it.
        private static let syncfs: SyncFS? = dlsym(nil, "syncfs").map { unsafeBitCast($0, to: SyncFS.self) }

        /// Every file and folder under `path`, flushed one by one.
        private static func syncTree(_ path: String) throws {
            let names = try FileSystemError.foundation(path, "list the folder") { try FileManager.default.subpathsOfDirectory(atPath: path) }
            for n in names.sorted() { try sync(path + "/" + n) }
            try sync(path)
        }
    #endif

    static func syncWholeFileSystem(holding path: String) throws {
        #if os(Linux)
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            try FileSystemError.check(fd, path, "flush to the disk")
            defer { close(fd) }
            guard let syncfs = Self.syncfs else {
                // No syncfs in this C library: every file flushed after all (slower, as safe).
                return try syncTree(path)
            }
            if syncfs(fd) != 0 { throw FileSystemError(path: path, action: "flush to the disk", code: errno) }
        #endif
    }
}
