// Ladder's own Markdown renderer as it was before cmark-gfm replaced it (commit de01be9^,
// Sources/LadderKit/Rendering/Markdown.swift), kept here only so that markdown-bench can set
// its speed beside cmark-gfm's. Its types are renamed Old* and `public` is dropped; nothing
// else is changed. It is in no library target: Ladder renders pages with cmark-gfm.

// A small, safe renderer for the subset of CommonMark (plus GitHub tables and strikethrough)
// that curriculum pages use. It has no dependencies so that its output is fully under our
// control: the text it renders is written by course authors but ends up inside pages served by
// an LMS, so nothing the author writes may become markup we did not generate ourselves.
//
// Design:
// - Works on UTF-8 bytes. Every character with a syntactic meaning is ASCII, so slicing at those
//   characters always keeps valid UTF-8, and it is much faster than walking `Character`s.
// - Block structure follows the CommonMark parsing strategy (a stack of open blocks, one pass
//   over the lines, lazy paragraph continuation). Inline structure follows the CommonMark
//   delimiter-stack algorithm, which keeps emphasis matching linear-ish with no backtracking.
// - Raw HTML and entity references are deliberately not recognised: they are ordinary text and
//   get escaped like any other text.

// MARK: - Public API

/// A heading found while rendering, in document order, for building a table of contents.
struct OldMarkdownHeading: Sendable, Equatable, Hashable {
    /// The level of the rendered HTML element (1–6), after `headingOffset` was applied and clamped.
    var level: Int
    /// The heading's plain text: formatting removed, backslash escapes resolved, not HTML-escaped.
    var text: String
    /// The value of the heading's `id` attribute, including the `idPrefix` (not HTML-escaped).
    var id: String

    /// Creates a heading description.
    init(level: Int, text: String, id: String) {
        self.level = level
        self.text = text
        self.id = id
    }
}

/// The result of rendering one Markdown document.
struct OldMarkdownDocument: Sendable, Equatable {
    /// The rendered body HTML: one block element per line, ending with a newline unless empty.
    var html: String
    /// The `src` of every rendered image, in document order, as written by the author (backslash
    /// escapes resolved, surrounding whitespace trimmed, no percent-decoding). The rendered
    /// attribute is exactly `src="…"` with this value HTML-escaped, so a caller may rewrite it.
    /// Images whose source was refused by the URL policy are not rendered and not listed.
    var imageSources: [String]
    /// The `href` of every rendered link (including autolinks), in document order, as written.
    /// Links refused by the URL policy are rendered as plain text and not listed.
    var linkTargets: [String]
    /// Every heading, in document order.
    var headings: [OldMarkdownHeading]

    /// Creates a rendered document.
    init(html: String, imageSources: [String], linkTargets: [String], headings: [OldMarkdownHeading]) {
        self.html = html
        self.imageSources = imageSources
        self.linkTargets = linkTargets
        self.headings = headings
    }
}

/// Renders a safe CommonMark subset to HTML.
///
/// Supported: ATX headings, paragraphs, hard and soft line breaks, bullet and ordered lists
/// (nested, tight or loose), block quotes, fenced code blocks, thematic breaks, GitHub pipe
/// tables, code spans, emphasis, strong emphasis, `~~strikethrough~~`, inline links and images,
/// `<…>` autolinks and backslash escapes.
///
/// Deliberately not supported (the text shows as written): setext headings (`Title` over `===`;
/// a `---` under a paragraph is a thematic break), indented code blocks (indentation is ignored),
/// raw HTML, entity references, reference-style links and their definitions, bare-URL autolinks,
/// task-list checkboxes and footnotes. One leniency: a list marker two or more columns right of its
/// parent item's marker nests, even under `1.` where CommonMark wants three.
///
/// Safety: all text is HTML-escaped; raw HTML and entity references are shown literally; link and
/// image URLs must be relative or use `http`, `https` or `mailto`. The output depends only on the
/// input and runs in roughly linear time.
enum OldMarkdown {
    /// Renders `markdown` to HTML.
    ///
    /// - Parameters:
    ///   - markdown: The Markdown source (line endings may be LF, CRLF or CR).
    ///   - headingOffset: Added to every heading level, so that `1` turns `# X` into `<h2>` on a
    ///     page that already has an `<h1>`. Levels are clamped to 1…6.
    ///   - idPrefix: Prepended to every heading `id`. Ids are slugs of the heading text,
    ///     de-duplicated within the document with `-2`, `-3`, … suffixes.
    /// - Returns: The HTML together with the images, links and headings it contains.
    ///   - imageSource: Maps an image's source (as listed in `imageSources`) to the URL the
    ///     `src` attribute gets, e.g. its path inside a package. Default: unchanged.
    static func render(
        _ markdown: String, headingOffset: Int = 0, idPrefix: String = "", imageSource: ((String) -> String)? = nil
    ) -> OldMarkdownDocument {
        let input = normalizedInput(markdown)
        let root = BlockParser().parse(input)
        var renderer = HTMLRenderer(headingOffset: headingOffset, idPrefix: idPrefix)
        renderer.imageSource = imageSource
        renderer.renderChildren(of: root, tight: false)
        return OldMarkdownDocument(
            html: String(decoding: renderer.out, as: UTF8.self),
            imageSources: renderer.imageSources,
            linkTargets: renderer.linkTargets,
            headings: renderer.headings)
    }

    /// Converts line endings to LF and NUL to U+FFFD (CommonMark's rule: NUL must never reach the
    /// output), and drops a leading byte order mark, which is an encoding artefact, not text.
    static func normalizedInput(_ markdown: String) -> [UInt8] {
        let bytes = Array(markdown.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0D {  // CR or CRLF
                out.append(0x0A)
                if i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
            } else if b == 0 {
                out.append(contentsOf: [0xEF, 0xBF, 0xBD])
            } else {
                out.append(b)
            }
            i += 1
        }
        return out
    }
}

// Everything below is nested in `Markdown` and file-private, so that helper names such as
// `Block` can never clash with declarations elsewhere in the module.
extension OldMarkdown {
    // MARK: - Byte classes

    @inline(__always) fileprivate static func isSpaceOrTab(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    @inline(__always) fileprivate static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    @inline(__always) fileprivate static func isASCIILetter(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    @inline(__always) fileprivate static func isASCIIAlphanumeric(_ b: UInt8) -> Bool { isASCIILetter(b) || isDigit(b) }

    @inline(__always) fileprivate static func isASCIIPunctuation(_ b: UInt8) -> Bool {
        (b >= 0x21 && b <= 0x2F) || (b >= 0x3A && b <= 0x40) || (b >= 0x5B && b <= 0x60) || (b >= 0x7B && b <= 0x7E)
    }

    fileprivate static func trimmedRange(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Range<Int> {
        var s = start
        var e = end
        while s < e && isSpaceOrTab(bytes[s]) { s += 1 }
        while e > s && isSpaceOrTab(bytes[e - 1]) { e -= 1 }
        return s..<e
    }

    // MARK: - Block tree

    /// One block of the document tree. A class because open blocks are mutated while later lines
    /// arrive; the tree never leaves the call to `Markdown.render`.
    fileprivate final class Block {
        enum Kind { case document, blockQuote, list, item, paragraph, heading, thematicBreak, code, table }
        enum Alignment { case none, left, center, right }

        let kind: Kind
        var children: [Block] = []
        var isOpen = true
        /// First and last source line of the block, used to decide whether a list is loose.
        var startLine: Int
        var endLine: Int

        /// Paragraph lines (leading whitespace removed) or code block lines.
        var lines: [[UInt8]] = []
        /// Heading text and level.
        var text: [UInt8] = []
        var level = 0
        /// List and list item properties.
        var ordered = false
        var marker: UInt8 = 0  // bullet character, or `.` / `)` for ordered lists
        var start = 1
        var tight = true
        var markerOffset = 0
        var contentIndent = 0
        /// Fenced code properties.
        var fenceChar: UInt8 = 0
        var fenceLength = 0
        var fenceOffset = 0
        var info: [UInt8] = []
        /// Table properties.
        var alignments: [Alignment] = []
        var headerCells: [[UInt8]] = []
        var rows: [[[UInt8]]] = []

        init(_ kind: Kind, line: Int) {
            self.kind = kind
            self.startLine = line
            self.endLine = line
        }

        var endsWithOpenParagraph: Bool {
            guard let last = children.last else { return false }
            return last.isOpen && last.kind == .paragraph
        }

        func canContain(_ child: Kind) -> Bool {
            switch kind {
            case .document, .blockQuote, .item: return child != .item
            case .list: return child == .item
            default: return false
            }
        }
    }

    /// A cursor over one line, tracking both the byte position and the column (tabs advance to the
    /// next multiple of 4, as in CommonMark).
    fileprivate struct LineScanner {
        var bytes: [UInt8]
        var pos = 0
        var col = 0
        private(set) var nextNonspace = 0
        private(set) var nextNonspaceCol = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var indent: Int { nextNonspaceCol - col }
        var isBlank: Bool { nextNonspace >= bytes.count }
        var rest: [UInt8] { Array(bytes[pos...]) }
        var restFromNonspace: [UInt8] { Array(bytes[nextNonspace...]) }

        mutating func findNextNonspace() {
            var i = pos
            var c = col
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x20 {
                    i += 1
                    c += 1
                } else if b == 0x09 {
                    c += 4 - (c % 4)
                    i += 1
                } else {
                    break
                }
            }
            nextNonspace = i
            nextNonspaceCol = c
        }

        /// Consumes up to `columns` columns of leading whitespace.
        mutating func advanceColumns(_ columns: Int) {
            var remaining = columns
            while remaining > 0 && pos < bytes.count {
                let b = bytes[pos]
                if b == 0x20 {
                    pos += 1
                    col += 1
                    remaining -= 1
                } else if b == 0x09 {
                    let width = 4 - (col % 4)
                    if width <= remaining {
                        pos += 1
                        col += width
                        remaining -= width
                    } else {
                        // Only part of the tab is consumed: turn it into spaces so that what is left of
                        // it keeps its width for the content (e.g. indentation inside a code block).
                        bytes.replaceSubrange(pos..<pos + 1, with: repeatElement(0x20, count: width))
                    }
                } else {
                    break
                }
            }
        }

        /// Consumes `count` single-column ASCII characters (markers such as `>` or `-`).
        mutating func advanceBytes(_ count: Int) {
            pos += count
            col += count
        }

        mutating func advanceToNextNonspace() {
            pos = nextNonspace
            col = nextNonspaceCol
        }

        /// Consumes a `>` at the current position and the optional space after it.
        mutating func consumeQuoteMarker() {
            advanceBytes(1)
            if pos < bytes.count && isSpaceOrTab(bytes[pos]) { advanceColumns(1) }
        }
    }

    fileprivate struct ListMarker {
        var ordered: Bool
        var marker: UInt8
        var start: Int
        var length: Int
    }

    // MARK: - Block parser

    /// Builds the block tree line by line, following the CommonMark strategy: each line first
    /// continues the open container blocks it can, then may open new blocks, then its remaining text
    /// goes to the innermost block that takes text.
    fileprivate final class BlockParser {
        /// Deep nesting (`> > > …`, hundreds of list levels) is never meaningful in a curriculum and
        /// would let a small input cost deep recursion when rendering, so container blocks stop
        /// nesting here and further markers are treated as text.
        static let maxDepth = 32

        private let document = Block(.document, line: 0)
        /// The chain of open blocks, from the document to the innermost open block (the tip).
        private var open: [Block]
        private var lineNumber = 0
        private var lastMatched = 0
        private var allClosed = true

        init() { open = [document] }

        func parse(_ input: [UInt8]) -> Block {
            var start = 0
            while start < input.count {
                let end = input[start...].firstIndex(of: 0x0A) ?? input.count
                processLine(Array(input[start..<end]))
                lineNumber += 1
                start = end + 1
            }
            while open.count > 1 { finalizeTip() }
            return document
        }

        private func finalizeTip() {
            let block = open.removeLast()
            block.isOpen = false
            if block.kind == .list { block.tight = Self.isTight(block) }
        }

        /// Closes the blocks the current line did not continue (once per line).
        private func closeUnmatched() {
            guard !allClosed else { return }
            while open.count - 1 > lastMatched { finalizeTip() }
            allClosed = true
        }

        @discardableResult
        private func addChild(_ kind: Block.Kind) -> Block {
            while !open[open.count - 1].canContain(kind) { finalizeTip() }
            let child = Block(kind, line: lineNumber)
            open[open.count - 1].children.append(child)
            open.append(child)
            return child
        }

        /// Records that the current line belongs to every open block (for list looseness).
        private func touchOpenBlocks() {
            for block in open { block.endLine = lineNumber }
        }

        private func processLine(_ bytes: [UInt8]) {
            var line = LineScanner(bytes)
            let isBlankLine = bytes.allSatisfy(isSpaceOrTab)

            // 1. Continue the open containers this line belongs to.
            var matched = 0
            var k = 1
            matching: while k < open.count {
                let block = open[k]
                line.findNextNonspace()
                switch block.kind {
                case .blockQuote:
                    guard line.indent <= 3, !line.isBlank, line.bytes[line.nextNonspace] == 0x3E else { break matching }
                    line.advanceToNextNonspace()
                    line.consumeQuoteMarker()
                case .item:
                    if line.isBlank {
                        // An item whose first line was empty ends at the next blank line.
                        guard !block.children.isEmpty else { break matching }
                        line.advanceToNextNonspace()
                    } else if line.indent >= block.contentIndent {
                        line.advanceColumns(block.contentIndent)
                    } else if line.indent >= block.markerOffset + 2, k + 2 < Self.maxDepth,
                        parseListMarker(line, interruptsParagraph: block.endsWithOpenParagraph) != nil
                    {
                        // Deliberate leniency: authors nest lists under `1.` items with two spaces,
                        // which strict CommonMark (needing three) turns into a sibling list. A list
                        // marker at least two columns right of the item's marker nests, and the item's
                        // content column moves there so the nested item's own lines line up.
                        block.contentIndent = line.indent
                        line.advanceColumns(line.indent)
                    } else {
                        break matching
                    }
                case .code:
                    if line.indent <= 3 && isClosingFence(line, of: block) {
                        touchOpenBlocks()
                        finalizeTip()
                        return
                    }
                    line.advanceColumns(min(line.indent, block.fenceOffset))
                case .paragraph, .table:
                    if line.isBlank { break matching }
                case .document, .list, .heading, .thematicBreak:
                    break  // lists continue as long as their items do; headings and rules never stay open
                }
                matched = k
                k += 1
            }
            lastMatched = matched
            allClosed = matched == open.count - 1

            // 2. Open new blocks.
            var container = open[matched]
            var containerIndex = matched
            var startedNew = false
            var lineDone = false
            while container.kind != .code {
                line.findNextNonspace()
                if line.isBlank { break }
                let indented = line.indent >= 4
                let first = line.bytes[line.nextNonspace]
                if !indented && first == 0x3E && containerIndex + 1 < Self.maxDepth {  // >
                    line.advanceToNextNonspace()
                    line.consumeQuoteMarker()
                    closeUnmatched()
                    container = addChild(.blockQuote)
                    containerIndex = open.count - 1
                } else if !indented, let (level, text) = parseATXHeading(line) {
                    closeUnmatched()
                    let heading = addChild(.heading)
                    heading.level = level
                    heading.text = text
                    finalizeTip()
                    lineDone = true
                    break
                } else if !indented, let (char, length, info) = parseFenceOpening(line) {
                    closeUnmatched()
                    let code = addChild(.code)
                    code.fenceChar = char
                    code.fenceLength = length
                    code.fenceOffset = line.indent
                    code.info = info
                    lineDone = true
                    break
                } else if !indented && isThematicBreak(line) {
                    closeUnmatched()
                    addChild(.thematicBreak)
                    finalizeTip()
                    lineDone = true
                    break
                } else if !indented || container.kind == .list, containerIndex + 2 < Self.maxDepth,
                    let marker = parseListMarker(line, interruptsParagraph: container.kind == .paragraph)
                {
                    let markerOffset = line.indent
                    line.advanceToNextNonspace()
                    line.advanceBytes(marker.length)
                    let padding = consumeListPadding(&line, markerLength: marker.length)
                    closeUnmatched()
                    let continuesList = container.kind == .list && container.ordered == marker.ordered
                        && container.marker == marker.marker
                    if !continuesList {
                        let list = addChild(.list)
                        list.ordered = marker.ordered
                        list.marker = marker.marker
                        list.start = marker.start
                    }
                    let item = addChild(.item)
                    item.markerOffset = markerOffset
                    item.contentIndent = markerOffset + padding
                    container = item
                    containerIndex = open.count - 1
                } else {
                    break
                }
                startedNew = true
            }
            if lineDone {
                touchOpenBlocks()
                return
            }

            // 3. Add the rest of the line to the block that takes text.
            line.findNextNonspace()
            let tip = open[open.count - 1]
            if !startedNew && !allClosed && tip.kind == .paragraph && !line.isBlank {
                // Lazy continuation: a paragraph inside a quote or list item may go on without the
                // `>` or the indentation.
                tip.lines.append(line.restFromNonspace)
                touchOpenBlocks()
                return
            }
            closeUnmatched()
            switch container.kind {
            case .code:
                container.lines.append(line.rest)
                touchOpenBlocks()
                return
            case .paragraph:
                if !startTable(paragraph: container, line: line) {
                    container.lines.append(line.restFromNonspace)
                }
            case .table:
                container.rows.append(Self.splitRow(line.restFromNonspace))
            default:
                if !line.isBlank {
                    addChild(.paragraph).lines.append(line.restFromNonspace)
                }
            }
            if !isBlankLine { touchOpenBlocks() }
        }

        // MARK: Block starts

        private func parseATXHeading(_ line: LineScanner) -> (Int, [UInt8])? {
            let b = line.bytes
            var p = line.nextNonspace
            var level = 0
            while p < b.count && b[p] == 0x23 && level < 7 {  // #
                level += 1
                p += 1
            }
            guard level >= 1 && level <= 6, p == b.count || isSpaceOrTab(b[p]) else { return nil }
            let content = trimmedRange(b, p, b.count)
            var end = content.upperBound
            var hashes = end
            while hashes > content.lowerBound && b[hashes - 1] == 0x23 { hashes -= 1 }
            if hashes < end {
                // A closing run of `#` is dropped only when it stands apart ("# C#" keeps its `#`).
                if hashes == content.lowerBound {
                    end = hashes
                } else if isSpaceOrTab(b[hashes - 1]) {
                    end = trimmedRange(b, content.lowerBound, hashes).upperBound
                }
            }
            return (level, Array(b[content.lowerBound..<end]))
        }

        private func parseFenceOpening(_ line: LineScanner) -> (UInt8, Int, [UInt8])? {
            let b = line.bytes
            let p = line.nextNonspace
            let char = b[p]
            guard char == 0x60 || char == 0x7E else { return nil }  // ` or ~
            var q = p
            while q < b.count && b[q] == char { q += 1 }
            guard q - p >= 3 else { return nil }
            let info = trimmedRange(b, q, b.count)
            // A backtick fence's info string may not contain backticks (the line is inline code).
            if char == 0x60 && b[info].contains(0x60) { return nil }
            return (char, q - p, Array(b[info]))
        }

        private func isClosingFence(_ line: LineScanner, of code: Block) -> Bool {
            let b = line.bytes
            var q = line.nextNonspace
            while q < b.count && b[q] == code.fenceChar { q += 1 }
            guard q - line.nextNonspace >= code.fenceLength else { return false }
            return b[q...].allSatisfy(isSpaceOrTab)
        }

        private func isThematicBreak(_ line: LineScanner) -> Bool {
            let b = line.bytes
            let char = b[line.nextNonspace]
            guard char == 0x2D || char == 0x2A || char == 0x5F else { return false }  // - * _
            var count = 0
            for i in line.nextNonspace..<b.count {
                if b[i] == char {
                    count += 1
                } else if !isSpaceOrTab(b[i]) {
                    return false
                }
            }
            return count >= 3
        }

        private func parseListMarker(_ line: LineScanner, interruptsParagraph: Bool) -> ListMarker? {
            let b = line.bytes
            let p = line.nextNonspace
            guard p < b.count else { return nil }
            let first = b[p]
            var marker: ListMarker
            if first == 0x2D || first == 0x2B || first == 0x2A {  // - + *
                marker = ListMarker(ordered: false, marker: first, start: 1, length: 1)
            } else if isDigit(first) {
                var q = p
                var value = 0
                while q < b.count && isDigit(b[q]) && q - p < 9 {
                    value = value * 10 + Int(b[q] - 0x30)
                    q += 1
                }
                guard q < b.count, b[q] == 0x2E || b[q] == 0x29 else { return nil }  // . )
                marker = ListMarker(ordered: true, marker: b[q], start: value, length: q + 1 - p)
            } else {
                return nil
            }
            let after = p + marker.length
            guard after == b.count || isSpaceOrTab(b[after]) else { return nil }
            if interruptsParagraph {
                // CommonMark: only a non-empty bullet or "1." item may interrupt a paragraph, so that
                // a line of prose starting with "2019. " or "-" stays prose.
                if b[after...].allSatisfy(isSpaceOrTab) { return nil }
                if marker.ordered && marker.start != 1 { return nil }
            }
            return marker
        }

        /// Consumes the spaces after a list marker and returns the marker width plus padding.
        private func consumeListPadding(_ line: inout LineScanner, markerLength: Int) -> Int {
            var probe = line
            probe.findNextNonspace()
            let spaces = probe.nextNonspaceCol - line.col
            if probe.isBlank { return markerLength + 1 }
            if spaces >= 5 {
                line.advanceColumns(1)
                return markerLength + 1
            }
            line.advanceColumns(spaces)
            return markerLength + spaces
        }

        // MARK: Tables

        /// Turns the paragraph's last line into a table header when `line` is a matching delimiter row.
        private func startTable(paragraph: Block, line: LineScanner) -> Bool {
            guard let header = paragraph.lines.last,
                let alignments = Self.parseDelimiterRow(line.restFromNonspace)
            else { return false }
            let headerCells = Self.splitRow(header)
            guard headerCells.count == alignments.count else { return false }
            paragraph.lines.removeLast()
            finalizeTip()  // the paragraph
            let parent = open[open.count - 1]
            if paragraph.lines.isEmpty { parent.children.removeLast() }
            let table = Block(.table, line: lineNumber - 1)
            table.alignments = alignments
            table.headerCells = headerCells
            parent.children.append(table)
            open.append(table)
            return true
        }

        static func parseDelimiterRow(_ bytes: [UInt8]) -> [Block.Alignment]? {
            let range = trimmedRange(bytes, 0, bytes.count)
            var row = Array(bytes[range])
            // Requiring a pipe keeps "---" a thematic break and "a\n- b" a list.
            guard row.contains(0x7C) else { return nil }
            if row.first == 0x7C { row.removeFirst() }
            if row.last == 0x7C { row.removeLast() }
            var alignments: [Block.Alignment] = []
            for cell in row.split(separator: 0x7C, omittingEmptySubsequences: false) {
                let cellBytes = Array(cell)
                let t = trimmedRange(cellBytes, 0, cellBytes.count)
                var s = t.lowerBound
                var e = t.upperBound
                let left = s < e && cellBytes[s] == 0x3A  // :
                if left { s += 1 }
                let right = e > s && cellBytes[e - 1] == 0x3A
                if right { e -= 1 }
                guard s < e, cellBytes[s..<e].allSatisfy({ $0 == 0x2D }) else { return nil }
                switch (left, right) {
                case (true, true): alignments.append(.center)
                case (true, false): alignments.append(.left)
                case (false, true): alignments.append(.right)
                case (false, false): alignments.append(.none)
                }
            }
            return alignments.isEmpty ? nil : alignments
        }

        /// Splits a table row into trimmed cells. Outer pipes are optional; `\|` is a literal pipe
        /// (even inside code spans, as in GitHub Markdown); other escapes are left for inline parsing.
        static func splitRow(_ bytes: [UInt8]) -> [[UInt8]] {
            let range = trimmedRange(bytes, 0, bytes.count)
            var i = range.lowerBound
            let end = range.upperBound
            if i < end && bytes[i] == 0x7C { i += 1 }
            var cells: [[UInt8]] = []
            var cell: [UInt8] = []
            var endedWithPipe = false
            while i < end {
                let b = bytes[i]
                if b == 0x5C && i + 1 < end {  // backslash
                    if bytes[i + 1] == 0x7C {
                        cell.append(0x7C)
                    } else {
                        cell.append(b)
                        cell.append(bytes[i + 1])
                    }
                    i += 2
                    endedWithPipe = false
                } else if b == 0x7C {
                    cells.append(Array(cell[trimmedRange(cell, 0, cell.count)]))
                    cell.removeAll(keepingCapacity: true)
                    endedWithPipe = true
                    i += 1
                } else {
                    cell.append(b)
                    endedWithPipe = false
                    i += 1
                }
            }
            if !endedWithPipe { cells.append(Array(cell[trimmedRange(cell, 0, cell.count)])) }
            return cells
        }

        // MARK: Lists

        /// CommonMark: a list is loose when a blank line separates two of its items or two blocks
        /// directly inside one item.
        static func isTight(_ list: Block) -> Bool {
            let items = list.children
            for (index, item) in items.enumerated() {
                if index + 1 < items.count && items[index + 1].startLine > item.endLine + 1 { return false }
                let blocks = item.children
                for j in blocks.indices.dropLast() where blocks[j + 1].startLine > blocks[j].endLine + 1 {
                    return false
                }
            }
            return true
        }
    }

    // MARK: - URL policy

    fileprivate enum URLKind {
        case relative, external, mailto, refused

        /// Only relative URLs and http(s)/mailto are allowed: anything else (javascript:, data:,
        /// vbscript:, file:, …) could run script or reach outside the package.
        init(_ url: [UInt8]) {
            // Browsers ignore ASCII whitespace and control characters while reading a scheme
            // ("java\tscript:"), so they are ignored here too before looking for one.
            let compact = url.filter { $0 > 0x20 && $0 != 0x7F }
            // Browsers read a backslash in a URL as a slash.
            let isSlash = { (b: UInt8) in b == 0x2F || b == 0x5C }
            let separator = compact.firstIndex { isSlash($0) || $0 == 0x3F || $0 == 0x23 } ?? compact.count
            if let colon = compact.firstIndex(of: 0x3A), colon < separator {
                // Anything before the first colon counts as a scheme, valid or not: refusing an odd
                // relative path such as "a:b" is cheaper than guessing what a browser makes of it.
                let scheme = String(decoding: compact[..<colon], as: UTF8.self).lowercased()
                switch scheme {
                case "http", "https": self = .external
                case "mailto": self = .mailto
                default: self = .refused
                }
            } else if compact.count >= 2 && isSlash(compact[0]) && isSlash(compact[1]) {
                self = .external  // "//host/path" leaves the package just like "https://host/path"
            } else {
                self = .relative
            }
        }
    }

    // MARK: - Inline parser

    /// Parses the inline content of one block into a flat list of tokens. Emphasis is matched with
    /// the CommonMark delimiter algorithm; the matches are recorded on the delimiter tokens as tags to
    /// open and close, which always nest properly, so no tree has to be built.
    fileprivate struct InlineParser {
        enum Kind { case text, code, softBreak, hardBreak, delimiter, bracket, link, linkEnd, image, autolink }
        enum Tag { case em, strong, del }

        struct Token {
            var kind: Kind
            var start: Int
            var end: Int
            var char: UInt8 = 0
            var count = 0
            var originalCount = 0
            var canOpen = false
            var canClose = false
            var prev = -1  // neighbours in the delimiter list
            var next = -1
            var link = -1  // index into `links`
            var openTags: [Tag] = []
            var closeTags: [Tag] = []
        }

        struct Link {
            var destination: [UInt8]
            var title: [UInt8]?
            var alt: [UInt8] = []
            var kind: URLKind
        }

        let src: [UInt8]
        private(set) var tokens: [Token] = []
        private(set) var links: [Link] = []
        private var lastDelimiter = -1
        private var brackets: [(token: Int, image: Bool)] = []
        /// `[` brackets below this stack position can no longer make a link (links don't nest).
        private var linkBracketsInactiveBelow = 0
        private var textStart = 0
        /// Byte budget for scanning link destinations and titles. Legitimate text scans each byte
        /// about once; only adversarial input like "[a](b[a](b[a](b…" rescans, and once the budget is
        /// spent such brackets stay literal, which keeps the worst case linear.
        private var scanBudget: Int
        /// Start offsets of every maximal backtick run, by run length (built on first use).
        private var backtickRuns: [Int: [Int]]?

        init(_ src: [UInt8]) {
            self.src = src
            self.scanBudget = 8 * src.count + 10_000
        }

        mutating func parse() {
            let n = src.count
            var i = 0
            while i < n {
                let c = src[i]
                switch c {
                case 0x0A:  // line ending: soft break, or hard break after two spaces
                    var textEnd = i
                    while textEnd > textStart && src[textEnd - 1] == 0x20 { textEnd -= 1 }
                    flushText(upTo: textEnd)
                    append(Token(kind: i - textEnd >= 2 ? .hardBreak : .softBreak, start: i, end: i + 1))
                    i = skipLeadingWhitespace(i + 1)
                    textStart = i
                case 0x5C:  // backslash
                    if i + 1 < n && src[i + 1] == 0x0A {
                        flushText(upTo: i)
                        append(Token(kind: .hardBreak, start: i, end: i + 2))
                        i = skipLeadingWhitespace(i + 2)
                        textStart = i
                    } else if i + 1 < n && isASCIIPunctuation(src[i + 1]) {
                        flushText(upTo: i)
                        append(Token(kind: .text, start: i + 1, end: i + 2))
                        i += 2
                        textStart = i
                    } else {
                        i += 1
                    }
                case 0x60:  // backtick
                    var runEnd = i
                    while runEnd < n && src[runEnd] == 0x60 { runEnd += 1 }
                    if let closer = findCodeSpanCloser(length: runEnd - i, from: runEnd) {
                        flushText(upTo: i)
                        var s = runEnd
                        var e = closer
                        // One space (or line ending) on each side is padding, unless it is all spaces.
                        let isPad = { (b: UInt8) in b == 0x20 || b == 0x0A }
                        if e - s >= 2 && isPad(src[s]) && isPad(src[e - 1])
                            && src[s..<e].contains(where: { $0 != 0x20 && $0 != 0x0A })
                        {
                            s += 1
                            e -= 1
                        }
                        append(Token(kind: .code, start: s, end: e))
                        i = closer + (runEnd - i)
                        textStart = i
                    } else {
                        i = runEnd  // an unmatched run is literal text as a whole
                    }
                case 0x2A, 0x5F, 0x7E:  // * _ ~
                    var runEnd = i
                    while runEnd < n && src[runEnd] == c { runEnd += 1 }
                    if c == 0x7E && runEnd - i != 2 {
                        // Only "~~" strikes through: a single "~" is common in prose ("~5 minutes").
                        i = runEnd
                        continue
                    }
                    let (canOpen, canClose) = flanking(start: i, end: runEnd, char: c)
                    if canOpen || canClose {
                        flushText(upTo: i)
                        var token = Token(kind: .delimiter, start: i, end: runEnd)
                        token.char = c
                        token.count = runEnd - i
                        token.originalCount = runEnd - i
                        token.canOpen = canOpen
                        token.canClose = canClose
                        token.prev = lastDelimiter
                        append(token)
                        let index = tokens.count - 1
                        if lastDelimiter >= 0 { tokens[lastDelimiter].next = index }
                        lastDelimiter = index
                        textStart = runEnd
                    }
                    i = runEnd
                case 0x5B:  // [
                    flushText(upTo: i)
                    append(Token(kind: .bracket, start: i, end: i + 1))
                    brackets.append((tokens.count - 1, false))
                    i += 1
                    textStart = i
                case 0x21:  // !
                    if i + 1 < n && src[i + 1] == 0x5B {
                        flushText(upTo: i)
                        append(Token(kind: .bracket, start: i, end: i + 2))
                        brackets.append((tokens.count - 1, true))
                        i += 2
                        textStart = i
                    } else {
                        i += 1
                    }
                case 0x5D:  // ]
                    flushText(upTo: i)
                    i = closeBracket(at: i)
                    textStart = i
                case 0x3C:  // <
                    // Flushing first is harmless if this is no autolink: it only splits a text run.
                    flushText(upTo: i)
                    if let end = parseAutolink(at: i) {
                        i = end
                        textStart = i
                    } else {
                        i += 1
                    }
                default:
                    i += 1
                }
            }
            flushText(upTo: n)
            processEmphasis(bottom: -1)
        }

        private mutating func append(_ token: Token) { tokens.append(token) }

        private mutating func flushText(upTo end: Int) {
            if end > textStart { tokens.append(Token(kind: .text, start: textStart, end: end)) }
            textStart = end
        }

        private func skipLeadingWhitespace(_ from: Int) -> Int {
            var i = from
            while i < src.count && isSpaceOrTab(src[i]) { i += 1 }
            return i
        }

        // MARK: Code spans

        private mutating func findCodeSpanCloser(length: Int, from: Int) -> Int? {
            if backtickRuns == nil {
                // Indexing every run once keeps "`a `b `c …" linear instead of rescanning to the end
                // for each unmatched opener.
                var runs: [Int: [Int]] = [:]
                var i = 0
                while i < src.count {
                    if src[i] == 0x60 {
                        let start = i
                        while i < src.count && src[i] == 0x60 { i += 1 }
                        runs[i - start, default: []].append(start)
                    } else {
                        i += 1
                    }
                }
                backtickRuns = runs
            }
            guard let starts = backtickRuns?[length] else { return nil }
            var low = 0
            var high = starts.count
            while low < high {
                let mid = (low + high) / 2
                if starts[mid] < from { low = mid + 1 } else { high = mid }
            }
            return low < starts.count ? starts[low] : nil
        }

        // MARK: Emphasis

        private func scalar(before index: Int) -> Unicode.Scalar? {
            guard index > 0 else { return nil }
            var start = index - 1
            while start > 0 && src[start] & 0xC0 == 0x80 { start -= 1 }
            return scalar(at: start)
        }

        private func scalar(at index: Int) -> Unicode.Scalar? {
            guard index < src.count else { return nil }
            let b0 = UInt32(src[index])
            var value: UInt32
            var extra: Int
            if b0 < 0x80 {
                return Unicode.Scalar(UInt8(b0))
            } else if b0 < 0xE0 {
                value = b0 & 0x1F
                extra = 1
            } else if b0 < 0xF0 {
                value = b0 & 0x0F
                extra = 2
            } else {
                value = b0 & 0x07
                extra = 3
            }
            var i = index + 1
            while extra > 0 && i < src.count {
                value = (value << 6) | UInt32(src[i] & 0x3F)
                i += 1
                extra -= 1
            }
            return Unicode.Scalar(value)
        }

        private static func isWhitespace(_ s: Unicode.Scalar?) -> Bool {
            guard let s else { return true }  // the start and end of the text count as whitespace
            switch s.value {
            case 0x20, 0x09, 0x0A, 0x0C, 0x0D: return true
            case 0..<0x80: return false
            default: return s.properties.generalCategory == .spaceSeparator
            }
        }

        private static func isPunctuation(_ s: Unicode.Scalar?) -> Bool {
            guard let s else { return false }
            if s.value < 0x80 { return isASCIIPunctuation(UInt8(s.value)) }
            switch s.properties.generalCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
                .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
                return true
            default:
                return false
            }
        }

        /// CommonMark's left/right-flanking rules; for `_` they also require a word boundary, which
        /// is what keeps snake_case_names literal.
        private func flanking(start: Int, end: Int, char: UInt8) -> (canOpen: Bool, canClose: Bool) {
            let before = scalar(before: start)
            let after = scalar(at: end)
            let beforeSpace = Self.isWhitespace(before)
            let afterSpace = Self.isWhitespace(after)
            let beforePunct = Self.isPunctuation(before)
            let afterPunct = Self.isPunctuation(after)
            let left = !afterSpace && (!afterPunct || beforeSpace || beforePunct)
            let right = !beforeSpace && (!beforePunct || afterSpace || afterPunct)
            if char == 0x5F {
                return (left && (!right || beforePunct), right && (!left || afterPunct))
            }
            return (left, right)
        }

        private mutating func removeDelimiter(_ index: Int) {
            let prev = tokens[index].prev
            let next = tokens[index].next
            if prev >= 0 { tokens[prev].next = next }
            if next >= 0 { tokens[next].prev = prev } else { lastDelimiter = prev }
            tokens[index].prev = -1
            tokens[index].next = -1
        }

        /// The CommonMark "process emphasis" procedure over delimiters after token `bottom`.
        private mutating func processEmphasis(bottom: Int) {
            // Where the last failed search for an opener stopped, per kind of closer, so that
            // a run of unmatched closers does not rescan the same openers (quadratic otherwise).
            var openersBottom = [Int](repeating: bottom, count: 18)
            var closer = lastDelimiter
            guard closer > bottom else { return }
            while tokens[closer].prev > bottom { closer = tokens[closer].prev }
            while closer >= 0 {
                let c = tokens[closer]
                guard c.canClose else {
                    closer = c.next
                    continue
                }
                let key = (c.char == 0x2A ? 0 : c.char == 0x5F ? 6 : 12) + (c.canOpen ? 3 : 0) + c.originalCount % 3
                let floor = max(bottom, openersBottom[key])
                var opener = c.prev
                var found = false
                while opener > floor {
                    let o = tokens[opener]
                    if o.char == c.char && o.canOpen {
                        // The "rule of 3": *a**b* must not pair the single and double delimiters.
                        let oddMatch = c.char != 0x7E && (o.canClose || c.canOpen)
                            && (o.originalCount + c.originalCount) % 3 == 0
                            && !(o.originalCount % 3 == 0 && c.originalCount % 3 == 0)
                        if !oddMatch {
                            found = true
                            break
                        }
                    }
                    opener = o.prev
                }
                if found {
                    let use: Int
                    let tag: Tag
                    if c.char == 0x7E {
                        use = 2
                        tag = .del
                    } else if c.count >= 2 && tokens[opener].count >= 2 {
                        use = 2
                        tag = .strong
                    } else {
                        use = 1
                        tag = .em
                    }
                    tokens[opener].count -= use
                    tokens[closer].count -= use
                    tokens[opener].openTags.append(tag)
                    tokens[closer].closeTags.append(tag)
                    // Delimiters between the pair can no longer match anything.
                    tokens[opener].next = closer
                    tokens[closer].prev = opener
                    if tokens[opener].count == 0 { removeDelimiter(opener) }
                    if tokens[closer].count == 0 {
                        let next = tokens[closer].next
                        removeDelimiter(closer)
                        closer = next
                    }
                } else {
                    openersBottom[key] = c.prev
                    let next = c.next
                    if !c.canOpen { removeDelimiter(closer) }
                    closer = next
                }
            }
            while lastDelimiter > bottom { removeDelimiter(lastDelimiter) }
        }

        // MARK: Links and images

        private mutating func closeBracket(at i: Int) -> Int {
            guard let top = brackets.last else {
                append(Token(kind: .text, start: i, end: i + 1))
                return i + 1
            }
            let isActive = top.image || brackets.count - 1 >= linkBracketsInactiveBelow
            if isActive, let (destination, title, end) = parseLinkTail(from: i + 1) {
                popBracket()
                processEmphasis(bottom: top.token)
                var link = Link(destination: destination, title: title, kind: URLKind(destination))
                if top.image {
                    link.alt = plainText(top.token + 1..<tokens.count)
                    tokens.removeSubrange((top.token + 1)...)
                    tokens[top.token].kind = .image
                    tokens[top.token].link = links.count
                } else {
                    tokens[top.token].kind = .link
                    tokens[top.token].link = links.count
                    var endToken = Token(kind: .linkEnd, start: i, end: end)
                    endToken.link = links.count
                    append(endToken)
                    linkBracketsInactiveBelow = brackets.count
                }
                links.append(link)
                return end
            }
            popBracket()
            append(Token(kind: .text, start: i, end: i + 1))
            return i + 1
        }

        private mutating func popBracket() {
            brackets.removeLast()
            linkBracketsInactiveBelow = min(linkBracketsInactiveBelow, brackets.count)
        }

        private func skipWhitespaceAndNewlines(_ from: Int) -> Int {
            var i = from
            while i < src.count && (src[i] == 0x20 || src[i] == 0x09 || src[i] == 0x0A) { i += 1 }
            return i
        }

        /// Parses `(destination "title")` starting at `from`; returns the unescaped destination and
        /// title and the offset after the closing parenthesis.
        private mutating func parseLinkTail(from: Int) -> ([UInt8], [UInt8]?, Int)? {
            let n = src.count
            guard from < n && src[from] == 0x28 else { return nil }  // (
            var j = skipWhitespaceAndNewlines(from + 1)
            guard j < n else { return nil }
            if src[j] == 0x29 { return ([], nil, j + 1) }  // ()
            var destination: [UInt8] = []
            if src[j] == 0x3C {  // <destination>
                var k = j + 1
                while true {
                    guard k < n, scanBudget > 0 else { return nil }
                    scanBudget -= 1
                    let c = src[k]
                    if c == 0x3E { break }
                    if c == 0x0A || c == 0x3C { return nil }
                    if c == 0x5C && k + 1 < n && isASCIIPunctuation(src[k + 1]) {
                        destination.append(src[k + 1])
                        k += 2
                    } else {
                        destination.append(c)
                        k += 1
                    }
                }
                j = k + 1
            } else {
                var depth = 0
                var k = j
                while k < n {
                    guard scanBudget > 0 else { return nil }
                    scanBudget -= 1
                    let c = src[k]
                    if c <= 0x20 || c == 0x7F { break }
                    if c == 0x5C && k + 1 < n && isASCIIPunctuation(src[k + 1]) {
                        destination.append(src[k + 1])
                        k += 2
                        continue
                    }
                    if c == 0x28 {
                        depth += 1
                        if depth > 32 { return nil }
                    } else if c == 0x29 {
                        if depth == 0 { break }
                        depth -= 1
                    }
                    destination.append(c)
                    k += 1
                }
                guard depth == 0, k > j else { return nil }
                j = k
            }
            let afterDestination = j
            j = skipWhitespaceAndNewlines(j)
            var title: [UInt8]?
            if j > afterDestination && j < n && (src[j] == 0x22 || src[j] == 0x27 || src[j] == 0x28) {  // " ' (
                let open = src[j]
                let close: UInt8 = open == 0x28 ? 0x29 : open
                var k = j + 1
                var text: [UInt8] = []
                while true {
                    guard k < n, scanBudget > 0 else { return nil }
                    scanBudget -= 1
                    let c = src[k]
                    if c == close { break }
                    if open == 0x28 && c == 0x28 { return nil }
                    if c == 0x5C && k + 1 < n && isASCIIPunctuation(src[k + 1]) {
                        text.append(src[k + 1])
                        k += 2
                    } else {
                        text.append(c)
                        k += 1
                    }
                }
                title = text
                j = skipWhitespaceAndNewlines(k + 1)
            }
            guard j < n && src[j] == 0x29 else { return nil }
            // Whitespace around a URL is not part of it (browsers strip it as well).
            let trimmed = destination.drop { $0 <= 0x20 }.reversed().drop { $0 <= 0x20 }.reversed()
            return (Array(trimmed), title, j + 1)
        }

        /// Recognises `<scheme:…>` and `<user@example.com>` at `i`, appending an autolink token.
        private mutating func parseAutolink(at i: Int) -> Int? {
            let n = src.count
            let j = i + 1
            guard j < n else { return nil }
            if isASCIILetter(src[j]) {
                var k = j + 1
                while k < n && k - j <= 32 && (isASCIIAlphanumeric(src[k]) || Self.schemePunctuation.contains(src[k])) {
                    k += 1
                }
                if k - j >= 2 && k - j <= 32 && k < n && src[k] == 0x3A {
                    var m = k + 1
                    while m < n {
                        let c = src[m]
                        if c == 0x3E {
                            appendAutolink(display: j..<m, destination: Array(src[j..<m]), end: m + 1)
                            return m + 1
                        }
                        if c <= 0x20 || c == 0x3C || c == 0x7F { break }
                        m += 1
                    }
                }
            }
            // Email address: CommonMark's (HTML5's) simplified grammar.
            var k = j
            while k < n && (isASCIIAlphanumeric(src[k]) || Self.emailLocalPunctuation.contains(src[k])) { k += 1 }
            guard k > j, k < n, src[k] == 0x40 else { return nil }  // @
            var m = k + 1
            while true {
                let labelStart = m
                while m < n && m - labelStart < 63
                    && (isASCIIAlphanumeric(src[m]) || (src[m] == 0x2D && m > labelStart))
                {
                    m += 1
                }
                guard m > labelStart, src[m - 1] != 0x2D else { return nil }
                if m < n && src[m] == 0x2E {
                    m += 1
                } else {
                    break
                }
            }
            guard m < n && src[m] == 0x3E else { return nil }
            appendAutolink(display: j..<m, destination: Array("mailto:".utf8) + src[j..<m], end: m + 1)
            return m + 1
        }

        private static let schemePunctuation: Set<UInt8> = Set("+.-".utf8)
        private static let emailLocalPunctuation: Set<UInt8> = Set(".!#$%&'*+/=?^_`{|}~-".utf8)

        private mutating func appendAutolink(display: Range<Int>, destination: [UInt8], end: Int) {
            var token = Token(kind: .autolink, start: display.lowerBound, end: display.upperBound)
            token.link = links.count
            links.append(Link(destination: destination, title: nil, kind: URLKind(destination)))
            append(token)
        }

        // MARK: Plain text

        /// The text of `range` without markup (for image alt text and heading ids).
        func plainText(_ range: Range<Int>) -> [UInt8] {
            var out: [UInt8] = []
            for index in range {
                let token = tokens[index]
                switch token.kind {
                case .text, .bracket, .autolink:
                    out.append(contentsOf: src[token.start..<token.end])
                case .code:
                    out.append(contentsOf: src[token.start..<token.end].map { $0 == 0x0A ? 0x20 : $0 })
                case .softBreak, .hardBreak:
                    out.append(0x20)
                case .delimiter:
                    out.append(contentsOf: repeatElement(token.char, count: token.count))
                case .image:
                    out.append(contentsOf: links[token.link].alt)
                case .link, .linkEnd:
                    break
                }
            }
            return out
        }
    }

    // MARK: - HTML renderer

    fileprivate struct HTMLRenderer {
        let headingOffset: Int
        let idPrefix: String
        var out: [UInt8] = []
        var imageSources: [String] = []
        var imageSource: ((String) -> String)?
        var linkTargets: [String] = []
        var headings: [OldMarkdownHeading] = []
        private var usedIDs: Set<String> = []
        private var nextSuffix: [String: Int] = [:]

        init(headingOffset: Int, idPrefix: String) {
            self.headingOffset = headingOffset
            self.idPrefix = idPrefix
        }

        private mutating func raw(_ s: String) { out.append(contentsOf: s.utf8) }

        /// Starts a new line unless the output already is at the start of one.
        private mutating func cr() {
            if let last = out.last, last != 0x0A { out.append(0x0A) }
        }

        private mutating func escaped<C: Collection>(_ bytes: C) where C.Element == UInt8 {
            for b in bytes { escapeByte(b) }
        }

        @inline(__always) private mutating func escapeByte(_ b: UInt8) {
            switch b {
            case 0x26: out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
            case 0x3C: out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
            case 0x3E: out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
            case 0x22: out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
            case 0x27: out.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
            default: out.append(b)
            }
        }

        private mutating func escapedRange(_ src: [UInt8], _ range: Range<Int>) {
            var i = range.lowerBound
            while i < range.upperBound {
                escapeByte(src[i])
                i += 1
            }
        }

        // MARK: Blocks

        mutating func renderChildren(of block: Block, tight: Bool) {
            for child in block.children { render(child, tight: tight) }
        }

        private mutating func render(_ block: Block, tight: Bool) {
            switch block.kind {
            case .document:
                renderChildren(of: block, tight: false)
            case .paragraph:
                // Paragraphs in tight lists are rendered without <p>, as in CommonMark.
                if !tight {
                    cr()
                    raw("<p>")
                }
                var text: [UInt8] = []
                for (index, line) in block.lines.enumerated() {
                    if index > 0 { text.append(0x0A) }
                    text.append(contentsOf: line)
                }
                while let last = text.last, isSpaceOrTab(last) { text.removeLast() }
                renderInline(text)
                if !tight {
                    raw("</p>")
                    cr()
                }
            case .heading:
                renderHeading(block)
            case .thematicBreak:
                cr()
                raw("<hr>")
                cr()
            case .blockQuote:
                cr()
                raw("<blockquote>")
                cr()
                renderChildren(of: block, tight: false)
                cr()
                raw("</blockquote>")
                cr()
            case .list:
                cr()
                if block.ordered {
                    raw(block.start == 1 ? "<ol>" : "<ol start=\"\(block.start)\">")
                } else {
                    raw("<ul>")
                }
                cr()
                for item in block.children { render(item, tight: block.tight) }
                raw(block.ordered ? "</ol>" : "</ul>")
                cr()
            case .item:
                cr()
                raw("<li>")
                renderChildren(of: block, tight: tight)
                raw("</li>")
                cr()
            case .code:
                cr()
                raw("<pre><code")
                // The first word of the info string names the language; only a conservative
                // character set is kept, so it can never leave the class attribute.
                let language = block.info.prefix { !isSpaceOrTab($0) }
                    .filter { isASCIIAlphanumeric($0) || $0 == 0x2D || $0 == 0x5F }
                if !language.isEmpty {
                    raw(" class=\"language-")
                    out.append(contentsOf: language)
                    raw("\"")
                }
                raw(">")
                for line in block.lines {
                    escaped(line)
                    out.append(0x0A)
                }
                raw("</code></pre>")
                cr()
            case .table:
                renderTable(block)
            }
        }

        private mutating func renderHeading(_ block: Block) {
            let level = min(6, max(1, block.level + headingOffset))
            var parser = InlineParser(block.text)
            parser.parse()
            let text = String(decoding: parser.plainText(0..<parser.tokens.count), as: UTF8.self)
            let id = idPrefix + uniqueSlug(for: text)
            headings.append(OldMarkdownHeading(level: level, text: text, id: id))
            cr()
            raw("<h\(level) id=\"")
            escaped(id.utf8)
            raw("\">")
            emit(parser)
            raw("</h\(level)>")
            cr()
        }

        /// A GitHub-style slug: lowercase letters, digits and marks (any script) joined by hyphens.
        static func slug(_ text: String) -> String {
            var result = String.UnicodeScalarView()
            var pendingHyphen = false
            for scalar in text.lowercased().unicodeScalars {
                switch scalar.properties.generalCategory {
                case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                    .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
                    if pendingHyphen && !result.isEmpty { result.append("-") }
                    pendingHyphen = false
                    result.append(scalar)
                case .spaceSeparator, .dashPunctuation, .connectorPunctuation:
                    pendingHyphen = true
                default:
                    break  // other punctuation and symbols are dropped, as GitHub does
                }
            }
            return result.isEmpty ? "section" : String(result)
        }

        private mutating func uniqueSlug(for text: String) -> String {
            let base = Self.slug(text)
            // Remembering the next free suffix per slug keeps many equal headings linear.
            var suffix = nextSuffix[base] ?? 1
            var candidate = suffix == 1 ? base : "\(base)-\(suffix)"
            while usedIDs.contains(candidate) {
                suffix += 1
                candidate = "\(base)-\(suffix)"
            }
            nextSuffix[base] = suffix + 1
            usedIDs.insert(candidate)
            return candidate
        }

        private mutating func renderTable(_ block: Block) {
            cr()
            raw("<table>\n<thead>\n<tr>\n")
            for (index, cell) in block.headerCells.enumerated() {
                renderCell(cell, tag: "th", alignment: block.alignments[index])
            }
            raw("</tr>\n</thead>\n")
            if !block.rows.isEmpty {
                raw("<tbody>\n")
                for row in block.rows {
                    raw("<tr>\n")
                    // Rows take the header's shape: extra cells are dropped, missing ones are empty.
                    for (index, alignment) in block.alignments.enumerated() {
                        renderCell(index < row.count ? row[index] : [], tag: "td", alignment: alignment)
                    }
                    raw("</tr>\n")
                }
                raw("</tbody>\n")
            }
            raw("</table>\n")
        }

        private mutating func renderCell(_ cell: [UInt8], tag: String, alignment: Block.Alignment) {
            switch alignment {
            case .none: raw("<\(tag)>")
            case .left: raw("<\(tag) style=\"text-align:left\">")
            case .center: raw("<\(tag) style=\"text-align:center\">")
            case .right: raw("<\(tag) style=\"text-align:right\">")
            }
            renderInline(cell)
            raw("</\(tag)>\n")
        }

        // MARK: Inlines

        private mutating func renderInline(_ text: [UInt8]) {
            var parser = InlineParser(text)
            parser.parse()
            emit(parser)
        }

        private mutating func emit(_ parser: InlineParser) {
            let src = parser.src
            for token in parser.tokens {
                switch token.kind {
                case .text, .bracket:
                    escapedRange(src, token.start..<token.end)
                case .code:
                    raw("<code>")
                    for i in token.start..<token.end { escapeByte(src[i] == 0x0A ? 0x20 : src[i]) }
                    raw("</code>")
                case .softBreak:
                    out.append(0x0A)
                case .hardBreak:
                    raw("<br>\n")
                case .delimiter:
                    for tag in token.closeTags { raw(Self.closing(tag)) }
                    out.append(contentsOf: repeatElement(token.char, count: token.count))
                    for tag in token.openTags.reversed() { raw(Self.opening(tag)) }
                case .link:
                    let link = parser.links[token.link]
                    // A refused link keeps its text but loses the anchor.
                    guard link.kind != .refused else { continue }
                    linkTargets.append(String(decoding: link.destination, as: UTF8.self))
                    openAnchor(link)
                case .linkEnd:
                    if parser.links[token.link].kind != .refused { raw("</a>") }
                case .image:
                    let link = parser.links[token.link]
                    guard link.kind != .refused else { continue }
                    let source = String(decoding: link.destination, as: UTF8.self)
                    imageSources.append(source)
                    raw("<img src=\"")
                    if let imageSource { escaped(Array(imageSource(source).utf8)) } else { urlAttribute(link.destination) }
                    raw("\" alt=\"")
                    escaped(link.alt)
                    raw("\"")
                    if let title = link.title {
                        raw(" title=\"")
                        escaped(title)
                        raw("\"")
                    }
                    raw(" loading=\"lazy\">")
                case .autolink:
                    let link = parser.links[token.link]
                    guard link.kind != .refused else {
                        // Shown exactly as written, angle brackets included.
                        raw("&lt;")
                        escapedRange(src, token.start..<token.end)
                        raw("&gt;")
                        continue
                    }
                    linkTargets.append(String(decoding: link.destination, as: UTF8.self))
                    openAnchor(link)
                    escapedRange(src, token.start..<token.end)
                    raw("</a>")
                }
            }
        }

        private mutating func openAnchor(_ link: InlineParser.Link) {
            raw("<a href=\"")
            urlAttribute(link.destination)
            raw("\"")
            if let title = link.title {
                raw(" title=\"")
                escaped(title)
                raw("\"")
            }
            if link.kind == .external {
                // Pages run inside the LMS: external pages must not get a handle on it.
                raw(" rel=\"noopener noreferrer\" target=\"_blank\"")
            }
            raw(">")
        }

        /// Writes a URL attribute value: exactly the URL as listed in `imageSources` /
        /// `linkTargets`, HTML-escaped and nothing else (no percent-encoding), so that callers can
        /// find `src="\(escaped source)"` in the output and rewrite it to a packaged path.
        /// Browsers percent-encode spaces and non-ASCII characters themselves.
        private mutating func urlAttribute(_ url: [UInt8]) {
            escaped(url)
        }

        private static func opening(_ tag: InlineParser.Tag) -> String {
            switch tag {
            case .em: return "<em>"
            case .strong: return "<strong>"
            case .del: return "<del>"
            }
        }

        private static func closing(_ tag: InlineParser.Tag) -> String {
            switch tag {
            case .em: return "</em>"
            case .strong: return "</strong>"
            case .del: return "</del>"
            }
        }
    }
}
