import Foundation
import Yams

/// The result of loading a curriculum: the model (when the sources were usable enough to
/// build one) and every diagnostic found along the way.
public struct LoadResult: Sendable {
    public var curriculum: Curriculum?
    public var diagnostics: Diagnostics
    /// The load cache for the next load, when loading used a cache folder and what the cache
    /// holds changed; nil otherwise (the one in place still stands). Whoever publishes the
    /// exports writes it (`ladder build`: into its staging folder).
    package var loadCache: LoadCache?
    /// How many pages came from the load cache instead of being parsed.
    package var pagesFromCache = 0
}

/// Loading: YAML and Markdown sources under `curricula/<id>/` → `Curriculum`, with every
/// problem reported as a diagnostic naming the file, line and column.
///
/// Steps: read `curriculum.yaml`; read each level file it names; read the pages, question
/// banks and checklists the levels reference; read `frameworks.yaml`; then check the
/// references between them (skills, levels, `after`, files used twice, cycles).
public struct CurriculumLoader {
    /// The folder as the user named it: diagnostics show paths under it.
    let displayRoot: String
    let root: URL
    /// `root.path` (`FileReader.rootPath`).
    let rootPath: String
    var diags = Diagnostics()
    /// Level ids as listed in curriculum.yaml (some may have failed to load).
    var listedLevels: [String] = []
    /// Listed level files that did not load (missing, unreadable, not UTF-8, not YAML), each
    /// with the responsibility ids its text appears to define, or nil when there is no text to
    /// look at. The file's own error is the root cause: references to those ids are not
    /// reported again as unknown.
    var unloadedLevels: [(id: String, responsibilities: Set<String>?)] = []
    /// Size limits: the defaults, or what curriculum.yaml's `limits` sets (within the ceiling).
    var limits = LoaderLimits()
    /// The curriculum folder with every symbolic link resolved: no source may lead out of it.
    var realRoot: RealRoot?
    /// Threads that read files ahead of the loader (1: each file read where it is needed).
    var jobs = 1
    /// Files read ahead, on `jobs` threads (FileLoading.swift).
    var prefetched = PrefetchedFiles()

    public init(folder: String) {
        let trimmed = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        displayRoot = trimmed
        root = URL(fileURLWithPath: trimmed, isDirectory: true)
        rootPath = root.path
    }

    /// Loads the curriculum. Never throws: unreadable input is a diagnostic. Files are read on
    /// `jobs` threads (default: every core); the result does not depend on how many.
    ///
    /// With `cacheFolder` (an exports folder), pages whose files did not change since the last
    /// load with the same folder are taken from `<cacheFolder>/<curriculum>/load-cache.json`
    /// instead of parsed again, and the result carries the cache brought up to date
    /// (`LoadResult.loadCache`, not written here); `readsCache: false` (`--clean`) parses every
    /// page and gives a fresh cache.
    public static func load(
        folder: String, jobs: Int = ProcessInfo.processInfo.activeProcessorCount, cacheFolder: URL? = nil, readsCache: Bool = true
    ) -> LoadResult {
        var loader = CurriculumLoader(folder: folder)
        loader.jobs = jobs
        loader.prefetched.cacheFolder = cacheFolder
        loader.prefetched.readsCache = readsCache
        let curriculum = loader.run()
        // The node trees and file texts the reading threads made and the loader dropped are
        // free in their threads' arenas: given back, the rest of the command does not run on
        // top of them (about 2 MiB of a one-page rebuild's peak).
        if jobs > 1 { FreeMemory.release() }
        return LoadResult(
            curriculum: loader.diags.hasErrors ? nil : curriculum, diagnostics: loader.diags, loadCache: loader.nextLoadCache(),
            pagesFromCache: loader.prefetched.pagesFromCache)
    }

    /// The curriculum's id as `curriculum.yaml` gives it, in a `Curriculum` with nothing else
    /// loaded (no levels, no theme) and nothing checked: for `ladder build`'s no-op check,
    /// which must know where the last build of this curriculum went before deciding whether to
    /// load it at all. Nil when the file does not read as YAML or names no usable id.
    package static func outline(folder: String) -> Curriculum? {
        let loader = CurriculumLoader(folder: folder)
        var diags = Diagnostics()
        guard let doc = YAMLDocument.read(url: loader.url("curriculum.yaml"), displayPath: "curriculum.yaml", into: &diags),
            let id = doc.root?[field: "id"]?.text, Shape.isIdentifier(id)
        else { return nil }
        return Curriculum(
            id: id, title: "", summary: "", track: .professional, language: "en", occupationCodes: [], scopeNotes: [], scale: [],
            skills: [], levels: [], frameworks: [], theme: Theme(), root: loader.root)
    }

    func display(_ relative: String) -> String { displayRoot == "." ? relative : "\(displayRoot)/\(relative)" }

    func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    // MARK: Steps

    mutating func run() -> Curriculum? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            diags.error(SourceLocation(file: displayRoot), "no such curriculum folder")
            return nil
        }
        realRoot = RealRoot(root.path)
        guard let top = readChecked("curriculum.yaml", kind: .curriculum) else { return nil }
        let file = display("curriculum.yaml")
        readLimits(top[field: "limits"])
        var c = Curriculum(
            id: top[field: "id"]?.text ?? "", title: top[field: "title"]?.text ?? "",
            summary: clean(top[field: "summary"]?.text), track: CareerTrack(rawValue: top[field: "track"]?.text ?? "") ?? .professional,
            language: top[field: "language"]?.text ?? "en",
            occupationCodes: top[field: "occupation_codes"]?.items.compactMap { n in
                guard let s = n[field: "scheme"]?.text, let code = n[field: "code"]?.text else { return nil }
                return OccupationCode(scheme: s, code: code, title: n[field: "title"]?.text)
            } ?? [],
            scopeNotes: top[field: "scope_notes"]?.items.compactMap(\.text).map(clean) ?? [],
            scale: top[field: "scale"]?.items.compactMap { n in
                guard let id = n[field: "id"]?.text, let name = n[field: "name"]?.text else { return nil }
                return ProficiencyStep(id: id, name: name, description: n[field: "description"]?.text.map(clean))
            } ?? [],
            skills: top[field: "skills"]?.items.compactMap { n in
                guard let id = n[field: "id"]?.text, let name = n[field: "name"]?.text else { return nil }
                return Skill(id: id, name: name, description: n[field: "description"]?.text.map(clean))
            } ?? [],
            levels: [], frameworks: [], theme: Theme(), root: root)
        if let g = top[field: "gating"]?.text.flatMap(Gating.init(rawValue:)) { c.gating = g }
        if let n = top[field: "language"], let tag = n.text, PageLanguage(tag: tag) == nil {
            let what = PageLanguage.isWellFormed(tag) ? "is not a language Ladder writes pages in" : "is not a BCP 47 language tag"
            diags.error(
                n.location(in: file),
                "language '\(tag)' \(what); supported: \(PageLanguage.list) (a regional tag such as es-MX uses its language's text)")
        }

        if let folderName = root.standardizedFileURL.pathComponents.last, folderName != c.id, !c.id.isEmpty,
            let n = top[field: "id"]
        {
            diags.warning(n.location(in: file), "curriculum id '\(c.id)' differs from its folder name '\(folderName)'")
        }
        duplicates(top[field: "scale"]?.items ?? [], key: "id", what: "proficiency step", file: file)
        duplicates(top[field: "skills"]?.items ?? [], key: "id", what: "skill", file: file)

        if let t = top[field: "theme"] {
            c.theme = Theme(stylesheet: t[field: "stylesheet"]?.text, logo: t[field: "logo"]?.text, accent: t[field: "accent"]?.text)
            for key in ["stylesheet", "logo"] {
                if let n = t[field: key], let p = n.text, RelativePath.problem(p) == nil {
                    if !exists(p) {
                        diags.error(n.location(in: file), "theme \(key) '\(p)' does not exist")
                    } else {
                        _ = staysInside(p, at: n.location(in: file))
                    }
                }
            }
            if let n = t[field: "accent"], let a = n.text, !Self.isSafeCSSColor(a) {
                diags.error(n.location(in: file), "theme accent '\(a)' is not a CSS colour (use #rgb, #rrggbb or a colour name)")
            }
        }

        // Levels, in the order listed.
        let levelNodes = top[field: "levels"]?.items ?? []
        prefetch(levels: levelNodes, curriculum: c.id)
        var seenLevels = Set<String>()
        for (index, node) in levelNodes.enumerated() {
            guard let id = node.text, Shape.isIdentifier(id) else { continue }
            listedLevels.append(id)
            guard seenLevels.insert(id).inserted else {
                diags.error(node.location(in: file), "level '\(id)' is listed twice")
                continue
            }
            prefetchTraining(level: id)
            if let level = loadLevel(id: id, listedAt: index, listNode: node, curriculum: c) { c.levels.append(level) }
        }
        c.frameworks = loadFrameworks(curriculum: c)
        crossCheck(&c)
        return c
    }

    static func isSafeCSSColor(_ s: String) -> Bool {
        let hex = s.hasPrefix("#") && [4, 5, 7, 9].contains(s.count) && s.dropFirst().allSatisfy(\.isHexDigit)
        let name = !s.isEmpty && s.count < 30 && s.allSatisfy { $0.isLetter && $0.isASCII }
        return hex || name
    }

    /// Reads a YAML file and checks it against its kind's shape. Returns the root node if the
    /// file could be parsed (even when it has shape errors, so later checks still run).
    mutating func readChecked(_ relative: String, kind: FileKind, referencedFrom: SourceLocation? = nil) -> Node? {
        let path = display(relative)
        guard exists(relative) else {
            if let at = referencedFrom {
                diags.error(at, "'\(relative)' does not exist\(nearMiss(relative))")
            } else {
                diags.error(SourceLocation(file: path), "missing file: a curriculum needs \(relative)")
            }
            return nil
        }
        guard staysInside(relative, at: referencedFrom ?? SourceLocation(file: path)) else { return nil }
        let loaded = loadYAML(relative, kind: kind)
        diags.append(contentsOf: loaded.diagnostics)
        return loaded.root
    }

    /// True when the file stays inside the curriculum folder once symbolic links are resolved
    /// (a link inside that points inside is fine); otherwise an error at `at`, the place that
    /// refers to the file, and false. Checked at load, so check, plan and build all refuse.
    mutating func staysInside(_ relative: String, at: SourceLocation) -> Bool {
        guard let realRoot, let problem = SourceFile.escapeProblem(path(relative), relative: relative, realRoot: realRoot) else {
            return true
        }
        diags.error(at, problem)
        return false
    }

    /// Reads `limits:` from curriculum.yaml: sizes in KiB, each at most the ceiling (the shape
    /// check reports values outside it).
    mutating func readLimits(_ node: Node?) {
        func kib(_ key: String) -> Int? {
            guard let v = node?[field: key]?.text.flatMap({ Int($0) }), v >= 1, v <= LoaderLimits.ceilingKiB else { return nil }
            return v * 1024
        }
        if let v = kib("yaml_file_kib") { limits.yamlFileBytes = v }
        if let v = kib("markdown_file_kib") { limits.markdownFileBytes = v }
    }

    func exists(_ relative: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path(relative), isDirectory: &isDir) && !isDir.boolValue
    }

    mutating func duplicates(_ nodes: [Node], key: String, what: String, file: String) {
        var seen: [String: SourceLocation] = [:]
        for n in nodes {
            guard let idNode = n[field: key], let id = idNode.text else { continue }
            let here = idNode.location(in: file)
            if let first = seen[id] {
                diags.error(here, "duplicate \(what) id '\(id)' (first defined at line \(first.line))")
            } else {
                seen[id] = here
            }
        }
    }

    func ordinal(_ n: Int) -> String {
        let suffix = (11...13).contains(n % 100) ? "th" : ["th", "st", "nd", "rd", "th", "th", "th", "th", "th", "th"][n % 10]
        return "\(n)\(suffix)"
    }

    /// Folded YAML text keeps a trailing newline; titles and statements should not.
    func clean(_ s: String?) -> String { TextScan.trimmed(s ?? "") }
}
