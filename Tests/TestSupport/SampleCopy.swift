import Foundation
import LadderCore
import LadderRendering
import LadderPackaging
import LadderProgress
import Testing

/// Helpers shared by every test target: where the repository is, a private copy of the
/// sample curriculum per test, and precise edits that fail the test when they would
/// silently do nothing.
public enum TestSupport {
    /// The repository root, found from this file's path (Tests/TestSupport/…), so tests never
    /// depend on the working directory or on bundle resources.
    public static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// The sample curriculum in the repository (read it, never write it).
    public static let sample: URL = repoRoot.appendingPathComponent("curricula/customer-service", isDirectory: true)

    /// The LadderKit tests' fixtures (curricula, cohorts, LMS exports), shared with the CLI tests.
    public static let fixtures: URL = repoRoot.appendingPathComponent("Tests/LadderKitTests/Fixtures", isDirectory: true)

    /// The SCORM schemas: `$LADDER_SCHEMAS`, else ../shared/conformance/schemas beside the
    /// repository when it holds scorm12.xsd, else nil (tests that need them are skipped).
    public static let schemas: URL? = {
        if let env = ProcessInfo.processInfo.environment["LADDER_SCHEMAS"], !env.isEmpty { return URL(fileURLWithPath: env) }
        let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance/schemas")
        return FileManager.default.fileExists(atPath: shared.appendingPathComponent("scorm12.xsd").path) ? shared : nil
    }()

    /// Copies curricula/customer-service into a folder named `customer-service` inside a new
    /// temporary folder (so the "id matches the folder name" check still passes).
    public static func copySample() throws -> URL {
        let copy = try temporaryFolder("ladder-tests").appendingPathComponent("customer-service", isDirectory: true)
        try FileManager.default.copyItem(at: sample, to: copy)
        return copy
    }

    /// A new, empty folder in the temporary directory, named `<prefix>-<UUID>`; remove it
    /// with `FileManager.default.removeItem(at:)` in a `defer`.
    public static func temporaryFolder(_ prefix: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// Copies curricula/customer-service into a fresh folder named `customer-service` inside a
/// unique temporary directory (so the "id matches the folder name" check still passes).
/// Remove it with `removeCopy(_:)`.
public func copySample() throws -> URL { try TestSupport.copySample() }

/// Deletes a copy made by `copySample()` together with its unique parent folder.
public func removeCopy(_ root: URL) {
    try? FileManager.default.removeItem(at: root.deletingLastPathComponent())
}

/// Reads a file of a curriculum copy as UTF-8 text.
public func read(_ root: URL, _ relative: String) throws -> String {
    try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
}

/// Writes (or overwrites) a text file inside a curriculum copy.
public func write(_ root: URL, _ relative: String, _ text: String) throws {
    try write(root, relative, bytes: Data(text.utf8))
}

/// Writes raw bytes (for encoding tests) inside a curriculum copy.
public func write(_ root: URL, _ relative: String, bytes: Data) throws {
    let url = root.appendingPathComponent(relative)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try bytes.write(to: url)
}

/// Where an edit landed in the edited file.
public struct EditPlace: Equatable, Sendable {
    /// 1-based line of the first character of the replacement text.
    public var line: Int
    /// 1-based column (in Unicode scalars, as libyaml counts) of that character.
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// Replaces `replace` with `with` in one file of a curriculum copy.
///
/// Without `after`, the text must occur exactly once in the file (so the edit and the line it
/// lands on are unambiguous). With `after`, each anchor is searched for in turn, each one after
/// the previous, and the first `replace` after the last anchor is edited. If any of that text is
/// missing the test fails and nothing is written: a fixture edit never silently does nothing.
@discardableResult
public func edit(
    _ root: URL, _ relative: String, after anchors: [String] = [], replace: String, with replacement: String,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> EditPlace? {
    guard let text = try? read(root, relative) else {
        Issue.record("cannot read \(relative) in the sample copy", sourceLocation: sourceLocation)
        return nil
    }
    guard !replace.isEmpty else {
        Issue.record("edit of \(relative): the text to replace is empty", sourceLocation: sourceLocation)
        return nil
    }
    var searchStart = text.startIndex
    for anchor in anchors {
        guard let r = text.range(of: anchor, range: searchStart..<text.endIndex) else {
            Issue.record("edit of \(relative): anchor \(anchor.debugDescription) not found", sourceLocation: sourceLocation)
            return nil
        }
        searchStart = r.upperBound
    }
    guard let target = text.range(of: replace, range: searchStart..<text.endIndex) else {
        Issue.record("edit of \(relative): text \(replace.debugDescription) not found", sourceLocation: sourceLocation)
        return nil
    }
    if anchors.isEmpty, text.range(of: replace, range: target.upperBound..<text.endIndex) != nil {
        Issue.record(
            "edit of \(relative): text \(replace.debugDescription) occurs more than once; add an anchor",
            sourceLocation: sourceLocation)
        return nil
    }
    let place = position(of: target.lowerBound, in: text)
    var edited = text
    edited.replaceSubrange(target, with: replacement)
    do {
        try write(root, relative, edited)
    } catch {
        Issue.record("cannot write \(relative): \(error)", sourceLocation: sourceLocation)
        return nil
    }
    return place
}

/// The 1-based line and column of an index in a text.
public func position(of index: String.Index, in text: String) -> EditPlace {
    let before = text[..<index]
    let line = before.filter { $0 == "\n" }.count + 1
    let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
    return EditPlace(line: line, column: text.unicodeScalars[lineStart..<index].count + 1)
}

/// The position of `needle` in a file of a curriculum copy (after the anchors, as in `edit`);
/// fails the test if it is missing.
public func place(
    of needle: String, in root: URL, _ relative: String, after anchors: [String] = [],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> EditPlace? {
    guard let text = try? read(root, relative) else {
        Issue.record("cannot read \(relative)", sourceLocation: sourceLocation)
        return nil
    }
    var searchStart = text.startIndex
    for anchor in anchors {
        guard let r = text.range(of: anchor, range: searchStart..<text.endIndex) else {
            Issue.record("\(relative): anchor \(anchor.debugDescription) not found", sourceLocation: sourceLocation)
            return nil
        }
        searchStart = r.upperBound
    }
    guard let r = text.range(of: needle, range: searchStart..<text.endIndex) else {
        Issue.record("\(relative): \(needle.debugDescription) not found", sourceLocation: sourceLocation)
        return nil
    }
    return position(of: r.lowerBound, in: text)
}

/// The exact text of a YAML block: the first line (after the anchors) that starts with `key`
/// (indentation included), plus the more-indented or blank lines that continue it (a folded
/// scalar, a nested mapping). Ends with a newline. Fails the test if the key line is missing.
public func yamlBlock(
    _ root: URL, _ relative: String, after anchors: [String] = [], key: String,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> String? {
    guard let text = try? read(root, relative) else {
        Issue.record("cannot read \(relative)", sourceLocation: sourceLocation)
        return nil
    }
    var searchStart = text.startIndex
    for anchor in anchors {
        guard let r = text.range(of: anchor, range: searchStart..<text.endIndex) else {
            Issue.record("\(relative): anchor \(anchor.debugDescription) not found", sourceLocation: sourceLocation)
            return nil
        }
        searchStart = r.upperBound
    }
    let lines = text[searchStart...].split(separator: "\n", omittingEmptySubsequences: false)
    // When an anchor ends mid-line, the rest of that line is not a candidate.
    let atLineStart = searchStart == text.startIndex || text[text.index(before: searchStart)] == "\n"
    guard let start = lines.dropFirst(atLineStart ? 0 : 1).firstIndex(where: { $0.hasPrefix(key) }) else {
        Issue.record("\(relative): no line starting with \(key.debugDescription)", sourceLocation: sourceLocation)
        return nil
    }
    let indent = key.prefix { $0 == " " }.count
    var block = [lines[start]]
    var i = start + 1
    while i < lines.endIndex {
        let line = lines[i]
        let lineIndent = line.prefix { $0 == " " }.count
        let blank = line.allSatisfy { $0 == " " }
        guard (blank && i + 1 < lines.endIndex) || lineIndent > indent else { break }
        block.append(line)
        i += 1
    }
    // Trailing blank lines belong to whatever follows.
    while let last = block.last, block.count > 1, last.allSatisfy({ $0 == " " }) { block.removeLast() }
    return block.joined(separator: "\n") + "\n"
}

/// Loads a curriculum folder (a copy made by `copySample()` or the sample itself).
public func load(_ root: URL) -> LoadResult {
    CurriculumLoader.load(folder: root.path)
}

/// The diagnostic that matches, or nil after recording an issue that lists every diagnostic
/// that did come back (so a failure explains itself).
@discardableResult
public func expectDiagnostic(
    _ result: LoadResult, _ severity: Diagnostic.Severity = .error, in root: URL, _ relative: String,
    line: Int, column: Int? = nil, contains text: String,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Diagnostic? {
    let file = "\(root.path)/\(relative)"
    let found = result.diagnostics.all.first { d in
        d.severity == severity && d.file == file && d.message.contains(text)
            && d.line == line && (column.map { d.column == $0 } ?? true)
    }
    if found == nil {
        let all = result.diagnostics.sorted.map { "  " + $0.description }.joined(separator: "\n")
        Issue.record(
            """
            expected \(severity.rawValue) in \(relative) at line \(line), \
            column \(column.map(String.init) ?? "?") containing \(text.debugDescription); got:
            \(all.isEmpty ? "  (no diagnostics)" : all)
            """, sourceLocation: sourceLocation)
    }
    return found
}
