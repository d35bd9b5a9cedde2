import Foundation
import LadderCore
import LadderPackaging

/// Reads the first worksheet of an Excel workbook (.xlsx, Office Open XML) as records, the
/// same `DelimitedRecord`s `DelimitedReader` gives for a CSV, so every import layout reads a
/// TalentLMS or Moodle Excel download unchanged. The record's line is the sheet's row number.
///
/// - The sheet is found through the package relationships, xl/workbook.xml (its first visible
///   worksheet) and xl/_rels/workbook.xml.rels.
/// - Cells: shared strings (`t="s"`, rich-text runs joined), inline strings, formula results
///   (`t="str"`, or a number), booleans (`TRUE`/`FALSE`), errors (`#N/A`), numbers (up to 15
///   significant digits, as Excel shows them) and dates: a number whose style's format is a
///   date is written as ISO 8601 local text, `2026-03-13` or `2026-03-13 14:11:00` (1900 or,
///   when the workbook says `date1904`, 1904 date system); a time format gives `HH:MM:SS`; a
///   percent format `92.00%` (with more decimals when the format's would round the value).
/// - Each cell lands in the column its reference names; the cells a row skips are "", rows
///   are padded to the header's width, and rows without any value are skipped.
/// - The sheet is streamed from the zip through libxml2's `xmlTextReader`: memory holds the
///   shared strings and one row, not the sheet. Entries have size and ratio limits, DTDs and
///   entities are refused, and a cell reference outside Excel's grid stops the read.
package final class XLSXReader: RecordReader {
    /// Size limits, in inflated bytes, and the highest inflation ratio an entry may declare.
    struct Limits {
        var sheet: UInt64 = 4 << 30
        var sharedStrings: UInt64 = 512 << 20
        var smallPart: UInt64 = 64 << 20
        var maxRatio: UInt64 = 1000
    }

    let path: String
    let sheetName: String
    /// What was found, for messages.
    package var detected: String { "an Excel workbook (.xlsx), sheet '\(sheetName)'" }
    let sheetPart: String
    private let fileDigest: String
    private let date1904: Bool
    private let styles: [XLSXNumberStyle]
    private let strings: [String]
    private let zip: ZipReader
    private let sheet: XMLPullReader
    private var inSheetData = false
    private var finished = false
    private var lastRow = 0
    private var width: Int?

    init(path: String, limits: Limits = Limits()) throws {
        self.path = path
        func fail(_ message: String) -> DelimitedFileError { DelimitedFileError(path: path, line: 0, message: message) }
        do {
            fileDigest = try SHA256Hasher.file(path).hex
        } catch {
            throw fail("cannot read the file")
        }
        do {
            zip = try ZipReader(path: path)
        } catch let e as ZipError {
            throw fail("starts like a zip archive (an .xlsx workbook) but cannot be read as one: \(e.message)")
        }
        let reader = XLSXPartReader(zip: zip, limits: limits)
        do {
            let parts = try reader.parts()
            guard zip.entry(named: parts.workbookPart) != nil else { throw XLSXPartError.missing(parts.workbookPart) }
            guard let first = parts.firstWorksheet else {
                let found = parts.sheets.isEmpty ? "no sheets" : "only " + parts.sheets.map { "'\($0.name)' (\($0.state), \(($0.relationshipType as NSString).lastPathComponent))" }.joined(separator: ", ")
                throw fail("the workbook has no visible worksheet: \(parts.workbookPart) lists \(found)")
            }
            guard let part = first.part, let stream = try reader.open(part, limit: limits.sheet) else {
                throw fail("the workbook lists sheet '\(first.name)' at \(first.part ?? "no part"), which is not in the file")
            }
            sheetName = first.name
            sheetPart = part
            sheet = stream
            date1904 = parts.date1904
            styles = try reader.styles(parts.stylesPart)
            strings = try reader.sharedStrings(parts.sharedStringsPart)
        } catch XLSXPartError.missing(let part) {
            throw fail(XLSXReader.notAWorkbook(zip, missing: part))
        } catch let e as ZipError {
            throw fail(e.message)
        } catch let e as XMLError {
            throw fail("the workbook is damaged: \(e.message)")
        }
    }

    /// What a zip without a workbook is, said in words a person can act on.
    private static func notAWorkbook(_ zip: ZipReader, missing: String) -> String {
        let names = Set(zip.entries.map(\.name))
        if let mime = try? zip.read("mimetype"), let type = String(data: mime, encoding: .utf8),
            type.hasPrefix("application/vnd.oasis.opendocument")
        {
            let what = type.contains("spreadsheet") ? "an OpenDocument spreadsheet (.ods)" : "an OpenDocument file (\(type))"
            return "this is \(what), not an Excel workbook; save it as .xlsx or CSV"
        }
        if names.contains("xl/workbook.bin") {
            return "this is an Excel binary workbook (.xlsb); save it as .xlsx or CSV"
        }
        if names.contains("word/document.xml") || names.contains("ppt/presentation.xml") {
            return "this is a Word or PowerPoint file, not an Excel workbook"
        }
        let listed = zip.entries.prefix(5).map(\.name).joined(separator: ", ")
        return "this is a zip archive but not an Excel workbook: it has no \(missing)"
            + (listed.isEmpty ? " (the archive is empty)" : " (it holds \(listed)\(zip.entries.count > 5 ? ", …" : ""))")
    }

    package func digest() -> String { fileDigest }

    /// The next row that holds any value; nil after the last.
    package func next() throws -> DelimitedRecord? {
        while !finished {
            do {
                guard try sheet.read() else {
                    finished = true
                    if !inSheetData && lastRow == 0 { throw rowError(0, "the sheet \(sheetPart) has no <sheetData>") }
                    return nil
                }
                if sheet.kind == .start && sheet.localName == "sheetData" {
                    inSheetData = true
                } else if sheet.kind == .end && sheet.localName == "sheetData" {
                    finished = true
                } else if inSheetData && sheet.kind == .start && sheet.localName == "row" {
                    if let record = try readRow() {
                        var fields = record.fields
                        if let w = width {
                            if fields.count < w { fields += Array(repeating: "", count: w - fields.count) }
                            while fields.count > w && fields.last == "" { fields.removeLast() }
                        } else {
                            width = fields.count
                        }
                        return DelimitedRecord(line: record.line, fields: fields)
                    }
                }
            } catch let e as ZipError {
                finished = true
                throw rowError(lastRow, "the sheet \(sheetPart) cannot be read: \(e.message)")
            } catch let e as XMLError {
                finished = true
                throw rowError(lastRow, "the sheet is damaged: \(e.message)")
            }
        }
        return nil
    }

    private func rowError(_ row: Int, _ message: String) -> DelimitedFileError {
        DelimitedFileError(path: path, line: row, message: message)
    }

    /// Reads one `<row>` (the reader on its start) to its end. Nil when it holds no value.
    private func readRow() throws -> DelimitedRecord? {
        let row: Int
        if let r = sheet.attribute("r") {
            guard let n = Int(r), n >= 1 else { throw rowError(lastRow, "row number '\(r)' is not a number") }
            guard n <= XLSXCellReference.maxRow else {
                throw rowError(lastRow, "row \(r) is past Excel's last row (\(XLSXCellReference.maxRow))")
            }
            guard n > lastRow else { throw rowError(n, "row \(n) comes after row \(lastRow): rows are out of order") }
            row = n
        } else {
            guard lastRow < XLSXCellReference.maxRow else { throw rowError(lastRow, "the sheet runs past Excel's last row") }
            row = lastRow + 1
        }
        lastRow = row
        let rowDepth = sheet.depth
        var fields: [String] = []
        var any = false
        var nextColumn = 1
        while try sheet.read() {
            if sheet.kind == .end && sheet.depth == rowDepth { break }
            guard sheet.kind == .start && sheet.localName == "c" else { continue }
            let (column, value) = try readCell(row: row, defaultColumn: nextColumn)
            nextColumn = column + 1
            if fields.count < column { fields += Array(repeating: "", count: column - fields.count) }
            fields[column - 1] = value
            if !value.isEmpty { any = true }
        }
        return any ? DelimitedRecord(line: row, fields: fields) : nil
    }

    /// Reads one `<c>` (the reader on its start): its column and its value as text.
    private func readCell(row: Int, defaultColumn: Int) throws -> (Int, String) {
        var column = defaultColumn
        let ref = sheet.attribute("r")
        if let ref {
            switch XLSXCellReference.parse(ref) {
            case .cell(let c, let r):
                guard r == row else { throw rowError(row, "cell \(ref) is inside row \(row)") }
                column = c
            case .outsideGrid:
                throw rowError(row, "cell reference '\(ref)' is outside Excel's grid (XFD\(XLSXCellReference.maxRow) is the last cell)")
            case .malformed:
                throw rowError(row, "'\(ref)' is not a cell reference")
            }
        } else if column > XLSXCellReference.maxColumn {
            throw rowError(row, "row \(row) has more than \(XLSXCellReference.maxColumn) cells")
        }
        let name = ref ?? XLSXCellReference.letters(column) + String(row)
        let type = sheet.attribute("t") ?? "n"
        let style = sheet.attribute("s").flatMap { Int($0) }
        let cellDepth = sheet.depth
        var raw: String?
        var inline: String?
        var inValue = false
        while try sheet.read() {
            if sheet.kind == .end && sheet.depth == cellDepth { break }
            switch sheet.kind {
            case .start where sheet.localName == "v":
                inValue = true
                raw = raw ?? ""
            case .start where sheet.localName == "is":
                inline = try XLSXPartReader.stringItem(sheet)
            case .end where sheet.localName == "v":
                inValue = false
            case .text where inValue:
                raw! += sheet.text
            default:
                break
            }
        }
        return (column, try value(of: name, row: row, type: type, style: style, raw: raw, inline: inline))
    }

    private func value(of name: String, row: Int, type: String, style: Int?, raw: String?, inline: String?) throws -> String {
        switch type {
        case "inlineStr":
            return inline ?? raw.map(XLSXValueText.unescape) ?? ""
        case "s":
            guard let raw else { return "" }
            guard let i = Int(raw.trimmingCharacters(in: .xmlWhitespace)), i >= 0, i < strings.count else {
                throw rowError(
                    row, "cell \(name) refers to shared string '\(raw)', but the workbook has \(strings.count) shared strings (0–\(max(strings.count - 1, 0)))")
            }
            return strings[i]
        case "str":
            return XLSXValueText.unescape(raw ?? "")
        case "b":
            guard let raw else { return "" }
            return raw.trimmingCharacters(in: .xmlWhitespace) == "1" || raw.lowercased() == "true" ? "TRUE" : "FALSE"
        case "e", "d":
            return raw ?? ""
        default:
            guard let raw, !raw.isEmpty else { return "" }
            let numberStyle = style.flatMap { $0 < styles.count ? styles[$0] : nil } ?? .general
            guard let text = XLSXValueText.number(raw, style: numberStyle, date1904: date1904) else {
                throw rowError(row, "cell \(name) should hold a number but holds '\(raw)'")
            }
            return text
        }
    }
}
