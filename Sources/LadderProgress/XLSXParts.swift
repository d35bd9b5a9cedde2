import Foundation
import LadderPackaging

/// The parts of a workbook that say where its first sheet is and how to read its cells:
/// the relationships, xl/workbook.xml, xl/styles.xml and xl/sharedStrings.xml, each read
/// as a stream through `XMLPullReader` with a size limit.
package struct XLSXWorkbookParts {
    /// A sheet as xl/workbook.xml lists it, with the part its relationship points to.
    struct Sheet: Equatable {
        var name: String
        var state: String
        var relationshipType: String
        var part: String?
    }

    var workbookPart: String
    var sheets: [Sheet] = []
    var date1904 = false
    var stylesPart: String?
    var sharedStringsPart: String?

    /// The first visible worksheet (a chart sheet or a hidden sheet is passed over).
    var firstWorksheet: Sheet? {
        sheets.first { $0.relationshipType.hasSuffix("/worksheet") && $0.state != "hidden" && $0.state != "veryHidden" }
    }
}

/// Reads the workbook's XML parts out of the zip.
package struct XLSXPartReader {
    let zip: ZipReader
    let limits: XLSXReader.Limits

    /// A pull reader over `part`, streamed from the archive.
    func open(_ part: String, limit: UInt64) throws -> XMLPullReader? {
        guard let entry = zip.entry(named: part) else { return nil }
        let stream = try ZipEntryStream(zip, entry, limit: limit, maxRatio: limits.maxRatio)
        return try XMLPullReader(name: part) { try stream.read(into: $0) }
    }

    /// `<Relationship Id Type Target>` of a .rels part, targets resolved against `base`
    /// (the folder of the part they belong to).
    func relationships(_ part: String, base: String) throws -> [String: (type: String, target: String)] {
        var out: [String: (type: String, target: String)] = [:]
        guard let x = try open(part, limit: limits.smallPart) else { return out }
        while try x.read() {
            guard x.kind == .start, x.localName == "Relationship" else { continue }
            guard let id = x.attribute("Id"), let target = x.attribute("Target") else { continue }
            if x.attribute("TargetMode") == "External" { continue }
            out[id] = (x.attribute("Type") ?? "", XLSXPartReader.resolve(target, base: base))
        }
        return out
    }

    /// The workbook's part name: the package's officeDocument relationship, else the usual place.
    func workbookPart() throws -> String {
        let root = try relationships("_rels/.rels", base: "")
        let office = root.values.filter { $0.type.hasSuffix("/officeDocument") }.map(\.target).sorted().first
        return office ?? "xl/workbook.xml"
    }

    func parts() throws -> XLSXWorkbookParts {
        let workbook = try workbookPart()
        var parts = XLSXWorkbookParts(workbookPart: workbook)
        let folder = (workbook as NSString).deletingLastPathComponent
        let name = (workbook as NSString).lastPathComponent
        let rels = try relationships(folder.isEmpty ? "_rels/\(name).rels" : "\(folder)/_rels/\(name).rels", base: folder)
        guard let x = try open(workbook, limit: limits.smallPart) else {
            throw XLSXPartError.missing(workbook)
        }
        while try x.read() {
            guard x.kind == .start else { continue }
            switch x.localName {
            case "workbookPr":
                let v = x.attribute("date1904")?.lowercased()
                parts.date1904 = v == "1" || v == "true"
            case "sheet":
                let attrs = x.attributes()
                // r:id, in whichever relationships namespace (transitional or strict) it uses.
                let rid = attrs.first { $0.name == "id" && ($0.namespace ?? "").contains("relationships") }?.value
                let rel = rid.flatMap { rels[$0] }
                parts.sheets.append(
                    XLSXWorkbookParts.Sheet(
                        name: attrs.first { $0.name == "name" && $0.namespace == nil }?.value ?? "",
                        state: attrs.first { $0.name == "state" && $0.namespace == nil }?.value ?? "visible",
                        relationshipType: rel?.type ?? "", part: rel?.target))
            default:
                break
            }
        }
        parts.stylesPart = rels.values.first { $0.type.hasSuffix("/styles") }?.target
        parts.sharedStringsPart = rels.values.first { $0.type.hasSuffix("/sharedStrings") }?.target
        return parts
    }

    /// One number style per `<xf>` of `<cellXfs>`, in order: a cell's `s` indexes it.
    func styles(_ part: String?) throws -> [XLSXNumberStyle] {
        guard let part, let x = try open(part, limit: limits.smallPart) else { return [] }
        var custom: [Int: XLSXNumberStyle] = [:]
        var styles: [XLSXNumberStyle] = []
        var inCellXfs = false
        while try x.read() {
            switch (x.kind, x.localName) {
            case (.start, "numFmt"):
                if let id = x.attribute("numFmtId").flatMap({ Int($0) }), let code = x.attribute("formatCode") {
                    custom[id] = XLSXNumberStyle.classify(code: code)
                }
            case (.start, "cellXfs"): inCellXfs = true
            case (.end, "cellXfs"): inCellXfs = false
            case (.start, "xf") where inCellXfs:
                let id = x.attribute("numFmtId").flatMap { Int($0) } ?? 0
                styles.append(custom[id] ?? XLSXNumberStyle.builtin(id))
            default:
                break
            }
        }
        return styles
    }

    /// The shared string table: one string per `<si>`, rich-text runs joined.
    func sharedStrings(_ part: String?) throws -> [String] {
        guard let part, let x = try open(part, limit: limits.sharedStrings) else { return [] }
        var out: [String] = []
        while try x.read() {
            if x.kind == .start && x.localName == "si" { out.append(try XLSXPartReader.stringItem(x)) }
        }
        return out
    }

    /// Reads a string item (`<si>` or `<is>`, the reader on its start) to its end: the text
    /// of its `<t>` and of its runs' `<t>`, without the phonetic guides (`<rPh>`). Leading and
    /// trailing white space of a `<t>` is kept only under `xml:space="preserve"`, as Excel does.
    static func stringItem(_ x: XMLPullReader) throws -> String {
        let itemDepth = x.depth
        let itemPreserve = x.attribute("xml:space") == "preserve"
        var out = ""
        var phonetic = 0
        var inText = false
        var preserve = false
        var piece = ""
        while try x.read() {
            switch x.kind {
            case .start:
                if x.localName == "rPh" { phonetic += 1 }
                if x.localName == "t" && phonetic == 0 {
                    inText = true
                    let space = x.attribute("xml:space")
                    preserve = space == "preserve" || (space == nil && itemPreserve)
                    piece = ""
                }
            case .text:
                if inText { piece += x.text }
            case .end:
                if x.depth == itemDepth { return XLSXValueText.unescape(out) }
                if x.localName == "rPh" { phonetic -= 1 }
                if x.localName == "t" && inText {
                    inText = false
                    out += preserve ? piece : piece.trimmingCharacters(in: .xmlWhitespace)
                }
            }
        }
        return XLSXValueText.unescape(out)
    }

    /// A relationship target as a part name: relative to `base`, or absolute when it starts
    /// with `/`; `.` and `..` segments resolved.
    static func resolve(_ target: String, base: String) -> String {
        let joined = target.hasPrefix("/") ? String(target.dropFirst()) : (base.isEmpty ? target : base + "/" + target)
        var segments: [Substring] = []
        for s in joined.split(separator: "/") {
            if s == "." { continue }
            if s == ".." {
                if !segments.isEmpty { segments.removeLast() }
                continue
            }
            segments.append(s)
        }
        return segments.joined(separator: "/")
    }
}

package enum XLSXPartError: Error {
    case missing(String)
}

extension CharacterSet {
    /// XML's white space: space, tab, carriage return, line feed.
    static let xmlWhitespace = CharacterSet(charactersIn: " \t\r\n")
}
