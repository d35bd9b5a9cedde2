import Foundation
import LadderCore
import LadderRendering

/// What `ladder build` is asked to produce.
public struct BuildRequest: Sendable {
    public enum PackageMode: String, Sendable, Codable, CaseIterable {
        /// One multi-SCO package per track.
        case track
        /// One single-SCO package per item.
        case module
    }
    public var tracks: [Track]
    public var lms: LMSProfile
    public var mode: PackageMode
    /// `exports/` (packages land in `exports/<curriculum>/<track>/`).
    public var outputFolder: URL
    /// A folder laid out like ../shared/conformance/schemas, or nil.
    public var schemasFolder: URL?
    public var jobs: Int
    /// The command line, written into the exports lock for a build that has to wait.
    public var command = "a LadderKit build"
    /// Files the build reads besides the curriculum and the schemas (a cohort file): the
    /// exports folder may not hold them.
    public var otherInputs: [OutputSafety.Input] = []
    /// A file per track made from the track's packages (Moodle course backups), or nil.
    /// Needs `mode == .module`: the bundle is made of single-SCO packages.
    public var trackBundles: (any TrackBundleWriter)?
    /// Ignore the build cache (`--clean`): every package is built again.
    public var clean = false

    public init(tracks: [Track], lms: LMSProfile, mode: PackageMode, outputFolder: URL, schemasFolder: URL?, jobs: Int) {
        self.tracks = tracks
        self.lms = lms
        self.mode = mode
        self.outputFolder = outputFolder
        self.schemasFolder = schemasFolder
        self.jobs = jobs
    }
}

/// One package written by a build, as recorded in `ledger.json`.
public struct LedgerEntry: Sendable, Codable, Equatable {
    /// Relative to `exports/<curriculum>/`.
    public var path: String
    public var sha256: String
    public var size: Int
    public var standard: String
    public var lms: LMSProfile
    public var package: BuildRequest.PackageMode
    public var track: String
    public var items: [String]
    public var sourceDigest: String
    /// Learners this package was built for (personal skill-gap tracks).
    public var learners: [String]?
    /// Whether its manifest was validated against the SCORM schemas (`--schemas`), which also
    /// puts the control documents into the package. Nil in ledgers of Ladder before 0.1.0's
    /// build cache, which did not record it.
    public var schemasValidated: Bool? = nil
    /// The Ladder version that built it.
    public var ladderVersion: String? = nil

    enum CodingKeys: String, CodingKey {
        case path, sha256, size, standard, lms, package, track, items, learners
        case sourceDigest = "source_digest"
        case schemasValidated = "schemas_validated"
        case ladderVersion = "ladder_version"
    }
}

public struct Ledger: Sendable, Codable, Equatable {
    public var format = 1
    public var curriculum: String
    public var packages: [LedgerEntry]
}

extension PackageBuilder {
    /// `ledger.json`: the bytes `JSONEncoder` gives with pretty printing and sorted keys,
    /// written entry by entry so that encoding thousands of entries never holds more than one
    /// entry's encoder tree (a whole-ledger encode was the main memory growth of big builds).
    static func encode(_ ledger: Ledger) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var out = Data("{\n  \"curriculum\" : ".utf8)
        out.append(try encoder.encode(ledger.curriculum))
        out.append(contentsOf: ",\n  \"format\" : \(ledger.format),\n  \"packages\" : [\n".utf8)
        for (i, entry) in ledger.packages.enumerated() {
            if i > 0 { out.append(contentsOf: ",\n".utf8) }
            // The entry's own lines, indented to its depth (two levels of two spaces).
            let lines = try encoder.encode(entry).split(separator: 0x0A, omittingEmptySubsequences: false)
            for (n, line) in lines.enumerated() {
                if n > 0 { out.append(0x0A) }
                if line.isEmpty { continue }  // JSONEncoder leaves the inside of [] unindented
                out.append(contentsOf: "    ".utf8)
                out.append(contentsOf: line)
            }
        }
        out.append(contentsOf: "\n  ]\n}".utf8)
        return out
    }
}

/// Packaging: plan tracks → SCORM 1.2 zips under `exports/<curriculum>/`, plus the ledger.
///
/// For each package: render its SCOs (in memory), write the manifest with libxml2, write the
/// zip with libzip into a staging folder, read it back and validate it as an importer would
/// (every byte inflated; the manifest schema-validated when schemas are given). Packages are
/// built in parallel; an error in any of them leaves no partial zip and no ledger change. The
/// staging folder replaces `exports/<curriculum>/` in one atomic step (`ExportsPublication`),
/// under a lock that makes a second build into the same folder wait (`ExportsLock`).
public struct PackageBuilder: Sendable {
    public let curriculum: Curriculum
    public let plan: Plan
    let renderer: SCORenderer

    public init(curriculum: Curriculum, plan: Plan) {
        self.curriculum = curriculum
        self.plan = plan
        renderer = SCORenderer(curriculum: curriculum, courseTitle: curriculum.title)
    }

    /// A package to build: a name and the items in it.
    struct Job: Sendable {
        var track: Track
        var relativePath: String
        var identifier: String
        var title: String
        var items: [PlanItem]
        var learners: [String]?
        /// Filled by `build`: the source digest and build key (`buildKey`).
        var sourceDigest: String?
        var key: String?
    }

    func jobs(for request: BuildRequest) -> [Job] {
        var out: [Job] = []
        let c = curriculum.id
        // A single-item package has no prerequisites: its items need no filtering by track.
        let byID = Dictionary(plan.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for track in request.tracks {
            let items = request.mode == .module ? track.items.compactMap { byID[$0] } : plan.items(of: track)
            switch request.mode {
            case .track:
                out.append(
                    Job(
                        track: track, relativePath: "\(track.id)/\(c)-\(track.id)-\(request.lms.rawValue).zip",
                        identifier: "\(c)-\(track.id)", title: "\(curriculum.title): \(track.title)", items: items))
            case .module:
                let width = max(2, String(items.count).count)
                for (n, item) in items.enumerated() {
                    let number = String(repeating: "0", count: width - String(n + 1).count) + String(n + 1)
                    var single = item
                    single.prerequisites = []
                    out.append(
                        Job(
                            track: track, relativePath: "\(track.id)/\(request.lms.rawValue)-\(number)-\(item.id).zip",
                            identifier: "\(c)-\(item.id.replacingOccurrences(of: ".", with: "-"))",
                            title: item.title, items: [single]))
                }
            }
        }
        return out
    }

    /// Builds every package of the request. `progress` is called after each package.
    ///
    /// For personal gap tracks, `learnersByTrack` maps each track to its learners and `cohort`
    /// lists every learner the gap analysis covered (with or without gaps): their packages
    /// from an earlier cohort build are superseded (see `updateLedger`).
    public func build(
        _ request: BuildRequest, learnersByTrack: [String: [String]] = [:], cohort: Set<String> = [],
        waitingForLock: (ExportsLockHolder?) -> Void = { _ in },
        progress: @escaping @Sendable (_ done: Int, _ total: Int, _ path: String) -> Void = { _, _, _ in }
    ) throws -> Ledger {
        try buildReportingChanges(request, learnersByTrack: learnersByTrack, cohort: cohort, waitingForLock: waitingForLock, progress: progress).ledger
    }

    /// `build`, also saying which packages changed and why.
    ///
    /// Incremental: a job whose build key (`buildKey`) is the one the folder's build cache
    /// holds for its path, and whose file is there with the ledger's size, is carried over as
    /// it is (a hard link, like every file the build does not replace). Among the others, jobs
    /// with the same key (an item's package in every track that holds it, `--package module`)
    /// are built once and hard-linked (else copied) to their other paths.
    public func buildReportingChanges(
        _ request: BuildRequest, learnersByTrack: [String: [String]] = [:], cohort: Set<String> = [],
        waitingForLock: (ExportsLockHolder?) -> Void = { _ in },
        progress: @escaping @Sendable (_ done: Int, _ total: Int, _ path: String) -> Void = { _, _, _ in }
    ) throws -> (ledger: Ledger, changes: BuildChanges) {
        let validator = try PackageValidator(schemasFolder: request.schemasFolder, lms: request.lms)
        let shared = try SharedFiles(assets: SharedAssets.files(for: curriculum), control: Self.controlDocuments(request.schemasFolder))
        var allJobs = jobs(for: request)
        for i in allJobs.indices { allJobs[i].learners = learnersByTrack[allJobs[i].track.id] }
        let publication = try ExportsPublication(outputFolder: request.outputFolder, curriculum: curriculum.id)
        var inputs = [OutputSafety.Input(path: curriculum.root.path, role: "the curriculum folder")]
        if let s = request.schemasFolder { inputs.append(.init(path: s.path, role: "the schemas folder")) }
        try OutputSafety.refuseOverwriting(
            output: publication.root, role: "the exports folder", replacesFolder: true, inputs: inputs + request.otherInputs)
        let lock = try ExportsLock.acquire(publication.lockPath, command: request.command, waiting: waitingForLock)
        defer { withExtendedLifetime(lock) {} }
        try publication.recover()
        // Read before any work: a ledger that cannot be read stops the build, untouched.
        let old = try Self.readLedger(publication.root + "/ledger.json")
        let cache = request.clean ? nil : BuildCache.read(root: publication.root)
        fileDigests.seed(cache?.files ?? [:])
        try keyJobs(&allJobs, request: request, sharedDigest: try SHA256Hasher.file(shared.path).hex)
        let jobs = allJobs

        // What each job needs: carried over, built, or a link to another job's package.
        let oldByPath = Dictionary((old?.packages ?? []).map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var changes = BuildChanges()
        var reused: [Int: LedgerEntry] = [:]
        var primaryOf: [Int: Int] = [:]
        var primaryByKey: [String: Int] = [:]
        var toBuild: [Int] = []
        for (i, job) in jobs.enumerated() {
            let key = job.key!
            if let o = oldByPath[job.relativePath], let cached = cache?.packages[job.relativePath], cached == key,
                Self.fileSize(publication.root + "/" + job.relativePath) == o.size
            {
                var e = o
                e.track = job.track.id
                e.learners = job.learners
                reused[i] = e
                changes.unchanged += 1
                continue
            }
            changes.rebuilt.append((job.relativePath, reason(for: job, old: oldByPath[job.relativePath], cache: cache, request: request, details: &changes.optionDetails)))
            if let p = primaryByKey[key] {
                primaryOf[i] = p
                changes.shared += 1
            } else {
                primaryByKey[key] = i
                toBuild.append(i)
            }
        }
        // Biggest packages first, so that no worker starts a 4,000-item track when the others
        // are nearly done (results are stored by job index: the order is the ledger's anyway).
        let building = toBuild.enumerated().sorted { a, b in
            let (x, y) = (jobs[a.element].items.count, jobs[b.element].items.count)
            return x != y ? x > y : a.offset < b.offset
        }.map(\.element)
        let rendered = try Self.renderOnce(building.map { jobs[$0] }, renderer: renderer, jobs: request.jobs)
        let stagingRoot = try publication.begin()

        // Workers pull jobs from a shared counter; results are stored by index so the ledger
        // order never depends on scheduling.
        let state = BuildState(count: building.count)
        ZipWriter.warmUp
        let workers = max(1, min(request.jobs, building.count))
        let total = jobs.count
        let before = reused.count
        if before > 0 { progress(before, total, "unchanged packages") }
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let n = state.next() {
                let i = building[n]
                do {
                    let result = try buildOne(jobs[i], root: stagingRoot, request: request, shared: shared, validator: validator, rendered: rendered)
                    if !FileSystem.syncsWholeFileSystem { try FileSystem.sync(result.file.path) }
                    state.finish(n, .success(result))
                } catch {
                    state.finish(n, .failure(error))
                }
                progress(before + state.doneCount, total, jobs[i].relativePath)
            }
        }
        let results = state.results
        if let first = results.lazy.compactMap({ r -> Error? in if case .failure(let e) = r { return e } else { return nil } }).first {
            // Nothing is published unless every package succeeded.
            publication.abandon()
            throw Self.describe(first, root: publication.root, staging: stagingRoot.path)
        }
        do {
            var builtEntries: [Int: LedgerEntry] = [:]
            for (n, r) in results.enumerated() { if case .success(let built) = r { builtEntries[building[n]] = built.entry } }
            // The other paths of packages built once: a hard link where the file system allows.
            var linkedFolders = Set<String>()
            for (i, p) in primaryOf.sorted(by: { $0.key < $1.key }) {
                var e = builtEntries[p]!
                let target = stagingRoot.appendingPathComponent(jobs[i].relativePath).path
                let folder = (target as NSString).deletingLastPathComponent
                try FileSystem.makeFolders(folder)
                try Self.linkOrCopy(stagingRoot.appendingPathComponent(e.path).path, to: target)
                linkedFolders.insert(folder)
                e.path = jobs[i].relativePath
                e.track = jobs[i].track.id
                e.learners = jobs[i].learners
                builtEntries[i] = e
            }
            if !FileSystem.syncsWholeFileSystem { for f in linkedFolders.sorted() { try FileSystem.sync(f) } }
            var entries: [LedgerEntry] = []
            var built: [Built] = []
            for i in jobs.indices {
                guard let e = reused[i] ?? builtEntries[i] else { continue }
                entries.append(e)
                // A package carried over unchanged is still in the published folder.
                let folder = reused[i] == nil ? stagingRoot : URL(fileURLWithPath: publication.root)
                built.append(Built(file: folder.appendingPathComponent(jobs[i].relativePath), entry: e))
            }
            if let writer = request.trackBundles {
                entries += try buildBundles(writer, jobs: jobs, built: built, request: request, root: stagingRoot)
            }
            let (ledger, retired) = nextLedger(old: old, with: entries, request: request, cohort: cohort)
            changes.removed = retired.sorted()
            // The cache: every source digest known (this build's, and the old cache's for files
            // this build did not need), every package of the new ledger with its key.
            var next = BuildCache(ladderVersion: LadderCore.version)
            next.files = (cache?.files ?? [:]).merging(fileDigests.stamps) { _, new in new }
            let kept = Set(ledger.packages.map(\.path))
            next.packages = (cache?.packages ?? [:]).filter { kept.contains($0.key) }
            for job in jobs { next.packages[job.relativePath] = job.key }
            try AtomicFile.write(try next.encoded(), to: stagingRoot.appendingPathComponent(BuildCache.fileName))
            try publication.carryOver(except: retired.union(["ledger.json", BuildCache.fileName]))
            for i in reused.keys.sorted() where !FileSystem.exists(stagingRoot.appendingPathComponent(jobs[i].relativePath).path) {
                // Removed from the folder while this build ran: the ledger would list a missing file.
                throw FileSystemError(path: stagingRoot.appendingPathComponent(jobs[i].relativePath).path, action: "carry the unchanged package over", code: ENOENT)
            }
            try AtomicFile.write(try Self.encode(ledger), to: stagingRoot.appendingPathComponent("ledger.json"))
            // Every package of the staging folder on the disk before it is put in place.
            try FileSystem.syncWholeFileSystem(holding: stagingRoot.path)
            try publication.publish()
            return (ledger, changes)
        } catch {
            publication.abandon()
            throw Self.describe(error, root: publication.root, staging: stagingRoot.path)
        }
    }

    /// Why a job is built again (its key is not the cached one for its path).
    func reason(
        for job: Job, old: LedgerEntry?, cache: BuildCache?, request: BuildRequest, details: inout [String: String]
    ) -> BuildChanges.Reason {
        guard let old else { return .new }
        var differences: [String] = []
        let validated = request.schemasFolder != nil
        if old.schemasValidated != validated {
            let was = old.schemasValidated.map { $0 ? "schemas validated" : "not schema-validated" } ?? "schema validation not recorded"
            differences.append("\(was) → \(validated ? "schemas validated" : "not schema-validated")")
        }
        if old.ladderVersion != LadderCore.version { differences.append("Ladder \(old.ladderVersion ?? "before 0.1.0") → \(LadderCore.version)") }
        if old.lms != request.lms { differences.append("LMS \(old.lms.rawValue) → \(request.lms.rawValue)") }
        if old.package != request.mode { differences.append("package \(old.package.rawValue) → \(request.mode.rawValue)") }
        if !differences.isEmpty {
            details[job.relativePath] = differences.joined(separator: ", ")
            return .optionsChanged
        }
        if old.sourceDigest != job.sourceDigest { return .sourceChanged }
        if let k = cache?.packages[job.relativePath], k != job.key { return .otherInputsChanged }
        return .notCached
    }

    /// Fills each job's source digest and build key, in parallel (hashing the sources is most
    /// of it on a first build).
    func keyJobs(_ jobs: inout [Job], request: BuildRequest, sharedDigest: String) throws {
        let snapshot = jobs
        let out = Locked([Int: (String, String)]())
        let failure = Locked<Error?>(nil)
        let workers = max(1, min(request.jobs, snapshot.count))
        let next = Locked(0)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            while true {
                let i = next.withLock { n -> Int in defer { n += 1 }; return n }
                guard i < snapshot.count, failure.withLock({ $0 == nil }) else { return }
                do {
                    let digest = try sourceDigest(snapshot[i].items)
                    let key = try buildKey(snapshot[i], sourceDigest: digest, request: request, sharedDigest: sharedDigest, encoder: encoder)
                    out.withLock { $0[i] = (digest, key) }
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        if let e = failure.withLock({ $0 }) { throw e }
        let keys = out.withLock { $0 }
        for i in jobs.indices { (jobs[i].sourceDigest, jobs[i].key) = (keys[i]!.0, keys[i]!.1) }
    }

    /// The digest of everything a package's bytes depend on: Ladder's version, the build
    /// options, the shared files (runtime, theme, control documents: the digest of their
    /// archive), the package's name and title, its plan items as planned (prerequisites,
    /// objectives from the frameworks) and its source files (`sourceDigest`). Two jobs with one
    /// key give the same bytes.
    func buildKey(_ job: Job, sourceDigest: String, request: BuildRequest, sharedDigest: String, encoder: JSONEncoder) throws -> String {
        let h = SHA256Hasher()
        h.update("ladder \(LadderCore.version)\ncache format \(BuildCache.format)\n")
        h.update("lms \(request.lms.rawValue)\nmode \(request.mode.rawValue)\nschemas \(request.schemasFolder != nil)\nshared \(sharedDigest)\n")
        h.update("identifier \(job.identifier)\ntitle \(job.title)\ntrack title \(job.items.count == 1 ? "" : job.track.title)\n")
        h.update(try encoder.encode(job.items))
        h.update("\nsources \(sourceDigest)\n")
        return h.finalize()
    }

    static func fileSize(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(st.st_size)
    }

    /// A hard link to `source` at `target`; a copy where the file system refuses links.
    static func linkOrCopy(_ source: String, to target: String) throws {
        if link(source, target) == 0 { return }
        try FileSystemError.foundation(target, "place the package") { try FileManager.default.copyItem(atPath: source, toPath: target) }
    }

    /// The ledger of earlier builds, nil when there is none. One that cannot be read or
    /// decoded is an error, never replaced: it lists every track's packages, and a fresh one
    /// would drop the entries of the tracks this build does not rebuild.
    package static func readLedger(_ path: String) throws -> Ledger? {
        guard let data = try FileSystem.readIfPresent(path, action: "read the ledger of earlier builds") else { return nil }
        do {
            return try JSONDecoder().decode(Ledger.self, from: data)
        } catch let e as DecodingError {
            throw PackagingError.unreadableLedger(path, e)
        }
    }

    /// Errors name the published path, never the staging folder nobody sees.
    static func describe(_ error: Error, root: String, staging: String) -> Error {
        switch error {
        case var e as FileSystemError:
            if e.path.hasPrefix(staging) { e.path = root + e.path.dropFirst(staging.count) }
            return e
        case let e as ZipError:
            let path = e.path.hasPrefix(staging) ? root + e.path.dropFirst(staging.count) : e.path
            if let code = e.systemError { return FileSystemError(path: path, action: "write the package", code: code) }
            return PackagingError(path: path, problem: .zip(e.message), underlying: e)
        default:
            return error
        }
    }

    struct Built: Sendable {
        /// The zip, in the staging folder.
        var file: URL
        var entry: LedgerEntry
    }

    final class BuildState: Sendable {
        private struct Progress: Sendable {
            var nextIndex = 0
            var done = 0
            var failed = false
            var slots: [Result<Built, Error>?]
        }
        private let state: Locked<Progress>
        init(count: Int) { state = Locked(Progress(slots: Array(repeating: nil, count: count))) }
        func next() -> Int? {
            state.withLock { s in
                // Stop handing out work after a failure (a flag: scanning the slots under the
                // lock made handing out n jobs cost n² with every worker waiting).
                if s.failed { return nil }
                guard s.nextIndex < s.slots.count else { return nil }
                defer { s.nextIndex += 1 }
                return s.nextIndex
            }
        }
        func finish(_ i: Int, _ r: Result<Built, Error>) {
            state.withLock { s in
                s.slots[i] = r
                s.done += 1
                if case .failure = r { s.failed = true }
            }
        }
        var doneCount: Int { state.withLock { $0.done } }
        var results: [Result<Built, Error>] { state.withLock { $0.slots.compactMap { $0 } } }
    }

    static func controlDocuments(_ schemas: URL?) throws -> [String: URL] {
        guard let schemas else { return [:] }
        let folder = schemas.appendingPathComponent("scorm12")
        let names = ["adlcp_rootv1p2.xsd", "imscp_rootv1p1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd"]
        var out: [String: URL] = [:]
        for n in names {
            let u = folder.appendingPathComponent(n)
            guard FileManager.default.fileExists(atPath: u.path) else {
                throw PackagingError(path: u.path, problem: .missingControlDocument)
            }
            out[n] = u
        }
        return out
    }

    func buildOne(
        _ job: Job, root: URL, request: BuildRequest, shared: SharedFiles, validator: PackageValidator,
        rendered: RenderedItems? = nil, clock: StageClock? = nil
    ) throws -> Built {
        func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
            guard let clock else { return try body() }
            return try clock.time(stage, body)
        }
        // Pages rendered once for the whole build (`RenderedItems`) are copied compressed.
        let prepared = job.items.map { rendered?.entry(for: $0) }
        let scos = timed("render SCO pages") { zip(job.items, prepared).map { $1?.sco ?? renderer.render($0) } }
        for sco in scos where sco.worstSuspendData > 4096 {
            throw PackagingError(path: sco.item.id, problem: .suspendDataTooLong(worst: sco.worstSuspendData))
        }
        let content = timed("manifest content") { () -> PackageContent in
            let inside = Set(job.items.map(\.id))
            return PackageContent(
                identifier: job.identifier, title: job.title,
                description: job.items.count == 1
                    ? (renderer.responsibility(job.items[0].responsibility)?.statement ?? job.title) : job.track.title + ". " + curriculum.summary,
                language: curriculum.language, scos: scos, rootItem: scos.count > 1, sharedFiles: shared.assetNames,
                prerequisites: Dictionary(uniqueKeysWithValues: job.items.map { ($0.id, $0.prerequisites.filter(inside.contains)) }))
        }
        let manifest = try timed("write manifest (libxml2)") { try ManifestWriter.write(content) }

        // Every entry: path → bytes in memory or a file streamed at close.
        enum Source { case data(Data), file(URL), shared(Int), item(archive: Int, index: Int) }
        var entries: [String: Source] = ["imsmanifest.xml": .data(manifest)]
        for (index, name) in shared.entries { entries[name] = .shared(index) }
        for (sco, p) in zip(scos, prepared) {
            entries[sco.launch] = p.map { .item(archive: $0.archive, index: $0.index) } ?? .data(sco.html)
            for (k, v) in sco.media { entries[k] = .file(v) }
        }
        let label = job.relativePath
        // The staging folder is seen by nobody until it is published: the zip goes straight to its place there.
        let temporary = root.appendingPathComponent(job.relativePath)
        try FileSystem.makeFolders(temporary.deletingLastPathComponent().path)
        do {
            try timed("write zip (libzip)") {
                // Each package opens the shared archive itself: a libzip archive is not
                // shared between threads.
                let sharedArchive = try shared.open()
                var itemArchives: [Int: ZipReader] = [:]
                let zip = try ZipWriter(path: temporary.path)
                for name in entries.keys.sorted() {
                    let method: ZipWriter.Method = Self.isCompressed(name) ? .store : .deflate
                    switch entries[name]! {
                    case .data(let d): try zip.add(name, data: d, method: method)
                    case .file(let u): try zip.add(name, file: u.path, method: method)
                    case .shared(let index): try zip.add(name, copying: index, from: sharedArchive, method: method)
                    case .item(let archive, let index):
                        if itemArchives[archive] == nil { itemArchives[archive] = try ZipReader(path: rendered!.archives[archive]) }
                        try zip.add(name, copying: index, from: itemArchives[archive]!, method: method)
                    }
                }
                try zip.close()
                // libzip reads the copied entries from these archives at `close()`.
                withExtendedLifetime((sharedArchive, itemArchives)) {}
            }
            // Validated once, after writing: the finished file read back as any third-party
            // importer would read it (the temporary file is removed if it fails).
            let report = timed("read back and validate the zip") { validator.validate(path: temporary.path) }
            if !report.valid {
                throw PackagingError(path: label, problem: .invalidPackage(problems: report.issues.filter { $0.severity == .error }.map(\.message)))
            }
            let (sha, size) = try timed("SHA-256 of the zip") { try SHA256Hasher.file(temporary.path) }
            let digest = try timed("source digest") { try job.sourceDigest ?? sourceDigest(job.items) }
            let entry = LedgerEntry(
                path: job.relativePath, sha256: sha, size: size, standard: "SCORM 1.2", lms: request.lms,
                package: request.mode, track: job.track.id, items: job.items.map(\.id), sourceDigest: digest,
                learners: job.learners, schemasValidated: request.schemasFolder != nil, ladderVersion: LadderCore.version)
            return Built(file: temporary, entry: entry)
        } catch {
            // Already failing: the first error is the one to report. A zip left behind sits
            // in the staging folder, which is abandoned with the build.
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// The files every package of a build carries (the runtime, the themes, the control
    /// documents), zipped once per build into a temporary archive with the packages' own
    /// settings. Each package copies their compressed bytes from it instead of deflating them
    /// again: the same bytes (checked by the benchmark against a bare libzip loop that
    /// compresses everything), at a tenth of the cost for `ladder.js`.
    final class SharedFiles: Sendable {
        let path: String
        /// The runtime and theme files, for the manifest (control documents are not listed there).
        let assetNames: [String]
        /// Index in the archive and package path of every shared file.
        let entries: [(index: Int, name: String)]

        init(assets: [String: Data], control: [String: URL]) throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-shared-\(UUID().uuidString).zip").path
            do {
                let zip = try ZipWriter(path: path)
                for name in Set(assets.keys).union(control.keys).sorted() {
                    let method: ZipWriter.Method = PackageBuilder.isCompressed(name) ? .store : .deflate
                    if let data = assets[name] { try zip.add(name, data: data, method: method) } else { try zip.add(name, file: control[name]!.path, method: method) }
                }
                try zip.close()
                entries = try ZipReader(path: path).entries.map { ($0.index, $0.name) }
            } catch {
                // Already failing: the first error is the one to report (Ladder's own temporary file).
                try? FileManager.default.removeItem(atPath: path)
                throw error
            }
            assetNames = assets.keys.sorted()
        }

        func open() throws -> ZipReader { try ZipReader(path: path) }

        // Ladder's own temporary file, not user data: a deinit cannot report a failure.
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Already-compressed media are stored: deflating them costs time and saves nothing.
    package static func isCompressed(_ name: String) -> Bool {
        let ext = (name as NSString).pathExtension.lowercased()
        return ["png", "jpg", "jpeg", "gif", "webp", "mp4", "webm", "mp3", "m4a", "ogg", "zip", "woff", "woff2", "pdf"].contains(ext)
    }

    /// A digest of every source file the package was built from (pages, their images, the
    /// assessment, the level file, curriculum.yaml, the theme), so a ledger tells whether a
    /// package is stale.
    /// Each source file is read and hashed once per build, however many packages use it
    /// (a level file is shared by every package of its level).
    ///
    /// With the stamps of an earlier build (`seed`), a file whose size, modification time and
    /// inode are the recorded ones is not read again, provided it was last modified at least
    /// two seconds before it was hashed then (a write in the same clock tick as that hashing
    /// would keep its stamp; such files are hashed again).
    final class FileDigests: Sendable {
        private let digests = Locked<[String: BuildCache.FileStamp]>([:])
        private let previous = Locked<[String: BuildCache.FileStamp]>([:])

        func seed(_ stamps: [String: BuildCache.FileStamp]) { previous.withLock { $0 = stamps } }

        /// Every file digested so far, with its stamp.
        var stamps: [String: BuildCache.FileStamp] { digests.withLock { $0 } }

        func digest(_ relative: String, root: URL) throws -> String {
            if let d = digests.withLock({ $0[relative] }) { return d.sha256 }
            let path = root.appendingPathComponent(relative).path
            var st = stat()
            guard stat(path, &st) == 0 else { throw FileSystemError(path: path, action: "read the file", code: errno) }
            let mtime = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
            let stamp: BuildCache.FileStamp
            if let p = previous.withLock({ $0[relative] }), p.size == Int(st.st_size), p.mtimeNanoseconds == mtime,
                p.inode == UInt64(st.st_ino), mtime < p.hashedAt - 2_000_000_000
            {
                stamp = p
            } else {
                var now = timespec()
                clock_gettime(CLOCK_REALTIME, &now)
                // Hashed outside the lock: two workers may hash one file once each, never wait.
                let (hex, _) = try SHA256Hasher.file(path)
                stamp = BuildCache.FileStamp(
                    size: Int(st.st_size), mtimeNanoseconds: mtime, inode: UInt64(st.st_ino), sha256: hex,
                    hashedAt: Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec))
            }
            digests.withLock { $0[relative] = stamp }
            return stamp.sha256
        }
    }

    let fileDigests = FileDigests()

    /// The digest of the sorted list of (path, file digest) pairs.
    func sourceDigest(_ items: [PlanItem]) throws -> String {
        var files = Set(["curriculum.yaml"])
        for item in items {
            files.insert("levels/\(item.level).yaml")
            for s in item.sources { files.insert(s) }
            // A module's images are packaged with it.
            if item.kind == .module, let pages = renderer.responsibility(item.responsibility)?.module?.pages {
                for p in pages { files.formUnion(p.images.filter { FileSystem.exists(curriculum.root.appendingPathComponent($0).path) }) }
            }
        }
        if let s = curriculum.theme.stylesheet { files.insert(s) }
        if let l = curriculum.theme.logo { files.insert(l) }
        let h = SHA256Hasher()
        for f in files.sorted() {
            h.update(f + "\0" + (try fileDigests.digest(f, root: curriculum.root)) + "\n")
        }
        return h.finalize()
    }

    /// The ledger after this build: its (track, LMS, mode) entries replaced, packages of those
    /// tracks the build no longer produces retired. A gap build also supersedes the cohort's
    /// earlier gap packages for the same LMS and mode: each learner of `cohort` is dropped from
    /// them, and a package left with no learner is retired. Packages of learners outside the
    /// cohort stay. Returns the ledger and the retired packages' paths.
    func nextLedger(old: Ledger?, with entries: [LedgerEntry], request: BuildRequest, cohort: Set<String> = []) -> (Ledger, retired: Set<String>) {
        var ledger = old ?? Ledger(curriculum: curriculum.id, packages: [])
        func key(_ e: LedgerEntry) -> String { "\(e.track)|\(e.lms.rawValue)|\(e.package.rawValue)" }
        let rebuilt = Set(entries.map(key))
        let fresh = Set(entries.map(\.path))
        var kept: [LedgerEntry] = []
        var retired = Set<String>()
        for var old in ledger.packages where !fresh.contains(old.path) {
            var retire = rebuilt.contains(key(old))
            if !retire, let learners = old.learners, !cohort.isEmpty, old.lms == request.lms, old.package == request.mode {
                let remaining = learners.filter { !cohort.contains($0) }
                if remaining.isEmpty { retire = true } else { old.learners = remaining }
            }
            if retire { retired.insert(old.path) } else { kept.append(old) }
        }
        ledger.packages = kept
        ledger.packages.append(contentsOf: entries)
        ledger.packages.sort { $0.path < $1.path }
        return (ledger, retired)
    }
}
