import Foundation

/// What the loader is willing to read (docs/curriculum-format.md, "Limits"): a hostile or
/// broken curriculum gets a clear error instead of minutes of work or gigabytes of memory.
package struct LoaderLimits: Sendable, Equatable {
    /// The largest YAML file (curriculum, level, assessment, shadowing, frameworks files).
    var yamlFileBytes = 2 * 1024 * 1024
    /// The largest Markdown page, front matter included.
    var markdownFileBytes = 4 * 1024 * 1024

    /// What `limits:` in curriculum.yaml may raise a size to: a curriculum chooses its limits
    /// within this ceiling, never beyond it.
    static let ceilingKiB = 65_536

    /// Aliases (`*name`) repeat what their anchor holds. A file may expand to at most this many
    /// times its size limit in scalar text (counted at every place an alias repeats it), and
    /// to at most `expandedNodes` nodes. A file without aliases never comes near either bound.
    static let expansionFactor = 8
    static let expandedNodes = 1_000_000

    var expandedBytes: Int { yamlFileBytes * Self.expansionFactor }

    /// `"2 MiB"`, `"512 KiB"`: sizes in messages.
    static func describe(_ bytes: Int) -> String {
        if bytes >= 1024 * 1024, bytes % (1024 * 1024) == 0 { return "\(bytes / (1024 * 1024)) MiB" }
        if bytes >= 1024 * 1024 { return String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
        return "\((bytes + 1023) / 1024) KiB"
    }
}

/// Reading one source file of a curriculum: it must be a regular file, stay inside the
/// curriculum folder once symbolic links are resolved, fit the size limit, be UTF-8, and hold
/// no control characters.
package enum SourceFile {
    /// The real path (every symbolic link resolved), or nil when it cannot be resolved.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Nil when `path` resolves to a place inside `realRoot`; otherwise the message that says
    /// where it leads. `relative` is the path as the curriculum writes it.
    static func escapeProblem(_ path: String, relative: String, realRoot: String) -> String? {
        escapeProblem(path, relative: relative, realRoot: realRoot, resolved: realPath(path))
    }

    /// `escapeProblem` of `path` whose real path is `resolved`.
    static func escapeProblem(_ path: String, relative: String, realRoot: String, resolved: String?) -> String? {
        guard let real = resolved else { return nil }
        let prefix = realRoot.hasSuffix("/") ? realRoot : realRoot + "/"
        if real.hasPrefix(prefix) { return nil }
        return "'\(relative)' leads outside the curriculum folder (a symbolic link to '\(real)'); "
            + "Ladder reads only files inside the curriculum: copy the file in instead of linking to it"
    }

    /// Reads a file within `limit` bytes. A problem is reported at `at` (the file itself, or
    /// the place that refers to it) and gives nil.
    static func read(_ url: URL, limit: Int, what: String, hint: String, at: SourceLocation, into diags: inout Diagnostics) -> Data? {
        read(path: url.path, limit: limit, what: what, hint: hint, at: at, into: &diags)
    }

    /// `read(_:…)` of the file at `path` (the loader joins its paths as text: a URL's join and
    /// its `path` were about 2 % of `ladder check`).
    static func read(path: String, limit: Int, what: String, hint: String, at: SourceLocation, into diags: inout Diagnostics) -> Data? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            diags.error(at, "cannot read the file: \(String(cString: strerror(errno)))")
            return nil
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            diags.error(at, "not a regular file (a device, a pipe or a socket); Ladder reads only plain files")
            return nil
        }
        guard Int(info.st_size) <= limit else {
            diags.error(
                at, "the file is \(LoaderLimits.describe(Int(info.st_size))); \(what) may be at most \(LoaderLimits.describe(limit)) (\(hint))")
            return nil
        }
        // Read at most one byte more than the limit: a file that grew since `stat` is still refused.
        let data: Data
        do {
            // Gone since `stat`: ENOENT, said like any other read failure.
            data = try FileSystem.readIfPresent(path, upTo: limit + 1) ?? { throw FileSystemError(path: path, action: "read the file", code: ENOENT) }()
        } catch let e as FileSystemError {
            diags.error(at, "cannot read the file: \(String(cString: strerror(e.code)))")
            return nil
        } catch {
            diags.error(at, "cannot read the file: \(error)")
            return nil
        }
        if data.count > limit {
            diags.error(at, "the file is larger than \(LoaderLimits.describe(limit)); \(what) may be at most that (\(hint))")
            return nil
        }
        return data
    }
}

// MARK: - Markdown pages

/// Splits a Markdown page into its YAML front matter and body.
package enum FrontMatter {
    struct Parts {
        var yaml: String?
        var body: String
        /// 1-based line where the body starts.
        var bodyLine: Int
    }

    /// Lines are split at each line feed that is a `Character` of its own (a CR LF pair is one
    /// `Character`, so a CR LF file is one line and has no front matter); a line's trailing CR
    /// is dropped; the front matter is the lines between a first line of `---` and the next
    /// `---` line (spaces and tabs around them allowed). The body is the text after that line.
    static func split(_ text: String) -> Parts {
        let u = text.utf8
        // The end of the line that starts at `start`: the next LF not preceded by CR, or the end.
        func lineEnd(from start: String.Index) -> String.Index {
            var i = start
            var previous: UInt8 = 0
            while i < u.endIndex {
                let b = u[i]
                if b == 0x0A, previous != 0x0D { return i }
                previous = b
                u.formIndex(after: &i)
            }
            return i
        }
        // A line is `---` once its trailing CR (only the last line can have one) and the spaces
        // and tabs around it are gone.
        func isFence(_ start: String.Index, _ end: String.Index) -> Bool {
            var line = text[start..<end]
            if end == u.endIndex, line.utf8.last == 0x0D { line = line.dropLast() }
            return TextScan.trimmedSpaces(line) == "---"
        }
        let firstEnd = lineEnd(from: u.startIndex)
        guard isFence(u.startIndex, firstEnd), firstEnd < u.endIndex else {
            return Parts(yaml: nil, body: text, bodyLine: 1)
        }
        let yamlStart = u.index(after: firstEnd)
        var start = yamlStart
        var line = 1
        while true {
            let end = lineEnd(from: start)
            if isFence(start, end) {
                // The front matter's lines joined with LF: the text between, as written (only a
                // last line can end with a CR, and this one is not the last).
                let yaml = start == yamlStart ? "" : String(text[yamlStart..<u.index(before: start)])
                guard end < u.endIndex else { return Parts(yaml: yaml, body: "", bodyLine: line + 2) }
                var body = text[u.index(after: end)...]
                if body.utf8.last == 0x0D { body = body.dropLast() }
                return Parts(yaml: yaml, body: String(body), bodyLine: line + 2)
            }
            guard end < u.endIndex else { return Parts(yaml: nil, body: text, bodyLine: 1) }
            start = u.index(after: end)
            line += 1
        }
    }
}

// MARK: - Control characters

/// Control characters never belong in curriculum text: ESC starts terminal escape sequences,
/// NUL cuts C strings short, and neither shows up in an editor. Refused wherever they are
/// written: in the raw text of a file, and in YAML values that spell them as escapes (`"\e"`).
package enum ControlCharacters {
    /// C0 except tab, line feed and carriage return; DEL; C1.
    static func isRefused(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || (0x7F...0x9F).contains(v)
    }

    static func name(_ u: Unicode.Scalar) -> String {
        let hex = String(u.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let names: [UInt32: String] = [
            0x00: "NUL", 0x07: "BEL, bell", 0x08: "BS, backspace", 0x0B: "VT, vertical tab", 0x0C: "FF, form feed",
            0x1B: "ESC, escape", 0x7F: "DEL, delete", 0x85: "NEL, next line",
        ]
        return names[u.value].map { "\(code) (\($0))" } ?? "\(code) (a control character)"
    }

    /// False when no refused character can be in the text, from its UTF-8 bytes: C0 controls
    /// but tab, LF and CR, DEL, and C1 (U+0080-U+009F, bytes C2 80-C2 9F).
    static func mayHoldRefused(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { b in
            var previous: UInt8 = 0
            for c in b {
                if c < 0x20 {
                    if c != 0x09, c != 0x0A, c != 0x0D { return true }
                } else if c == 0x7F || (previous == 0xC2 && c >= 0x80 && c <= 0x9F) {
                    return true
                }
                previous = c
            }
            return false
        }
    }

    /// Reports the first refused character of a text at its line and column (1-based, columns
    /// in Unicode scalars), and how many more there are. True when the text is clean.
    static func check(_ text: String, file: String, lineOffset: Int = 0, into diags: inout Diagnostics) -> Bool {
        guard mayHoldRefused(text) else { return true }
        var line = 1
        var column = 1
        var first: (line: Int, column: Int, scalar: Unicode.Scalar)?
        var more = 0
        for u in text.unicodeScalars {
            if isRefused(u) {
                if first == nil { first = (line, column, u) } else { more += 1 }
            }
            if u == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        guard let first else { return true }
        let others = more == 0 ? "" : " (and \(more) more in this file)"
        diags.error(
            SourceLocation(file: file, line: first.line + lineOffset, column: first.column),
            "control character \(name(first.scalar)) is not allowed in curriculum text\(others); remove it")
        return false
    }

    /// Markdown turns a numeric character reference (`&#27;`, `&#x1B;`) into the character
    /// itself: one that names a refused character is reported at its line and column, as the
    /// character would be. True when there is none.
    static func checkReferences(_ markdown: String, file: String, into diags: inout Diagnostics) -> Bool {
        guard TextScan.byteOffset(of: "&#", in: markdown) != nil else { return true }
        let pattern = #"&#(?:([0-9]{1,8})|[xX]([0-9A-Fa-f]{1,8}));"#
        // A constant pattern: it compiles (a failure here is impossible, not user data).
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return true }
        let ns = markdown as NSString
        for m in regex.matches(in: markdown, range: NSRange(location: 0, length: ns.length)) {
            let decimal = m.range(at: 1).location != NSNotFound
            let digits = ns.substring(with: m.range(at: decimal ? 1 : 2))
            guard let v = UInt32(digits, radix: decimal ? 10 : 16), let u = Unicode.Scalar(v), isRefused(u) else { continue }
            let before = ns.substring(to: m.range.location)
            let line = before.reduce(into: 1) { n, ch in if ch == "\n" || ch == "\r\n" { n += 1 } }
            let lineStart = before.lastIndex(where: { $0 == "\n" || $0 == "\r\n" }).map { before.index(after: $0) } ?? before.startIndex
            let column = before[lineStart...].unicodeScalars.count + 1
            diags.error(
                SourceLocation(file: file, line: line, column: column),
                "'\(ns.substring(with: m.range))' is control character \(name(u)), which is not allowed in curriculum text; remove it")
            return false
        }
        return true
    }

    /// Reports every scalar of a YAML tree whose value holds a refused character (written as an
    /// escape such as `"\e"` or `"\x01"`, since the raw text was already checked). True when clean.
    static func check(_ root: Node, file: String, lineOffset: Int, into diags: inout Diagnostics) -> Bool {
        var clean = true
        var seen = Set<YAMLDocument.Position>()
        root.visitEveryNode { node in
            guard case .scalar(let s) = node, let u = s.string.unicodeScalars.first(where: isRefused) else { return }
            let at = node.location(in: file, lineOffset: lineOffset)
            guard seen.insert(YAMLDocument.Position(line: at.line, column: at.column)).inserted else { return }
            diags.error(at, "this value holds control character \(name(u)), which is not allowed in curriculum text; remove the escape")
            clean = false
        }
        return clean
    }
}

// MARK: - Alias expansion

extension YAMLDocument {
    /// How big a tree is once every alias is expanded: scalar bytes and nodes, each counted at
    /// every place it appears. A node reached through an alias is the anchored node itself,
    /// mark included, so sizes are remembered per node: the count is linear in the file even
    /// when aliases nest ("billion laughs").
    struct Expansion {
        var bytes = 0
        var nodes = 0
    }

    private struct NodeKey: Hashable {
        var kind: Int
        var at: Position
    }

    /// The expanded size of `root`, and the repeated node that contributes most to it (the
    /// place to point at when the size is over the budget).
    static func expansion(of root: Node) -> (total: Expansion, largest: Node?) {
        var memo: [NodeKey: Expansion] = [:]
        var uses: [NodeKey: Int] = [:]
        var nodesByKey: [NodeKey: Node] = [:]
        func key(_ node: Node) -> NodeKey {
            let mark = node.mark
            let kind: Int
            switch node {
            case .scalar: kind = 0
            case .mapping: kind = 1
            case .sequence: kind = 2
            }
            return NodeKey(kind: kind, at: Position(line: mark.line, column: mark.column))
        }
        func size(_ node: Node) -> Expansion {
            let k = key(node)
            uses[k, default: 0] += 1
            if let known = memo[k] { return known }
            var e = Expansion(bytes: 0, nodes: 1)
            switch node {
            case .scalar(let s): e.bytes = s.string.utf8.count
            case .mapping(let pairs, _):
                for pair in pairs {
                    let a = size(pair.key)
                    let b = size(pair.value)
                    e.bytes = e.bytes &+ a.bytes &+ b.bytes
                    e.nodes = e.nodes &+ a.nodes &+ b.nodes
                }
            case .sequence(let items, _):
                for item in items {
                    let a = size(item)
                    e.bytes = e.bytes &+ a.bytes
                    e.nodes = e.nodes &+ a.nodes
                }
            }
            // Saturate well below overflow: the budget is far smaller.
            e.bytes = min(e.bytes, Int.max / 4)
            e.nodes = min(e.nodes, Int.max / 4)
            memo[k] = e
            nodesByKey[k] = node
            return e
        }
        let total = size(root)
        let largest = uses.filter { $0.value > 1 }.max { a, b in
            let x = (memo[a.key]?.bytes ?? 0).multipliedReportingOverflow(by: a.value).partialValue
            let y = (memo[b.key]?.bytes ?? 0).multipliedReportingOverflow(by: b.value).partialValue
            return x < y
        }.flatMap { nodesByKey[$0.key] }
        return (total, largest)
    }

    /// True when a tree without aliases is within the budget `checkExpansion` applies: each
    /// node counted once, without the memo that aliases need. False sends the caller to
    /// `checkExpansion`, which says where.
    static func plainSizeWithinBudget(_ root: Node, limits: LoaderLimits) -> Bool {
        var bytes = 0
        var nodes = 0
        root.visitEveryNode { node in
            nodes += 1
            if case .scalar(let s) = node { bytes += s.string.utf8.count }
        }
        return bytes <= limits.expandedBytes && nodes <= LoaderLimits.expandedNodes
    }

    /// An error when aliases expand the tree beyond the budget; true when within it.
    static func checkExpansion(
        _ root: Node, limits: LoaderLimits, file: String, lineOffset: Int, into diags: inout Diagnostics
    ) -> Bool {
        let (total, largest) = expansion(of: root)
        guard total.bytes > limits.expandedBytes || total.nodes > LoaderLimits.expandedNodes else { return true }
        let at = (largest ?? root).location(in: file, lineOffset: lineOffset)
        let what =
            total.bytes > limits.expandedBytes
            ? "more than \(LoaderLimits.describe(limits.expandedBytes)) of text"
            : "more than \(LoaderLimits.expandedNodes) values"
        diags.error(
            at,
            "aliases expand this file to \(what) (this anchored value is repeated through '*' aliases); "
                + "write the values out, or alias less: a file may expand to \(LoaderLimits.expansionFactor) times its size limit")
        return false
    }
}
