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
}
