import Foundation
import LadderCore
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

    /// libxml2's own words for an error: "file:line: message" (the parts it knows).
    static func describe(_ error: UnsafePointer<xmlError>?) -> String? {
        guard let e = error?.pointee, e.code != 0 else { return nil }
        let message = e.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "error \(e.code)"
        let file = e.file.map { String(cString: $0) }
        let place = [file, e.line > 0 ? String(e.line) : nil].compactMap { $0 }.joined(separator: ":")
        return place.isEmpty ? message : "\(place): \(message)"
    }

    /// `what` failed: the error says so with `xmlGetLastError`'s text when libxml2 left one
    /// (the last error is thread-local and cleared before each checked call).
    static func failure(_ what: String) -> XMLError {
        defer { xmlResetLastError() }
        return XMLError(message: describe(xmlGetLastError()).map { "\(what): \($0)" } ?? what)
    }

    /// Runs one libxml2 call that returns a negative number on failure; throws `failure(what)`.
    @discardableResult
    static func check(_ what: @autoclosure () -> String, _ call: () -> Int32) throws -> Int32 {
        xmlResetLastError()
        let rc = call()
        if rc < 0 { throw failure(what()) }
        return rc
    }
}

/// Writes XML through libxml2's `xmlTextWriter`, which escapes every value: no XML is ever
/// built by string interpolation. Element and attribute names are written literally, so a
/// prefix such as `adlcp:` appears exactly as given (some LMS importers look for it).
package final class XMLWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr

    package init() throws {
        LibXML.setUp
        xmlResetLastError()
        guard let buffer = xmlBufferCreate() else { throw LibXML.failure("libxml2 could not allocate an XML buffer") }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw LibXML.failure("libxml2 could not create an XML writer")
        }
        self.buffer = buffer
        self.writer = writer
        // From here on deinit frees both.
        try write("the indentation") { xmlTextWriterSetIndent(writer, 1) }
        try write("the indentation") { xmlTextWriterSetIndentString(writer, "  ") }
        try write("the XML declaration") { xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil) }
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    private func write(_ what: @autoclosure () -> String, _ call: () -> Int32) throws {
        try LibXML.check("libxml2 could not write \(what())", call)
    }

    package func start(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:]) throws {
        try write("<\(name)>") { xmlTextWriterStartElement(writer, name) }
        for (k, v) in attributes { if let v { try attribute(k, v) } }
    }

    package func attribute(_ name: String, _ value: String) throws {
        try write("attribute \(name)") { xmlTextWriterWriteAttribute(writer, name, XMLWriter.clean(value)) }
    }

    package func text(_ value: String) throws {
        try write("text") { xmlTextWriterWriteString(writer, XMLWriter.clean(value)) }
    }

    package func end() throws { try write("an end tag") { xmlTextWriterEndElement(writer) } }

    /// `<name attrs>text</name>`.
    package func element(_ name: String, _ text: String, _ attributes: KeyValuePairs<String, String?> = [:]) throws {
        try start(name, attributes)
        try self.text(text)
        try end()
    }

    /// Ends the document and returns its bytes.
    package func finish() throws -> Data {
        try write("the document end") { xmlTextWriterEndDocument(writer) }
        try write("the document (flush)") { xmlTextWriterFlush(writer) }
        let length = xmlBufferLength(buffer)
        guard let content = xmlBufferContent(buffer), length >= 0 else { throw LibXML.failure("libxml2 returned no document") }
        return Data(bytes: content, count: Int(length))
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
    package var name: String
    var namespace: String?
    var prefix: String?
    package var attributes: [XMLAttribute]
    package var children: [XMLNode]
    package var text: String
    package var line: Int

    package func attribute(_ local: String, namespace ns: String? = nil) -> String? {
        attributes.first { $0.name == local && (ns == nil || $0.namespace == ns) }?.value
    }

    package func child(_ local: String) -> XMLNode? { children.first { $0.name == local } }
    package func children(_ local: String) -> [XMLNode] { children.filter { $0.name == local } }

    /// Every element below (and including) this one, depth first, as an array (for tests
    /// and small documents; checks walk `elements`).
    var descendants: [XMLNode] { Array(elements) }

    /// Every element below (and including) this one, depth first, visited one at a time:
    /// walking a 4,000-SCO manifest this way holds no copy of its 45,000 elements.
    var elements: Elements { Elements(self) }

    /// The depth-first walk of `elements`: the node itself, then each child's walk in order.
    struct Elements: Sequence, IteratorProtocol {
        private var root: XMLNode?
        /// Per open level, the children still to visit.
        private var pending: [IndexingIterator<[XMLNode]>] = []

        init(_ root: XMLNode) { self.root = root }

        mutating func next() -> XMLNode? {
            if let r = root {
                root = nil
                pending.append(r.children.makeIterator())
                return r
            }
            while let last = pending.indices.last {
                if let n = pending[last].next() {
                    pending.append(n.children.makeIterator())
                    return n
                }
                pending.removeLast()
            }
            return nil
        }
    }
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
    package let root: XMLNode

    package init(data: Data, name: String) throws {
        LibXML.setUp
        xmlResetLastError()
        guard let ctxt = xmlNewParserCtxt() else { throw LibXML.failure("\(name): cannot create an XML parser") }
        defer { xmlFreeParserCtxt(ctxt) }
        guard data.count <= Int(Int32.max) else { throw XMLError(message: "\(name): \(data.count) bytes is too large for libxml2") }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let parsed = data.withUnsafeBytes { raw -> xmlDocPtr? in
            // No bytes (no base address): nothing to parse, reported below as an empty document.
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
        // From here on deinit frees the document.
        var strings = XMLStrings()
        root = try XMLDocument.convert(top, name: name, strings: &strings)
    }

    deinit { xmlFreeDoc(doc) }

    static func string(_ p: UnsafePointer<xmlChar>?) -> String? { p.map { String(cString: $0) } }

    private static func convert(_ node: xmlNodePtr, name: String, strings: inout XMLStrings) throws -> XMLNode {
        var element = try XMLDocument.element(node, line: max(0, Int(xmlGetLineNo(node))), name: name, strings: &strings)
        var c = node.pointee.children
        while let child = c {
            switch child.pointee.type {
            case XML_ELEMENT_NODE: element.children.append(try convert(child, name: name, strings: &strings))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE: element.text += string(child.pointee.content) ?? ""
            default: break
            }
            c = child.pointee.next
        }
        element.text = strings.whitespace(element.text)
        return element
    }

    /// An element's own name, namespace and attributes, without children or text: the part
    /// `XMLDocument` and `XMLTreeReader` read alike (each works out the line its own way).
    static func element(_ node: xmlNodePtr, line: Int, name: String, strings: inout XMLStrings) throws -> XMLNode {
        var attrs: [XMLAttribute] = []
        // Exactly as many as there are: grown one by one, the arrays of a large manifest's
        // 40,000 attributes would hold a third more than they use.
        var count = 0
        var a = node.pointee.properties
        while let attr = a {
            count += 1
            a = attr.pointee.next
        }
        attrs.reserveCapacity(count)
        a = node.pointee.properties
        while let attr = a {
            // libxml2 gives "" for an empty attribute: nil is an allocation failure.
            guard let value = xmlNodeGetContent(UnsafeMutableRawPointer(attr).assumingMemoryBound(to: xmlNode.self)) else {
                throw LibXML.failure("\(name):\(xmlGetLineNo(node)): cannot read attribute \(string(attr.pointee.name) ?? "?")")
            }
            attrs.append(
                XMLAttribute(
                    name: strings.name(attr.pointee.name) ?? "", namespace: strings.name(attr.pointee.ns?.pointee.href),
                    prefix: strings.name(attr.pointee.ns?.pointee.prefix), value: String(cString: value)))
            ladder_xml_free(value)
            a = attr.pointee.next
        }
        return XMLNode(
            name: strings.name(node.pointee.name) ?? "", namespace: strings.name(node.pointee.ns?.pointee.href),
            prefix: strings.name(node.pointee.ns?.pointee.prefix), attributes: attrs, children: [], text: "", line: line)
    }

    /// Validates against a compiled schema; returns the problems (empty when valid).
    func validate(with schema: XMLSchema) -> [String] { schema.validate(doc) }
}

/// A compiled XML Schema (e.g. ../shared/conformance/schemas/scorm12.xsd).
package final class XMLSchema: Sendable {
    /// The compiled schema, freed with its owner; validations against it take turns under
    /// `schema`'s lock.
    // @unchecked: a C pointer, which only `XMLSchema.validate` reads, holding that lock.
    private final class Handle: @unchecked Sendable {
        let pointer: xmlSchemaPtr
        init(_ pointer: xmlSchemaPtr) { self.pointer = pointer }
        deinit { xmlSchemaFree(pointer) }
    }

    private let schema: Locked<Handle>
    let path: String

    init(path: String) throws {
        LibXML.setUp
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else { throw XMLError(message: "\(path): no such schema") }
        xmlResetLastError()
        guard let ctxt = xmlSchemaNewParserCtxt(path) else { throw LibXML.failure("\(path): cannot read the schema") }
        defer { xmlSchemaFreeParserCtxt(ctxt) }
        // The IMS schema files trigger harmless namespace notices: kept off stderr. The .xsd
        // file itself is parsed through the (thread-local) global handler, not the schema
        // context's, so both are pointed at one collector for this parse; the first real error
        // (the cause: a parse error with its file and line) goes into the message.
        final class FirstError { var text: String? }
        let first = FirstError()
        let collector = Unmanaged.passRetained(first)
        defer { collector.release() }
        let collect: xmlStructuredErrorFunc = { ctx, error in
            guard let ctx, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            let first = Unmanaged<FirstError>.fromOpaque(ctx).takeUnretainedValue()
            if first.text == nil { first.text = LibXML.describe(error) }
        }
        xmlSchemaSetParserStructuredErrors(ctxt, collect, collector.toOpaque())
        xmlSetStructuredErrorFunc(collector.toOpaque(), collect)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        guard let s = xmlSchemaParse(ctxt) else {
            if let cause = first.text { throw XMLError(message: "\(path): the schema does not compile: \(cause)") }
            throw LibXML.failure("\(path): the schema does not compile")
        }
        schema = Locked(Handle(s))
    }

    fileprivate func validate(_ doc: xmlDocPtr) -> [String] {
        schema.withLock { validate(doc, against: $0.pointer) }
    }

    private func validate(_ doc: xmlDocPtr, against schema: xmlSchemaPtr) -> [String] {
        xmlResetLastError()
        guard let v = xmlSchemaNewValidCtxt(schema) else { return [LibXML.failure("cannot create a schema validation context").message] }
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
        // A negative code is libxml2's own failure (no message reaches the sink then).
        if rc != 0 && sink.messages.isEmpty { sink.messages.append(LibXML.failure("schema validation failed (code \(rc))").message) }
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
    /// A failure of a call that cannot throw (`attributes()`), thrown by the next `read()`.
    private var pendingError: XMLError?
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
        xmlResetLastError()
        guard let r = xmlReaderForIO(read, nil, context.toOpaque(), name, nil, options) else {
            context.release()
            throw LibXML.failure("\(name): cannot create an XML reader")
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
        if let e = pendingError { throw e }
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
            let type = try checked("the node type") { xmlTextReaderNodeType(reader) }
            switch type {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                kind = .start
                localName = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
                depth = Int(try checked("the depth") { xmlTextReaderDepth(reader) })
                pendingEnd = try checked("the element") { xmlTextReaderIsEmptyElement(reader) } == 1
                return true
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                kind = .end
                localName = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
                depth = Int(try checked("the depth") { xmlTextReaderDepth(reader) })
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

    /// A reader call that returns -1 on failure.
    private func checked(_ what: String, _ call: () -> Int32) throws -> Int32 {
        try LibXML.check("\(name): cannot read \(what)", call)
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

    /// Every attribute of the current start element: local name, namespace URI, value. A
    /// failure of the reader here is thrown by the next `read()`.
    package func attributes() -> [XMLAttribute] {
        var list: [XMLAttribute] = []
        xmlResetLastError()
        var rc = xmlTextReaderMoveToFirstAttribute(reader)
        while rc == 1 {
            list.append(
                XMLAttribute(
                    name: xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? "",
                    namespace: xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) },
                    prefix: xmlTextReaderConstPrefix(reader).map { String(cString: $0) },
                    value: xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""))
            rc = xmlTextReaderMoveToNextAttribute(reader)
        }
        // Back on the element (0 when there were no attributes to leave: nothing moved).
        if rc < 0 || (!list.isEmpty && xmlTextReaderMoveToElement(reader) < 0) {
            pendingError = pendingError ?? LibXML.failure("\(name): cannot read the attributes")
        }
        return list
    }
}
