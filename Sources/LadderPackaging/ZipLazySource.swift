import Foundation
internal import CLibZip

// Entries read or made only while the archive is written: libzip writes every entry at
// `zip_close`, so whatever an added entry holds is held until then. A course backup of a
// 4,000-item track has about 40,000 stored files and 24,000 XML files; these sources hold
// a path, or a way to make the bytes, and nothing more until libzip asks for them.

extension ZipWriter {
    /// Adds the file at `path` (`size` bytes), opened only while the archive is written and
    /// closed right after: an archive of thousands of files (a course backup of a 4,000-item
    /// track) holds neither their bytes nor their descriptors until `close()`.
    package func add(_ name: String, reading path: String, size: UInt64, method: Method) throws {
        try add(name, lazy: LazySource(.file(path), size: size), method: method)
    }

    /// Adds entry `index` (`size` bytes inflated) of the zip at `path`, which is opened,
    /// inflated and closed only while this archive is written. The bytes are compressed again
    /// with this archive's settings, as if they were added from memory.
    package func add(_ name: String, entry index: Int, ofZipAt path: String, size: UInt64, method: Method) throws {
        try add(name, lazy: LazySource(.entry(zip: path, index: index), size: size), method: method)
    }

    /// Adds an entry whose bytes are `making(0)`, `making(1)`, … `making(count - 1)` in a row,
    /// made only while the archive is written: once to count them (libzip needs an entry's
    /// size before it writes it: an entry of unknown size gets a zip64 header, which would
    /// change the archive's bytes), once more piece by piece as libzip reads them, a piece
    /// dropped once read. A one-piece entry is made once: the piece counted is the one read.
    /// `making` must give the same bytes every time; a thrown error fails `close()` with the
    /// entry's name. The result is the archive `add(_:data:method:)` writes with the same bytes.
    package func add(_ name: String, pieces count: Int, method: Method, making: @escaping (Int) throws -> Data) throws {
        let made = MadeBytes(name: name, archive: path, count: count, making: making, failure: madeEntryFailure)
        try add(name, lazy: LazySource(.made(made), size: nil), method: method)
    }

    private func add(_ name: String, lazy: LazySource, method: Method) throws {
        guard let za = archive else { throw ZipError(path: path, message: "archive already closed") }
        // Released by libzip's ZIP_SOURCE_FREE once it owns the source.
        let context = Unmanaged.passRetained(lazy)
        guard let source = zip_source_function(za, lazySourceCallback, context.toOpaque()) else {
            context.release()
            throw error("cannot add '\(name)'")
        }
        try add(name, source: source, method: method)
    }
}

/// The first error of an entry made while the archive was written (a callback of
/// `zip_close` cannot throw; `close()` throws this instead of libzip's read error).
/// One archive is written on one thread.
final class MadeEntryFailure {
    var error: ZipError?
}

/// The bytes of an entry made in pieces (`ZipWriter.add(_:pieces:method:making:)`).
private final class MadeBytes {
    let name: String
    let archive: String
    let count: Int
    let making: (Int) throws -> Data
    let failure: MadeEntryFailure
    /// The piece being read and how far; the last piece made when counting, kept for a
    /// one-piece entry so that it is made once.
    private var piece: (index: Int, bytes: Data, offset: Int)?

    init(name: String, archive: String, count: Int, making: @escaping (Int) throws -> Data, failure: MadeEntryFailure) {
        self.name = name
        self.archive = archive
        self.count = count
        self.making = making
        self.failure = failure
    }

    private func make(_ index: Int) -> Data? {
        do {
            return try making(index)
        } catch {
            if failure.error == nil { failure.error = ZipError(path: archive, message: "cannot make '\(name)': \(error)") }
            return nil
        }
    }

    /// The total size, every piece made once (the last one kept); nil when one failed.
    func size() -> UInt64? {
        var total: UInt64 = 0
        for i in 0..<count {
            guard let bytes = make(i) else { return nil }
            total += UInt64(bytes.count)
            piece = (i, bytes, 0)
        }
        return total
    }

    /// Back to the first byte; the piece kept from counting stays when it is the first.
    func rewind() {
        if let p = piece, p.index == 0 { piece = (0, p.bytes, 0) } else { piece = nil }
    }

    /// Copies the next bytes into `buffer`, making pieces as needed: the count copied, 0 at
    /// the end, nil when a piece could not be made.
    func read(into buffer: UnsafeMutableRawPointer, _ length: Int) -> Int? {
        var copied = 0
        while copied < length {
            if piece == nil || piece!.offset == piece!.bytes.count {
                let next = piece.map { $0.offset == $0.bytes.count ? $0.index + 1 : $0.index } ?? 0
                guard next < count else { break }
                guard let bytes = make(next) else { return nil }
                piece = (next, bytes, 0)
                continue
            }
            let p = piece!
            let n = min(length - copied, p.bytes.count - p.offset)
            p.bytes.withUnsafeBytes { raw in
                if let base = raw.baseAddress { memcpy(buffer + copied, base + p.offset, n) }
            }
            piece = (p.index, p.bytes, p.offset + n)
            copied += n
        }
        return copied
    }

    /// Drops the piece held: nothing of the entry is kept once it is written.
    func close() { piece = nil }
}

/// libzip's callback for a `LazySource` (a C function: no captures).
private let lazySourceCallback: zip_source_callback = { userdata, data, length, command in
    guard let userdata else { return -1 }
    let unmanaged = Unmanaged<LazySource>.fromOpaque(userdata)
    let source = unmanaged.takeUnretainedValue()
    switch command {
    case ZIP_SOURCE_OPEN: return source.open()
    case ZIP_SOURCE_READ: return source.read(into: data, length)
    case ZIP_SOURCE_CLOSE:
        source.close()
        return 0
    case ZIP_SOURCE_STAT: return source.stat(into: data, length)
    case ZIP_SOURCE_ERROR: return data.map { zip_error_to_data(&source.error, $0, length) } ?? -1
    case ZIP_SOURCE_FREE:
        unmanaged.release()
        return 0
    case ZIP_SOURCE_SUPPORTS:
        // ZIP_SOURCE_SUPPORTS_READABLE (a macro Swift does not import).
        let commands = [ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE]
        return commands.reduce(0) { $0 | (zip_int64_t(1) << zip_int64_t($1.rawValue)) }
    default:
        zip_error_set(&source.error, ZIP_ER_OPNOTSUPP, 0)
        return -1
    }
}

/// The bytes of a file, of another zip's entry or made on demand, read only between
/// libzip's ZIP_SOURCE_OPEN and ZIP_SOURCE_CLOSE. Used by one archive's `zip_close` on one
/// thread.
private final class LazySource {
    enum Origin {
        case file(String)
        case entry(zip: String, index: Int)
        case made(MadeBytes)
    }

    let origin: Origin
    /// Known when added for a file or an entry; counted at the first stat for made bytes.
    var size: UInt64?
    var error = zip_error_t()
    private var file: UnsafeMutablePointer<FILE>?
    private var archive: OpaquePointer?
    private var entry: OpaquePointer?

    init(_ origin: Origin, size: UInt64?) {
        self.origin = origin
        self.size = size
        zip_error_init(&error)
    }

    deinit {
        close()
        zip_error_fini(&error)
    }

    private func fail(_ e: UnsafeMutablePointer<zip_error_t>?) -> zip_int64_t {
        zip_error_set(&error, e.map { zip_error_code_zip($0) } ?? ZIP_ER_INTERNAL, e.map { zip_error_code_system($0) } ?? 0)
        return -1
    }

    func open() -> zip_int64_t {
        switch origin {
        case .file(let path):
            guard let f = fopen(path, "rb") else {
                zip_error_set(&error, ZIP_ER_OPEN, errno)
                return -1
            }
            file = f
        case .entry(let path, let index):
            var code: Int32 = 0
            guard let za = zip_open(path, ZIP_RDONLY, &code) else {
                zip_error_fini(&error)
                zip_error_init_with_code(&error, code)
                return -1
            }
            guard let f = zip_fopen_index(za, zip_uint64_t(index), 0) else {
                defer { zip_discard(za) }
                return fail(zip_get_error(za))
            }
            archive = za
            entry = f
        case .made(let made):
            made.rewind()
        }
        return 0
    }

    func read(into data: UnsafeMutableRawPointer?, _ length: zip_uint64_t) -> zip_int64_t {
        guard let data else { return fail(nil) }
        if case .made(let made) = origin {
            guard let n = made.read(into: data, Int(clamping: length)) else { return fail(nil) }
            return zip_int64_t(n)
        }
        if let file {
            let n = fread(data, 1, Int(length), file)
            if n == 0, ferror(file) != 0 {
                zip_error_set(&error, ZIP_ER_READ, errno)
                return -1
            }
            return zip_int64_t(n)
        }
        guard let entry else { return fail(nil) }
        let n = zip_fread(entry, data, length)
        return n < 0 ? fail(zip_file_get_error(entry)) : n
    }

    func close() {
        if let file { fclose(file) }
        if let entry { zip_fclose(entry) }
        if let archive { zip_discard(archive) }
        (file, entry, archive) = (nil, nil, nil)
        if case .made(let made) = origin { made.close() }
    }

    /// What a buffer source says of itself: the size, stored, not encrypted (libzip then
    /// compresses the bytes as the entry's method says, exactly as from memory).
    func stat(into data: UnsafeMutableRawPointer?, _ length: zip_uint64_t) -> zip_int64_t {
        guard let data, length >= MemoryLayout<zip_stat_t>.size else { return fail(nil) }
        if size == nil, case .made(let made) = origin { size = made.size() }
        guard let size else { return fail(nil) }
        let st = data.assumingMemoryBound(to: zip_stat_t.self)
        zip_stat_init(st)
        st.pointee.size = size
        st.pointee.comp_size = size
        st.pointee.comp_method = zip_uint16_t(ZIP_CM_STORE)
        st.pointee.encryption_method = zip_uint16_t(ZIP_EM_NONE)
        st.pointee.valid |= zip_uint64_t(ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_ENCRYPTION_METHOD)
        return zip_int64_t(MemoryLayout<zip_stat_t>.size)
    }
}
