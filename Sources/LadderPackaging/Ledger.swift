import Foundation
import LadderCore

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

/// `ledger.json` beside the packages: reading it, writing it, and the ledger after a build.
extension PackageBuilder {
    /// `ledger.json`: the bytes `JSONEncoder` gives with pretty printing, sorted keys and
    /// unescaped slashes, written by hand entry by entry (LedgerTests compares them with the
    /// encoder's): one encoder per entry was 8 % of a one-page rebuild of 15,200 packages, and
    /// a whole-ledger encode the main memory growth of big builds.
    static func encode(_ ledger: Ledger) throws -> Data {
        var all: [UInt8] = []
        emit(ledger, inBlocksOf: .max) { all += $0 }
        return Data(all)
    }

    /// Writes `ledger.json` at `destination` (temporary file, then rename) in blocks of 256 KiB:
    /// the whole text of 15,200 entries is 8 MB, and held at once (with a `Data` copy of it) it
    /// was the peak of a per-item build's memory.
    static func write(_ ledger: Ledger, to destination: URL) throws {
        try AtomicFile.write(to: destination) { try emit(ledger, inBlocksOf: 1 << 18, to: $0) }
    }

    /// The ledger's text, handed to `sink` a block at a time: whenever at least `block` bytes
    /// are waiting, and once at the end.
    private static func emit(_ ledger: Ledger, inBlocksOf block: Int, to sink: ([UInt8]) throws -> Void) rethrows {
        var out: [UInt8] = []
        out.reserveCapacity(block == .max ? 600 * ledger.packages.count + 100 : block + 4096)
        out.append(contentsOf: "{\n  \"curriculum\" : ".utf8)
        JSONText.write(ledger.curriculum, .encoder, into: &out)
        out.append(contentsOf: ",\n  \"format\" : \(ledger.format),\n  \"packages\" : [\n".utf8)
        for (i, entry) in ledger.packages.enumerated() {
            if i > 0 { out.append(contentsOf: ",\n".utf8) }
            write(entry, into: &out)
            if out.count >= block {
                try sink(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        out.append(contentsOf: "\n  ]\n}".utf8)
        try sink(out)
    }

    /// One entry at its depth in the ledger (four spaces), keys in `JSONEncoder`'s sorted order.
    private static func write(_ e: LedgerEntry, into out: inout [UInt8]) {
        func key(_ k: String, first: Bool = false) { out.append(contentsOf: "\(first ? "" : ",")\n      \"\(k)\" : ".utf8) }
        func string(_ k: String, _ v: String) {
            key(k)
            JSONText.write(v, .encoder, into: &out)
        }
        func list(_ k: String, _ v: [String], first: Bool = false) {
            key(k, first: first)
            out.append(contentsOf: "[\n".utf8)
            for (i, s) in v.enumerated() {
                out.append(contentsOf: (i > 0 ? ",\n        " : "        ").utf8)
                JSONText.write(s, .encoder, into: &out)
            }
            out.append(contentsOf: "\n      ]".utf8)
        }
        out.append(contentsOf: "    {".utf8)
        list("items", e.items, first: true)
        if let v = e.ladderVersion { string("ladder_version", v) }
        if let l = e.learners { list("learners", l) }
        string("lms", e.lms.rawValue)
        string("package", e.package.rawValue)
        string("path", e.path)
        if let v = e.schemasValidated {
            key("schemas_validated")
            out.append(contentsOf: (v ? "true" : "false").utf8)
        }
        string("sha256", e.sha256)
        key("size")
        out.append(contentsOf: String(e.size).utf8)
        string("source_digest", e.sourceDigest)
        string("standard", e.standard)
        string("track", e.track)
        out.append(contentsOf: "\n    }".utf8)
    }

    /// The ledger of earlier builds, nil when there is none. One that cannot be read or
    /// decoded is an error, never replaced: it lists every track's packages, and a fresh one
    /// would drop the entries of the tracks this build does not rebuild.
    package static func readLedger(_ path: String) throws -> Ledger? {
        guard let data = try FileSystem.readIfPresent(path, action: "read the ledger of earlier builds") else { return nil }
        if let ledger = Ledger.read(data) { return ledger }
        do {
            return try JSONDecoder().decode(Ledger.self, from: data)
        } catch let e as DecodingError {
            throw PackagingError.unreadableLedger(path, e)
        }
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

extension Ledger {
    /// The ledger `data` holds, read by `JSONCursor` (most of the cost of reading 15,200
    /// entries was `JSONDecoder`'s); nil when the cursor does not read it, and then
    /// `JSONDecoder` decides (LedgerTests compare the two).
    static func read(_ data: Data) -> Ledger? {
        JSONCursor.read(data) { c in
            var ledger = Ledger(curriculum: "", packages: [])
            try c.fields(["curriculum", "format", "packages"], required: 0b111) { c, n in
                switch n {
                case 0: ledger.curriculum = try c.string()
                case 1: ledger.format = try c.int()
                default: try c.array { ledger.packages.append(try LedgerEntry.read(&$0)) }
                }
            }
            return ledger
        }
    }
}

extension LedgerEntry {
    private static let fields = [
        "path", "sha256", "size", "standard", "lms", "package", "track", "items", "source_digest", "learners", "schemas_validated",
        "ladder_version",
    ]

    fileprivate static func read(_ c: inout JSONCursor) throws -> LedgerEntry {
        var (path, sha256, size, standard, track, digest) = ("", "", 0, "", "", "")
        var items: [String] = []
        var lms: LMSProfile?
        var package: BuildRequest.PackageMode?
        var learners: [String]?
        var validated: Bool?
        var version: String?
        try c.fields(fields, required: 0x1FF) { c, n in
            switch n {
            case 0: path = try c.string()
            case 1: sha256 = try c.string()
            case 2: size = try c.int()
            case 3: standard = try c.string()
            case 4: lms = LMSProfile(rawValue: try c.string())
            case 5: package = BuildRequest.PackageMode(rawValue: try c.string())
            case 6: track = try c.string()
            case 7: items = try c.strings()
            case 8: digest = try c.string()
            case 9: learners = try c.null() ? nil : c.strings()
            case 10: validated = try c.null() ? nil : c.bool()
            default: version = try c.null() ? nil : c.string()
            }
        }
        guard let lms, let package else { throw JSONCursor.Failure() }
        return LedgerEntry(
            path: path, sha256: sha256, size: size, standard: standard, lms: lms, package: package, track: track, items: items,
            sourceDigest: digest, learners: learners, schemasValidated: validated, ladderVersion: version)
    }
}
