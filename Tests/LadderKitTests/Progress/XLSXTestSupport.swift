import Foundation

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// Small workbooks written entry by entry with the project's own libzip writer, for the cases
/// no spreadsheet program writes (hostile references, broken indexes, damaged XML).
struct HandMadeWorkbook {
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    var sheetData = ""
    var sharedStrings: [String]?
    var styles: String?
    var workbookExtra = ""
    /// `<sheet>` elements of xl/workbook.xml, with their relationships (id, type, target).
    var sheets: [(xml: String, id: String, type: String, target: String)] = [
        ("<sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/>", "rId1", "worksheet", "worksheets/sheet1.xml")
    ]
    /// Entries to write as they are (name, bytes), replacing the generated ones of that name.
    var entries: [(String, Data)] = []

    func sheetXML(_ data: String) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"\(Self.main)\" xmlns:r=\"\(Self.rel)\"><sheetData>\(data)</sheetData></worksheet>"
    }

    func write() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-xlsx-\(UUID().uuidString).xlsx").path
        var parts: [(String, Data)] = []
        func add(_ name: String, _ text: String) { parts.append((name, Data(text.utf8))) }
        add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(Self.rel)/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """)
        add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="\(Self.main)" xmlns:r="\(Self.rel)">\(workbookExtra)\
            <sheets>\(sheets.map(\.xml).joined())</sheets></workbook>
            """)
        var rels = sheets.map { "<Relationship Id=\"\($0.id)\" Type=\"\(Self.rel)/\($0.type)\" Target=\"\($0.target)\"/>" }
        if let sharedStrings {
            rels.append("<Relationship Id=\"rIdS\" Type=\"\(Self.rel)/sharedStrings\" Target=\"sharedStrings.xml\"/>")
            add("xl/sharedStrings.xml", "<?xml version=\"1.0\"?><sst xmlns=\"\(Self.main)\">\(sharedStrings.joined())</sst>")
        }
        if let styles {
            rels.append("<Relationship Id=\"rIdT\" Type=\"\(Self.rel)/styles\" Target=\"styles.xml\"/>")
            add("xl/styles.xml", "<?xml version=\"1.0\"?><styleSheet xmlns=\"\(Self.main)\">\(styles)</styleSheet>")
        }
        add("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            \(rels.joined())</Relationships>
            """)
        add("xl/worksheets/sheet1.xml", sheetXML(sheetData))
        let replaced = Set(entries.map(\.0))
        parts = parts.filter { !replaced.contains($0.0) } + entries
        try writeZip(path, parts)
        return path
    }
}

/// A zip of `entries` at `path`, deflated, in the order given.
func writeZip(_ path: String, _ entries: [(String, Data)]) throws {
    let w = try ZipWriter(path: path)
    for (name, data) in entries { try w.add(name, data: data, method: .deflate) }
    try w.close()
}

/// Every record of `path`'s first sheet.
func readXLSX(_ path: String, limits: XLSXReader.Limits = .init()) throws -> [DelimitedRecord] {
    let r = try XLSXReader(path: path, limits: limits)
    var out: [DelimitedRecord] = []
    while let rec = try r.next() { out.append(rec) }
    return out
}

/// The message of the `DelimitedFileError` that `body` throws (nil when it throws none).
func fileErrorMessage(_ body: () throws -> Void) -> DelimitedFileError? {
    do {
        try body()
        return nil
    } catch let e as DelimitedFileError {
        return e
    } catch {
        return DelimitedFileError(path: "", line: -1, message: "unexpected error: \(error)")
    }
}

/// The store's snapshot without the import log (paths, digests and times differ between two
/// imports of the same data): equal when two stores hold the same progress.
func storeRows(_ s: ProgressStore) throws -> String {
    var out: [Substring] = []
    var skip = 0
    for line in try s.snapshotText().split(separator: "\n", omittingEmptySubsequences: false) {
        if skip > 0 {
            skip -= 1
            continue
        }
        if line.hasPrefix("import_batches "), let n = Int(line.dropFirst("import_batches ".count)) {
            skip = n
            continue
        }
        out.append(line)
    }
    return out.joined(separator: "\n")
}
