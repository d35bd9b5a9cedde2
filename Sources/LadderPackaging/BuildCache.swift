import Foundation
import LadderCore

/// `exports/<curriculum>/build-cache.json`: what the last build of this folder knew, so that
/// the next one rebuilds only what changed. Published with the packages (it lives in the
/// folder `ExportsPublication` swaps), so it always describes the packages beside it.
///
/// - `files`: each source file's digest with the size, modification time and inode it had
///   when hashed; a file whose three are unchanged is not read again (see `FileDigests`).
/// - `packages`: each package path's build key (`PackageBuilder.buildKey`), the digest of
///   everything its bytes depend on. A job whose key matches and whose file is still there
///   with the ledger's size is carried over as it is.
/// - `last_build`: what the no-op check of the next build with the same options compares
///   (`PackageBuilder.unchangedBuild`); absent after a build whose inputs had changed too
///   recently to be trusted, and for gap builds and course backups.
///
/// A cache written by another Ladder version is ignored whole; so is an unreadable one (it is
/// only a shortcut: the build then does everything, as `--clean` does).
struct BuildCache: Codable, Equatable {
    /// Changes when the meaning of a key changes.
    static let format = 1
    static let fileName = "build-cache.json"

    var format = BuildCache.format
    var ladderVersion: String
    var files: [String: FileStamp] = [:]
    var packages: [String: String] = [:]
    var lastBuild: LastBuild?

    enum CodingKeys: String, CodingKey {
        case format, files, packages
        case ladderVersion = "ladder_version"
        case lastBuild = "last_build"
    }

    /// The build that wrote the cache, as its no-op check needs it.
    struct LastBuild: Codable, Equatable {
        /// `BuildInputs.options` and `.files`: the options and every input file's stamp.
        var options: String
        var files: String
        /// The tracks the build covered.
        var tracks: [String]
        /// `ledger.json` as published.
        var ledger: OutputStamp
        /// How many packages the build covered, and the digest of their stamps (`outputsDigest`).
        var packages: Int
        var outputs: String
    }

    struct FileStamp: Codable, Equatable, Sendable {
        var size: Int
        var mtimeNanoseconds: Int64
        var inode: UInt64
        var sha256: String
        /// When it was hashed (nanoseconds since 1970): a stamp is only trusted for a file last
        /// modified well before that, so a write within the same clock tick as the hashing is
        /// never missed.
        var hashedAt: Int64

        enum CodingKeys: String, CodingKey {
            case size, inode, sha256
            case mtimeNanoseconds = "mtime_ns"
            case hashedAt = "hashed_at_ns"
        }
    }

    /// The cache of the folder at `root` when it is usable by this Ladder version, else nil.
    static func read(root: String, version: String = LadderCore.version) -> BuildCache? {
        guard let data = try? FileSystem.readIfPresent(root + "/" + fileName, action: "read the build cache"),
            let cache = read(data) ?? (try? JSONDecoder().decode(BuildCache.self, from: data)),
            cache.format == format, cache.ladderVersion == version
        else { return nil }
        return cache
    }

    /// Only `last_build` of the folder's cache, when this Ladder version wrote it: the no-op
    /// check needs nothing else, and decoding every file and package entry is most of the cost.
    static func readLastBuild(root: String, version: String = LadderCore.version) -> LastBuild? {
        struct Head: Decodable {
            var format: Int
            var ladderVersion: String
            var lastBuild: LastBuild?
            enum CodingKeys: String, CodingKey {
                case format
                case ladderVersion = "ladder_version"
                case lastBuild = "last_build"
            }
        }
        guard let data = try? FileSystem.readIfPresent(root + "/" + fileName, action: "read the build cache"),
            let head = readHead(data) ?? (try? JSONDecoder().decode(Head.self, from: data)).map({ ($0.format, $0.ladderVersion, $0.lastBuild) }),
            head.format == format, head.version == version
        else { return nil }
        return head.lastBuild
    }

    private static let fields = ["format", "ladder_version", "files", "packages", "last_build"]

    /// The cache `data` holds, read by `JSONCursor`; nil when the cursor does not read it (then
    /// `JSONDecoder` decides).
    static func read(_ data: Data) -> BuildCache? {
        JSONCursor.read(data) { c in
            var cache = BuildCache(ladderVersion: "")
            try c.fields(fields, required: 0b1111) { c, n in
                switch n {
                case 0: cache.format = try c.int()
                case 1: cache.ladderVersion = try c.string()
                case 2: try c.object { c, key in cache.files[key] = try FileStamp.read(&c) }
                case 3: try c.object { c, key in cache.packages[key] = try c.string() }
                default: cache.lastBuild = try c.null() ? nil : LastBuild.read(&c)
                }
            }
            return cache
        }
    }

    /// Only the format, version and `last_build` of the cache `data` holds, by `JSONCursor`.
    private static func readHead(_ data: Data) -> (format: Int, version: String, lastBuild: LastBuild?)? {
        JSONCursor.read(data) { c in
            var head: (format: Int, version: String, lastBuild: LastBuild?) = (0, "", nil)
            try c.fields(fields, required: 0b11) { c, n in
                switch n {
                case 0: head.format = try c.int()
                case 1: head.version = try c.string()
                case 4: head.lastBuild = try c.null() ? nil : LastBuild.read(&c)
                default: try c.skip()
                }
            }
            return head
        }
    }

    /// Compact JSON with sorted keys, written by hand: `JSONEncoder` over 12,000 file stamps and
    /// 15,200 package keys was most of the 5.9 % it took of a one-page rebuild.
    func encoded() throws -> Data {
        var all: [UInt8] = []
        try emit(inBlocksOf: .max) { all += $0 }
        return Data(all)
    }

    /// Writes the cache at `destination` (temporary file, then rename) in blocks of 256 KiB:
    /// held whole with a `Data` copy, its 4 MB were the peak of a 15,200-package build.
    func write(to destination: URL) throws {
        try AtomicFile.write(to: destination) { try emit(inBlocksOf: 1 << 18, to: $0) }
    }

    /// The text of `encoded`, handed to `sink` whenever at least `block` bytes are waiting.
    private func emit(inBlocksOf block: Int, to sink: ([UInt8]) throws -> Void) throws {
        var out: [UInt8] = []
        out.reserveCapacity(block == .max ? 160 * files.count + 120 * packages.count + 1000 : block + 4096)
        func object<V>(_ key: String, _ d: [String: V], _ value: (V) -> Void) throws {
            out.append(contentsOf: "\"\(key)\":{".utf8)
            for (i, k) in d.keys.sorted().enumerated() {
                if i > 0 { out.append(0x2C) }
                JSONText.write(k, .encoder, into: &out)
                out.append(0x3A)
                value(d[k]!)
                if out.count >= block {
                    try sink(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
            out.append(0x7D)
        }
        out.append(0x7B)
        try object("files", files) { f in
            out.append(
                contentsOf: "{\"hashed_at_ns\":\(f.hashedAt),\"inode\":\(f.inode),\"mtime_ns\":\(f.mtimeNanoseconds),\"sha256\":".utf8)
            JSONText.write(f.sha256, .encoder, into: &out)
            out.append(contentsOf: ",\"size\":\(f.size)}".utf8)
        }
        out.append(contentsOf: ",\"format\":\(format),\"ladder_version\":".utf8)
        JSONText.write(ladderVersion, .encoder, into: &out)
        if let lastBuild {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            out.append(contentsOf: ",\"last_build\":".utf8)
            out.append(contentsOf: try encoder.encode(lastBuild))
        }
        out.append(0x2C)
        try object("packages", packages) { JSONText.write($0, .encoder, into: &out) }
        out.append(0x7D)
        try sink(out)
    }
}

/// What a build changed, package by package, for `ladder build` to say.
public struct BuildChanges: Sendable, Equatable {
    public enum Reason: String, Sendable, Equatable {
        case new = "new"
        case sourceChanged = "source changed"
        case optionsChanged = "options changed"
        /// The plan (prerequisites, objectives from the frameworks), Ladder's runtime files or
        /// the control documents changed, the sources and options did not.
        case otherInputsChanged = "plan or runtime changed"
        /// Built again because the cache did not cover it (`--clean`, no cache, another Ladder
        /// version, the file missing from the folder).
        case notCached = "not in the build cache"
    }
    /// Packages written by this build, with why (ledger order).
    public var rebuilt: [(path: String, reason: Reason)] = []
    /// Packages of earlier builds this build retired.
    public var removed: [String] = []
    /// Packages carried over from the cache as they were.
    public var unchanged = 0
    /// Packages whose bytes another package of this build already had (placed by hard link).
    public var shared = 0
    /// Details for `options changed`: what differed, e.g. "schemas validated → not validated".
    public var optionDetails: [String: String] = [:]

    public static func == (a: BuildChanges, b: BuildChanges) -> Bool {
        a.rebuilt.map(\.path) == b.rebuilt.map(\.path) && a.rebuilt.map(\.reason) == b.rebuilt.map(\.reason)
            && a.removed == b.removed && a.unchanged == b.unchanged && a.shared == b.shared
    }

    /// Counts by reason, for the summary line.
    public var summary: String {
        var parts: [String] = []
        for r in [Reason.new, .sourceChanged, .optionsChanged, .otherInputsChanged, .notCached] {
            let n = rebuilt.filter { $0.reason == r }.count
            if n > 0 { parts.append("\(n) \(r.rawValue)") }
        }
        if !removed.isEmpty { parts.append("\(removed.count) removed") }
        parts.append("\(unchanged) unchanged")
        return parts.joined(separator: ", ")
    }
}

extension BuildCache.FileStamp {
    fileprivate static func read(_ c: inout JSONCursor) throws -> Self {
        var f = Self(size: 0, mtimeNanoseconds: 0, inode: 0, sha256: "", hashedAt: 0)
        try c.fields(["size", "mtime_ns", "inode", "sha256", "hashed_at_ns"], required: 0b11111) { c, n in
            switch n {
            case 0: f.size = try c.int()
            case 1: f.mtimeNanoseconds = try c.int(Int64.self)
            case 2: f.inode = try c.int(UInt64.self)
            case 3: f.sha256 = try c.string()
            default: f.hashedAt = try c.int(Int64.self)
            }
        }
        return f
    }
}

extension BuildCache.LastBuild {
    fileprivate static func read(_ c: inout JSONCursor) throws -> Self {
        var b = Self(options: "", files: "", tracks: [], ledger: OutputStamp(size: 0, inode: 0, mtimeNanoseconds: 0), packages: 0, outputs: "")
        try c.fields(["options", "files", "tracks", "ledger", "packages", "outputs"], required: 0b111111) { c, n in
            switch n {
            case 0: b.options = try c.string()
            case 1: b.files = try c.string()
            case 2: b.tracks = try c.strings()
            case 3:
                try c.fields(["size", "inode", "mtime_ns"], required: 0b111) { c, n in
                    switch n {
                    case 0: b.ledger.size = try c.int()
                    case 1: b.ledger.inode = try c.int(UInt64.self)
                    default: b.ledger.mtimeNanoseconds = try c.int(Int64.self)
                    }
                }
            case 4: b.packages = try c.int()
            default: b.outputs = try c.string()
            }
        }
        return b
    }
}
