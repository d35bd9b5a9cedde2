import Foundation
import Yams

/// A YAML file read into a node tree that keeps every value's line and column.
package struct YAMLDocument {
    /// The path shown in diagnostics.
    let path: String
    let root: Node?

    /// Reads and parses one file. Problems (unreadable, over the size limit, not UTF-8,
    /// control characters, YAML syntax, aliases that expand too far) become diagnostics and a
    /// `nil` result; nothing is thrown. A key repeated within a mapping is reported, but the
    /// tree still comes back, every pair kept, so the file's other checks run.
    static func read(url: URL, displayPath: String, limits: LoaderLimits = LoaderLimits(), into diags: inout Diagnostics) -> YAMLDocument? {
        read(path: url.path, displayPath: displayPath, limits: limits, into: &diags)
    }

    /// `read(url:…)` of the file at `path`.
    static func read(path: String, displayPath: String, limits: LoaderLimits = LoaderLimits(), into diags: inout Diagnostics) -> YAMLDocument? {
        guard
            let data = SourceFile.read(
                path: path, limit: limits.yamlFileBytes, what: "a YAML file", hint: "see 'limits' in docs/curriculum-format.md",
                at: SourceLocation(file: displayPath), into: &diags)
        else { return nil }
        guard let text = SourceText.decodeUTF8(data, path: displayPath, into: &diags) else { return nil }
        var ok = true
        let root = parse(text: text, displayPath: displayPath, lineOffset: 0, limits: limits, into: &diags, ok: &ok)
        return ok ? YAMLDocument(path: displayPath, root: root) : nil
    }

    /// Parses YAML text taken from a file (a page's front matter, a learners file) as `read`
    /// does; `lineOffset` is added to every reported line.
    static func parse(
        text: String, displayPath: String, lineOffset: Int, limits: LoaderLimits = LoaderLimits(), into diags: inout Diagnostics
    ) -> Node? {
        var ok = true
        return parse(text: text, displayPath: displayPath, lineOffset: lineOffset, limits: limits, into: &diags, ok: &ok)
    }

    /// `parse`, or with `composer` false, `parse` as it was before `YAMLComposer`: Yams
    /// composes every text (tests compare the two).
    static func parse(text: String, displayPath: String, lineOffset: Int, composer: Bool, into diags: inout Diagnostics) -> Node? {
        var ok = true
        return parse(text: text, displayPath: displayPath, lineOffset: lineOffset, limits: LoaderLimits(), composer: composer, into: &diags, ok: &ok)
    }

    /// `ok` is false when the text could not be used (an empty text is fine and gives nil).
    private static func parse(
        text: String, displayPath: String, lineOffset: Int, limits: LoaderLimits, composer: Bool = true, into diags: inout Diagnostics,
        ok: inout Bool
    ) -> Node? {
        ok = false
        // Before libyaml sees them: its own message for these has no position.
        guard ControlCharacters.check(text, file: displayPath, lineOffset: lineOffset, into: &diags) else { return nil }
        let composed: Node?
        // Counted while composing; nil when Yams composed the text.
        var counted: YAMLComposer.Size?
        var repeatsRuledOut = true
        switch composer ? YAMLComposer.compose(text) : .needsYams {
        case .composed(let root, let size):
            composed = root
            counted = size
        case .needsYams:
            do {
                (composed, repeatsRuledOut) = try composeNotingRepeats(text)
            } catch let error as YamlError {
                var d = Self.diagnostic(for: error, path: displayPath, text: text)
                if d.line > 0 { d.line += lineOffset }
                diags.append(contentsOf: [d])
                return nil
            } catch {
                diags.error(SourceLocation(file: displayPath), "cannot parse YAML: \(error)")
                return nil
            }
        }
        guard let root = composed else {
            ok = true
            return nil
        }
        // Without a `*` there is no alias, so nothing repeats: a plain count decides. Without a
        // `\` there is no escape, so no value can hold a character the raw text did not.
        let withinBudget =
            (!TextScan.containsByte(text, UInt8(ascii: "*"))
                && (counted.map { $0.bytes <= limits.expandedBytes && $0.nodes <= LoaderLimits.expandedNodes }
                    ?? plainSizeWithinBudget(root, limits: limits)))
            || checkExpansion(root, limits: limits, file: displayPath, lineOffset: lineOffset, into: &diags)
        guard withinBudget,
            !TextScan.containsByte(text, UInt8(ascii: "\\"))
                || ControlCharacters.check(root, file: displayPath, lineOffset: lineOffset, into: &diags)
        else { return nil }
        if !repeatsRuledOut { reportRepeatedKeys(in: root, file: displayPath, lineOffset: lineOffset, into: &diags) }
        ok = true
        return root
    }

    /// libyaml's problem in words an author can act on (its own texts name C functions).
    static func explain(_ problem: String) -> String {
        if problem.hasPrefix("Maximum nesting level reached") {
            return "the values are nested too deeply (more than 1000 levels of lists and mappings); Ladder files need only a few"
        }
        return problem
    }

    /// A hint for the two usual causes of a YAML syntax error: a value with an unquoted ': '
    /// in it, and a line indented differently from its neighbours. "" for other problems.
    static func syntaxHint(_ problem: String, line: Int, in text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let here = lines.indices.contains(line - 1) ? String(lines[line - 1]) : ""
        if problem.hasPrefix("mapping values are not allowed") {
            // `key: some: text` — the value goes in quotes.
            let body = here.drop { $0 == " " || $0 == "-" }
            if let r = body.range(of: ": ") {
                let key = body[..<r.lowerBound]
                let value = body[r.upperBound...].trimmingCharacters(in: .whitespaces)
                let quoted = "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
                if value.contains(": ") || value.hasSuffix(":") {
                    return "; hint: a value that contains ': ' must be quoted (\(key): \(quoted))"
                }
            }
            return "; hint: a value that contains ': ' must be quoted, and a key must line up with the keys above it"
        }
        let indentation = [
            "did not find expected key", "did not find expected '-' indicator", "block sequence entries are not allowed",
            "could not find expected ':'", "did not find expected node content",
        ]
        if indentation.contains(where: problem.hasPrefix) {
            return "; hint: check the indentation of this line and the lines above it (keys of one mapping line up,"
                + " a list's '- ' entries line up under their key, and tabs are not allowed)"
        }
        return ""
    }

    private static func diagnostic(for error: YamlError, path: String, text: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let explained = explain(problem)
            let ctx = explained == problem ? context.map { " \($0.text)" } ?? "" : ""
            return Diagnostic(
                .error, path, line: mark.line, column: mark.column,
                "YAML syntax error: \(explained)\(ctx)\(syntaxHint(problem, line: mark.line, in: text))")
        case .duplicatedKeysInMapping(let keys, let context):
            // Only reached for keys `composeKeepingRepeatedKeys` cannot set aside (tagged,
            // anchored or complex keys); Yams names the first occurrence.
            let key = keys.first ?? ""
            return Diagnostic(
                .error, path, line: context.mark.line, column: context.mark.column,
                "duplicate key '\(key)': it appears again later in the same mapping")
        case .reader(let problem, let offset, _, _):
            // The text is valid UTF-8 without control characters by now, so this is rare; still
            // say where, from libyaml's byte offset.
            let at = offset.map { position(ofUTF8Offset: $0, in: text) }
            return Diagnostic(.error, path, line: at?.line ?? 0, column: at?.column ?? 0, "cannot read YAML: \(explain(problem))")
        default:
            return Diagnostic(.error, path, "cannot parse YAML: \(error)")
        }
    }

    /// The 1-based line and column (in Unicode scalars) of a UTF-8 byte offset.
    static func position(ofUTF8Offset offset: Int, in text: String) -> Position {
        var line = 1
        var column = 1
        var bytes = 0
        for u in text.unicodeScalars {
            if bytes >= offset { break }
            bytes += UTF8.width(u)
            if u == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return Position(line: line, column: column)
    }
}

// MARK: - Repeated keys

extension YAMLDocument {
    /// Composes YAML text with Yams into a node tree whose mappings keep every pair in file
    /// order, repeated keys included, so that each repeat can be reported where it is written.
    /// `YAMLComposer` leaves to this what it does not compose itself: syntax errors, repeated
    /// or complex keys, and the like (few files, so its cost does not count).
    ///
    /// Yams refuses a mapping whose keys repeat (`YamlError.duplicatedKeysInMapping`) and names
    /// only the first occurrence of one key, which would leave the author without the line of
    /// the repeat and without any other check of the file. So each time it refuses, the first
    /// character of that first occurrence is swapped for a private-use character (one Unicode
    /// scalar for one, on the same line, so every line and column libyaml reports stays put)
    /// and the text is composed again. Once it composes, the swapped keys get their own text
    /// back. Keys that cannot be swapped that way (tagged, anchored, block or complex keys)
    /// fall back to Yams's own error.
    ///
    /// Ladder compares keys by their text alone, so a text without explicit tags (no `!`) is
    /// composed with Yams's basic resolver (every plain key a string, no regular expressions),
    /// which refuses a subset of what Ladder reports anyway and leaves the same tree once the
    /// keys are given back. If a repeat cannot be set aside that way, the text is composed
    /// again with the default resolver. `repeatsRuledOut` is true when Yams composed the text
    /// with the basic resolver and refused no key: then no mapping of the tree has two keys
    /// with the same text (Yams compared them all, nested and complex keys' mappings included,
    /// each as a string), and `reportRepeatedKeys` has nothing to find.
    static func composeNotingRepeats(_ text: String) throws -> (root: Node?, repeatsRuledOut: Bool) {
        if !TextScan.containsByte(text, UInt8(ascii: "!")) {
            do {
                var swaps = 0
                let root = try composeKeepingRepeatedKeys(text, resolver: .basic, swaps: &swaps)
                return (root.map(Node.init), swaps == 0)
            } catch YamlError.duplicatedKeysInMapping {
                // Fall through: the default resolver's own outcome.
            }
        }
        var swaps = 0
        return (try composeKeepingRepeatedKeys(text, resolver: .default, swaps: &swaps).map(Node.init), false)
    }

    private static func composeKeepingRepeatedKeys(_ text: String, resolver: Resolver, swaps: inout Int) throws -> Yams.Node? {
        // Only needed once a key repeats: most files never pay for them.
        var scalars: [Unicode.Scalar] = []
        var lineStarts: [Int] = []
        // Where a key was swapped (1-based line and column) → its own text and whether it was quoted.
        var swapped: [Position: (text: String, quoted: Bool)] = [:]
        var round = 0
        while true {
            do {
                let source = swapped.isEmpty ? text : String(String.UnicodeScalarView(scalars))
                // UTF-8 said outright: Yams's default reads an environment variable on every call.
                guard let root = try Yams.compose(yaml: source, resolver, .default, .utf8) else { return nil }
                return swapped.isEmpty ? root : restoring(root, swapped)
            } catch YamlError.duplicatedKeysInMapping(let keys, let context) {
                if scalars.isEmpty {
                    scalars = Array(text.unicodeScalars)
                    lineStarts = Self.lineStarts(scalars)
                }
                let mark = context.mark
                let at = Position(line: mark.line, column: mark.column)
                // One round per repeat; the private-use block U+E000-U+EFFF bounds the rounds.
                guard round < 4096, let key = keys.first, swapped[at] == nil,
                    let (offset, quoted) = Self.keyStart(line: mark.line, column: mark.column, in: scalars, lineStarts: lineStarts)
                else {
                    throw YamlError.duplicatedKeysInMapping(duplicates: keys, context: context)
                }
                scalars[offset] = Unicode.Scalar(0xE000 + UInt32(round))!
                swapped[at] = (key, quoted)
                round += 1
                swaps = round
            }
        }
    }

    /// A 1-based line and column, as Yams marks nodes.
    struct Position: Hashable {
        var line: Int
        var column: Int
    }

    /// The offset of the first character of each line, counting line breaks as libyaml does
    /// (CR LF, CR, LF, NEL, LS, PS), so a mark's line and column find the right character.
    private static func lineStarts(_ scalars: [Unicode.Scalar]) -> [Int] {
        var starts = [0]
        var i = 0
        while i < scalars.count {
            switch scalars[i].value {
            case 0x0D:
                i += i + 1 < scalars.count && scalars[i + 1] == "\n" ? 2 : 1
                starts.append(i)
            case 0x0A, 0x85, 0x2028, 0x2029:
                i += 1
                starts.append(i)
            default:
                i += 1
            }
        }
        return starts
    }

    /// The offset of the character to swap in a key that starts at the mark: its first
    /// character, or the first one inside its quotes. Nil when the key cannot be swapped
    /// without changing how it parses (a tag, an anchor, an alias, a block or flow node, an
    /// escape, an empty quoted key).
    private static func keyStart(
        line: Int, column: Int, in scalars: [Unicode.Scalar], lineStarts: [Int]
    ) -> (offset: Int, quoted: Bool)? {
        guard line >= 1, line <= lineStarts.count, column >= 1 else { return nil }
        let lineEnd = line < lineStarts.count ? lineStarts[line] : scalars.count
        let offset = lineStarts[line - 1] + column - 1
        guard offset < lineEnd else { return nil }
        let first = scalars[offset]
        if first == "\"" || first == "'" {
            guard offset + 1 < lineEnd else { return nil }
            let inner = scalars[offset + 1]
            if inner == first || inner == "\\" || inner == "\r" || inner == "\n" { return nil }
            return (offset + 1, true)
        }
        if "!&*|>{[ \t\r\n".unicodeScalars.contains(first) { return nil }
        return (offset, false)
    }

    /// A mapping or list by where it starts. A node reached through an alias is the anchored
    /// node itself, mark included, so walks visit it once: an alias neither repeats a report
    /// nor multiplies the work.
    private struct Container: Hashable {
        var isMapping: Bool
        var at: Position

        init?(_ node: Yams.Node) {
            switch node {
            case .mapping(let m): guard let mark = m.mark else { return nil }
                self.init(isMapping: true, at: Position(line: mark.line, column: mark.column))
            case .sequence(let s): guard let mark = s.mark else { return nil }
                self.init(isMapping: false, at: Position(line: mark.line, column: mark.column))
            case .scalar, .alias: return nil
            }
        }

        init?(_ node: Node) {
            switch node {
            case .mapping(_, let mark): self.init(isMapping: true, at: Position(line: mark.line, column: mark.column))
            case .sequence(_, let mark): self.init(isMapping: false, at: Position(line: mark.line, column: mark.column))
            case .scalar: return nil
            }
        }

        private init(isMapping: Bool, at: Position) {
            self.isMapping = isMapping
            self.at = at
        }
    }

    /// The tree with every swapped key given back its own text (and the tag it would have
    /// had: resolved from the text when plain, a string when quoted).
    private static func restoring(_ root: Yams.Node, _ swapped: [Position: (text: String, quoted: Bool)]) -> Yams.Node {
        var done: [Container: Yams.Node] = [:]
        func restore(_ node: Yams.Node) -> Yams.Node {
            let container = Container(node)
            if let container, let again = done[container] { return again }
            let result: Yams.Node
            switch node {
            case .scalar, .alias:
                return node
            case .sequence(let seq):
                result = .sequence(Yams.Node.Sequence(seq.map(restore), seq.tag, seq.style, seq.mark))
            case .mapping(let map):
                let pairs = map.map { pair -> (Yams.Node, Yams.Node) in
                    var key = restore(pair.key)
                    if case .scalar(let s) = pair.key, let m = s.mark, let original = swapped[Position(line: m.line, column: m.column)] {
                        key = .scalar(Yams.Node.Scalar(original.text, original.quoted ? Tag(.str) : Tag(.implicit), s.style, m))
                    }
                    return (key, restore(pair.value))
                }
                result = .mapping(Yams.Node.Mapping(pairs, map.tag, map.style, map.mark))
            }
            if let container { done[container] = result }
            return result
        }
        return restore(root)
    }

    /// Reports every key that repeats within one mapping, at the repeat, naming the line of
    /// the first. Keys are compared by their text, the way the loader looks them up: `1` and
    /// `"1"` are the same key, `1` and `01` are not. Every mapping of the tree is checked,
    /// nested ones and those inside lists included.
    static func reportRepeatedKeys(in root: Node, file: String, lineOffset: Int, into diags: inout Diagnostics) {
        var visited = Set<Container>()
        func visit(_ node: Node) {
            if let container = Container(node), !visited.insert(container).inserted { return }
            switch node {
            case .scalar:
                return
            case .sequence(let items, _):
                items.forEach(visit)
            case .mapping(let pairs, _):
                var first: [String: Node] = [:]
                for (key, value) in pairs {
                    if let text = key.text {
                        if let earlier = first[text] {
                            let line = earlier.location(in: file, lineOffset: lineOffset).line
                            diags.error(key.location(in: file, lineOffset: lineOffset), "duplicate key '\(text)' (first at line \(line))")
                        } else {
                            first[text] = key
                        }
                    } else {
                        visit(key)
                    }
                    visit(value)
                }
            }
        }
        visit(root)
    }
}

package enum SourceText {
    /// Decodes strict UTF-8, reporting the line of the first bad byte.
    static func decodeUTF8(_ data: Data, path: String, into diags: inout Diagnostics) -> String? {
        if let s = String(validating: data, as: UTF8.self) {
            return s.hasPrefix("\u{FEFF}") ? String(s.dropFirst()) : s
        }
        // Find the first invalid sequence to point at it.
        var line = 1
        var lineStart = 0
        var i = 0
        let bytes = [UInt8](data)
        while i < bytes.count {
            let b = bytes[i]
            let len: Int
            switch b {
            case 0..<0x80: len = 1
            case 0xC2...0xDF: len = 2
            case 0xE0...0xEF: len = 3
            case 0xF0...0xF4: len = 4
            default: len = 0
            }
            var ok = len > 0 && i + len <= bytes.count
            if ok { for k in 1..<max(len, 1) where bytes[i + k] & 0xC0 != 0x80 { ok = false } }
            if !ok {
                diags.error(
                    SourceLocation(file: path, line: line, column: i - lineStart + 1),
                    "the file is not UTF-8 text (byte 0x\(String(b, radix: 16, uppercase: true)) at offset \(i)); save it as UTF-8")
                return nil
            }
            if b == 0x0A { line += 1; lineStart = i + 1 }
            i += len
        }
        diags.error(SourceLocation(file: path), "the file is not UTF-8 text; save it as UTF-8")
        return nil
    }
}
