import Yams

/// A YAML value as the loader reads it: a scalar, a mapping whose pairs stay in file order
/// (repeated keys included, so that each repeat can be reported), or a list; every value
/// keeps the 1-based line and column where it starts.
///
/// Ladder's own type rather than Yams's `Node`: `YAMLComposer` builds it straight from
/// libyaml's events, without the per-node tag objects, Foundation string conversion and
/// whole-node key hashing of Yams's composer (docs/benchmark.md, "ladder check CPU"). It has
/// the name of the type it replaced, so that files which read nodes did not change. As in
/// Yams's composer, an alias is replaced by the node its anchor names (mark included).
package enum Node: Sendable {
    case scalar(Scalar)
    case mapping([(key: Node, value: Node)], Mark)
    case sequence([Node], Mark)

    /// Where a value starts; 1-based, columns counted in Unicode scalars (libyaml's count).
    package struct Mark: Hashable, Sendable {
        var line: Int
        var column: Int
    }

    package struct Scalar: Sendable {
        var string: String
        /// The explicit tag as libyaml expands it (`!!str` is `tag:yaml.org,2002:str`); a
        /// quoted scalar without one has `Scalar.quotedTag`, a plain one `""`, as in Yams.
        var tag: String
        var style: Style
        var mark: Mark

        /// libyaml's scalar styles, in its numbering.
        package enum Style: UInt32, Sendable {
            case any = 0, plain, singleQuoted, doubleQuoted, literal, folded
        }

        static let quotedTag = "tag:yaml.org,2002:str"

        /// A plain scalar without a tag whose text YAML reads as null: an empty value, `~` or
        /// `null` (a key with nothing after its colon).
        var isPlainNull: Bool {
            tag.isEmpty && style == .plain && (string.isEmpty || string == "~" || string == "null")
        }
    }

    var mark: Mark {
        switch self {
        case .scalar(let s): return s.mark
        case .mapping(_, let mark), .sequence(_, let mark): return mark
        }
    }

    var scalar: Scalar? {
        if case .scalar(let s) = self { return s }
        return nil
    }

    var mapping: [(key: Node, value: Node)]? {
        if case .mapping(let pairs, _) = self { return pairs }
        return nil
    }

    var sequence: [Node]? {
        if case .sequence(let items, _) = self { return items }
        return nil
    }

    func location(in file: String, lineOffset: Int = 0) -> SourceLocation {
        SourceLocation(file: file, line: mark.line + lineOffset, column: mark.column)
    }

    /// The scalar's text, or nil for mappings and lists.
    var text: String? { scalar?.string }

    /// Pairs of a mapping in file order; none for other values.
    var pairs: [(key: Node, value: Node)] { mapping ?? [] }

    /// The value of the first pair whose key has this text.
    subscript(field name: String) -> Node? {
        guard case .mapping(let pairs, _) = self else { return nil }
        for pair in pairs where pair.key.scalar?.string == name { return pair.value }
        return nil
    }

    /// A list's items; none for other values.
    var items: [Node] { sequence ?? [] }

    var kindName: String {
        switch self {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// Calls `body` on this node and every node under it, depth first, keys before their
    /// values. A node reached through an alias is visited at each place it appears.
    func visitEveryNode(_ body: (Node) -> Void) {
        body(self)
        switch self {
        case .scalar: return
        case .mapping(let pairs, _):
            for pair in pairs {
                pair.key.visitEveryNode(body)
                pair.value.visitEveryNode(body)
            }
        case .sequence(let items, _):
            for item in items { item.visitEveryNode(body) }
        }
    }
}

extension Node {
    /// The tree Yams composed, as Ladder's nodes: text, tags (as they stand after Yams's own
    /// duplicate check resolved its keys' tags), styles and marks carried over.
    init(_ node: Yams.Node) {
        func mark(_ m: Yams.Mark?) -> Mark { Mark(line: m?.line ?? 0, column: m?.column ?? 0) }
        switch node {
        case .scalar(let s):
            self = .scalar(Scalar(string: s.string, tag: s.tag.rawValue, style: Scalar.Style(rawValue: s.style.rawValue) ?? .any, mark: mark(s.mark)))
        case .mapping(let m):
            self = .mapping(m.map { (key: Node($0.key), value: Node($0.value)) }, mark(m.mark))
        case .sequence(let s):
            self = .sequence(s.map { Node($0) }, mark(s.mark))
        case .alias(let a):
            // Never from Yams's composer, which replaces every alias by its anchored node (a
            // bare alias node only comes from building trees by hand): a value without text.
            self = .scalar(Scalar(string: "", tag: "", style: .plain, mark: mark(a.mark)))
        }
    }
}
