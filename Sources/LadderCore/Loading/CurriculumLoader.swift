import Foundation
import Yams

/// The result of loading a curriculum: the model (when the sources were usable enough to
/// build one) and every diagnostic found along the way.
public struct LoadResult: Sendable {
    public var curriculum: Curriculum?
    public var diagnostics: Diagnostics
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
    var realRoot: String?
    /// Threads that read files ahead of the loader (1: each file read where it is needed).
    var jobs = 1
    /// Files read ahead, on `jobs` threads (FileLoading.swift).
    var prefetched = PrefetchedFiles()

    public init(folder: String) {
        let trimmed = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        displayRoot = trimmed
        root = URL(fileURLWithPath: trimmed, isDirectory: true)
    }

    /// Loads the curriculum. Never throws: unreadable input is a diagnostic. Files are read on
    /// `jobs` threads (default: every core); the result does not depend on how many.
    ///
    /// With `cacheFolder` (an exports folder), pages whose files did not change since the last
    /// load with the same folder are taken from `<cacheFolder>/.<curriculum>.load-cache.json`
    /// instead of parsed again, and the cache is brought up to date; `readsCache: false`
    /// (`--clean`) parses every page and writes a fresh cache.
    public static func load(
        folder: String, jobs: Int = ProcessInfo.processInfo.activeProcessorCount, cacheFolder: URL? = nil, readsCache: Bool = true
    ) -> LoadResult {
        var loader = CurriculumLoader(folder: folder)
        loader.jobs = jobs
        loader.prefetched.cacheFolder = cacheFolder
        loader.prefetched.readsCache = readsCache
        let curriculum = loader.run()
        return LoadResult(curriculum: loader.diags.hasErrors ? nil : curriculum, diagnostics: loader.diags)
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
        realRoot = SourceFile.realPath(root.path)
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
        saveLoadCache()
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

    // MARK: Levels

    mutating func loadLevel(id: String, listedAt index: Int, listNode: Node, curriculum c: Curriculum) -> Level? {
        let relative = "levels/\(id).yaml"
        guard let n = readChecked(relative, kind: .level, referencedFrom: listNode.location(in: display("curriculum.yaml"))) else {
            // Only a file that may be read at all is looked at: inside the folder, within the limit.
            var scratch = Diagnostics()
            let inside = realRoot.map { SourceFile.escapeProblem(url(relative).path, relative: relative, realRoot: $0) == nil } ?? true
            let data =
                inside && exists(relative)
                ? SourceFile.read(url(relative), limit: limits.yamlFileBytes, what: "", hint: "", at: SourceLocation(file: ""), into: &scratch)
                : nil
            let text = data.map { String(decoding: $0, as: UTF8.self) }
            unloadedLevels.append((id, text.map(Self.responsibilityIDs(inUnparsedLevel:))))
            return nil
        }
        let file = display(relative)
        if let idNode = n[field: "id"], let fileID = idNode.text, fileID != id {
            diags.error(idNode.location(in: file), "level id '\(fileID)' does not match its file name '\(id).yaml'")
        }
        let rank = n[field: "rank"]?.text.flatMap { Int($0) } ?? 0
        if let rankNode = n[field: "rank"], rank > 0, rank != index + 1 {
            diags.error(
                rankNode.location(in: file),
                "levels out of order: '\(id)' has rank \(rank) but is listed \(ordinal(index + 1)) in curriculum.yaml")
        }
        var targets: [SkillTarget] = []
        for (k, v) in n[field: "skills"]?.pairs ?? [] {
            guard let skill = k.text else { continue }
            if c.skill(skill) == nil {
                diags.error(k.location(in: file), "unknown skill '\(skill)'\(Suggest.hint(skill, c.skills.map(\.id)))")
                continue
            }
            guard let raw = v.text else { continue }
            if let step = resolveStep(raw, scale: c.scale) {
                targets.append(SkillTarget(skill: skill, step: step))
            } else {
                let steps = (["0=\(ProficiencyStep.notRequired)"] + c.scale.enumerated().map { "\($0.offset + 1)=\($0.element.id)" })
                    .joined(separator: ", ")
                diags.error(v.location(in: file), "proficiency '\(raw)' for skill '\(skill)' is not on the scale (\(steps))")
            }
        }
        // A skill whose target is written but invalid already has an error; don't also call it missing.
        let written = Set((n[field: "skills"]?.pairs ?? []).compactMap { $0.key.text })
        let unset = n[field: "skills"] == nil ? [] : c.skills.map(\.id).filter { !written.contains($0) }
        let g = n[field: "guidelines"]
        var level = Level(
            id: id, rank: rank, title: n[field: "title"]?.text ?? id, summary: n[field: "summary"]?.text.map(clean),
            guidelines: Guidelines(
                knowledge: g?[field: "knowledge"]?.text.map(clean), problemSolving: g?[field: "problem_solving"]?.text.map(clean),
                collaboration: g?[field: "collaboration"]?.text.map(clean), experience: g?[field: "experience"]?.text.map(clean)),
            targets: targets, responsibilities: [], unsetSkills: unset)
        for r in n[field: "responsibilities"]?.items ?? [] {
            if let resp = loadResponsibility(r, level: id, file: file, curriculum: c) { level.responsibilities.append(resp) }
        }
        if let at = n[field: "skills"] {
            for skill in unset {
                diags.warning(at.location(in: file), Self.unsetTargetMessage(skill, level: level))
            }
        }
        return level
    }

    /// The responsibility ids a level file that could not be parsed appears to define: every
    /// indented `id:` (`- id: x`, `  id: x`, `{id: x, ...}`) followed by a valid id. A guess
    /// from the text, used only to keep a syntax error from also showing up as unknown
    /// responsibilities in the files that refer to it.
    static func responsibilityIDs(inUnparsedLevel text: String) -> Set<String> {
        let pattern = #"(?m)(?:^[ \t]*-[ \t]+|^[ \t]+|[{,][ \t]*)["']?id["']?[ \t]*:[ \t]*["']?([A-Za-z][A-Za-z0-9_-]*)"#
        // A constant pattern: it compiles (a failure here is impossible, not user data).
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = text as NSString
        return Set(
            regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
                .filter(Shape.isIdentifier))
    }

    mutating func loadResponsibility(_ n: Node, level: String, file: String, curriculum c: Curriculum) -> Responsibility? {
        guard let id = n[field: "id"]?.text, Shape.isIdentifier(id) else { return nil }
        var r = Responsibility(
            id: id, level: level, statement: clean(n[field: "statement"]?.text), skills: [], after: [],
            module: nil, assessment: nil, shadowing: nil)
        for s in n[field: "skills"]?.items ?? [] {
            guard let sid = s.text else { continue }
            if c.skill(sid) == nil {
                diags.error(s.location(in: file), "unknown skill '\(sid)'\(Suggest.hint(sid, c.skills.map(\.id)))")
            } else {
                r.skills.append(sid)
            }
        }
        r.after = n[field: "after"]?.items.compactMap(\.text) ?? []
        if let t = n[field: "training"] {
            if let m = t[field: "module"], case .mapping = m {
                var module = Module(
                    title: clean(m[field: "title"]?.text), summary: m[field: "summary"]?.text.map(clean),
                    objectives: m[field: "objectives"]?.items.compactMap(\.text).map(clean) ?? [], pages: [])
                for p in m[field: "pages"]?.items ?? [] {
                    guard let path = p.text, RelativePath.problem(path) == nil else { continue }
                    if let page = loadPage(path, referencedFrom: p.location(in: file)) { module.pages.append(page) }
                }
                r.module = module
            }
            if let a = t[field: "assessment"], let path = a.text, RelativePath.problem(path) == nil {
                r.assessment = loadAssessment(path, referencedFrom: a.location(in: file), responsibility: r, curriculum: c)
            }
            if let s = t[field: "shadowing"], let path = s.text, RelativePath.problem(path) == nil {
                r.shadowing = loadShadowing(path, referencedFrom: s.location(in: file))
            }
        }
        return r
    }

    // MARK: Training files

    mutating func loadPage(_ relative: String, referencedFrom: SourceLocation) -> Page? {
        guard exists(relative) else {
            diags.error(referencedFrom, "page '\(relative)' does not exist\(nearMiss(relative))")
            return nil
        }
        guard staysInside(relative, at: referencedFrom) else { return nil }
        let loaded = loadPageFile(relative)
        diags.append(contentsOf: loaded.diagnostics)
        return loaded.page
    }

    /// Words separated by whitespace (`Character.isWhitespace`), for a page's reading time.
    /// An ASCII text is counted on its bytes (the same count; splitting into substrings was
    /// 14 % of `ladder check`'s CPU on the benchmark curriculum); any other goes by Characters.
    static func wordCount(_ text: String) -> Int {
        let ascii = text.utf8.withContiguousStorageIfAvailable { b -> Int? in
            var words = 0
            var inWord = false
            for c in b {
                if c >= 0x80 { return nil }
                // Character.isWhitespace for ASCII: tab, line feed, vertical tab, form feed, carriage return, space.
                let space = c == 0x20 || (c >= 0x09 && c <= 0x0D)
                if !space, !inWord { words += 1 }
                inWord = !space
            }
            return words
        }
        if let n = ascii ?? nil { return n }
        return text.split(whereSeparator: \.isWhitespace).count
    }

    static func lineIndex(of needle: String, in text: String) -> Int {
        if TextScan.isASCII(needle), TextScan.isASCII(text) {
            // Bytes are characters here; no canonical equivalents to match.
            guard let offset = TextScan.byteOffset(of: needle, in: text) else { return 0 }
            // Line feeds that are characters of their own (a CR LF pair is one character).
            var count = 0
            var previous: UInt8 = 0
            for byte in text.utf8.prefix(offset) {
                if byte == 0x0A, previous != 0x0D { count += 1 }
                previous = byte
            }
            return count
        }
        guard let r = text.range(of: needle) else { return 0 }
        return text[..<r.lowerBound].filter { $0 == "\n" }.count
    }

    mutating func loadAssessment(
        _ relative: String, referencedFrom: SourceLocation, responsibility r: Responsibility, curriculum c: Curriculum
    ) -> Assessment? {
        guard let n = readChecked(relative, kind: .assessment, referencedFrom: referencedFrom) else { return nil }
        let file = display(relative)
        var questions: [Question] = []
        duplicates(n[field: "questions"]?.items ?? [], key: "id", what: "question", file: file)
        for q in n[field: "questions"]?.items ?? [] {
            guard let id = q[field: "id"]?.text, let kind = q[field: "type"]?.text.flatMap(Question.Kind.init(rawValue:)) else {
                continue
            }
            let options = q[field: "options"]?.items.map { o in
                AnswerOption(
                    text: clean(o[field: "text"]?.text), correct: o[field: "correct"]?.text.flatMap(ShapeChecker.bool) ?? false,
                    feedback: clean(o[field: "feedback"]?.text))
            } ?? []
            let at = q.location(in: file)
            let correct = options.filter(\.correct).count
            if options.count >= 2 {
                if correct == 0 {
                    diags.error(at, "question '\(id)' has no correct answer: mark one option 'correct: true'")
                } else if kind != .multiple, correct > 1 {
                    diags.error(at, "question '\(id)' is type '\(kind.rawValue)' but has \(correct) correct options; use type 'multiple' or mark one")
                }
            }
            if options.count > 26 { diags.error(at, "question '\(id)' has \(options.count) options; at most 26 are allowed") }
            if kind == .trueFalse {
                let texts = options.map { $0.text.lowercased() }
                if texts != ["true", "false"] && texts != ["false", "true"] {
                    diags.error(at, "true-false question '\(id)' needs exactly two options, \"True\" and \"False\"")
                }
            }
            if kind == .scenario, q[field: "scenario"] == nil {
                diags.error(at, "scenario question '\(id)' needs a 'scenario' (the situation shown before the prompt)")
            }
            var skills: [String] = []
            for s in q[field: "skills"]?.items ?? [] {
                guard let sid = s.text else { continue }
                if c.skill(sid) == nil {
                    diags.error(s.location(in: file), "unknown skill '\(sid)'\(Suggest.hint(sid, c.skills.map(\.id)))")
                } else {
                    skills.append(sid)
                }
            }
            questions.append(
                Question(
                    id: id, kind: kind, prompt: clean(q[field: "prompt"]?.text), scenario: q[field: "scenario"]?.text.map(clean),
                    options: options, skills: skills.isEmpty ? r.skills : skills))
        }
        var draw = n[field: "draw"]?.text.flatMap { Int($0) }
        if let d = draw, let node = n[field: "draw"], d > questions.count, !questions.isEmpty {
            diags.error(
                node.location(in: file),
                "'draw: \(d)' asks for more questions than the bank has (\(questions.count)); write more questions or draw at most \(questions.count)")
            draw = nil
        }
        let shown = draw ?? questions.count
        let minutes = n[field: "minutes"]?.text.flatMap { Int($0) } ?? max(1, (shown * 3 + 1) / 2)
        let mastery = n[field: "mastery_score"]?.text.flatMap { Int($0) } ?? 0
        // The pass mark a learner really needs is set by the questions one try shows.
        if let m = n[field: "mastery_score"], (0...100).contains(mastery),
            let effective = MasteryScore.effective(mastery: mastery, questions: shown), MasteryScore.misleads(mastery: mastery, effective: effective)
        {
            diags.warning(m.location(in: file), MasteryScore.message(mastery: mastery, questions: shown, effective: effective))
        }
        return Assessment(
            path: relative, title: clean(n[field: "title"]?.text), masteryScore: mastery,
            minutes: minutes, questions: questions, draw: draw,
            shuffle: n[field: "shuffle"]?.text.flatMap(ShapeChecker.bool) ?? false)
    }

    mutating func loadShadowing(_ relative: String, referencedFrom: SourceLocation) -> ShadowingTask? {
        guard let n = readChecked(relative, kind: .shadowing, referencedFrom: referencedFrom) else { return nil }
        let file = display(relative)
        duplicates(n[field: "behaviours"]?.items ?? [], key: "id", what: "behaviour", file: file)
        return ShadowingTask(
            path: relative, title: clean(n[field: "title"]?.text), setting: clean(n[field: "setting"]?.text),
            observer: clean(n[field: "observer"]?.text), minutes: n[field: "minutes"]?.text.flatMap { Int($0) } ?? 0,
            observe: n[field: "observe"]?.items.compactMap(\.text).map(clean) ?? [],
            behaviours: n[field: "behaviours"]?.items.compactMap { b in
                guard let id = b[field: "id"]?.text else { return nil }
                return Behaviour(id: id, text: clean(b[field: "text"]?.text), evidence: b[field: "evidence"]?.text.map(clean))
            } ?? [],
            evidence: clean(n[field: "evidence"]?.text), signOff: clean(n[field: "sign_off"]?.text))
    }

    // MARK: Frameworks

    mutating func loadFrameworks(curriculum c: Curriculum) -> [Framework] {
        guard exists("frameworks.yaml"), let n = readChecked("frameworks.yaml", kind: .frameworks) else { return [] }
        let file = display("frameworks.yaml")
        duplicates(n[field: "frameworks"]?.items ?? [], key: "id", what: "framework", file: file)
        return (n[field: "frameworks"]?.items ?? []).compactMap { f in
            guard let id = f[field: "id"]?.text else { return nil }
            duplicates(f[field: "statements"]?.items ?? [], key: "id", what: "statement", file: file)
            let statements: [Statement] = (f[field: "statements"]?.items ?? []).compactMap { s in
                guard let sid = s[field: "id"]?.text else { return nil }
                let levelNode = s[field: "level"]
                if let ln = levelNode, let l = ln.text, !listedLevels.contains(l) {
                    diags.error(ln.location(in: file), "unknown level '\(l)'\(Suggest.hint(l, listedLevels))")
                }
                var skills: [String] = []
                for k in s[field: "skills"]?.items ?? [] {
                    guard let skill = k.text else { continue }
                    if c.skill(skill) == nil {
                        diags.error(k.location(in: file), "unknown skill '\(skill)'\(Suggest.hint(skill, c.skills.map(\.id)))")
                    } else {
                        skills.append(skill)
                    }
                }
                return Statement(
                    id: sid, text: clean(s[field: "text"]?.text), level: levelNode?.text, excluded: s[field: "excluded"]?.text.map(clean),
                    skills: skills)
            }
            return Framework(id: id, name: clean(f[field: "name"]?.text), source: f[field: "source"]?.text.map(clean), statements: statements)
        }
    }

    // MARK: References between files

    mutating func crossCheck(_ c: inout Curriculum) {
        var seen: [String: (level: String, index: Int)] = [:]
        var files: [String: String] = [:]
        for (li, level) in c.levels.enumerated() {
            let file = display("levels/\(level.id).yaml")
            for (ri, r) in level.responsibilities.enumerated() {
                if let first = seen[r.id] {
                    // A repeat within one level: point at this entry, not the first with the id.
                    let occurrence = level.responsibilities[..<ri].filter { $0.id == r.id }.count
                    let earlier = first.level == level.id ? "line \(locate(r.id, in: level.id).line)" : "level \(first.level)"
                    diags.error(
                        locate(r.id, in: level.id, occurrence: occurrence),
                        "duplicate responsibility id '\(r.id)' (first defined at \(earlier))")
                } else {
                    seen[r.id] = (level.id, li)
                }
                for path in [r.assessment?.path, r.shadowing?.path].compactMap({ $0 }) {
                    if let other = files[path] {
                        diags.error(locate(r.id, in: level.id), "'\(path)' is already used by responsibility '\(other)'; each file trains one responsibility")
                    } else {
                        files[path] = r.id
                    }
                }
                if r.module == nil {
                    diags.warning(
                        locate(r.id, in: level.id),
                        "responsibility '\(r.id)' has no authored module; the plan derives a draft module from its statement")
                }
                _ = file
            }
        }
        // `after` references: known, not higher up the ladder.
        for (li, level) in c.levels.enumerated() {
            for r in level.responsibilities {
                for a in r.after {
                    let at = locate(r.id, in: level.id, key: "after", value: a)
                    guard let target = seen[a] else {
                        // Defined, as far as its text shows, in a level file that did not load:
                        // that file's own error is the one to fix.
                        if unloadedLevels.contains(where: { $0.responsibilities?.contains(a) ?? false }) { continue }
                        let known = seen.keys.sorted() + unloadedLevels.flatMap { ($0.responsibilities ?? []).sorted() }
                        // A level file with no text to look at (missing, unreadable) may define it:
                        // still an error, since it may as well be a typo, but one that says so.
                        let unread = unloadedLevels.filter { $0.responsibilities == nil }.map { "levels/\($0.id).yaml" }
                        let note = unread.isEmpty ? "" : " (\(unread.joined(separator: ", ")) did not load; it may define it)"
                        diags.error(at, "unknown responsibility '\(a)' in 'after'\(Suggest.hint(a, known))\(note)")
                        continue
                    }
                    if target.index > li {
                        diags.error(at, "'\(r.id)' cannot come after '\(a)': '\(a)' belongs to the higher level \(target.level)")
                    }
                    if a == r.id { diags.error(at, "'\(r.id)' lists itself in 'after'") }
                }
            }
        }
        if let cycle = Self.findCycle(c.responsibilities) {
            let first = c.responsibility(cycle[0])!
            diags.error(
                locate(first.id, in: first.level, key: "after"),
                "prerequisite cycle: \((cycle + [cycle[0]]).joined(separator: " -> "))")
        }
        checkCoverage(c)
        // Targets never drop going up the ladder.
        for (lower, upper) in zip(c.levels, c.levels.dropFirst()) {
            for t in upper.targets {
                if let before = lower.target(for: t.skill), before > t.step {
                    diags.warning(
                        locate(t.skill, in: upper.id, key: "skills"),
                        "skill '\(t.skill)' drops from \(c.stepName(before)) at \(lower.id) to \(c.stepName(t.step)) at \(upper.id)")
                }
            }
        }
    }

    /// A cycle in the `after` graph, as responsibility ids, or nil.
    static func findCycle(_ rs: [Responsibility]) -> [String]? {
        let edges = Dictionary(rs.map { ($0.id, $0.after) }, uniquingKeysWith: { a, _ in a })
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var stack: [String] = []
        func visit(_ id: String) -> [String]? {
            if state[id] == 2 { return nil }
            if state[id] == 1 {
                let start = stack.firstIndex(of: id) ?? 0
                return Array(stack[start...])
            }
            state[id] = 1
            stack.append(id)
            for next in edges[id] ?? [] where edges[next] != nil && next != id {
                if let c = visit(next) { return c }
            }
            stack.removeLast()
            state[id] = 2
            return nil
        }
        for r in rs { if let c = visit(r.id) { return c } }
        return nil
    }

    /// Finds where a responsibility (or one of its keys) is written, re-reading the level file.
    /// `occurrence` picks among entries that share the id (0 = the first).
    func locate(
        _ responsibility: String, in level: String, occurrence: Int = 0, key: String? = nil, value: String? = nil
    ) -> SourceLocation {
        let relative = "levels/\(level).yaml"
        let file = display(relative)
        var scratch = Diagnostics()
        guard let doc = YAMLDocument.read(url: url(relative), displayPath: file, limits: limits, into: &scratch), let root = doc.root else {
            return SourceLocation(file: file)
        }
        if key == "skills", let skills = root[field: "skills"] {
            if let k = skills.pairs.first(where: { $0.key.text == responsibility })?.key { return k.location(in: file) }
            return skills.location(in: file)
        }
        for r in (root[field: "responsibilities"]?.items ?? []).filter({ $0[field: "id"]?.text == responsibility }).dropFirst(occurrence) {
            guard let key, let n = r[field: key] else { return (r[field: "id"] ?? r).location(in: file) }
            if let value, let v = n.items.first(where: { $0.text == value }) { return v.location(in: file) }
            return n.location(in: file)
        }
        return SourceLocation(file: file)
    }

    func ordinal(_ n: Int) -> String {
        let suffix = (11...13).contains(n % 100) ? "th" : ["th", "st", "nd", "rd", "th", "th", "th", "th", "th", "th"][n % 10]
        return "\(n)\(suffix)"
    }

    /// Folded YAML text keeps a trailing newline; titles and statements should not.
    func clean(_ s: String?) -> String { TextScan.trimmed(s ?? "") }
}
