import Foundation
internal import CLibXML2

/// An XML problem, with libxml2's message.
public struct XMLError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var description: String { message }
}

package enum LibXML {
    /// libxml2 keeps global state; initialise it once, and never let it reach the network
    /// (schemas and manifests resolve local files only).
    static let setUp: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader)
    }()
}

/// Writes XML through libxml2's `xmlTextWriter`, which escapes every value: no XML is ever
/// built by string interpolation. Element and attribute names are written literally, so a
/// prefix such as `adlcp:` appears exactly as given (some LMS importers look for it).
package final class XMLWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr

    init() {
        LibXML.setUp
        buffer = xmlBufferCreate()
        writer = xmlNewTextWriterMemory(buffer, 0)
        xmlTextWriterSetIndent(writer, 1)
        xmlTextWriterSetIndentString(writer, "  ")
        xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil)
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    private func check(_ rc: Int32, _ what: String) throws {
        if rc < 0 { throw XMLError(message: "libxml2 could not write \(what)") }
    }

    func start(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:]) throws {
        try check(xmlTextWriterStartElement(writer, name), "<\(name)>")
        for (k, v) in attributes { if let v { try attribute(k, v) } }
    }

    func attribute(_ name: String, _ value: String) throws {
        try check(xmlTextWriterWriteAttribute(writer, name, XMLWriter.clean(value)), "attribute \(name)")
    }

    func text(_ value: String) throws {
        try check(xmlTextWriterWriteString(writer, XMLWriter.clean(value)), "text")
    }

    func end() throws { try check(xmlTextWriterEndElement(writer), "an end tag") }

    /// `<name attrs>text</name>`.
    func element(_ name: String, _ text: String, _ attributes: KeyValuePairs<String, String?> = [:]) throws {
        try start(name, attributes)
        try self.text(text)
        try end()
    }

    /// Ends the document and returns its bytes.
    func finish() throws -> Data {
        try check(xmlTextWriterEndDocument(writer), "the document end")
        xmlTextWriterFlush(writer)
        guard let content = xmlBufferContent(buffer) else { return Data() }
        return Data(bytes: content, count: Int(xmlBufferLength(buffer)))
    }

    /// Characters XML 1.0 cannot hold at all (controls other than tab and newlines) are
    /// dropped rather than written as invalid XML.
    static func clean(_ s: String) -> String {
        if !s.unicodeScalars.contains(where: isForbidden) { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.filter { !isForbidden($0) }))
    }

    static func isForbidden(_ u: Unicode.Scalar) -> Bool {
        (u.value < 0x20 && u != "\t" && u != "\n" && u != "\r") || u.value == 0xFFFE || u.value == 0xFFFF
    }
}

/// A parsed XML element: a plain Swift tree, so no libxml2 pointer leaves this file.
package struct XMLNode: Equatable {
    var name: String
    var namespace: String?
    var prefix: String?
    var attributes: [XMLAttribute]
    var children: [XMLNode]
    var text: String
    var line: Int

    func attribute(_ local: String, namespace ns: String? = nil) -> String? {
        attributes.first { $0.name == local && (ns == nil || $0.namespace == ns) }?.value
    }

    func child(_ local: String) -> XMLNode? { children.first { $0.name == local } }
    func children(_ local: String) -> [XMLNode] { children.filter { $0.name == local } }

    /// Every element below (and including) this one, depth first.
    var descendants: [XMLNode] { [self] + children.flatMap(\.descendants) }
}

package struct XMLAttribute: Equatable {
    package var name: String
    package var namespace: String?
    var prefix: String?
    package var value: String
}

/// Reads XML with libxml2 (no network, no entity expansion) into an `XMLNode` tree.
package final class XMLDocument {
    fileprivate let doc: xmlDocPtr
    let root: XMLNode

    init(data: Data, name: String) throws {
        LibXML.setUp
        guard let ctxt = xmlNewParserCtxt() else { throw XMLError(message: "\(name): cannot create an XML parser") }
        defer { xmlFreeParserCtxt(ctxt) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let parsed = data.withUnsafeBytes { raw -> xmlDocPtr? in
            guard let base = raw.baseAddress else { return nil }
            return xmlCtxtReadMemory(ctxt, base.assumingMemoryBound(to: CChar.self), Int32(raw.count), name, nil, options)
        }
        guard let parsed, let top = xmlDocGetRootElement(parsed) else {
            let err = xmlCtxtGetLastError(ctxt)
            let msg = err.flatMap { $0.pointee.message.map { String(cString: $0) } }?.trimmingCharacters(in: .whitespacesAndNewlines)
            let line = err?.pointee.line ?? 0
            if let parsed { xmlFreeDoc(parsed) }
            throw XMLError(message: "\(name):\(line): not well-formed XML: \(msg ?? "empty document")")
        }
        doc = parsed
        root = XMLDocument.convert(top)
    }

    deinit { xmlFreeDoc(doc) }

    private static func string(_ p: UnsafePointer<xmlChar>?) -> String? { p.map { String(cString: $0) } }

    private static func convert(_ node: xmlNodePtr) -> XMLNode {
        var attrs: [XMLAttribute] = []
        var a = node.pointee.properties
        while let attr = a {
            let value = xmlNodeGetContent(UnsafeMutableRawPointer(attr).assumingMemoryBound(to: xmlNode.self))
            attrs.append(
                XMLAttribute(
                    name: string(attr.pointee.name) ?? "", namespace: string(attr.pointee.ns?.pointee.href),
                    prefix: string(attr.pointee.ns?.pointee.prefix), value: string(value) ?? ""))
            ladder_xml_free(value)
            a = attr.pointee.next
        }
        var children: [XMLNode] = []
        var text = ""
        var c = node.pointee.children
        while let child = c {
            switch child.pointee.type {
            case XML_ELEMENT_NODE: children.append(convert(child))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE: text += string(child.pointee.content) ?? ""
            default: break
            }
            c = child.pointee.next
        }
        return XMLNode(
            name: string(node.pointee.name) ?? "", namespace: string(node.pointee.ns?.pointee.href),
            prefix: string(node.pointee.ns?.pointee.prefix), attributes: attrs, children: children, text: text,
            line: Int(xmlGetLineNo(node)))
    }

    /// Validates against a compiled schema; returns the problems (empty when valid).
    func validate(with schema: XMLSchema) -> [String] { schema.validate(doc) }
}

/// A compiled XML Schema (e.g. ../shared/conformance/schemas/scorm12.xsd).
package final class XMLSchema: @unchecked Sendable {
    private let schema: xmlSchemaPtr
    private let lock = NSLock()
    let path: String

    init(path: String) throws {
        LibXML.setUp
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else { throw XMLError(message: "\(path): no such schema") }
        guard let ctxt = xmlSchemaNewParserCtxt(path) else { throw XMLError(message: "\(path): cannot read the schema") }
        defer { xmlSchemaFreeParserCtxt(ctxt) }
        // The IMS schema files trigger harmless namespace notices; keep them off stderr.
        xmlSchemaSetParserStructuredErrors(ctxt, { _, _ in }, nil)
        // The notice comes from parsing the .xsd file itself, which reports through the
        // (thread-local) global handler, not the schema context's: silence it for this parse.
        xmlSetStructuredErrorFunc(nil, { _, _ in })
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        guard let s = xmlSchemaParse(ctxt) else { throw XMLError(message: "\(path): the schema does not compile") }
        schema = s
    }

    deinit { xmlSchemaFree(schema) }

    fileprivate func validate(_ doc: xmlDocPtr) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        guard let v = xmlSchemaNewValidCtxt(schema) else { return ["cannot create a schema validation context"] }
        defer { xmlSchemaFreeValidCtxt(v) }
        final class Sink { var messages: [String] = [] }
        let sink = Sink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        xmlSchemaSetValidStructuredErrors(
            v,
            { ctx, error in
                guard let ctx, let error else { return }
                let sink = Unmanaged<Sink>.fromOpaque(ctx).takeUnretainedValue()
                let msg = error.pointee.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
                sink.messages.append("line \(error.pointee.line): \(msg)")
            }, unmanaged.toOpaque())
        let rc = xmlSchemaValidateDoc(v, doc)
        if rc != 0 && sink.messages.isEmpty { sink.messages.append("schema validation failed (code \(rc))") }
        return sink.messages
    }
}

/// Reads XML as a stream of nodes with libxml2's `xmlTextReader`, pulling bytes from `source`
/// as it goes: memory stays flat however long the document (a worksheet of a million rows).
/// Entities are never substituted and no DTD is loaded (no `XML_PARSE_NOENT`, no
/// `XML_PARSE_DTDLOAD`), nothing reaches the network, and a document that declares a DOCTYPE
/// is refused outright: the formats read this way (OOXML parts) never have one.
package final class XMLPullReader {
    package enum Kind: Equatable { case start, end, text }

    /// Where the bytes come from: fill the buffer, return the count, 0 at the end.
    package typealias Source = (UnsafeMutableRawBufferPointer) throws -> Int

    private final class Context {
        let source: Source
        var sourceError: Error?
        var message: String?
        init(source: @escaping Source) { self.source = source }
    }

    let name: String
    private let reader: xmlTextReaderPtr
    private let context: Unmanaged<Context>
    private var pendingEnd = false
    /// The current node: an element's start or end (with its local name), or text.
    package private(set) var kind = Kind.text
    package private(set) var localName = ""
    /// The current element's depth (the root is 0).
    package private(set) var depth = 0

    package init(name: String, source: @escaping Source) throws {
        LibXML.setUp
        self.name = name
        let context = Unmanaged.passRetained(Context(source: source))
        let read: xmlInputReadCallback = { ctx, buffer, len in
            guard let ctx, let buffer, len > 0 else { return 0 }
            let c = Unmanaged<Context>.fromOpaque(ctx).takeUnretainedValue()
            do {
                return Int32(try c.source(UnsafeMutableRawBufferPointer(start: buffer, count: Int(len))))
            } catch {
                c.sourceError = error
                return -1
            }
        }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        guard let r = xmlReaderForIO(read, nil, context.toOpaque(), name, nil, options) else {
            context.release()
            throw XMLError(message: "\(name): cannot create an XML reader")
        }
        reader = r
        self.context = context
        xmlTextReaderSetStructuredErrorHandler(
            r,
            { ctx, error in
                guard let ctx, let error else { return }
                let c = Unmanaged<Context>.fromOpaque(ctx).takeUnretainedValue()
                if c.message != nil { return }
                let msg = error.pointee.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
                c.message = "line \(error.pointee.line): \(msg)"
            }, context.toOpaque())
    }

    deinit {
        xmlFreeTextReader(reader)
        context.release()
    }

    /// Moves to the next element start, element end or text node; false at the end of the
    /// document. An empty element (`<c/>`) gives a start and then an end, like `<c></c>`.
    package func read() throws -> Bool {
        if pendingEnd {
            pendingEnd = false
            kind = .end
            return true
        }
        while true {
            let rc = xmlTextReaderRead(reader)
            if rc == 0 { return false }
            if rc < 0 {
                let c = context.takeUnretainedValue()
                if let e = c.sourceError { throw e }
                throw XMLError(message: "\(name): not well-formed XML: \(c.message ?? "the reader stopped")")
            }
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                kind = .start
                localName = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
                depth = Int(xmlTextReaderDepth(reader))
                pendingEnd = xmlTextReaderIsEmptyElement(reader) == 1
                return true
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                kind = .end
                localName = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
                depth = Int(xmlTextReaderDepth(reader))
                return true
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                Int32(XML_READER_TYPE_WHITESPACE.rawValue), Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
                kind = .text
                return true
            case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue), Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
                throw XMLError(message: "\(name): has a DOCTYPE or an entity reference, which this format never has")
            default:
                continue
            }
        }
    }

    /// The current text node's characters.
    package var text: String {
        xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
    }

    /// An attribute of the current start element by its name as written (`r`, `xml:space`).
    package func attribute(_ qualifiedName: String) -> String? {
        guard let v = xmlTextReaderGetAttribute(reader, qualifiedName) else { return nil }
        defer { ladder_xml_free(v) }
        return String(cString: v)
    }

    /// Every attribute of the current start element: local name, namespace URI, value.
    package func attributes() -> [XMLAttribute] {
        var list: [XMLAttribute] = []
        guard xmlTextReaderMoveToFirstAttribute(reader) == 1 else { return list }
        repeat {
            list.append(
                XMLAttribute(
                    name: xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? "",
                    namespace: xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) },
                    prefix: xmlTextReaderConstPrefix(reader).map { String(cString: $0) },
                    value: xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""))
        } while xmlTextReaderMoveToNextAttribute(reader) == 1
        xmlTextReaderMoveToElement(reader)
        return list
    }
}
