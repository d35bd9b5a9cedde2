import Foundation

/// Read-only access to the files of a SCORM zip, for tools that serve or inspect a package
/// (`ladder preview`). Entry names are listed as stored; reading refuses to inflate more
/// than a limit, so a zip bomb cannot exhaust memory.
public final class PackageContents: @unchecked Sendable {
    /// One file of the zip.
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// Declared uncompressed size.
        public var size: UInt64
    }

    private let reader: ZipReader
    private let lock = NSLock()
    /// The zip's entries, directories included (their names end with `/`).
    public let entries: [Entry]

    /// Opens a zip with libzip; throws `ZipError` naming the path when it cannot be read.
    public init(zipPath: String) throws {
        reader = try ZipReader(path: zipPath)
        entries = reader.entries.map { Entry(name: $0.name, size: $0.size) }
    }

    /// The bytes of entry `name`, or nil when there is no such entry. Throws when the entry
    /// declares or inflates to more than `limit` bytes, or cannot be read.
    public func read(_ name: String, limit: UInt64 = 256 << 20) throws -> Data? {
        lock.lock()
        defer { lock.unlock() }
        guard let e = reader.entries.first(where: { $0.name == name }) else { return nil }
        return try reader.read(e, limit: limit)
    }

    /// Entry `name` opened for reading in chunks (nil when there is no such entry), for
    /// serving a file without holding it in memory. Reads of every open entry share the
    /// archive, one at a time.
    public func open(_ name: String) throws -> EntryReader? {
        lock.lock()
        defer { lock.unlock() }
        guard let e = reader.entries.first(where: { $0.name == name }) else { return nil }
        return EntryReader(stream: try reader.open(e), lock: lock)
    }

    /// One entry being read: `size` as declared, then `read(upTo:)` until it returns no bytes.
    public final class EntryReader: @unchecked Sendable {
        private var stream: ZipEntryStream?
        private let lock: NSLock
        /// The size the zip declares (reading fails if the entry inflates to another).
        public let size: UInt64

        fileprivate init(stream: ZipEntryStream, lock: NSLock) {
            self.stream = stream
            self.lock = lock
            size = stream.entry.size
        }

        // libzip frees the entry's sources on close: under the lock like every other use.
        deinit {
            lock.lock()
            stream = nil
            lock.unlock()
        }

        /// The next bytes, at most `count`; empty at the end. Throws `ZipError` on corrupt data
        /// (a CRC mismatch is found with the last bytes) or more bytes than declared.
        public func read(upTo count: Int) throws -> Data {
            lock.lock()
            defer { lock.unlock() }
            guard let stream else { return Data() }
            return try stream.read(upTo: count)
        }
    }
}
