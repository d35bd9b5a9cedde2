import Foundation

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// The curriculum loader under fuzzing. The first byte picks one source file of a small real
/// curriculum (the warehouse-associate test fixture; the low 7 bits, modulo the number of
/// files); the rest of the input is that file's new text. The text goes through the loader's
/// in-memory stages (YAML parse with repeated-key reporting, shape check against the file's
/// kind; for a page, front matter and Markdown). When the first byte's high bit is set, the
/// whole curriculum, with that file replaced on disk, then goes through `CurriculumLoader.load`
/// and, when it loads, the planner: that reaches the cross-file checks, but reads some 40 files,
/// so only those inputs pay for it.
public final class CurriculumHarness {
    let folder: URL
    /// Relative paths of the fixture's source files, sorted, so a corpus entry always means
    /// the same file.
    public let files: [String]
    var originals: [String: Data] = [:]

    public init() {
        let fixture = Fuzz.repoRoot.appendingPathComponent("Tests/LadderKitTests/Fixtures/warehouse-associate")
        folder = Fuzz.scratch.appendingPathComponent("warehouse-associate")
        try? FileManager.default.removeItem(at: folder)
        try! FileManager.default.copyItem(at: fixture, to: folder)
        let walker = FileManager.default.enumerator(atPath: folder.path)!
        var found: [String] = []
        while let p = walker.nextObject() as? String {
            if p.hasSuffix(".yaml") || p.hasSuffix(".md") { found.append(p) }
        }
        files = found.sorted()
        for f in files { originals[f] = try! Data(contentsOf: folder.appendingPathComponent(f)) }
    }

    /// The kind a file's YAML is checked as, from its place in the folder.
    static func kind(of relative: String) -> FileKind? {
        if relative == "curriculum.yaml" { return .curriculum }
        if relative == "frameworks.yaml" { return .frameworks }
        if relative.hasPrefix("levels/") { return .level }
        if relative.hasPrefix("assessments/") { return .assessment }
        if relative.hasPrefix("shadowing/") { return .shadowing }
        return nil
    }

    /// Returns 0, libFuzzer's "keep going".
    @discardableResult public func run(_ bytes: [UInt8]) -> CInt {
        guard let selector = bytes.first else { return 0 }
        let relative = files[Int(selector & 0x7F) % files.count]
        let body = bytes.dropFirst()
        inMemory(Fuzz.text(body), relative: relative)
        guard selector & 0x80 != 0 else { return 0 }

        let url = folder.appendingPathComponent(relative)
        Fuzz.write(body, to: url)
        defer { Fuzz.write(originals[relative]!, to: url) }
        let result = CurriculumLoader.load(folder: folder.path)
        for d in result.diagnostics.sorted {
            Fuzz.require(!d.message.isEmpty, "an empty diagnostic at \(d.file):\(d.line)")
        }
        if let c = result.curriculum { _ = Planner.plan(c) }
        return 0
    }

    func inMemory(_ text: String, relative: String) {
        var diags = Diagnostics()
        if let kind = Self.kind(of: relative) {
            guard let root = YAMLDocument.parse(text: text, displayPath: relative, lineOffset: 0, into: &diags) else { return }
            var checker = ShapeChecker(file: relative, diags: diags)
            checker.check(root, kind.shape, at: "")
        } else {
            let parts = FrontMatter.split(text)
            if let yaml = parts.yaml,
                let node = YAMLDocument.parse(text: yaml, displayPath: relative, lineOffset: 1, into: &diags)
            {
                var checker = ShapeChecker(file: relative, lineOffset: 1, diags: diags)
                checker.check(node, .object(FileKind.pageFrontMatterShape), at: "")
            }
            _ = Markdown.render(parts.body)
        }
    }
}
