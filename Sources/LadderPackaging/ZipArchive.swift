import Foundation
internal import CLibZip
import LadderCore

/// A zip problem, with the archive path and libzip's own message.
public struct ZipError: LadderError, Equatable {
    public var path: String
    /// What failed, ending with libzip's words (`zip_error_strerror`) when libzip refused.
    public var message: String
    /// The `errno` behind it, when the operating system refused (a full disk, a read-only one).
    public var systemError: Int32? = nil
    public var description: String { "\(path): \(message)" }
    public var underlying: (any Error)? { systemError.flatMap { POSIXErrorCode(rawValue: $0) }.map { POSIXError($0) } }
    /// A zip that cannot be read is the user's input; a refusal with an `errno` is the system's.
    public var category: LadderErrorCategory { systemError == nil ? .input : .system }
}

extension ZipError {
    /// `what`, then libzip's message for `error` (and its `errno` when the system refused).
    init(path: String, _ what: String, libzip error: UnsafeMutablePointer<zip_error_t>?) {
        guard let error else {
            self.init(path: path, message: "\(what): libzip gave no reason")
            return
        }
        let system = zip_error_system_type(error) == ZIP_ET_SYS ? zip_error_code_system(error) : 0
        self.init(path: path, message: "\(what): \(String(cString: zip_error_strerror(error)))", systemError: system == 0 ? nil : system)
    }

    /// `zip_open`, its failure said in libzip's words.
    static func open(_ path: String, _ flags: Int32) throws -> OpaquePointer {
        ZipWriter.warmUp
        var code: Int32 = 0
        guard let za = zip_open(path, flags, &code) else { throw ZipError(path: path, message: message(forCode: code)) }
        return za
    }

    /// libzip's message for a `ZIP_ER_*` code (from `zip_open`, `zip_fclose`).
    static func message(forCode code: Int32) -> String {
        var e = zip_error_t()
        zip_error_init_with_code(&e, code)
        defer { zip_error_fini(&e) }
        return String(cString: zip_error_strerror(&e))
    }
}

/// Writes a zip archive with libzip, reproducibly: entries in the order given (callers sort
/// them), a fixed DOS timestamp and fixed Unix permissions, so the same entries give the same
/// bytes whatever the time zone, the source files' mtimes or their modes
/// (../shared/PACKAGING-NOTES.md). libzip writes the archive at `close()`; until then
/// nothing exists at `path`. The archive is written to `path` directly: atomic placement
/// (temp file, then rename) is the caller's job, see `AtomicFile`.
package final class ZipWriter {
    /// How an entry is stored.
    package enum Method { case deflate, store }

    private(set) var archive: OpaquePointer?
    let path: String
    /// The first entry whose bytes could not be made while the archive was written
    /// (`add(_:pieces:method:making:)`): `close()` reports it rather than libzip's bare
    /// "read error".
    let madeEntryFailure = MadeEntryFailure()
    /// The entries read or made only while the archive is written (ZipLazySource.swift);
    /// freed after libzip has closed or discarded the archive.
    private(set) lazy var lazyEntries = LazyEntries(archive: path, failure: madeEntryFailure)
    /// 1980-01-01 00:00: the earliest DOS date, as a fixed timestamp.
    private static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1
    private static let dosTime: UInt16 = 0

    package init(path: String) throws {
        self.path = path
        archive = try ZipError.open(path, ZIP_CREATE | ZIP_TRUNCATE)
    }

    deinit {
        // An archive never closed successfully is discarded: no half-written file.
        if let archive { zip_discard(archive) }
    }

    /// libzip 1.7.3 can fail the first `zip_open` of two threads racing (ZIP_ER_RDONLY);
    /// one open on the first caller's thread before workers start avoids it.
    static let warmUp: Void = {
        var code: Int32 = 0
        if let za = zip_open("/dev/null/ladder-warm-up.zip", ZIP_RDONLY, &code) { zip_discard(za) }
        var e = zip_error_t()
        zip_error_init(&e)
        zip_error_fini(&e)
    }()

    /// Adds an entry whose bytes are in memory. libzip gets its own copy.
    package func add(_ name: String, data: Data, method: Method) throws {
        guard let za = archive else { throw ZipError(path: path, message: "archive already closed") }
        let count = data.count
        guard let buffer = malloc(max(count, 1)) else {
            throw ZipError(path: path, message: "cannot add '\(name)': out of memory for its \(count) bytes")
        }
        data.withUnsafeBytes { raw in
            if let base = raw.baseAddress { memcpy(buffer, base, count) }
        }
        // freep = 1: libzip frees the copy when the source is done with it.
        guard let source = zip_source_buffer(za, buffer, zip_uint64_t(count), 1) else {
            free(buffer)
            throw error("cannot add '\(name)'")
        }
        try add(name, source: source, method: method)
    }

    /// Adds an entry read from a file when the archive is written (streamed, not held in memory).
    func add(_ name: String, file: String, method: Method) throws {
        guard let za = archive else { throw ZipError(path: path, message: "archive already closed") }
        guard let source = zip_source_file(za, file, 0, -1) else { throw error("cannot read '\(file)' for '\(name)'") }
        try add(name, source: source, method: method)
    }

    /// Adds entry `index` of another archive as it is stored there, compressed bytes and
    /// all: no recompression (libzip copies the data raw when the method is the same). The
    /// other archive must stay open until `close()`.
    func add(_ name: String, copying index: Int, from other: ZipReader, method: Method) throws {
        guard let za = archive else { throw ZipError(path: path, message: "archive already closed") }
        guard let source = zip_source_zip(za, other.archive, zip_uint64_t(index), zip_flags_t(ZIP_FL_COMPRESSED), 0, -1) else {
            throw error("cannot copy '\(name)' from \(other.path)")
        }
        try add(name, source: source, method: method)
    }

    /// libzip owns `source` from here on, whether or not the entry is added.
    func add(_ name: String, source: OpaquePointer, method: Method) throws {
        guard let za = archive else { return }
        let index = zip_file_add(za, name, source, zip_flags_t(ZIP_FL_ENC_UTF_8))
        guard index >= 0 else {
            // libzip owns the source only after zip_file_add succeeds.
            zip_source_free(source)
            throw error("cannot add '\(name)'")
        }
        let i = zip_uint64_t(index)
        let cm: Int32 = method == .deflate ? Int32(ZIP_CM_DEFLATE) : Int32(ZIP_CM_STORE)
        try check(zip_set_file_compression(za, i, cm, 9), "cannot set the compression of '\(name)'")
        try check(zip_file_set_dostime(za, i, Self.dosTime, Self.dosDate, 0), "cannot set the time of '\(name)'")
        try check(
            zip_file_set_external_attributes(za, i, 0, zip_uint8_t(ZIP_OPSYS_UNIX), zip_uint32_t(0o100644) << 16),
            "cannot set the permissions of '\(name)'")
    }

    /// Every libzip call on the archive goes through here: a negative result throws libzip's
    /// error for the archive.
    private func check(_ rc: Int32, _ what: @autoclosure () -> String) throws {
        if rc < 0 { throw error(what()) }
    }

    /// Writes the archive. On failure nothing is left at `path` by libzip.
    package func close() throws {
        guard let za = archive else { return }
        if zip_close(za) < 0 {
            let e = madeEntryFailure.error ?? error("cannot write the archive")
            zip_discard(za)
            archive = nil
            throw e
        }
        archive = nil
    }

    func error(_ what: String) -> ZipError {
        guard let za = archive else { return ZipError(path: path, message: what) }
        return ZipError(path: path, what, libzip: zip_get_error(za))
    }
}

/// An entry whose bytes cannot be trusted, found by reading it to its end.
package struct ZipEntryError: LadderError, Equatable {
    enum Damage: Equatable {
        /// The bytes do not match the CRC-32 the archive records for them.
        case crcMismatch
        /// The compressed data does not inflate (libzip's words).
        case corruptData(String)
        /// The entry holds another size than it declares; `actual` is nil when reading
        /// stopped because it passed the declared size.
        case sizeMismatch(declared: UInt64, actual: UInt64?)
        /// Any other read failure (libzip's words).
        case unreadable(String)
    }

    package var path: String
    var entry: String
    var damage: Damage

    /// What happened to the entry, without the archive path.
    var message: String {
        switch damage {
        case .crcMismatch:
            return "'\(entry)' is damaged: its bytes do not match the CRC-32 checksum the zip records for it"
        case .corruptData(let why):
            return "'\(entry)' is damaged: its compressed data does not inflate (\(why))"
        case .sizeMismatch(let declared, let actual?):
            return "'\(entry)' is damaged: it declares \(declared) bytes but holds \(actual)"
        case .sizeMismatch(let declared, nil):
            return "'\(entry)' is damaged: it declares \(declared) bytes but inflates to more (reading stopped there)"
        case .unreadable(let why):
            return "cannot read '\(entry)': \(why)"
        }
    }

    package var description: String { "\(path): \(message)" }
    /// The damage is described in `message`; libzip's words are in it where it gave any.
    package var underlying: (any Error)? { nil }
    package var category: LadderErrorCategory { .input }
}

/// Reads a zip archive with libzip: the entry list with sizes, and entry contents.
package final class ZipReader {
    package struct Entry: Equatable {
        package var index: Int
        package var name: String
        package var size: UInt64
        var compressedSize: UInt64
        var method: UInt16
        var crc: UInt32
        /// The central directory's "version made by" host (ZIP_OPSYS_*) and external attributes;
        /// for a Unix host the file mode is in the high 16 bits.
        var opsys: UInt8 = 0
        var externalAttributes: UInt32 = 0

        /// A Unix entry whose mode says symbolic link (S_IFLNK): extracted by a Unix tool, it
        /// becomes a link that may point anywhere.
        var isSymbolicLink: Bool {
            opsys == UInt8(ZIP_OPSYS_UNIX) && (externalAttributes >> 16) & 0o170000 == 0o120000
        }
    }

    fileprivate let archive: OpaquePointer
    let path: String
    package let entries: [Entry]

    package init(path: String) throws {
        self.path = path
        let za = try ZipError.open(path, ZIP_RDONLY | ZIP_CHECKCONS)
        archive = za
        let n = zip_get_num_entries(za, 0)
        if n < 0 {
            zip_discard(za)
            throw ZipError(path: path, "cannot count the entries", libzip: zip_get_error(za))
        }
        var list: [Entry] = []
        list.reserveCapacity(Int(n))
        do {
            for i in 0..<Int(n) { list.append(try Self.entry(at: i, of: za, path: path)) }
        } catch {
            zip_discard(za)
            throw error
        }
        entries = list
    }

    deinit { zip_discard(archive) }

    /// Entry `index` as the central directory describes it. An entry libzip cannot describe
    /// is an error naming it, never left out of the listing (a validator that skipped it
    /// would pass a package an LMS then fails on).
    static func entry(at index: Int, of za: OpaquePointer, path: String) throws -> Entry {
        var st = zip_stat_t()
        zip_stat_init(&st)
        // ZIP_FL_ENC_RAW is avoided: names are decoded (CP437 or UTF-8) to UTF-8 by libzip.
        guard zip_stat_index(za, zip_uint64_t(index), 0, &st) == 0, let name = st.name else {
            throw ZipError(path: path, "cannot read entry \(index + 1) of the central directory", libzip: zip_get_error(za))
        }
        var opsys: zip_uint8_t = 0
        var attributes: zip_uint32_t = 0
        guard zip_file_get_external_attributes(za, zip_uint64_t(index), 0, &opsys, &attributes) == 0 else {
            throw ZipError(path: path, "cannot read the attributes of '\(String(cString: name))'", libzip: zip_get_error(za))
        }
        return Entry(
            index: index, name: String(cString: name), size: st.size, compressedSize: st.comp_size,
            method: st.comp_method, crc: st.crc, opsys: opsys, externalAttributes: attributes)
    }

    /// `entry(at:)` on this archive.
    func entry(at index: Int) throws -> Entry { try Self.entry(at: index, of: archive, path: path) }

    /// The index in `entries` of the entry named `name` (as libzip decodes names), found in
    /// the table of names libzip builds when it opens the archive; nil when there is none.
    package func index(of name: String) -> Int? {
        let i = zip_name_locate(archive, name, 0)
        return i < 0 ? nil : Int(i)
    }

    /// Reads one entry, refusing to inflate more than `limit` bytes (zip-bomb guard). Reads
    /// it to the end, so damage is an error (see `stream`).
    package func read(_ entry: Entry, limit: UInt64 = 256 << 20) throws -> Data {
        var out = Data()
        out.reserveCapacity(Int(min(entry.size, limit)))
        try read(entry, limit: limit) { out.append(contentsOf: $0) }
        return out
    }

    /// `read(_:limit:)` in 64 KiB chunks handed to `body`, for a caller that needs the bytes
    /// only as they pass (a digest), not whole.
    package func read(_ entry: Entry, limit: UInt64 = 256 << 20, into body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard entry.size <= limit else {
            throw ZipError(path: path, message: "'\(entry.name)' declares \(entry.size) bytes, over the \(limit)-byte limit")
        }
        try stream(entry, body)
    }

    /// Reads every byte of one entry, in 64 KiB chunks handed to `body`, and checks what a
    /// listing cannot: that the data inflates, that it holds exactly the size the central
    /// directory declares (reading stops as soon as it passes it, so a lying size never makes
    /// it read more than declared plus one chunk), and the CRC-32, which libzip checks when
    /// the stream reaches its end. Throws `ZipEntryError` saying which.
    func stream(_ entry: Entry, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        func fail(_ damage: ZipEntryError.Damage) -> ZipEntryError { ZipEntryError(path: path, entry: entry.name, damage: damage) }
        // libzip reads a stored entry's compressed size, whatever size it declares.
        if entry.method == UInt16(ZIP_CM_STORE), entry.size != entry.compressedSize {
            throw fail(.sizeMismatch(declared: entry.size, actual: entry.compressedSize))
        }
        guard let f = zip_fopen_index(archive, zip_uint64_t(entry.index), 0) else {
            throw fail(Self.damage(zip_get_error(archive)))
        }
        var open = true
        defer { if open { zip_fclose(f) } }
        let chunk = 64 << 10
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var total: UInt64 = 0
        while true {
            let n = zip_fread(f, buffer.baseAddress!, zip_uint64_t(chunk))
            if n < 0 { throw fail(Self.damage(zip_file_get_error(f))) }
            if n == 0 { break }
            total += UInt64(n)
            if total > entry.size { throw fail(.sizeMismatch(declared: entry.size, actual: nil)) }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<Int(n)]))
        }
        if total != entry.size { throw fail(.sizeMismatch(declared: entry.size, actual: total)) }
        open = false
        let code = zip_fclose(f)
        if code != 0 { throw fail(Self.damage(code: code, message: ZipError.message(forCode: code))) }
    }

    private static func damage(_ error: UnsafeMutablePointer<zip_error_t>?) -> ZipEntryError.Damage {
        guard let error else { return .unreadable("libzip gave no reason") }
        return damage(code: zip_error_code_zip(error), message: String(cString: zip_error_strerror(error)))
    }

    private static func damage(code: Int32, message: String) -> ZipEntryError.Damage {
        switch code {
        case ZIP_ER_CRC: return .crcMismatch
        case ZIP_ER_ZLIB, ZIP_ER_COMPRESSED_DATA, ZIP_ER_EOF: return .corruptData(message)
        default: return .unreadable(message)
        }
    }

    package func read(_ name: String) throws -> Data? {
        guard let e = entries.first(where: { $0.name == name }) else { return nil }
        return try read(e)
    }

    /// Opens one entry to read it in chunks, so a caller can pass it on without holding it
    /// whole: no more bytes than the entry declares. libzip checks the CRC when the last byte
    /// has been read. Not thread-safe: one reader at a time per archive (`PackageContents`
    /// takes its lock around each read).
    func open(_ entry: Entry) throws -> ZipEntryStream {
        try ZipEntryStream(self, entry, limit: entry.size, maxRatio: nil)
    }
}

extension ZipReader {
    /// The entry called `name`, matched exactly and else ignoring case (OPC part names are
    /// case-insensitive, and some writers capitalise them).
    package func entry(named name: String) -> Entry? {
        entries.first { $0.name == name } ?? entries.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }
}

/// Reads one entry of an archive as a stream, in the caller's buffer, so an entry of any
/// size passes through a fixed amount of memory. Zip-bomb guards: the declared size must be
/// within `limit`, the declared inflation ratio within `maxRatio` (for entries over 1 MiB),
/// and the bytes actually inflated are counted against `limit` too, whatever the header said.
package final class ZipEntryStream {
    private let owner: ZipReader
    private let file: OpaquePointer
    let entry: ZipReader.Entry
    let limit: UInt64
    private(set) var inflated: UInt64 = 0

    /// `maxRatio` nil: no ratio check (the caller bounds the entry by its declared size).
    package init(_ reader: ZipReader, _ entry: ZipReader.Entry, limit: UInt64, maxRatio: UInt64? = 1000) throws {
        guard entry.size <= limit else {
            throw ZipError(path: reader.path, message: "'\(entry.name)' declares \(entry.size) bytes, over the \(limit)-byte limit")
        }
        if let maxRatio, entry.size > 1 << 20, entry.size / max(entry.compressedSize, 1) > maxRatio {
            throw ZipError(
                path: reader.path,
                message: "'\(entry.name)' would inflate \(entry.compressedSize) bytes to \(entry.size), over \(maxRatio) times (a zip bomb?)")
        }
        guard let f = zip_fopen_index(reader.archive, zip_uint64_t(entry.index), 0) else {
            throw ZipError(path: reader.path, "cannot open '\(entry.name)'", libzip: zip_get_error(reader.archive))
        }
        owner = reader
        file = f
        self.entry = entry
        self.limit = limit
    }

    deinit { zip_fclose(file) }

    /// Fills `buffer` with the next bytes; 0 at the end of the entry.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let n = zip_fread(file, base, zip_uint64_t(buffer.count))
        if n < 0 {
            throw ZipError(path: owner.path, "cannot read '\(entry.name)'", libzip: zip_file_get_error(file))
        }
        inflated += UInt64(n)
        if inflated > limit {
            let bound = limit == entry.size ? "the \(limit) bytes it declares" : "the \(limit)-byte limit"
            throw ZipError(path: owner.path, message: "'\(entry.name)' inflates past \(bound)")
        }
        return Int(n)
    }

    /// The next bytes, at most `count`; empty at the end of the entry.
    func read(upTo count: Int) throws -> Data {
        var out = Data(count: max(count, 1))
        let n = try out.withUnsafeMutableBytes { try read(into: $0) }
        out.count = n
        return out
    }
}
