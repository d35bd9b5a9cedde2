import Foundation
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// Every libzip call's result is checked, and a failure carries libzip's own words (and the
/// `errno` when the system refused).
struct ZipArchiveTests {
    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func zip(_ names: [String], at path: String) throws {
        let w = try ZipWriter(path: path)
        for n in names { try w.add(n, data: Data("text of \(n)\n".utf8), method: .deflate) }
        try w.close()
    }

    /// An entry `zip_stat_index` cannot describe used to be left out of the listing, so the
    /// validator passed a package without it. libzip 1.7.3 fails that call only for an index
    /// it does not hold (a read-only archive has no deleted or added entries, and names are
    /// checked at `zip_open`), so the check is driven with one: the error names the entry and
    /// carries libzip's message.
    @Test func anEntryLibzipCannotDescribeIsAnErrorNamingIt() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.zip").path
        try Self.zip(["a.txt", "b.txt"], at: path)
        let reader = try ZipReader(path: path)
        #expect(reader.entries.map(\.name) == ["a.txt", "b.txt"])
        #expect(try reader.entry(at: 1).name == "b.txt")
        #expect(throws: ZipError(path: path, message: "cannot read entry 3 of the central directory: Invalid argument")) {
            try reader.entry(at: 2)
        }
    }

    /// A central directory record that flags its name as UTF-8 when it is not: libzip refuses
    /// the whole archive when opening it (the check the listing relies on), in its own words.
    @Test func aNameFlaggedUTF8ThatIsNotRefusesTheArchive() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("names.zip").path
        try Self.zip(["a.txt", "caf\u{E9}.txt"], at: path)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // "café.txt" is written as UTF-8 (C3 A9); make it C3 28, flagged UTF-8 (bit 11) in
        // both its local header and its central directory record, so the two still agree.
        var patched = 0
        for i in 0..<(bytes.count - 4) where bytes[i] == 0xC3 && bytes[i + 1] == 0xA9 {
            bytes[i + 1] = 0x28
            patched += 1
        }
        #expect(patched == 2)
        for i in 0..<(bytes.count - 46) where bytes[i] == 0x50 && bytes[i + 1] == 0x4B {
            if bytes[i + 2] == 3, bytes[i + 3] == 4, bytes[i + 26] == 9 { bytes[i + 7] |= 0x08 }
            if bytes[i + 2] == 1, bytes[i + 3] == 2, bytes[i + 28] == 9 { bytes[i + 9] |= 0x08 }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: ZipError(path: path, message: "Zip archive inconsistent")) { try ZipReader(path: path) }
    }

    /// libzip writes the archive at `close()`: a folder the system refuses is reported there,
    /// with libzip's message, the `errno`, and nothing left behind.
    @Test func aRefusedWriteCarriesLibzipsMessageAndTheErrno() throws {
        let path = "/sys/ladder-\(UUID().uuidString).zip"
        let w = try ZipWriter(path: path)
        try w.add("a.txt", data: Data("a".utf8), method: .deflate)
        var thrown: (any Error)?
        do { try w.close() } catch { thrown = error }
        let error = try #require(thrown as? ZipError)
        #expect(error.path == path)
        #expect(error.message.hasPrefix("cannot write the archive: Failure to create temporary file: "), "\(error.message)")
        let code = try #require(error.systemError)
        #expect(error.message.hasSuffix(String(cString: strerror(code))), "\(error.message)")
        #expect(error.category == .system)
        #expect((error.underlying as? POSIXError)?.code.rawValue == code)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// An entry made in pieces while the archive is written (how a course backup's XML files
    /// are added) is the entry of its bytes added whole: the same archive, byte for byte,
    /// deflated or stored, one piece, many (an empty one among them) or none.
    @Test func anEntryMadeInPiecesIsTheEntryOfItsBytes() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Up to 14 KB a piece, 340 KB in all: more than libzip reads at once.
        let pieces = (0..<50).map { i in Data(String(repeating: "row \(i) ", count: i * 40).utf8) }
        let all = pieces.reduce(Data(), +)
        let whole = dir.appendingPathComponent("whole.zip")
        let w = try ZipWriter(path: whole.path)
        try w.add("a.xml", data: all, method: .deflate)
        try w.add("b.xml", data: pieces[7], method: .deflate)
        try w.add("c.bin", data: all, method: .store)
        try w.add("d.xml", data: Data(), method: .deflate)
        try w.close()
        let made = dir.appendingPathComponent("made.zip")
        let m = try ZipWriter(path: made.path)
        var madeB = 0
        try m.add("a.xml", pieces: pieces.count, method: .deflate) { pieces[$0] }
        try m.add("b.xml", pieces: 1, method: .deflate) { _ in
            madeB += 1
            return pieces[7]
        }
        try m.add("c.bin", pieces: pieces.count, method: .store) { pieces[$0] }
        try m.add("d.xml", pieces: 0, method: .deflate) { _ in Data("never made".utf8) }
        #expect(madeB == 0, "nothing is made before the archive is written")
        try m.close()
        #expect(try Data(contentsOf: made) == Data(contentsOf: whole))
        #expect(madeB == 1, "a one-piece entry is made once: the piece counted is the piece written")
    }

    /// A piece that cannot be made fails `close()` with the entry's name and the cause, and
    /// nothing is left at the path.
    @Test func anEntryThatCannotBeMadeFailsCloseNamingIt() throws {
        struct NoBytes: Error, CustomStringConvertible {
            var description: String { "no bytes for piece 2" }
        }
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.zip").path
        let w = try ZipWriter(path: path)
        try w.add("a.txt", data: Data("a".utf8), method: .deflate)
        try w.add("b.xml", pieces: 3, method: .deflate) { i in
            if i == 2 { throw NoBytes() }
            return Data("<b/>".utf8)
        }
        #expect(throws: ZipError(path: path, message: "cannot make 'b.xml': no bytes for piece 2")) { try w.close() }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
