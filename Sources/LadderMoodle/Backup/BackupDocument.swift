import Foundation

/// One XML file of a course backup, by path inside the .mbz, with the way to make its bytes
/// rather than the bytes (`CourseBackup.documents()`). The archive is written from the
/// documents' numbers (`CourseBackup.makeDocument`), made only while libzip writes them, so
/// a backup's XML is never held whole.
package struct BackupDocument {
    package var name: String
    /// How many pieces the bytes come in (files.xml: one per activity; others: one).
    package var pieces: Int
    /// Piece `i` of the bytes; the same bytes every time.
    package var make: (Int) throws -> Data

    init(_ name: String, pieces: Int = 1, make: @escaping (Int) throws -> Data) {
        self.name = name
        self.pieces = pieces
        self.make = make
    }

    /// The whole file: every piece in a row.
    package func bytes() throws -> Data {
        var out = Data()
        for i in 0..<pieces { out += try make(i) }
        return out
    }
}
