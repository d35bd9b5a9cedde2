import Foundation
import LadderCore
import LadderRendering

/// The no-op build (issue 15, point 2): when nothing a build depends on changed since the last
/// build with the same options, `ladder build` says so from the ledger without loading the
/// curriculum, staging or linking a single file.
///
/// "Nothing changed" is decided from stamps, never guessed: every file under the curriculum
/// folder (and the schemas folder) has the size, inode, modification and status-change time
/// it had when the last build began (one digest of them all, taken before that build loaded
/// anything, and only when every file had last changed at least two seconds earlier, so that
/// a write within the same clock tick cannot hide); the options, Ladder's version and runtime
/// files are the same; and `ledger.json` and every package of the build have the size, inode
/// and modification time the build published them with. Anything else, and the build runs as
/// usual (which is itself incremental).
extension PackageBuilder {
    /// A build that had nothing to do, as `ladder build` reports it.
    public struct UnchangedBuild: Sendable {
        public var curriculum: String
        public var ledger: Ledger
        /// Every package of the build, unchanged.
        public var changes: BuildChanges
        /// The tracks the build covers (those the options chose from the plan).
        public var tracks: Set<String>
    }

    /// The published build when nothing it depends on changed (see above), else nil. Without
    /// `request.selection` (gap builds, course backups) there is no no-op check. Otherwise this
    /// also notes in `request` what the check saw before loading, for the build to record for
    /// the next one (`request.inputs`); `request.tracks` is not looked at.
    public static func unchangedBuild(
        curriculumFolder: String, request: inout BuildRequest, waitingForLock: (_ curriculum: String, ExportsLockHolder?) -> Void = { _, _ in }
    ) throws -> UnchangedBuild? {
        guard let selection = request.selection, let outline = CurriculumLoader.outline(folder: curriculumFolder),
            let runtime = try? SharedAssets.files(for: outline)
        else { return nil }
        var folders = [curriculumFolder]
        if let s = request.schemasFolder { folders.append(s.path) }
        guard let files = InputSnapshot.take(folders) else { return nil }
        let h = SHA256Hasher()
        h.update("ladder \(LadderCore.version)\ncache format \(BuildCache.format)\nlms \(request.lms.rawValue)\nmode \(request.mode.rawValue)\n")
        h.update("selection \(selection)\nschemas \(request.schemasFolder?.path ?? "none")\ncurriculum \(curriculumFolder)\n")
        for (name, data) in runtime.sorted(by: { $0.key < $1.key }) { h.update("runtime \(name) \(SHA256Hasher.hex(data))\n") }
        let inputs = BuildInputs(options: h.finalize(), files: files.settled ? files.digest : nil)
        request.inputs = inputs
        let root = request.outputFolder.appendingPathComponent(outline.id).path
        guard !request.clean, inputs.files != nil, FileSystem.exists(root + "/" + BuildCache.fileName) else { return nil }

        let publication = try ExportsPublication(outputFolder: request.outputFolder, curriculum: outline.id)
        let lock = try ExportsLock.acquire(publication.lockPath, command: request.command) { waitingForLock(outline.id, $0) }
        defer { withExtendedLifetime(lock) {} }
        guard let last = BuildCache.readLastBuild(root: publication.root), last.options == inputs.options, last.files == inputs.files,
            let ledgerStamp = OutputStamp.of(publication.root + "/ledger.json"), ledgerStamp == last.ledger,
            let ledger = try? readLedger(publication.root + "/ledger.json")
        else { return nil }
        let tracks = Set(last.tracks)
        let packages = builtPackages(ledger, tracks: tracks, request: request)
        guard packages.count == last.packages, outputsDigest(packages, root: publication.root) == last.outputs else { return nil }
        var changes = BuildChanges()
        changes.unchanged = packages.count
        return UnchangedBuild(curriculum: outline.id, ledger: ledger, changes: changes, tracks: tracks)
    }

    /// What the next build's no-op check compares, for a build whose inputs were settled.
    func lastBuild(_ ledger: Ledger, request: BuildRequest, root: String) -> BuildCache.LastBuild? {
        guard let inputs = request.inputs, let files = inputs.files, request.trackBundles == nil, request.otherInputs.isEmpty,
            let stamp = OutputStamp.of(root + "/ledger.json")
        else { return nil }
        let tracks = Set(request.tracks.map(\.id))
        let packages = Self.builtPackages(ledger, tracks: tracks, request: request)
        guard let outputs = Self.outputsDigest(packages, root: root) else { return nil }
        return BuildCache.LastBuild(
            options: inputs.options, files: files, tracks: tracks.sorted(), ledger: stamp, packages: packages.count, outputs: outputs)
    }

    /// The ledger's entries for the request's packages in `tracks` (what the build wrote or
    /// carried over), in ledger order. Lazy: a copy of 15,200 entries was 3 MB at the peak of
    /// a build's memory.
    static func builtPackages(_ ledger: Ledger, tracks: Set<String>, request: BuildRequest) -> LazyFilterSequence<[LedgerEntry]> {
        ledger.packages.lazy.filter { tracks.contains($0.track) && $0.lms == request.lms && $0.package == request.mode }
    }

    /// The digest of each package's path, size, inode and modification time; nil when one is
    /// missing or is not the size its ledger entry says.
    static func outputsDigest(_ packages: some Sequence<LedgerEntry>, root: String) -> String? {
        let h = SHA256Hasher()
        let stamps = FolderStamps(root: root)
        for p in packages {
            guard let s = stamps.stamp(p.path), s.size == p.size else { return nil }
            h.update("\(p.path)\0\(s.size) \(s.inode) \(s.mtimeNanoseconds)\n")
        }
        return h.finalize()
    }
}

/// What the no-op check saw before loading (`PackageBuilder.unchangedBuild`), for the build to
/// record for the next one.
package struct BuildInputs: Sendable, Equatable {
    /// Digest of the options, Ladder's version and runtime files.
    var options: String
    /// `InputSnapshot.digest` of the curriculum and schemas folders; nil when a file there had
    /// changed too recently for its stamp to be trusted (no no-op check next time).
    var files: String?
}

/// A file Ladder wrote, as the no-op check recognises it: its size, inode and modification
/// time (not its status-change time, which every hard link made or removed moves).
struct OutputStamp: Codable, Equatable {
    var size: Int
    var inode: UInt64
    var mtimeNanoseconds: Int64

    enum CodingKeys: String, CodingKey {
        case size, inode
        case mtimeNanoseconds = "mtime_ns"
    }

    static func of(_ path: String) -> OutputStamp? {
        LoadCache.Stamp.of(path).map { OutputStamp(size: $0.size, inode: $0.inode, mtimeNanoseconds: $0.mtimeNanoseconds) }
    }
}

/// Every entry under some folders with its stamp (size, inode, modification and status-change
/// time), in one digest: two snapshots with one digest saw the same files with the same stamps.
struct InputSnapshot: Equatable {
    var digest: String
    /// Whether every entry last changed at least `LoadCache.settleNanoseconds` before the walk
    /// began: only then may an unchanged digest stand for unchanged contents.
    var settled: Bool

    /// Nil when a folder cannot be listed.
    static func take(_ folders: [String]) -> InputSnapshot? {
        let start = LoadCache.now()
        let h = SHA256Hasher()
        var newest = Int64.min
        for folder in folders {
            guard let real = realpath(folder, nil) else { return nil }
            let root = String(cString: real)
            free(real)
            h.update("folder \(folder)\0\n")
            var lines: [String] = []
            guard walk(root, "", &lines, &newest, split: true) else { return nil }
            for line in lines { h.update(line) }
        }
        return InputSnapshot(digest: h.finalize(), settled: newest <= start - LoadCache.settleNanoseconds)
    }

    /// Adds a line for every entry under `path` to `lines`, in name order; folders are entered
    /// (symbolic links are entries of their own, never followed: what they lead to inside is
    /// walked where it is, and loading refuses sources that lead outside).
    ///
    /// With `split`, a folder of many entries (`modules/`: 2,000 folders) has its two halves
    /// walked at once on two threads, and their lines joined in order afterwards, so the lines
    /// are those of one walk in turn: the `lstat` of every file on one thread was most of the
    /// 0.1 s the check took before a rebuild of the benchmark's 2,000 modules.
    private static func walk(_ path: String, _ relative: String, _ lines: inout [String], _ newest: inout Int64, split: Bool) -> Bool {
        guard let dir = opendir(path) else { return false }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = FolderListing.name(of: entry)
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(dir)
        names.sort()
        // Below a folder walked in two halves, nothing is split again.
        guard split, names.count >= 256 else {
            return walk(names[...], path, relative, &lines, &newest, split: split)
        }
        let middle = names.count / 2
        let halves = [names[..<middle], names[middle...]]
        let results = Locked([(lines: [String], newest: Int64, ok: Bool)?](repeating: nil, count: 2))
        DispatchQueue.concurrentPerform(iterations: 2) { n in
            var part: [String] = []
            var partNewest = Int64.min
            let ok = walk(halves[n], path, relative, &part, &partNewest, split: false)
            results.withLock { $0[n] = (part, partNewest, ok) }
        }
        for r in results.withLock({ $0 }) {
            guard let r, r.ok else { return false }
            lines += r.lines
            newest = max(newest, r.newest)
        }
        return true
    }

    /// The lines of `names` (sorted entries of the folder at `path`), each folder walked in turn.
    private static func walk(
        _ names: ArraySlice<String>, _ path: String, _ relative: String, _ lines: inout [String], _ newest: inout Int64, split: Bool
    ) -> Bool {
        for name in names {
            let full = path + "/" + name
            let r = relative.isEmpty ? name : relative + "/" + name
            var st = stat()
            guard lstat(full, &st) == 0 else { return false }
            let mtime = st.st_mtim.nanoseconds
            let ctime = st.st_ctim.nanoseconds
            let kind = st.st_mode & S_IFMT
            if kind == S_IFDIR {
                lines.append("\(r)\0dir\n")
                guard walk(full, r, &lines, &newest, split: split) else { return false }
            } else {
                newest = max(newest, mtime, ctime)
                lines.append("\(r)\0\(kind) \(st.st_size) \(st.st_ino) \(mtime) \(ctime)\n")
            }
        }
        return true
    }
}
