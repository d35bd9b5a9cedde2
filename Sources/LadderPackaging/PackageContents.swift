import Foundation
import LadderCore

/// Read-only access to the files of a SCORM zip, for tools that serve or inspect a package
/// (`ladder preview`). Entry names are listed as stored; reading refuses to inflate more
/// than a limit, so a zip bomb cannot exhaust memory.
public final class PackageContents: Sendable {
    /// One file of the zip.
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// Declared uncompressed size.
        public var size: UInt64
    }

    /// The libzip archive and the entries open on it: every use of either holds the lock
    /// (libzip's archive is not thread-safe, and an open entry reads through it).
    fileprivate struct Archive {
        let reader: ZipReader
        var streams: [Int: ZipEntryStream] = [:]
        var nextStream = 0
    }

    private let archive: Locked<Archive>
    /// The zip's entries, directories included (their names end with `/`).
    public let entries: [Entry]

    /// Opens a zip with libzip; throws `ZipError` naming the path when it cannot be read.
    public init(zipPath: String) throws {
        let reader = try ZipReader(path: zipPath)
        entries = reader.entries.map { Entry(name: $0.name, size: $0.size) }
        archive = Locked(Archive(reader: reader))
    }

    /// The bytes of entry `name`, or nil when there is no such entry. Throws when the entry
    /// declares or inflates to more than `limit` bytes, or cannot be read.
    public func read(_ name: String, limit: UInt64 = 256 << 20) throws -> Data? {
        try archive.withLock { archive in
            guard let e = archive.reader.entries.first(where: { $0.name == name }) else { return nil }
            return try archive.reader.read(e, limit: limit)
        }
    }

    /// Entry `name` opened for reading in chunks (nil when there is no such entry), for
    /// serving a file without holding it in memory. Reads of every open entry share the
    /// archive, one at a time.
    public func open(_ name: String) throws -> EntryReader? {
        let opened = try archive.withLock { archive -> (id: Int, size: UInt64)? in
            guard let e = archive.reader.entries.first(where: { $0.name == name }) else { return nil }
            let stream = try archive.reader.open(e)
            let id = archive.nextStream
            archive.nextStream += 1
            archive.streams[id] = stream
            return (id, stream.entry.size)
        }
        return opened.map { EntryReader(archive: archive, id: $0.id, size: $0.size) }
    }

    /// One entry being read: `size` as declared, then `read(upTo:)` until it returns no bytes.
    public final class EntryReader: Sendable {
        private let archive: Locked<Archive>
        private let id: Int
        /// The size the zip declares (reading fails if the entry inflates to another).
        public let size: UInt64

        fileprivate init(archive: Locked<Archive>, id: Int, size: UInt64) {
            self.archive = archive
            self.id = id
            self.size = size
        }

        // libzip frees the entry's sources on close: under the lock like every other use.
        deinit {
            let id = id
            archive.withLock { _ = $0.streams.removeValue(forKey: id) }
        }

        /// The next bytes, at most `count`; empty at the end. Throws `ZipError` on corrupt data
        /// (a CRC mismatch is found with the last bytes) or more bytes than declared.
        public func read(upTo count: Int) throws -> Data {
            let id = id
            return try archive.withLock { archive in
                guard let stream = archive.streams[id] else { return Data() }
                return try stream.read(upTo: count)
            }
        }
    }
}
