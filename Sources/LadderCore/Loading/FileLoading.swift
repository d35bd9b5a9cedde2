import Foundation
import Yams

/// The part of loading that concerns one file alone: reading a YAML file and checking its
/// shape, reading a Markdown page (front matter, reading time, images beside it). What it
/// gives depends only on the file, the folder and the limits, never on other files, so files
/// can be read on several threads (`CurriculumLoader.prefetch`) and what they give taken up
/// in the loader's own order: the same diagnostics, in the same order, and the same model as
/// reading them one by one.
struct FileReader: Sendable {
    let displayRoot: String
    let root: URL
    /// `root.path`, worked out once: URL's `path` takes the URL apart again on every call.
    let rootPath: String
    let realRoot: RealRoot?
    let limits: LoaderLimits

    func display(_ relative: String) -> String { displayRoot == "." ? relative : "\(displayRoot)/\(relative)" }

    func path(_ relative: String) -> String { FileReader.path(relative, in: root, rootPath: rootPath) }

    /// `root.appendingPathComponent(relative).path`, joined as text when that is the same
    /// (no empty, `.` or trailing segment for URL to tidy): URL's join was 6 % of loading.
    /// `rootPath`: `root.path`, when the caller has it.
    static func path(_ relative: String, in root: URL, rootPath: String? = nil) -> String {
        let base = rootPath ?? root.path
        return isPlain(relative) && base != "/" ? base + "/" + relative : root.appendingPathComponent(relative).path
    }

    /// Whether `relative` has no empty segment (no leading or trailing `/`, no `//`), no `.`
    /// segment before a `/`, and is not `.` itself: then URL joins it to a folder as text
    /// would. One pass over the bytes: Foundation's `contains` for `//` and `/./` and the URL's
    /// `path` were most of the time the build keys took to look up 15,200 packages' sources.
    static func isPlain(_ relative: String) -> Bool {
        var length = 0
        var isDot = false
        var slashes = 0
        for b in relative.utf8 {
            if b == UInt8(ascii: "/") {
                if length == 0 || (length == 1 && isDot) { return false }
                slashes += 1
                length = 0
            } else {
                if length == 0 { isDot = b == UInt8(ascii: ".") }
                length += 1
            }
        }
        return length > 0 && !(slashes == 0 && length == 1 && isDot)
    }

    func exists(_ relative: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path(relative), isDirectory: &isDir) && !isDir.boolValue
    }

    /// As `CurriculumLoader.staysInside`.
    func staysInside(_ relative: String, at: SourceLocation, into diags: inout Diagnostics) -> Bool {
        guard let realRoot, let problem = SourceFile.escapeProblem(path(relative), relative: relative, realRoot: realRoot) else {
            return true
        }
        diags.error(at, problem)
        return false
    }

    /// Whether the loader reads the file at all once it is referenced: it exists and stays
    /// inside the folder (the loader reports otherwise, at the place that refers to it).
    func isReadable(_ relative: String) -> Bool {
        guard RelativePath.problem(relative) == nil, exists(relative) else { return false }
        guard let realRoot else { return true }
        return SourceFile.escapeProblem(path(relative), relative: relative, realRoot: realRoot) == nil
    }

    /// A YAML file read, parsed and checked against its kind's shape: the root when the file
    /// could be parsed (even with shape errors, so later checks still run).
    func yaml(_ relative: String, kind: FileKind) -> LoadedYAML {
        let path = display(relative)
        var diags = Diagnostics()
        guard let doc = YAMLDocument.read(path: self.path(relative), displayPath: path, limits: limits, into: &diags) else {
            return LoadedYAML(diagnostics: diags.all, root: nil)
        }
        guard let root = doc.root else {
            diags.error(SourceLocation(file: path, line: 1, column: 1), "the file is empty")
            return LoadedYAML(diagnostics: diags.all, root: nil)
        }
        var checker = ShapeChecker(file: path, diags: diags)
        checker.check(root, kind.shape, at: "")
        return LoadedYAML(diagnostics: checker.diags.all, root: root)
    }

    /// A Markdown page that exists and stays inside the folder; from `cache` when its entry
    /// still stands for the file (LoadCache), with a fresh entry otherwise.
    func page(_ relative: String, cache: LoadCache? = nil) -> LoadedPage {
        let readAt = LoadCache.now()
        let stamp = LoadCache.Stamp.of(path(relative))
        if let stamp, let entry = cache?.pages[relative], entry.isValid(for: stamp), var loaded = page(relative, from: entry) {
            loaded.fromCache = true
            return loaded
        }
        var diags = Diagnostics()
        let parsed = parse(relative, into: &diags)
        let entry = stamp.map { stamp in
            LoadCache.PageEntry(
                stamp: stamp, readAtNanoseconds: readAt, diagnostics: diags.all.map(LoadCache.CachedDiagnostic.init),
                title: parsed?.page.title, minutes: parsed?.page.minutes ?? 0, images: parsed?.page.images ?? [],
                imageChecks: parsed?.imageChecks ?? [])
        }
        if let parsed { checkImages(relative, parsed.imageChecks, into: &diags) }
        return LoadedPage(diagnostics: diags.all, page: parsed?.page, entry: entry)
    }

    /// The page as its cache entry describes it, its body read again from the file; nil when
    /// the file no longer reads as it did (then it is parsed again).
    private func page(_ relative: String, from entry: LoadCache.PageEntry) -> LoadedPage? {
        var diags = Diagnostics()
        diags.append(contentsOf: entry.diagnostics.map(\.diagnostic))
        var page: Page?
        if let title = entry.title {
            var scratch = Diagnostics()
            guard
                let data = SourceFile.read(
                    path: path(relative), limit: limits.markdownFileBytes, what: "", hint: "", at: SourceLocation(file: ""), into: &scratch),
                data.count == entry.stamp.size, let text = SourceText.decodeUTF8(data, path: "", into: &scratch)
            else { return nil }
            let fm = FrontMatter.split(text)
            guard fm.yaml != nil else { return nil }
            page = Page(path: relative, title: title, minutes: entry.minutes, markdown: fm.body, images: entry.images)
            checkImages(relative, entry.imageChecks, into: &diags)
        }
        return LoadedPage(diagnostics: diags.all, page: page, entry: entry)
    }

    /// Reads and parses a page: everything but the checks of its images' files, which are
    /// returned to be made (`checkImages`).
    private func parse(_ relative: String, into diags: inout Diagnostics) -> (page: Page, imageChecks: [LoadCache.ImageCheck])? {
        let file = display(relative)
        guard
            let data = SourceFile.read(
                path: path(relative), limit: limits.markdownFileBytes, what: "a Markdown page",
                hint: "see 'limits' in docs/curriculum-format.md", at: SourceLocation(file: file), into: &diags),
            let text = SourceText.decodeUTF8(data, path: file, into: &diags),
            ControlCharacters.check(text, file: file, into: &diags),
            ControlCharacters.checkReferences(text, file: file, into: &diags)
        else { return nil }
        let fm = FrontMatter.split(text)
        guard let yaml = fm.yaml else {
            diags.error(SourceLocation(file: file, line: 1, column: 1), "missing front matter: start the page with '---', a 'title:' line and '---'")
            return nil
        }
        guard let node = YAMLDocument.parse(text: yaml, displayPath: file, lineOffset: 1, limits: limits, into: &diags) else { return nil }
        var checker = ShapeChecker(file: file, lineOffset: 1, diags: diags)
        checker.check(node, .object(FileKind.pageFrontMatterShape), at: "")
        diags = checker.diags
        let body = fm.body
        let words = CurriculumLoader.wordCount(body)
        let minutes = node[field: "minutes"]?.text.flatMap { Int($0) } ?? max(1, (words + 179) / 180)
        if TextScan.isBlank(body) {
            diags.warning(SourceLocation(file: file, line: fm.bodyLine), "the page has no content")
        }
        // Images are packaged with the module: each must exist beside the page.
        let imageSources = Markdown.imageSources(body)
        let folder = PagePaths.folder(of: relative)
        var images: [String] = []
        // The file the renderer packages for each (SCORenderer.packagedImage).
        for src in imageSources {
            if let source = PagePaths.imageSource(src, folder: folder), !images.contains(source) { images.append(source) }
        }
        let checks = imageSources.filter { !$0.contains("://") && !$0.hasPrefix("//") }.map { src in
            LoadCache.ImageCheck(source: src, line: fm.bodyLine + CurriculumLoader.lineIndex(of: "(\(src)", in: body))
        }
        let page = Page(path: relative, title: TextScan.trimmed(node[field: "title"]?.text ?? ""), minutes: minutes, markdown: body, images: images)
        return (page, checks)
    }

    /// Each local image a page shows must be a file inside the folder.
    private func checkImages(_ relative: String, _ checks: [LoadCache.ImageCheck], into diags: inout Diagnostics) {
        let file = display(relative)
        let folder = PagePaths.folder(of: relative)
        for check in checks {
            let src = check.source
            // As the packaged file is named (PagePaths.imageSource): a link that is only `#…`
            // or `?…` names no file (splitting without empty parts left nothing, and crashed).
            let path = PagePaths.withoutQueryOrFragment(src)
            let joined = folder.isEmpty ? path : "\(folder)/\(path)"
            let at = SourceLocation(file: file, line: check.line, column: 1)
            if let problem = RelativePath.problem(path) {
                diags.error(at, "image: \(problem)")
            } else if !exists(joined) {
                diags.error(at, "image '\(src)' does not exist")
            } else {
                _ = staysInside(joined, at: at, into: &diags)
            }
        }
    }
}

extension Curriculum {
    /// The path of a file under the curriculum folder, joined as loading joins it
    /// (`FileReader.path`): the build keys look up every source file of 15,200 packages.
    /// `rootPath`: `root.path`, when the caller has it (URL's `path` is not free).
    package func sourcePath(_ relative: String, rootPath: String? = nil) -> String {
        FileReader.path(relative, in: root, rootPath: rootPath)
    }
}

/// A YAML file as `FileReader.yaml` left it. The node tree is built on one thread and handed
/// to the loader whole; nothing else holds it, so it crosses threads once and is never shared.
struct LoadedYAML: @unchecked Sendable {
    var diagnostics: [Diagnostic]
    var root: Node?
}

struct LoadedPage: Sendable {
    var diagnostics: [Diagnostic]
    var page: Page?
    /// What the load cache keeps of it (nil when the file could not be stat'ed).
    var entry: LoadCache.PageEntry?
    /// Whether it came from the load cache.
    var fromCache = false
}

/// Files read ahead of the loader, by relative path, and the load cache read and to write.
struct PrefetchedFiles {
    var yaml: [String: LoadedYAML] = [:]
    var pages: [String: LoadedPage] = [:]
    /// Where the load cache is kept (nil: no cache), and whether to read it (not with --clean).
    var cacheFolder: URL?
    var readsCache = true
    var cacheFile: URL?
    var cache: LoadCache?
    /// Entries of the pages this load took up, for the next load.
    var entries: [String: LoadCache.PageEntry] = [:]
    var pagesFromCache = 0
    /// What each level file names, until the loader takes the level up.
    var training: [String: Training] = [:]
    /// The level ids in the order the loader takes them up, and the next level's pages being
    /// read (`prefetchTraining`).
    var levelOrder: [String] = []
    var pending: [String: Background<TrainingFiles>] = [:]

    struct Training: Sendable {
        var pages: [String] = []
        var yaml: [(path: String, kind: FileKind)] = []
    }
}

/// One level's pages, assessments and shadowing tasks as read ahead of the loader.
struct TrainingFiles: Sendable {
    var pages: [(String, LoadedPage?)]
    var yaml: [(path: String, kind: FileKind, loaded: LoadedYAML?)]

    /// Reads them on `jobs` threads.
    static func read(_ training: PrefetchedFiles.Training, reader: FileReader, cache: LoadCache?, jobs: Int) -> TrainingFiles {
        let pages = CurriculumLoader.parallelMap(CurriculumLoader.unique(training.pages), jobs: jobs) { p in
            reader.isReadable(p) ? reader.page(p, cache: cache) : nil
        }
        var seen = Set<String>()
        let yamlFiles = training.yaml.filter { seen.insert("\($0.kind.rawValue):\($0.path)").inserted }
        let yaml = CurriculumLoader.parallelMap(Array(yamlFiles.indices), jobs: jobs) { i in
            reader.isReadable(yamlFiles[i].path) ? reader.yaml(yamlFiles[i].path, kind: yamlFiles[i].kind) : nil
        }
        return TrainingFiles(pages: pages, yaml: yaml.map { (yamlFiles[$0.0].path, yamlFiles[$0.0].kind, $0.1) })
    }
}

extension CurriculumLoader {
    func path(_ relative: String) -> String { FileReader.path(relative, in: root, rootPath: rootPath) }

    var reader: FileReader { FileReader(displayRoot: displayRoot, root: root, rootPath: rootPath, realRoot: realRoot, limits: limits) }

    /// Reads, on `jobs` threads, the level files listed in curriculum.yaml, and notes the
    /// pages, assessments and shadowing tasks each names (`prefetchTraining` reads the pages
    /// one level ahead of the loader, the rest as the loader comes to the level).
    /// The loader then takes each file's result where it would have read the file, so nothing
    /// about the outcome depends on the threads. Files it would not read (missing, outside
    /// the folder) are left to the loader, which reports them.
    mutating func prefetch(levels: [Node], curriculum id: String) {
        openLoadCache(curriculum: id)
        guard jobs > 1 else { return }
        let reader = self.reader
        let ids = Self.unique(levels.compactMap(\.text).filter(Shape.isIdentifier))
        prefetched.levelOrder = ids
        let levelFiles = Self.parallelMap(ids, jobs: jobs) { id in
            reader.isReadable("levels/\(id).yaml") ? reader.yaml("levels/\(id).yaml", kind: .level) : nil
        }
        for (id, loaded) in levelFiles {
            guard let loaded else { continue }
            prefetched.yaml["\(FileKind.level.rawValue):levels/\(id).yaml"] = loaded
            var training = PrefetchedFiles.Training()
            for r in loaded.root?[field: "responsibilities"]?.items ?? [] {
                guard let t = r[field: "training"] else { continue }
                if let m = t[field: "module"] { training.pages += (m[field: "pages"]?.items ?? []).compactMap(\.text) }
                if let a = t[field: "assessment"]?.text { training.yaml.append((a, .assessment)) }
                if let s = t[field: "shadowing"]?.text { training.yaml.append((s, .shadowing)) }
            }
            prefetched.training[id] = training
        }
    }

    /// Takes up the pages, assessments and shadowing tasks level `id` names, read on `jobs`
    /// threads, in place of the previous level's. Its pages were read while the loader took up
    /// the level before (on one thread, taking up a level left the other core idle for about
    /// 0.3 s of a one-page rebuild of the benchmark's 2,000 modules); the next level's pages
    /// are started now, then this level's assessments and shadowing tasks are read. Only pages
    /// are read ahead: their text is the model's own, while a YAML file's node tree is
    /// dropped once taken up, and a whole level's trees held a level early cost about 8 MiB
    /// of a rebuild's peak memory.
    mutating func prefetchTraining(level id: String) {
        guard jobs > 1, let training = prefetched.training.removeValue(forKey: id) else { return }
        let pages = prefetched.pending.removeValue(forKey: id) ?? startReading(pages: training.pages)
        if let i = prefetched.levelOrder.firstIndex(of: id), i + 1 < prefetched.levelOrder.count {
            let next = prefetched.levelOrder[i + 1]
            if prefetched.pending[next] == nil, let named = prefetched.training[next] {
                prefetched.pending[next] = startReading(pages: named.pages)
            }
        }
        let yaml = TrainingFiles.read(
            PrefetchedFiles.Training(pages: [], yaml: training.yaml), reader: reader, cache: prefetched.cache, jobs: jobs
        ).yaml
        prefetched.pages = [:]
        prefetched.yaml = prefetched.yaml.filter { $0.key.hasPrefix("\(FileKind.level.rawValue):") }
        for (path, loaded) in pages.value.pages {
            if let loaded { prefetched.pages[path] = loaded }
        }
        for (path, kind, loaded) in yaml {
            if let loaded { prefetched.yaml["\(kind.rawValue):\(path)"] = loaded }
        }
    }

    /// Starts reading `pages` on `jobs` threads of their own.
    private func startReading(pages: [String]) -> Background<TrainingFiles> {
        let (reader, cache, jobs) = (self.reader, prefetched.cache, self.jobs)
        return Background { TrainingFiles.read(PrefetchedFiles.Training(pages: pages), reader: reader, cache: cache, jobs: jobs) }
    }

    /// The prefetched result for a YAML file, or the file read now. The prefetched one is
    /// handed over, not kept: the five level files' node trees, read at the start, were
    /// 14 MB of the peak of `ladder check` on 2,000 modules when held to the end of loading.
    /// (A file named twice is read again the second time, with the same result.)
    mutating func loadYAML(_ relative: String, kind: FileKind) -> LoadedYAML {
        prefetched.yaml.removeValue(forKey: "\(kind.rawValue):\(relative)") ?? reader.yaml(relative, kind: kind)
    }

    /// The prefetched result for a page, or the page read now; its cache entry kept.
    mutating func loadPageFile(_ relative: String) -> LoadedPage {
        let loaded = prefetched.pages[relative] ?? reader.page(relative, cache: prefetched.cache)
        if let entry = loaded.entry { prefetched.entries[relative] = entry }
        if loaded.fromCache { prefetched.pagesFromCache += 1 }
        return loaded
    }

    /// Reads the load cache of curriculum `id` (a valid id only: it names the file).
    mutating func openLoadCache(curriculum id: String) {
        guard let folder = prefetched.cacheFolder, Shape.isIdentifier(id) else { return }
        let file = LoadCache.url(out: folder, curriculum: id)
        prefetched.cacheFile = file
        if prefetched.readsCache { prefetched.cache = LoadCache.read(file, folder: displayRoot, limits: limits) }
    }

    /// The load cache for the next load, when what it holds changed (nil: no cache folder, or
    /// the cache read still says it all).
    func nextLoadCache() -> LoadCache? {
        guard prefetched.cacheFile != nil else { return nil }
        var next = LoadCache(folder: displayRoot, limits: limits)
        next.pages = prefetched.entries
        return next == prefetched.cache ? nil : next
    }

    static func unique(_ paths: [String]) -> [String] {
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }

    /// `f` of every item on up to `jobs` threads, paired with its item, in the items' order.
    static func parallelMap<Item: Sendable, Result: Sendable>(
        _ items: [Item], jobs: Int, _ f: @Sendable @escaping (Item) -> Result
    ) -> [(Item, Result)] {
        let results = Locked([Result?](repeating: nil, count: items.count))
        let workers = max(1, min(jobs, items.count))
        // Each worker takes the next index: files differ in size, so a fixed split would idle.
        let next = Locked(0)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.withLock { n -> Int in
                    defer { n += 1 }
                    return n
                }
                guard i < items.count else { return }
                let r = f(items[i])
                results.withLock { $0[i] = r }
            }
        }
        return results.withLock { all in Array(zip(items, all.map { $0! })) }
    }
}
