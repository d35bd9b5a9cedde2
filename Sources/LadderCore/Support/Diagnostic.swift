/// A problem found in a curriculum's sources, reported compiler style
/// (`path:line:column: error: message`). Content problems are collected, never thrown
/// one at a time, so an author sees every mistake in one run.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var severity: Severity
    /// The file as the user named it (the curriculum folder joined with the file's relative path).
    public var file: String
    /// 1-based; 0 when the problem concerns the whole file.
    public var line: Int
    public var column: Int
    public var message: String

    public init(_ severity: Severity, _ file: String, line: Int = 0, column: Int = 0, _ message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        let place = line > 0 ? "\(file):\(line):\(max(column, 1))" : file
        return "\(place): \(severity.rawValue): \(message)"
    }
}

/// Collects diagnostics from every loading step.
public struct Diagnostics: Sendable {
    public private(set) var all: [Diagnostic] = []

    public init() {}

    public mutating func error(_ at: SourceLocation, _ message: String) {
        all.append(Diagnostic(.error, at.file, line: at.line, column: at.column, message))
    }

    public mutating func warning(_ at: SourceLocation, _ message: String) {
        all.append(Diagnostic(.warning, at.file, line: at.line, column: at.column, message))
    }

    public mutating func append(contentsOf other: [Diagnostic]) { all.append(contentsOf: other) }

    public var hasErrors: Bool { all.contains { $0.severity == .error } }
    public var errorCount: Int { all.filter { $0.severity == .error }.count }
    public var warningCount: Int { all.filter { $0.severity == .warning }.count }

    /// Sorted by file, then position, so output does not depend on loading order.
    public var sorted: [Diagnostic] {
        all.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if x.file != y.file { return x.file < y.file }
            if x.line != y.line { return x.line < y.line }
            if x.column != y.column { return x.column < y.column }
            return a.offset < b.offset
        }.map(\.element)
    }
}

/// A place in a source file.
public struct SourceLocation: Sendable, Equatable, Hashable {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }
}

/// Suggests the closest known name for a misspelled one ("did you mean 'empathy'?").
package enum Suggest {
    /// The candidate fewest edits away, within `maxDistance` (by default a third of the word,
    /// at least 2); nil when none is that close or `word` is itself a candidate.
    package static func closest(to word: String, in candidates: some Sequence<String>, maxDistance: Int? = nil) -> String? {
        let w = Array(word.lowercased())
        let limit = maxDistance ?? max(2, w.count / 3)
        var best: (String, Int)?
        for c in candidates {
            let d = distance(w, Array(c.lowercased()))
            if d <= limit, d < (best?.1 ?? .max) { best = (c, d) }
        }
        return best?.0
    }

    package static func hint(_ word: String, _ candidates: some Sequence<String>, maxDistance: Int? = nil) -> String {
        closest(to: word, in: candidates, maxDistance: maxDistance).map { " (did you mean '\($0)'?)" } ?? ""
    }

    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = prev
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
