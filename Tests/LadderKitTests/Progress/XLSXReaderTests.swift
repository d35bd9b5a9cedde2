import Foundation
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

@Suite("Progress: Excel .xlsx reader")
struct XLSXReaderTests {
    // MARK: Cells read back exactly

    @Test func everyKindOfCellReadsBackExactly() throws {
        let recs = try readXLSX(ProgressFixtures.path("xlsx/cells.xlsx"))
        #expect(recs.map(\.line) == [1, 2, 4, 5, 6, 8])
        #expect(recs[0].fields == ["plain", "bold and plain", " leading space", "line\r\nbreak", "keep _x0041_ literal", "✔ Ünïcödé"])
        #expect(recs[1].fields == ["42", "-3.5", "0.3", "0.00001", "1773411060", ""])
        // yyyy-mm-dd, built-in 14, built-in 22, a custom date-time, [h]:mm:ss, 0.00%, General,
        // and a quoted "Day " that must not make the format a date.
        #expect(recs[2].fields == ["2026-03-13", "2026-03-13", "2026-03-13 14:11:00", "2026-03-13 14:11:00", "00:12:30", "92.00%", "45000", "45000"])
        #expect(recs[3].fields == ["left", "", "right", "", "", ""])
        #expect(recs[4].fields == ["TRUE", "FALSE", "plain!", "2", "#DIV/0!", ""])
        #expect(recs[5].fields == Array(repeating: "", count: 27) + ["AB8"])
    }

    @Test func the1904DateSystemAndInlineStrings() throws {
        let recs = try readXLSX(ProgressFixtures.path("xlsx/cells-1904.xlsx"))
        #expect(recs.map(\.fields) == [["inline ✔", "bold tail"], ["2026-03-13", "1904-01-01 00:00:00"]])
    }

    @Test func whiteSpacePhoneticRunsAndCellsWithoutReferences() throws {
        var wb = HandMadeWorkbook()
        wb.sharedStrings = [
            "<si><t>  trimmed  </t></si>",
            "<si><t xml:space=\"preserve\">  kept  </t></si>",
            "<si><r><t>漢字</t></r><rPh sb=\"0\" eb=\"2\"><t>かんじ</t></rPh><phoneticPr fontId=\"1\"/></si>",
            "<si/>",
        ]
        wb.sheetData = """
            <row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row>\
            <row><c r="B2" t="s"><v>3</v></c><c t="e"><v>#N/A</v></c><c t="inlineStr"><is><t>x</t></is></c></row>\
            <row r="5"><c r="A5" t="str"><f>NOW()</f></c><c r="B5"><f>1+1</f></c><c r="C5" t="b"><v>0</v></c></row>
            """
        let path = try wb.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recs = try readXLSX(path)
        #expect(recs.map(\.fields) == [["trimmed", "  kept  ", "漢字"], ["", "", "#N/A", "x"], ["", "", "FALSE"]])
        #expect(recs.map(\.line) == [1, 2, 5])
    }

    @Test func numberFormatsAndDateSerials() {
        #expect(XLSXNumberStyle.classify(code: "dd/mm/yyyy hh:mm") == .dateTime)
        #expect(XLSXNumberStyle.classify(code: "[$-409]mmmm d, yyyy;@") == .date)
        #expect(XLSXNumberStyle.classify(code: "h:mm AM/PM") == .time)
        #expect(XLSXNumberStyle.classify(code: "[h]:mm") == .time)
        #expect(XLSXNumberStyle.classify(code: "mmm") == .date)
        #expect(XLSXNumberStyle.classify(code: "[Red]#,##0.00;\"-\"") == .general)
        #expect(XLSXNumberStyle.classify(code: "0%") == .percent(decimals: 0))
        #expect(XLSXNumberStyle.classify(code: "#,##0\\ \\d\\a\\y\\s") == .general)
        #expect(XLSXNumberStyle.builtin(14) == .date)
        #expect(XLSXNumberStyle.builtin(22) == .dateTime)
        #expect(XLSXNumberStyle.builtin(46) == .time)
        #expect(XLSXNumberStyle.builtin(49) == .general)
        // 1900 system: 1 is 1900-01-01; 60 is Lotus's 29 February 1900, which never was
        // (left as a number); 61 is 1900-03-01; 2958465 is the last day Excel knows.
        func text(_ v: String, _ style: XLSXNumberStyle = .date, _ d1904: Bool = false) -> String? {
            XLSXValueText.number(v, style: style, date1904: d1904)
        }
        #expect(text("1") == "1900-01-01")
        #expect(text("59") == "1900-02-28")
        #expect(text("60") == "60")
        #expect(text("61") == "1900-03-01")
        #expect(text("46094.5912037037", .dateTime) == "2026-03-13 14:11:20")
        #expect(text("46094.99999999", .dateTime) == "2026-03-14 00:00:00")
        #expect(text("2958465") == "9999-12-31")
        #expect(text("2958466") == "2958466")
        #expect(text("-1") == "-1")
        #expect(text("0", .date, true) == "1904-01-01")
        #expect(text("1.5", .time) == "36:00:00")
        #expect(text("1E-3") == "0.001")  // day 0 of 1900 is no date
        #expect(text("0.30000000000000004", .general) == "0.3")
        #expect(text("1e+20", .general) == "100000000000000000000")
        #expect(text("-0", .general) == "0")
        #expect(text("0.125", .percent(decimals: 1)) == "12.5%")
        // A whole-percent format does not round a score: 79.5 stays below a mastery of 80.
        #expect(text("0.795", .percent(decimals: 0)) == "79.5%")
        #expect(text("0.92", .percent(decimals: 2)) == "92.00%")
        #expect(text("abc", .general) == nil)
        #expect(XLSXValueText.unescape("a_x000D_b _x005F_x0041_ _xZZZZ_") == "a\rb _x0041_ _xZZZZ_")
    }

    @Test func cellReferencesAreCheckedAgainstTheGrid() {
        #expect(XLSXCellReference.parse("A1") == .cell(column: 1, row: 1))
        #expect(XLSXCellReference.parse("AA10") == .cell(column: 27, row: 10))
        #expect(XLSXCellReference.parse("XFD1048576") == .cell(column: 16_384, row: 1_048_576))
        #expect(XLSXCellReference.parse("XFD1048577") == .outsideGrid)
        #expect(XLSXCellReference.parse("XFE1") == .outsideGrid)
        #expect(XLSXCellReference.parse(String(repeating: "Z", count: 40) + "1") == .outsideGrid)
        #expect(XLSXCellReference.parse("A" + String(repeating: "9", count: 40)) == .outsideGrid)
        #expect(XLSXCellReference.parse("A0") == .malformed)
        #expect(XLSXCellReference.parse("1A") == .malformed)
        #expect(XLSXCellReference.parse("A1B") == .malformed)
        #expect(XLSXCellReference.parse("") == .malformed)
        #expect(XLSXCellReference.letters(16_384) == "XFD")
        #expect(XLSXCellReference.letters(28) == "AB")
    }

    // MARK: Errors

    /// The message reading `wb` gives, with the line it names.
    func failure(_ wb: HandMadeWorkbook, limits: XLSXReader.Limits = .init()) throws -> DelimitedFileError? {
        let path = try wb.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        return fileErrorMessage { _ = try readXLSX(path, limits: limits) }
    }

    @Test func hostileReferencesStopTheReadWithoutAllocating() throws {
        for ref in ["XFD1048577", "XFE1", "AAAAAAAAAAAAAAAAAAAAAAAA1", "A99999999999999999999999"] {
            var wb = HandMadeWorkbook()
            wb.sheetData = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>ok</t></is></c><c r=\"\(ref)\"><v>1</v></c></row>"
            let e = try failure(wb)
            #expect(e?.message.contains("cell reference '\(ref)' is outside Excel's grid") == true, "\(ref): \(String(describing: e))")
        }
        var wb = HandMadeWorkbook()
        wb.sheetData = "<row r=\"1048577\"><c><v>1</v></c></row>"
        #expect(try failure(wb)?.message == "row 1048577 is past Excel's last row (1048576)")
        wb.sheetData = "<row r=\"3\"><c><v>1</v></c></row><row r=\"2\"><c><v>1</v></c></row>"
        #expect(try failure(wb)?.message == "row 2 comes after row 3: rows are out of order")
        wb.sheetData = "<row r=\"3\"><c r=\"B4\"><v>1</v></c></row>"
        #expect(try failure(wb)?.message == "cell B4 is inside row 3")
        // XFD is the last column Excel has, and it is read (16,384 fields, no more).
        wb.sheetData = "<row r=\"1\"><c r=\"XFD1\"><v>7</v></c></row>"
        let path = try wb.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try readXLSX(path).first?.fields.count == 16_384)
    }

    @Test func aBrokenSharedStringIndexNamesTheCellAndRow() throws {
        var wb = HandMadeWorkbook()
        wb.sharedStrings = ["<si><t>User</t></si>", "<si><t>Ana</t></si>"]
        wb.sheetData = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\" t=\"s\"><v>57</v></c></row>"
        let path = try wb.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try XLSXReader(path: path)
        #expect(try r.next()?.fields == ["User"])
        let e = fileErrorMessage { _ = try r.next() }
        #expect(e == DelimitedFileError(path: path, line: 2, message: "cell B2 refers to shared string '57', but the workbook has 2 shared strings (0–1)"))
        // A workbook without a shared string table fails the same way, not with a crash.
        wb.sharedStrings = nil
        #expect(try failure(wb)?.message == "cell A1 refers to shared string '0', but the workbook has 0 shared strings (0–0)")
    }

    @Test func missingOrUnusableSheetsAreNamed() throws {
        var wb = HandMadeWorkbook()
        wb.sheetData = "<row><c><v>1</v></c></row>"
        wb.entries = [("xl/worksheets/sheet1.xml", Data())]
        wb.sheets = [("<sheet name=\"Report\" sheetId=\"1\" r:id=\"rId1\"/>", "rId1", "worksheet", "worksheets/gone.xml")]
        #expect(try failure(wb)?.message == "the workbook lists sheet 'Report' at xl/worksheets/gone.xml, which is not in the file")
        // A chart sheet and a hidden sheet before the first visible worksheet are passed over.
        wb = HandMadeWorkbook()
        wb.sheetData = "<row><c t=\"inlineStr\"><is><t>data</t></is></c></row>"
        wb.sheets = [
            ("<sheet name=\"Chart\" sheetId=\"1\" r:id=\"rId1\"/>", "rId1", "chartsheet", "chartsheets/sheet1.xml"),
            ("<sheet name=\"Lookup\" sheetId=\"2\" state=\"hidden\" r:id=\"rId2\"/>", "rId2", "worksheet", "worksheets/sheet9.xml"),
            ("<sheet name=\"Data\" sheetId=\"3\" r:id=\"rId3\"/>", "rId3", "worksheet", "worksheets/sheet1.xml"),
        ]
        let path = try wb.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try XLSXReader(path: path)
        #expect(r.sheetName == "Data")
        #expect(try r.next()?.fields == ["data"])
        wb.sheets.removeLast()
        #expect(try failure(wb)?.message == "the workbook has no visible worksheet: xl/workbook.xml lists only 'Chart' (visible, chartsheet), 'Lookup' (hidden, worksheet)")
    }

    @Test func otherFilesSayWhatTheyAre() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func message(_ name: String) -> String? {
            fileErrorMessage { _ = try openRecordSource(dir.appendingPathComponent(name).path) }?.message
        }
        // An OLE2 compound file: Excel 97-2003 (BIFF) or an encrypted workbook.
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504))
            .write(to: dir.appendingPathComponent("report.xls"))
        #expect(message("report.xls") == "this is an old Excel 97-2003 .xls file (or a password-protected workbook, stored the same way); save it as .xlsx or CSV")
        try writeZip(dir.appendingPathComponent("report.ods").path, [
            ("mimetype", Data("application/vnd.oasis.opendocument.spreadsheet".utf8)), ("content.xml", Data("<office:document-content/>".utf8)),
        ])
        #expect(message("report.ods") == "this is an OpenDocument spreadsheet (.ods), not an Excel workbook; save it as .xlsx or CSV")
        try writeZip(dir.appendingPathComponent("report.xlsb").path, [("xl/workbook.bin", Data([0, 1]))])
        #expect(message("report.xlsb") == "this is an Excel binary workbook (.xlsb); save it as .xlsx or CSV")
        try writeZip(dir.appendingPathComponent("photos.zip").path, [("a.jpg", Data([1])), ("b.jpg", Data([2]))])
        #expect(message("photos.zip") == "this is a zip archive but not an Excel workbook: it has no xl/workbook.xml (it holds a.jpg, b.jpg)")
        // A zip signature followed by garbage (a truncated download).
        try Data([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 7, count: 60)).write(to: dir.appendingPathComponent("cut.xlsx"))
        #expect(message("cut.xlsx")?.hasPrefix("starts like a zip archive (an .xlsx workbook) but cannot be read as one: ") == true)
        // Anything else is delimited text.
        try Data("a,b\n1,2\n".utf8).write(to: dir.appendingPathComponent("plain.csv"))
        #expect(try openRecordSource(dir.appendingPathComponent("plain.csv").path) is DelimitedReader)
    }

    @Test func entitiesAndDTDsAreRefused() throws {
        var wb = HandMadeWorkbook()
        let sheet = """
            <?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\
            <!ENTITY ext SYSTEM "file:///etc/passwd">]><worksheet xmlns="\(HandMadeWorkbook.main)"><sheetData>\
            <row r="1"><c t="inlineStr"><is><t>&b;&ext;</t></is></c></row></sheetData></worksheet>
            """
        wb.entries = [("xl/worksheets/sheet1.xml", Data(sheet.utf8))]
        let e = try failure(wb)
        #expect(e?.message == "the sheet is damaged: xl/worksheets/sheet1.xml: has a DOCTYPE or an entity reference, which this format never has")
        #expect(e?.message.contains("root:") == false)
    }

    @Test func damagedSheetXMLIsAnErrorAfterTheGoodRows() throws {
        var wb = HandMadeWorkbook()
        let sheet = wb.sheetXML("<row r=\"1\"><c><v>1</v></c></row><row r=\"2\"><c><v>2</v></c></row>")
        wb.entries = [("xl/worksheets/sheet1.xml", Data(sheet.utf8.prefix(sheet.utf8.count - 20)))]
        let path = try wb.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try XLSXReader(path: path)
        #expect(try r.next()?.fields == ["1"])
        #expect(try r.next()?.fields == ["2"])
        let e = fileErrorMessage { _ = try r.next() }
        #expect(e?.line == 2)
        #expect(e?.message.hasPrefix("the sheet is damaged: xl/worksheets/sheet1.xml: not well-formed XML: line 1:") == true, "\(String(describing: e))")
        #expect(try r.next() == nil)
    }

    @Test func sizeAndRatioLimitsGuardAgainstZipBombs() throws {
        var wb = HandMadeWorkbook()
        // Two MiB of white space between two rows (spaces, tabs and line ends in a pseudo-random
        // order, so it deflates about four to one).
        var seed: UInt32 = 1
        let blanks: [Character] = [" ", "\t", "\n", "\r"]
        let padding = String((0..<(2 << 20)).map { _ -> Character in
            seed = seed &* 1_103_515_245 &+ 12_345
            return blanks[Int(seed >> 16) & 3]
        })
        wb.sheetData = "<row r=\"1\"><c><v>1</v></c></row>" + padding + "<row r=\"2\"><c><v>2</v></c></row>"
        var limits = XLSXReader.Limits()
        limits.sheet = 1 << 20
        #expect(try failure(wb, limits: limits)?.message.hasSuffix("declares \(wb.sheetXML(wb.sheetData).utf8.count) bytes, over the 1048576-byte limit") == true)
        limits = XLSXReader.Limits()
        limits.maxRatio = 2
        #expect(try failure(wb, limits: limits)?.message.contains("over 2 times (a zip bomb?)") == true)
        let path = try wb.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try readXLSX(path).map(\.fields) == [["1"], ["2"]])
    }

    @Test func digestIsTheFilesSHA256() throws {
        let path = ProgressFixtures.path("xlsx/cells.xlsx")
        #expect(try XLSXReader(path: path).digest() == SHA256Hasher.file(path).hex)
    }
}

@Suite("Progress: importing Excel downloads")
struct XLSXImportTests {
    /// Imports `files` into a fresh store; the store's rows and the import's counts.
    func imported(_ files: [String], _ source: ImportSource) throws -> (rows: String, summary: ImportSummary) {
        let s = try freshStore()
        defer { removeStore(s) }
        let summary = try s.importFiles(files.map(ProgressFixtures.path), options: ImportOptions(source: source, plan: ProgressFixtures.plan))
        return (try storeRows(s), summary)
    }

    func expectSameStore(_ csv: [String], _ xlsx: [String], _ source: ImportSource) throws {
        let a = try imported(csv, source)
        let b = try imported(xlsx, source)
        // The same issues (the training matrix has a course no plan item matches), on the same
        // line: a sheet's row numbers are the CSV's line numbers.
        func issues(_ s: ImportSummary) -> [String] {
            s.issues.map { "\(($0.file as NSString).deletingPathExtension):\($0.line): \($0.field ?? "-"): \($0.message)" }
        }
        #expect(issues(b.summary) == issues(a.summary))
        #expect(a.summary.issues.count <= 1)
        #expect(a.summary.changed > 0)
        #expect(b.rows == a.rows)
        #expect(b.summary.files.map { [$0.rows, $0.attempts, $0.changed, $0.rejected] } == a.summary.files.map { [$0.rows, $0.attempts, $0.changed, $0.rejected] })
    }

    @Test func talentLMSWorkbooksGiveTheSameStoreAsTheirCSV() throws {
        try expectSameStore(["talentlms/course-progress.csv", "talentlms/unit-matrix.csv"],
                            ["talentlms/course-progress.xlsx", "talentlms/unit-matrix.xlsx"], .talentlms)
        try expectSameStore(["talentlms/training-matrix.csv"], ["talentlms/training-matrix.xlsx"], .talentlms)
    }

    @Test func moodlesExcelDownloadGivesTheSameStoreAsItsTextDownload() throws {
        try expectSameStore(["moodle/basic-report.txt", "moodle/interactions-report.txt"],
                            ["moodle/basic-report.xlsx", "moodle/interactions-report.txt"], .moodle)
    }

    @Test func reimportingAWorkbookChangesNothing() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let options = ImportOptions(source: .talentlms, plan: ProgressFixtures.plan)
        let file = ProgressFixtures.path("talentlms/training-matrix.xlsx")
        _ = try s.importFiles([file], options: options)
        let before = try snapshot(s)
        let again = try s.importFiles([file], options: options)
        #expect(again.files.map(\.alreadyImported) == [true])
        #expect(try snapshot(s) == before)
    }

    @Test func anOldXlsFileStopsTheImportWithWhatToDo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-\(UUID().uuidString)-report.xls").path
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let s = try freshStore()
        defer { removeStore(s) }
        let before = try snapshot(s)
        #expect(throws: ImportError(path: path, message: "this is an old Excel 97-2003 .xls file (or a password-protected workbook, stored the same way); save it as .xlsx or CSV")) {
            try s.importFiles([path], options: ImportOptions(source: .talentlms, plan: ProgressFixtures.plan))
        }
        #expect(try snapshot(s) == before)
    }
}
