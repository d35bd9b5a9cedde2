import Foundation
import LadderCore

/// What a file's first bytes say it is.
package enum ImportFileKind: Equatable {
    case zip, ole2, text

    /// A file that cannot be opened or read is an error, not an empty text file.
    static func sniff(_ path: String) throws -> ImportFileKind {
        let head: [UInt8]
        do {
            // No such file: read as text, and DelimitedReader says it cannot open it.
            head = [UInt8](try FileSystem.readIfPresent(path, upTo: 8) ?? Data())
        } catch let e as FileSystemError {
            throw DelimitedFileError(path: path, line: 0, message: "cannot read the file: \(String(cString: strerror(e.code)))")
        }
        // PK\3\4 (a local file header) or PK\5\6 (the end record of an empty archive).
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .ole2 }
        return .text
    }
}

/// Opens `path` for import: a zip (`PK\3\4`) is read as an .xlsx workbook, anything else as
/// delimited text. An OLE2 compound file is refused with what it is and what to do.
package func openRecordSource(_ path: String) throws -> any RecordReader {
    switch try ImportFileKind.sniff(path) {
    case .zip:
        return try XLSXReader(path: path)
    case .ole2:
        throw DelimitedFileError(
            path: path, line: 0,
            message: "this is an old Excel 97-2003 .xls file (or a password-protected workbook, stored the same way); save it as .xlsx or CSV")
    case .text:
        return try DelimitedReader(path: path)
    }
}
