import Foundation
internal import CLibXML2

/// One copy of each long name, namespace URI and whitespace run of a document: a 4,000-SCO
/// manifest repeats a few dozen of them some 45,000 times, and a Swift string of more than
/// 15 bytes is a heap allocation of its own (shorter ones are stored inline and not looked up).
struct XMLStrings {
    private var seen = Set<String>()

    /// A name, prefix or namespace URI from libxml2.
    mutating func name(_ p: UnsafePointer<xmlChar>?) -> String? {
        guard let p else { return nil }
        return shared(String(cString: p))
    }

    /// An element's text: the shared copy when it is only whitespace (the indentation around
    /// child elements), else the text itself.
    mutating func whitespace(_ text: String) -> String {
        text.utf8.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D } ? shared(text) : text
    }

    private mutating func shared(_ s: String) -> String {
        s.utf8.count > 15 ? seen.insert(s).memberAfterInsert : s
    }
}

/// What reads a document element by element, in document order (`XMLTreeReader.read`,
/// `XMLNode.visit`): each element's start, its text, its end.
package protocol XMLElementVisitor {
    /// An element starts: its name, namespace, prefix, attributes and line, as `XMLDocument`
    /// reads them (no children, no text).
    mutating func start(_ element: XMLNode)
    /// Text of the innermost open element (its text and CDATA nodes in order: together, what
    /// `XMLDocument` puts in its `text`).
    mutating func text(_ text: String)
    /// The innermost open element ends.
    mutating func end()
}

extension XMLNode {
    /// This element and everything below it handed to `visitor` as `XMLTreeReader.read` hands
    /// over the document it was read from.
    func visit<V: XMLElementVisitor>(_ visitor: inout V) {
        var bare = self
        bare.children = []
        bare.text = ""
        visitor.start(bare)
        if !text.isEmpty { visitor.text(text) }
        for c in children { c.visit(&visitor) }
        visitor.end()
    }
}

/// Reads a document into the very tree `XMLDocument` builds, but with libxml2's
/// `xmlTextReader`: each node is converted as the reader passes it and freed behind it, so
/// no libxml2 document is ever whole in memory (a 4,000-SCO manifest's is about 25 MB, more
/// than its `XMLNode` tree). For readers that need only the tree (no XML Schema validation,
/// which works on the document), or not even the tree: `read` hands each element to a
/// visitor as it passes (the manifest's model is read so, `PackageManifest.read`).
///
/// It reads only what it reproduces exactly and gives up (nil, false) on anything else: any
/// parser error (even one `XMLDocument` recovers from), a DOCTYPE, an entity, and the line
/// number of an element past libxml2's 65,535 that `xmlGetLineNo` would take from a node not
/// yet (or no longer) there. The caller then parses with `XMLDocument`, whose tree and
/// messages are the reference (a visitor then visits that tree: what it was handed before
/// giving up is to be dropped).
package enum XMLTreeReader {
    package static func root(of data: Data, name: String) -> XMLNode? {
        var builder = XMLTreeBuilder()
        return read(data, name: name, into: &builder) ? builder.root : nil
    }

    /// Hands the document's elements to `visitor`; false when it gave up (see above).
    package static func read<V: XMLElementVisitor>(_ data: Data, name: String, into visitor: inout V) -> Bool {
        LibXML.setUp
        guard data.count <= Int(Int32.max) else { return false }
        return data.withUnsafeBytes { raw -> Bool in
            guard let base = raw.baseAddress else { return false }
            // The options of `XMLDocument` (the reader adds only XML_PARSE_COMPACT, which stores
            // short text inside its node: the same content).
            let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
            guard let reader = xmlReaderForMemory(base.assumingMemoryBound(to: CChar.self), Int32(raw.count), name, nil, options) else {
                return false
            }
            defer { xmlFreeTextReader(reader) }
            let errors = Unmanaged.passRetained(XMLTreeWalk.Errors())
            defer { errors.release() }
            xmlTextReaderSetStructuredErrorHandler(
                reader,
                { ctx, error in
                    guard let ctx, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
                    Unmanaged<XMLTreeWalk.Errors>.fromOpaque(ctx).takeUnretainedValue().seen = true
                }, errors.toOpaque())
            var walk = XMLTreeWalk(name: name, errors: errors.takeUnretainedValue())
            do {
                try walk.read(reader, into: &visitor)
                return true
            } catch {
                return false
            }
        }
    }
}

/// The reader's pass over the document: which elements are open, and whether what it reads
/// is what `XMLDocument` would read.
private struct XMLTreeWalk {
    /// Something `XMLDocument` would read differently, or not at all.
    struct GiveUp: Error {}

    /// Whether libxml2 reported an error (its handler cannot throw).
    final class Errors { var seen = false }

    /// An element being read.
    struct Open {
        var line: Int
        var hasChildNodes = false
        /// Its last child node so far is an element with no child nodes of its own and a
        /// clamped line: with nothing after it, `xmlGetLineNo` takes that element's line from
        /// its previous sibling, which the reader may already have freed.
        var lastChildIsBareClamped = false
    }

    /// libxml2's largest line number (without XML_PARSE_BIG_LINES, neither reader sets it).
    static let clamped = 65535

    let name: String
    let errors: Errors
    var strings = XMLStrings()
    var open: [Open] = []
    var rootEnded = false

    init(name: String, errors: Errors) {
        self.name = name
        self.errors = errors
    }

    mutating func read<V: XMLElementVisitor>(_ reader: xmlTextReaderPtr, into visitor: inout V) throws {
        while true {
            let rc = xmlTextReaderRead(reader)
            if rc < 0 || errors.seen { throw GiveUp() }
            if rc == 0 { break }
            guard let node = xmlTextReaderCurrentNode(reader) else { throw GiveUp() }
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                noteChildNode()
                // Below the clamp, `xmlGetLineNo` returns the node's own line. At the clamp, a
                // document's node takes it from its first child, else its next sibling, all of
                // them later in the text and so clamped too, unless the element has neither
                // (`end()` gives up then) or is the root.
                let line = Int(node.pointee.line)
                if line == Self.clamped && open.isEmpty { throw GiveUp() }
                if open.isEmpty && rootEnded { throw GiveUp() }
                visitor.start(try XMLDocument.element(node, line: line, name: name, strings: &strings))
                open.append(Open(line: line))
                let empty = xmlTextReaderIsEmptyElement(reader)
                if empty < 0 { throw GiveUp() }
                if empty == 1 { try end(&visitor) }
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                try end(&visitor)
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                Int32(XML_READER_TYPE_WHITESPACE.rawValue), Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
                noteChildNode()
                // What `XMLDocument.convert` reads of an element's text nodes.
                if !open.isEmpty, node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE {
                    visitor.text(XMLDocument.string(node.pointee.content) ?? "")
                }
            case Int32(XML_READER_TYPE_COMMENT.rawValue), Int32(XML_READER_TYPE_PROCESSING_INSTRUCTION.rawValue):
                noteChildNode()
            default:
                // A DOCTYPE, an entity reference, or anything else the document would hold.
                throw GiveUp()
            }
        }
        guard open.isEmpty, rootEnded else { throw GiveUp() }
    }

    /// A node inside the innermost open element: it has child nodes, and its last one so far
    /// is not a bare clamped element.
    private mutating func noteChildNode() {
        guard !open.isEmpty else { return }
        open[open.count - 1].hasChildNodes = true
        open[open.count - 1].lastChildIsBareClamped = false
    }

    /// The innermost open element is complete.
    private mutating func end<V: XMLElementVisitor>(_ visitor: inout V) throws {
        guard let done = open.popLast(), !done.lastChildIsBareClamped else { throw GiveUp() }
        visitor.end()
        guard !open.isEmpty else {
            rootEnded = true
            return
        }
        open[open.count - 1].lastChildIsBareClamped = !done.hasChildNodes && done.line == Self.clamped
    }
}

/// The elements `XMLTreeReader` has started and not yet ended, assembled into `XMLNode`s.
private struct XMLTreeBuilder: XMLElementVisitor {
    var strings = XMLStrings()
    /// Each open element, and where its children start in `children`.
    var open: [(node: XMLNode, firstChild: Int)] = []
    /// The completed children of every open element, innermost last: each element's are
    /// copied into an array of exactly their number when it ends (grown one by one, a
    /// 4,000-item organization's array would be up to twice its size).
    var children: [XMLNode] = []
    var root: XMLNode?

    mutating func start(_ element: XMLNode) { open.append((element, children.count)) }

    mutating func text(_ text: String) { open[open.count - 1].node.text += text }

    /// The innermost open element becomes its parent's last child (or the root).
    mutating func end() {
        let done = open.removeLast()
        var node = done.node
        node.text = strings.whitespace(node.text)
        node.children = Array(children[done.firstChild...])
        children.removeSubrange(done.firstChild...)
        if open.isEmpty { root = node } else { children.append(node) }
    }
}
