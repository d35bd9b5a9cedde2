import Foundation
import LadderCore
import LadderRendering

/// Incremental builds: what a package depends on (its source files' digests and its build
/// key), computed once per build and compared with the build cache.
extension PackageBuilder {
    /// Fills each job's source digest and build key, in parallel (hashing the sources is most
    /// of it on a first build). A single item's source digest and JSON are worked out once per
    /// build however many tracks hold it (`--package module`: 15,200 jobs, 4,000 items in the
    /// benchmark's curriculum).
    func keyJobs(_ jobs: inout [Job], request: BuildRequest, sharedDigest: String) throws {
        let snapshot = jobs
        let out = Locked([Int: (String, String)]())
        let failure = Locked<Error?>(nil)
        let workers = max(1, min(request.jobs, snapshot.count))
        let next = Locked(0)
        let perItem = Locked([String: (digest: String, items: Data)]())
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.withLock { n -> Int in defer { n += 1 }; return n }
                guard i < snapshot.count, failure.withLock({ $0 == nil }) else { return }
                do {
                    let items = snapshot[i].items
                    let single = items.count == 1 ? items[0].id : nil
                    let known = single.flatMap { id in perItem.withLock { $0[id] } }
                    let digest = try known?.digest ?? sourceDigest(items)
                    let key: String
                    if let single {
                        let json = known?.items ?? PlanItemsJSON.encoded(items)
                        if known == nil { perItem.withLock { $0[single] = (digest, json) } }
                        key = buildKey(snapshot[i], sourceDigest: digest, request: request, sharedDigest: sharedDigest, itemsJSON: json)
                    } else {
                        // A track's items are hashed as they are written, a piece at a time:
                        // the whole JSON of a 4,000-item track, two tracks at once, raised the
                        // build's peak RSS by some 25 MiB (freed, but kept by the allocator).
                        key = buildKey(snapshot[i], sourceDigest: digest, request: request, sharedDigest: sharedDigest) { h in
                            PlanItemsJSON.write(items) { h.update($0) }
                        }
                    }
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
    /// `itemsJSON`: the job's plan items as `JSONEncoder` with sorted keys writes them
    /// (`PlanItemsJSON`).
    func buildKey(_ job: Job, sourceDigest: String, request: BuildRequest, sharedDigest: String, itemsJSON: Data) -> String {
        buildKey(job, sourceDigest: sourceDigest, request: request, sharedDigest: sharedDigest) { $0.update(itemsJSON) }
    }

    /// `buildKey` with the plan items' JSON handed to the hasher by `hashItems` (in pieces,
    /// `PlanItemsJSON.write`): the same key as with the whole JSON.
    func buildKey(_ job: Job, sourceDigest: String, request: BuildRequest, sharedDigest: String, items hashItems: (SHA256Hasher) -> Void) -> String {
        let h = SHA256Hasher()
        h.update("ladder \(LadderCore.version)\ncache format \(BuildCache.format)\n")
        h.update("lms \(request.lms.rawValue)\nmode \(request.mode.rawValue)\nschemas \(request.schemasFolder != nil)\nshared \(sharedDigest)\n")
        h.update("identifier \(job.identifier)\ntitle \(job.title)\ntrack title \(job.items.count == 1 ? "" : job.track.title)\n")
        hashItems(h)
        h.update("\nsources \(sourceDigest)\n")
        return h.finalize()
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

        /// `path`: the file's path (`Curriculum.sourcePath(relative)`).
        func digest(_ relative: String, path: String) throws -> String {
            if let d = digests.withLock({ $0[relative] }) { return d.sha256 }
            var st = stat()
            guard stat(path, &st) == 0 else { throw FileSystemError(path: path, action: "read the file", code: errno) }
            let mtime = st.st_mtim.nanoseconds
            let stamp: BuildCache.FileStamp
            if let p = previous.withLock({ $0[relative] }), p.size == Int(st.st_size), p.mtimeNanoseconds == mtime,
                p.inode == UInt64(st.st_ino), mtime < p.hashedAt - 2_000_000_000
            {
                stamp = p
            } else {
                let now = LoadCache.now()
                // Hashed outside the lock: two workers may hash one file once each, never wait.
                let (hex, _) = try SHA256Hasher.file(path)
                stamp = BuildCache.FileStamp(
                    size: Int(st.st_size), mtimeNanoseconds: mtime, inode: UInt64(st.st_ino), sha256: hex,
                    hashedAt: now)
            }
            digests.withLock { $0[relative] = stamp }
            return stamp.sha256
        }
    }

    /// The digest of the sorted list of (path, file digest) pairs.
    func sourceDigest(_ items: [PlanItem]) throws -> String {
        let rootPath = curriculum.root.path
        var files = Set(["curriculum.yaml"])
        for item in items {
            files.insert("levels/\(item.level).yaml")
            for s in item.sources { files.insert(s) }
            // A module's images are packaged with it.
            if item.kind == .module, let pages = renderer.responsibility(item.responsibility)?.module?.pages {
                for p in pages { files.formUnion(p.images.filter { FileSystem.exists(curriculum.sourcePath($0, rootPath: rootPath)) }) }
            }
        }
        if let s = curriculum.theme.stylesheet { files.insert(s) }
        if let l = curriculum.theme.logo { files.insert(l) }
        let h = SHA256Hasher()
        for f in files.sorted() {
            h.update(f + "\0" + (try fileDigests.digest(f, path: curriculum.sourcePath(f, rootPath: rootPath))) + "\n")
        }
        return h.finalize()
    }
}

/// Plan items as `JSONEncoder` with `.sortedKeys` writes them (slashes escaped, absent optionals
/// left out), written by hand for the build keys: the encoder over 4,000 items was 4 % of a
/// one-page rebuild of the benchmark's 2,000 modules. The keys stay what they were (BuildKeyTests
/// compares the bytes with the encoder's), so caches of earlier builds still match.
enum PlanItemsJSON {
    /// What `write` hands on at a time, at least (the last piece may be shorter).
    static let pieceBytes = 64 << 10

    static func encoded(_ items: [PlanItem]) -> Data {
        var whole = Data()
        write(items, pieceBytes: .max) { whole = Data($0) }
        return whole
    }

    /// The bytes of `encoded(items)`, handed to `piece` in order, some items at a time (a
    /// piece ends after the item that takes it to `pieceBytes`): a 4,000-item track's JSON is
    /// never whole in memory.
    static func write(_ items: [PlanItem], pieceBytes: Int = pieceBytes, to piece: ([UInt8]) -> Void) {
        var out: [UInt8] = []
        out.reserveCapacity(min(600 * items.count, pieceBytes) + 1)
        out.append(0x5B)
        for (n, item) in items.enumerated() {
            if n > 0 { out.append(0x2C) }
            write(item, into: &out)
            if out.count >= pieceBytes {
                piece(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        out.append(0x5D)
        piece(out)
    }

    /// One item, its keys in sorted order.
    private static func write(_ item: PlanItem, into out: inout [UInt8]) {
        func ascii(_ s: String) { out.append(contentsOf: s.utf8) }
        func string(_ s: String) { JSONText.write(s, .encoderEscapingSlashes, into: &out) }
        func strings(_ list: [String]) {
            out.append(0x5B)
            for (n, s) in list.enumerated() {
                if n > 0 { out.append(0x2C) }
                string(s)
            }
            out.append(0x5D)
        }
        ascii("{\"draft\":\(item.draft),\"id\":")
        string(item.id)
        ascii(",\"kind\":")
        string(item.kind.rawValue)
        if let l = item.learningObjectives {
            ascii(",\"learning_objectives\":")
            strings(l)
        }
        ascii(",\"level\":")
        string(item.level)
        if let m = item.masteryScore { ascii(",\"mastery_score\":\(m)") }
        ascii(",\"minutes\":\(item.minutes),\"objectives\":")
        strings(item.objectives)
        ascii(",\"prerequisites\":")
        strings(item.prerequisites)
        ascii(",\"responsibility\":")
        string(item.responsibility)
        ascii(",\"skills\":")
        strings(item.skills)
        ascii(",\"sources\":")
        strings(item.sources)
        if let s = item.summary {
            ascii(",\"summary\":")
            string(s)
        }
        ascii(",\"title\":")
        string(item.title)
        out.append(0x7D)
    }
}
