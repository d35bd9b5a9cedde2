import Foundation
import LadderCore
import LadderRendering

/// Packaging: plan tracks → SCORM 1.2 zips under `exports/<curriculum>/`, plus the ledger.
///
/// For each package: render its SCOs (in memory), write the manifest with libxml2, write the
/// zip with libzip into a staging folder, read it back and validate it as an importer would
/// (every byte inflated; the manifest schema-validated when schemas are given). Packages are
/// built in parallel; an error in any of them leaves no partial zip and no ledger change. The
/// staging folder replaces `exports/<curriculum>/` in one atomic step (`ExportsPublication`),
/// under a lock that makes a second build into the same folder wait (`ExportsLock`).
public struct PackageBuilder: Sendable {
    /// The curriculum; without its texts once a build's packages are made and bundles follow
    /// (`buildReportingChanges`).
    public private(set) var curriculum: Curriculum
    public let plan: Plan
    private(set) var renderer: SCORenderer
    /// Each source file's digest, computed once per build (`PackageBuilder+BuildKey.swift`).
    let fileDigests = FileDigests()

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
        // An item's single-item list and identifier, made once and shared by its package in
        // every track (15,200 jobs for about 4,000 items: their own copies were 3 MB).
        var singles: [String: (items: [PlanItem], identifier: String)] = [:]
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
                    if singles[item.id] == nil {
                        var alone = item
                        alone.prerequisites = []
                        singles[item.id] = ([alone], "\(c)-\(Self.dotsAsHyphens(item.id))")
                    }
                    let single = singles[item.id]!
                    out.append(
                        Job(
                            track: track, relativePath: "\(track.id)/\(request.lms.rawValue)-\(number)-\(item.id).zip",
                            identifier: single.identifier, title: item.title, items: single.items))
                }
            }
        }
        return out
    }

    /// `id` with every `.` as `-`, byte by byte (a `.` in UTF-8 is never part of another
    /// character): Foundation's `replacingOccurrences` for each of 15,200 jobs was two thirds of
    /// working out the jobs of a one-page rebuild.
    static func dotsAsHyphens(_ id: String) -> String {
        String(decoding: id.utf8.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: "-") : $0 }, as: UTF8.self)
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
    ///
    /// It consumes the builder: when track bundles follow the packages (course backups), the
    /// builder lets go of the curriculum's texts before writing them (`dropTexts`), which
    /// frees them when the caller holds no other copy.
    public consuming func buildReportingChanges(
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
        // Read before any work: a ledger that cannot be read stops the build, untouched. The
        // build cache is read meanwhile on another thread (each took about 0.05 s of a one-page
        // rebuild of 15,200 packages, one after the other).
        let root = publication.root
        let cacheRead = request.clean ? nil : Background { BuildCache.read(root: root) }
        let old = try Self.readLedger(publication.root + "/ledger.json")
        let cache = cacheRead?.value
        fileDigests.seed(cache?.files ?? [:])
        try keyJobs(&allJobs, request: request, sharedDigest: try SHA256Hasher.file(shared.path).hex)
        // One list of jobs, let go of before any track bundles are written (below).
        var jobs = allJobs
        allJobs = []

        // What each job needs: carried over, built, or a link to another job's package.
        // The old ledger's entries by path, as indexes (entries copied into a dictionary, and
        // again for each package carried over, were 8 MB at the peak of a rebuild's memory).
        let oldPackages = old?.packages ?? []
        var oldIndex: [String: Int] = [:]
        oldIndex.reserveCapacity(oldPackages.count)
        for (n, e) in oldPackages.enumerated() where oldIndex[e.path] == nil { oldIndex[e.path] = n }
        var changes = BuildChanges()
        // Jobs carried over, each with its entry's index in the old ledger.
        var reused: [Int: Int] = [:]
        var primaryOf: [Int: Int] = [:]
        var primaryByKey: [String: Int] = [:]
        var toBuild: [Int] = []
        // The other jobs of each job built, in job order: placed by the worker that built it.
        var links: [Int: [Int]] = [:]
        let published = FolderStamps(root: publication.root)
        for (i, job) in jobs.enumerated() {
            let key = job.key!
            if let n = oldIndex[job.relativePath], let cached = cache?.packages[job.relativePath], cached == key,
                published.stamp(job.relativePath)?.size == oldPackages[n].size
            {
                reused[i] = n
                changes.unchanged += 1
                continue
            }
            changes.rebuilt.append((job.relativePath, reason(for: job, old: oldIndex[job.relativePath].map { oldPackages[$0] }, cache: cache, request: request, details: &changes.optionDetails)))
            if let p = primaryByKey[key] {
                primaryOf[i] = p
                links[p, default: []].append(i)
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
        // order never depends on scheduling. What does not wait for the packages is done by
        // the workers too, not before or after them on one thread: the load cache is written
        // by the first worker as it starts, and each package built is hard-linked to its other
        // paths by the worker that built it (on one thread after the packages, these two were
        // about a fifth of a 2,000-module talentlms build's serial part).
        let state = BuildState(count: building.count)
        let loadCacheFailure = Locked<Error?>(nil)
        let staging = stagingRoot.path
        let linksOf = links
        ZipWriter.warmUp
        let workers = max(1, min(request.jobs, building.count))
        let total = jobs.count
        let before = reused.count
        if before > 0 { progress(before, total, "unchanged packages") }
        // The workers share this copy (this method consumes `self`, which later lets go of
        // the texts); it goes with the workers.
        do {
            let builder = self
            let jobs = jobs
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                if worker == 0, let loadCache = request.loadCache {
                    do {
                        try AtomicFile.write(try loadCache.encoded(), to: URL(fileURLWithPath: staging + "/" + LoadCache.fileName, isDirectory: false))
                    } catch {
                        loadCacheFailure.withLock { $0 = error }
                    }
                }
                // Folders this worker has made (or found) for links: one check per folder.
                var folders = Set<String>()
                while let n = state.next() {
                    let i = building[n]
                    do {
                        let result = try builder.buildOne(jobs[i], root: stagingRoot, request: request, shared: shared, validator: validator, rendered: rendered)
                        if !FileSystem.syncsWholeFileSystem { try FileSystem.sync(result.file.path) }
                        for other in linksOf[i] ?? [] {
                            let target = staging + "/" + jobs[other].relativePath
                            let folder = (target as NSString).deletingLastPathComponent
                            if folders.insert(folder).inserted { try FileSystem.makeFolders(folder) }
                            try Self.linkOrCopy(result.file.path, to: target)
                        }
                        state.finish(n, .success(result))
                    } catch {
                        state.finish(n, .failure(error))
                    }
                    progress(before + state.doneCount, total, jobs[i].relativePath)
                }
            }
        }
        var results = state.takeResults()
        if let first = results.lazy.compactMap({ r -> Error? in if case .failure(let e) = r { return e } else { return nil } }).first ?? loadCacheFailure.withLock({ $0 }) {
            // Nothing is published unless every package succeeded.
            publication.abandon()
            throw Self.describe(first, root: publication.root, staging: stagingRoot.path)
        }
        do {
            // Each job's entry straight from its package's result, in job order (a dictionary
            // of 15,200 entries beside the list was 5 MB at the peak of a build's memory).
            var slot = [Int](repeating: -1, count: jobs.count)
            for (n, i) in building.enumerated() { slot[i] = n }
            func reusedEntry(_ i: Int) -> LedgerEntry? {
                guard let n = reused[i] else { return nil }
                var e = oldPackages[n]
                e.track = jobs[i].track.id
                e.learners = jobs[i].learners
                return e
            }
            func builtEntry(_ i: Int) -> LedgerEntry? {
                let p = primaryOf[i] ?? i
                guard slot[p] >= 0, case .success(let built) = results[slot[p]] else { return nil }
                var e = built.entry
                // The other paths of packages built once (linked by the workers).
                if p != i {
                    e.path = jobs[i].relativePath
                    e.track = jobs[i].track.id
                    e.learners = jobs[i].learners
                }
                return e
            }
            if !FileSystem.syncsWholeFileSystem {
                let linkedFolders = Set(primaryOf.keys.map { ((staging + "/" + jobs[$0].relativePath) as NSString).deletingLastPathComponent })
                for f in linkedFolders.sorted() { try FileSystem.sync(f) }
            }
            var entries: [LedgerEntry] = []
            entries.reserveCapacity(jobs.count)
            var folders: [(job: Int, folder: String)] = []
            for i in jobs.indices {
                guard let e = reusedEntry(i) ?? builtEntry(i) else { continue }
                entries.append(e)
                // Only course backups need the files.
                guard request.trackBundles != nil else { continue }
                // A package carried over unchanged is still in the published folder.
                folders.append((i, reused[i] == nil ? staging : publication.root))
            }
            results = []
            // What the rest needs of the jobs, so that the jobs go before the bundles are
            // written (the jobs of a 2,000-module build and their digests were about 8 MB).
            let reusedPaths = reused.keys.sorted().map { jobs[$0].relativePath }
            let keys = jobs.map { (path: $0.relativePath, key: $0.key!) }
            // Empty unless bundles follow: `folders` is filled only for them.
            let bundles = Self.byTrack(jobs: jobs, folders: folders)
            folders = []
            jobs = []
            if let writer = request.trackBundles {
                dropTexts()
                entries += try buildBundles(writer, bundles, request: request, root: stagingRoot)
            }
            let (ledger, retired) = nextLedger(old: old, with: entries, request: request, cohort: cohort)
            changes.removed = retired.sorted()
            // The load cache (written by a worker) is published with the packages; without a
            // new one, the old one is carried over.
            let carried = try publication.carryOver(except: retired.union(["ledger.json", BuildCache.fileName]))
            for path in reusedPaths where !carried.contains(path) {
                // Removed from the folder while this build ran: the ledger would list a missing file.
                throw FileSystemError(path: staging + "/" + path, action: "carry the unchanged package over", code: ENOENT)
            }
            try Self.write(ledger, to: stagingRoot.appendingPathComponent("ledger.json"))
            // The cache: every source digest known (this build's, and the old cache's for files
            // this build did not need), every package of the new ledger with its key, and the
            // stamps of what was published for the next build's no-op check.
            var next = BuildCache(ladderVersion: LadderCore.version)
            next.files = (cache?.files ?? [:]).merging(fileDigests.stamps) { _, new in new }
            let kept = Set(ledger.packages.map(\.path))
            next.packages = (cache?.packages ?? [:]).filter { kept.contains($0.key) }
            for (path, key) in keys { next.packages[path] = key }
            next.lastBuild = lastBuild(ledger, request: request, root: stagingRoot.path)
            try next.write(to: stagingRoot.appendingPathComponent(BuildCache.fileName))
            // Every package of the staging folder on the disk before it is put in place.
            try FileSystem.syncWholeFileSystem(holding: stagingRoot.path)
            try publication.publish()
            return (ledger, changes)
        } catch {
            publication.abandon()
            throw Self.describe(error, root: publication.root, staging: stagingRoot.path)
        }
    }

    /// Lets go of what the packages were rendered from (`Curriculum.withoutTexts`): the
    /// bundles are written from the packages read back. The renderer stays, on the slim
    /// curriculum: the bundles' source digests find each module's pages through it.
    mutating func dropTexts() {
        curriculum = curriculum.withoutTexts()
        renderer = SCORenderer(curriculum: curriculum, courseTitle: renderer.courseTitle)
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

    /// A hard link to `source` at `target`; a copy where the file system refuses links.
    static func linkOrCopy(_ source: String, to target: String) throws {
        if link(source, target) == 0 { return }
        try FileSystemError.foundation(target, "place the package") { try FileManager.default.copyItem(atPath: source, toPath: target) }
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
        /// The results, moved out (not copied: a build's memory peaks after the packages).
        func takeResults() -> [Result<Built, Error>] {
            state.withLock { s in
                defer { s.slots = [] }
                return s.slots.compactMap { $0 }
            }
        }
    }
}
