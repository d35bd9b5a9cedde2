// libyaml as Yams vendors it: the same C code, and so the same events, Yams composes from.
internal import CYaml

/// Builds Ladder's `Node` tree straight from libyaml's events: one pass, a scalar's text
/// decoded from its UTF-8 bytes, no tag resolution and no hashing of whole nodes.
///
/// It composes what Yams's composer would compose, and nothing else: on anything unusual it
/// answers `.needsYams`, and `YAMLDocument` composes the text with Yams as before, so every
/// diagnostic stays Yams's own. Unusual is: any libyaml error; a second document; an alias
/// whose anchor is not (yet) defined; a key that is not a scalar written out (a list, a
/// mapping or an alias as key); a key whose text repeats within its mapping. Without those,
/// Yams composes the same tree: its duplicate check compares keys by text and resolved tag,
/// so keys with different texts never repeat, and every other step is the same walk over the
/// same events (YAMLComposerTests compare both trees node by node).
enum YAMLComposer {
    enum Outcome {
        /// The document's root (nil when the text holds no document) and its size.
        case composed(Node?, Size)
        case needsYams
    }

    /// Nodes and scalar bytes, each node counted once as written (an alias counts nothing).
    struct Size {
        var nodes = 0
        var bytes = 0
    }

    static func compose(_ text: String) -> Outcome {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return .composed(nil, Size()) }
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return .needsYams }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, base, bytes.count)
            var state = State()
            return state.run(&parser)
        }
    }

    /// A mapping or list not yet closed.
    private struct Frame {
        var isMapping: Bool
        var mark: Node.Mark
        var anchor: String?
        var items: [Node] = []
        var pairs: [(key: Node, value: Node)] = []
        /// The key read, waiting for its value.
        var key: Node?
        /// The keys' texts once a mapping is long enough for a set to beat comparing pairs.
        var keyTexts: Set<String>?
    }

    private struct State {
        var stack: [Frame] = []
        var anchors: [String: Node] = [:]
        var size = Size()
        var root: Node?

        /// Reads the stream; every event is freed before the next one is read.
        mutating func run(_ parser: inout yaml_parser_t) -> Outcome {
            var event = yaml_event_t()
            // STREAM-START, then DOCUMENT-START or STREAM-END.
            guard next(&parser, &event) == YAML_STREAM_START_EVENT else { return .needsYams }
            switch next(&parser, &event) {
            case YAML_STREAM_END_EVENT: return .composed(nil, size)
            case YAML_DOCUMENT_START_EVENT: break
            default: return .needsYams
            }
            while root == nil {
                guard yaml_parser_parse(&parser, &event) == 1 else { return .needsYams }
                let ok = take(event)
                yaml_event_delete(&event)
                guard ok else { return .needsYams }
            }
            guard next(&parser, &event) == YAML_DOCUMENT_END_EVENT, next(&parser, &event) == YAML_STREAM_END_EVENT else {
                return .needsYams
            }
            return .composed(root, size)
        }

        /// The type of the next event (which is freed at once); no event on an error.
        private func next(_ parser: inout yaml_parser_t, _ event: inout yaml_event_t) -> yaml_event_type_t {
            guard yaml_parser_parse(&parser, &event) == 1 else { return YAML_NO_EVENT }
            defer { yaml_event_delete(&event) }
            return event.type
        }

        /// One event inside the document; false for anything left to Yams.
        private mutating func take(_ event: yaml_event_t) -> Bool {
            let mark = Node.Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
            let isKey = stack.last.map { $0.isMapping && $0.key == nil } ?? false
            switch event.type {
            case YAML_SCALAR_EVENT:
                let s = event.data.scalar
                // Yams resolves every key's tag in place, and an alias of an anchored key shares it.
                if isKey, s.anchor != nil { return false }
                let tag = s.quoted_implicit == 1 ? Node.Scalar.quotedTag : s.tag.map { String(cString: $0) } ?? ""
                guard let style = Node.Scalar.Style(rawValue: s.style.rawValue) else { return false }
                let value = s.value.map { Self.text(UnsafeBufferPointer(start: $0, count: s.length)) } ?? ""
                let node = Node.scalar(Node.Scalar(string: value, tag: tag, style: style, mark: mark))
                size.nodes += 1
                size.bytes += value.utf8.count
                register(s.anchor, node)
                return add(node)
            case YAML_ALIAS_EVENT:
                // An alias as a key shares its anchored node's tag, which Yams resolves in place.
                guard !isKey, let name = event.data.alias.anchor, let node = anchors[String(cString: name)] else { return false }
                return add(node)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                // A list or mapping as a key: Yams compares such keys whole.
                if isKey { return false }
                let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
                size.nodes += 1
                stack.append(Frame(isMapping: isMapping, mark: mark, anchor: anchor.map { String(cString: $0) }))
                return true
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { return false }
                let node: Node = frame.isMapping ? .mapping(frame.pairs, frame.mark) : .sequence(frame.items, frame.mark)
                if let anchor = frame.anchor { anchors[anchor] = node }
                return add(node)
            default:
                return false
            }
        }

        /// A scalar's text as Yams has it: Foundation's `String(bytes:encoding:)`, which drops
        /// one byte order mark (U+FEFF) at the start.
        private static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            return String(decoding: bytes.starts(with: bom) ? UnsafeBufferPointer(rebasing: bytes.dropFirst(3)) : bytes, as: UTF8.self)
        }

        private mutating func register(_ anchor: UnsafeMutablePointer<yaml_char_t>?, _ node: Node) {
            // A later anchor of the same name hides the earlier one, as in Yams.
            if let anchor { anchors[String(cString: anchor)] = node }
        }

        /// Places a finished node in the mapping or list it belongs to; false for a key that
        /// repeats an earlier key's text.
        private mutating func add(_ node: Node) -> Bool {
            guard !stack.isEmpty else {
                root = node
                return true
            }
            let top = stack.count - 1
            guard stack[top].isMapping else {
                stack[top].items.append(node)
                return true
            }
            guard let key = stack[top].key else {
                guard case .scalar(let s) = node, Self.isNew(s.string, in: &stack[top]) else { return false }
                stack[top].key = node
                return true
            }
            stack[top].pairs.append((key, node))
            stack[top].key = nil
            return true
        }

        private static func isNew(_ text: String, in frame: inout Frame) -> Bool {
            if frame.keyTexts == nil, frame.pairs.count >= 16 { frame.keyTexts = Set(frame.pairs.compactMap { $0.key.text }) }
            if frame.keyTexts != nil { return frame.keyTexts!.insert(text).inserted }
            return !frame.pairs.contains { $0.key.text == text }
        }
    }
}
