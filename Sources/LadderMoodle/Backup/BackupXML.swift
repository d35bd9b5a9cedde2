import Foundation
import LadderPackaging

/// One XML file of a backup, written through libxml2's writer (every value escaped). Moodle's
/// backup writes a database null as the text `$@NULL@$` (backup/util/xml/output/
/// xml_writer.class.php) and reads it back as null (progressive_parser); `field` does the same
/// for nil.
final class BackupXML {
    static let null = "$@NULL@$"
    private let w: XMLWriter

    init(_ root: String, _ attributes: KeyValuePairs<String, String?> = [:]) throws {
        w = try XMLWriter()
        try w.start(root, attributes)
    }

    func field(_ name: String, _ value: String?) throws { try w.element(name, value ?? Self.null) }
    func field(_ name: String, _ value: Int) throws { try w.element(name, String(value)) }

    /// Fields from a list of (name, value) pairs, in order.
    func fields(_ list: [(String, String?)]) throws {
        for (k, v) in list { try field(k, v) }
    }

    /// `<name attrs>` … `</name>` around `body`.
    func group(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:], _ body: () throws -> Void = {}) throws {
        try w.start(name, attributes)
        try body()
        try w.end()
    }

    func finish() throws -> Data {
        try w.end()
        return try w.finish()
    }

    /// A document that is only its root and, optionally, empty children: the files every
    /// restore opens even when they hold nothing (users.xml, scales.xml, ...).
    static func empty(_ root: String, children: [String] = []) throws -> Data {
        let x = try BackupXML(root)
        for c in children { try x.group(c) }
        return try x.finish()
    }
}
