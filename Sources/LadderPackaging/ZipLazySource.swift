import Foundation
internal import CLibZip

// Entries read or made only while the archive is written: libzip writes every entry at
// `zip_close`, so whatever an added entry holds is held until then. A course backup of a
// 4,000-item track has about 40,000 stored files and 24,000 XML files. Each of them is one
// 40-byte row of the archive's table of lazy entries (`LazyEntries`): a path or a maker's
// number, and nothing more until libzip asks for the bytes. An object per entry (a source,
// its made bytes and a closure) was 13 MB for a 4,000-item backup.

extension ZipWriter {
    /// Adds the file at `path` (`size` bytes), opened only while the archive is written and
    /// closed right after: an archive of thousands of files (a course backup of a 4,000-item
    /// track) holds neither their bytes nor their descriptors until `close()`.
    package func add(_ name: String, reading path: String, size: UInt64, method: Method) throws {
        try add(name, lazy: lazyEntries.add(.file, path: path, index: 0, pieces: 0, size: size), method: method)
    }

    /// Adds entry `index` (`size` bytes inflated) of the zip at `path`, which is opened,
    /// inflated and closed only while this archive is written. The bytes are compressed again
    /// with this archive's settings, as if they were added from memory.
    package func add(_ name: String, entry index: Int, ofZipAt path: String, size: UInt64, method: Method) throws {
        try add(name, lazy: lazyEntries.add(.entry, path: path, index: index, pieces: 0, size: size), method: method)
    }

    /// Adds an entry whose bytes are `making(0)`, `making(1)`, … `making(count - 1)` in a row,
    /// made only while the archive is written: once to count them (libzip needs an entry's
    /// size before it writes it: an entry of unknown size gets a zip64 header, which would
    /// change the archive's bytes), once more piece by piece as libzip reads them, a piece
    /// dropped once read. A one-piece entry is made once: the piece counted is the one read.
    /// `making` must give the same bytes every time; a thrown error fails `close()` with the
    /// entry's name. The result is the archive `add(_:data:method:)` writes with the same bytes.
    package func add(_ name: String, pieces count: Int, method: Method, making: @escaping (Int) throws -> Data) throws {
        let maker = addMaker(named: { _ in name }) { _, piece in try making(piece) }
        try add(name, item: 0, pieces: count, of: maker, method: method)
    }

    /// A way to make the bytes of many entries of this archive (`add(_:item:pieces:of:method:)`):
    /// `making(item, piece)` gives piece `piece` of item `item`, and `named(item)` its entry's
    /// name for an error. One maker serves every entry of its kind, so an entry holds two
    /// numbers rather than a closure.
    package func addMaker(named: @escaping (Int) -> String, making: @escaping (_ item: Int, _ piece: Int) throws -> Data) -> EntryMaker {
        lazyEntries.makers.append(.init(name: named, make: making))
        return EntryMaker(table: ObjectIdentifier(lazyEntries), number: lazyEntries.makers.count - 1)
    }

    /// Adds an entry whose bytes are pieces `0..<count` of `item` of `maker`, made as
    /// `add(_:pieces:method:making:)` makes them.
    package func add(_ name: String, item: Int, pieces count: Int, of maker: EntryMaker, method: Method) throws {
        precondition(maker.table == ObjectIdentifier(lazyEntries), "a maker of another archive")
        try add(name, lazy: lazyEntries.add(.made, path: nil, maker: maker.number, index: item, pieces: count, size: nil), method: method)
    }

    private func add(_ name: String, lazy slot: UnsafeMutablePointer<LazyEntry>, method: Method) throws {
        guard let za = archive else { throw ZipError(path: path, message: "archive already closed") }
        // The row stays the table's: libzip's ZIP_SOURCE_FREE leaves it, and the table goes
        // with the writer, after libzip has closed or discarded the archive.
        guard let source = zip_source_function(za, lazyEntryCallback, UnsafeMutableRawPointer(slot)) else {
            throw error("cannot add '\(name)'")
        }
        try add(name, source: source, method: method)
    }
}

/// A maker of entries' bytes registered with one archive (`ZipWriter.addMaker`).
package struct EntryMaker {
    /// The archive's table it was registered with: a maker of another archive is refused.
    let table: ObjectIdentifier
    let number: Int
}

/// The first error of an entry made while the archive was written (a callback of
/// `zip_close` cannot throw; `close()` throws this instead of libzip's read error).
/// One archive is written on one thread.
final class MadeEntryFailure {
    var error: ZipError?
}

/// One row of `LazyEntries`: what libzip's callback gets as its userdata. Plain values only,
/// kept in blocks that never move.
struct LazyEntry {
    enum Kind: UInt8 { case file, entry, made }
    /// The table, not retained: it outlives every row.
    var table: Unmanaged<LazyEntries>
    /// Known when added for a file or an entry; counted at the first stat for made bytes.
    var size: UInt64?
    /// The file's or the zip's path in `paths` (file, entry) or the maker (made).
    var source: Int32
    /// The entry's index in the zip (entry) or the maker's item (made).
    var index: Int32
    /// How many pieces (made).
    var pieces: Int32
    var kind: Kind
}

/// The lazy entries of one archive, written by one `zip_close` on one thread: the rows,
/// the paths and makers they name, and what is open of the entry being written.
final class LazyEntries {
    struct Maker {
        var name: (Int) -> String
        var make: (Int, Int) throws -> Data
    }

    /// What is open of an entry between ZIP_SOURCE_OPEN and ZIP_SOURCE_CLOSE.
    final class Open {
        var file: UnsafeMutablePointer<FILE>?
        var archive: OpaquePointer?
        var entry: OpaquePointer?
        /// The piece of made bytes being read and how far.
        var piece: (index: Int, bytes: Data, offset: Int)?

        func close() {
            if let file { fclose(file) }
            if let entry { zip_fclose(entry) }
            if let archive { zip_discard(archive) }
            (file, entry, archive, piece) = (nil, nil, nil, nil)
        }
    }

    private static let blockSize = 1024
    let archivePath: String
    let failure: MadeEntryFailure
    var makers: [Maker] = []
    private var paths: [String] = []
    private var blocks: [UnsafeMutablePointer<LazyEntry>] = []
    private var count = 0
    /// Open entries by row (libzip opens one at a time; a dictionary costs nothing if not).
    private var opened: [UnsafeMutablePointer<LazyEntry>: Open] = [:]
    /// The last piece made when counting an entry's size: for a one-piece entry, the piece read.
    private var counted: (row: UnsafeMutablePointer<LazyEntry>, index: Int, bytes: Data)?
    var error = zip_error_t()

    init(archive: String, failure: MadeEntryFailure) {
        self.archivePath = archive
        self.failure = failure
        zip_error_init(&error)
    }

    deinit {
        for o in opened.values { o.close() }
        for b in blocks { b.deallocate() }
        zip_error_fini(&error)
    }

    /// A new row; a path the same as the last one added is kept once (a package's entries
    /// come together).
    func add(_ kind: LazyEntry.Kind, path: String?, maker: Int = 0, index: Int, pieces: Int, size: UInt64?) -> UnsafeMutablePointer<LazyEntry> {
        var source = Int32(maker)
        if let path {
            if paths.last != path { paths.append(path) }
            source = Int32(paths.count - 1)
        }
        if count == blocks.count * Self.blockSize { blocks.append(.allocate(capacity: Self.blockSize)) }
        let row = blocks[count / Self.blockSize] + count % Self.blockSize
        row.initialize(to: LazyEntry(
            table: .passUnretained(self), size: size, source: source, index: Int32(index), pieces: Int32(pieces), kind: kind))
        count += 1
        return row
    }

    private func fail(_ e: UnsafeMutablePointer<zip_error_t>?) -> zip_int64_t {
        zip_error_set(&error, e.map { zip_error_code_zip($0) } ?? ZIP_ER_INTERNAL, e.map { zip_error_code_system($0) } ?? 0)
        return -1
    }

    /// Piece `piece` of a made row; nil, with the first failure kept, when it cannot be made.
    private func make(_ row: LazyEntry, _ piece: Int) -> Data? {
        let maker = makers[Int(row.source)]
        do {
            return try maker.make(Int(row.index), piece)
        } catch {
            if failure.error == nil {
                failure.error = ZipError(path: archivePath, message: "cannot make '\(maker.name(Int(row.index)))': \(error)")
            }
            return nil
        }
    }

    func open(_ row: UnsafeMutablePointer<LazyEntry>) -> zip_int64_t {
        let o = opened[row] ?? Open()
        o.close()
        let r = row.pointee
        switch r.kind {
        case .file:
            guard let f = fopen(paths[Int(r.source)], "rb") else {
                zip_error_set(&error, ZIP_ER_OPEN, errno)
                return -1
            }
            o.file = f
        case .entry:
            var code: Int32 = 0
            guard let za = zip_open(paths[Int(r.source)], ZIP_RDONLY, &code) else {
                zip_error_fini(&error)
                zip_error_init_with_code(&error, code)
                return -1
            }
            guard let f = zip_fopen_index(za, zip_uint64_t(r.index), 0) else {
                defer { zip_discard(za) }
                return fail(zip_get_error(za))
            }
            o.archive = za
            o.entry = f
        case .made:
            // The piece kept from counting is the first one read when it is piece 0.
            if let c = counted, c.row == row, c.index == 0 { o.piece = (0, c.bytes, 0) }
            counted = nil
        }
        opened[row] = o
        return 0
    }

    func read(_ row: UnsafeMutablePointer<LazyEntry>, into data: UnsafeMutableRawPointer?, _ length: zip_uint64_t) -> zip_int64_t {
        guard let data, let o = opened[row] else { return fail(nil) }
        if row.pointee.kind == .made {
            guard let n = readMade(row.pointee, o, into: data, Int(clamping: length)) else { return fail(nil) }
            return zip_int64_t(n)
        }
        if let file = o.file {
            let n = fread(data, 1, Int(length), file)
            if n == 0, ferror(file) != 0 {
                zip_error_set(&error, ZIP_ER_READ, errno)
                return -1
            }
            return zip_int64_t(n)
        }
        guard let entry = o.entry else { return fail(nil) }
        let n = zip_fread(entry, data, length)
        return n < 0 ? fail(zip_file_get_error(entry)) : n
    }

    /// Copies the next bytes of a made row into `buffer`, making pieces as needed: the count
    /// copied, 0 at the end, nil when a piece could not be made.
    private func readMade(_ row: LazyEntry, _ o: Open, into buffer: UnsafeMutableRawPointer, _ length: Int) -> Int? {
        var copied = 0
        while copied < length {
            if o.piece == nil || o.piece!.offset == o.piece!.bytes.count {
                let next = o.piece.map { $0.index + 1 } ?? 0
                guard next < Int(row.pieces) else { break }
                guard let bytes = make(row, next) else { return nil }
                o.piece = (next, bytes, 0)
                continue
            }
            let p = o.piece!
            let n = min(length - copied, p.bytes.count - p.offset)
            p.bytes.withUnsafeBytes { raw in
                if let base = raw.baseAddress { memcpy(buffer + copied, base + p.offset, n) }
            }
            o.piece = (p.index, p.bytes, p.offset + n)
            copied += n
        }
        return copied
    }

    /// Closes what is open of the row: nothing of the entry is kept once it is written.
    func close(_ row: UnsafeMutablePointer<LazyEntry>) {
        opened.removeValue(forKey: row)?.close()
        if counted?.row == row { counted = nil }
    }

    /// What a buffer source says of itself: the size, stored, not encrypted (libzip then
    /// compresses the bytes as the entry's method says, exactly as from memory).
    func stat(_ row: UnsafeMutablePointer<LazyEntry>, into data: UnsafeMutableRawPointer?, _ length: zip_uint64_t) -> zip_int64_t {
        guard let data, length >= MemoryLayout<zip_stat_t>.size else { return fail(nil) }
        if row.pointee.size == nil, row.pointee.kind == .made { row.pointee.size = countMade(row) }
        guard let size = row.pointee.size else { return fail(nil) }
        let st = data.assumingMemoryBound(to: zip_stat_t.self)
        zip_stat_init(st)
        st.pointee.size = size
        st.pointee.comp_size = size
        st.pointee.comp_method = zip_uint16_t(ZIP_CM_STORE)
        st.pointee.encryption_method = zip_uint16_t(ZIP_EM_NONE)
        st.pointee.valid |= zip_uint64_t(ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_ENCRYPTION_METHOD)
        return zip_int64_t(MemoryLayout<zip_stat_t>.size)
    }

    /// The total size of a made row, every piece made once (the last one kept); nil when one failed.
    private func countMade(_ row: UnsafeMutablePointer<LazyEntry>) -> UInt64? {
        var total: UInt64 = 0
        counted = nil
        for i in 0..<Int(row.pointee.pieces) {
            guard let bytes = make(row.pointee, i) else { return nil }
            total += UInt64(bytes.count)
            counted = (row, i, bytes)
        }
        return total
    }
}

/// libzip's callback for a row of `LazyEntries` (a C function: no captures).
private let lazyEntryCallback: zip_source_callback = { userdata, data, length, command in
    guard let userdata else { return -1 }
    let row = userdata.assumingMemoryBound(to: LazyEntry.self)
    let table = row.pointee.table.takeUnretainedValue()
    switch command {
    case ZIP_SOURCE_OPEN: return table.open(row)
    case ZIP_SOURCE_READ: return table.read(row, into: data, length)
    case ZIP_SOURCE_CLOSE:
        table.close(row)
        return 0
    case ZIP_SOURCE_STAT: return table.stat(row, into: data, length)
    case ZIP_SOURCE_ERROR: return data.map { zip_error_to_data(&table.error, $0, length) } ?? -1
    case ZIP_SOURCE_FREE:
        // The row is the table's, freed with it.
        return 0
    case ZIP_SOURCE_SUPPORTS:
        // ZIP_SOURCE_SUPPORTS_READABLE (a macro Swift does not import).
        let commands = [ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE]
        return commands.reduce(0) { $0 | (zip_int64_t(1) << zip_int64_t($1.rawValue)) }
    default:
        zip_error_set(&table.error, ZIP_ER_OPNOTSUPP, 0)
        return -1
    }
}
