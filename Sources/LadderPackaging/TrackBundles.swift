import Foundation
import LadderCore

/// A file a build writes for a whole track out of the track's single-SCO packages, published
/// with them and listed in the ledger: the Moodle course backups of `LadderMoodle`. Packaging
/// knows no LMS beyond SCORM, so the writer comes in with the request (`BuildRequest.trackBundles`).
public protocol TrackBundleWriter: Sendable {
    /// What the ledger's `standard` says of the file, e.g. "Moodle backup (moodle2)".
    var standard: String { get }
    /// Where the file goes, relative to `exports/<curriculum>/`.
    func relativePath(of track: Track) -> String
    /// Writes the file of `track` at `file` from its packages, one per item in track order.
    /// `curriculum` is the builder's, without its texts by then (`Curriculum.withoutTexts`).
    func write(track: Track, packages: [TrackBundlePackage], curriculum: Curriculum, to file: URL) throws
}

/// One single-SCO package of a track, as the build wrote it.
public struct TrackBundlePackage: Sendable {
    /// The item's id (its plan entry carries the prerequisites the package leaves out).
    public var item: String
    /// The folder the zip is in: the build's staging folder, or the published one for a
    /// package carried over unchanged.
    public var folder: String
    /// Its path relative to `exports/<curriculum>/` (and to `folder`).
    public var relativePath: String

    /// The zip. Made when asked for: a `URL` held for each of 15,200 packages through the
    /// bundles was 8.5 MB of a course backup build's peak; the folder string is shared.
    public var zipPath: String { folder + "/" + relativePath }
    public var zip: URL { URL(fileURLWithPath: zipPath, isDirectory: false) }
}

extension PackageBuilder {
    /// The bundles of every track of the request, written beside its packages in the staging
    /// folder after every package succeeded (tracks in parallel, biggest first, as
    /// `BundleQueue` hands them out; results in track order), from the tracks and their
    /// packages as `byTrack` lists them.
    func buildBundles(_ writer: any TrackBundleWriter, _ bundles: Bundles, request: BuildRequest, root: URL) throws -> [LedgerEntry] {
        let (tracks, packages, learners) = bundles
        let state = BuildState(count: tracks.count)
        let queue = BundleQueue(items: tracks.map { packages[$0.id]?.count ?? 0 })
        // What the packages' workers freed, given back before the bundles' peak (glibc keeps
        // it in each worker's arena otherwise), and again after each bundle.
        FreeMemory.release()
        DispatchQueue.concurrentPerform(iterations: max(1, min(request.jobs, tracks.count))) { _ in
            while let i = queue.next() {
                defer { FreeMemory.release() }
                let track = tracks[i]
                let relative = writer.relativePath(of: track)
                let file = root.appendingPathComponent(relative)
                do {
                    try FileSystem.makeFolders(file.deletingLastPathComponent().path)
                    let list = packages[track.id] ?? []
                    try writer.write(track: track, packages: list, curriculum: curriculum, to: file)
                    try FileSystem.sync(file.path)
                    let (sha, size) = try SHA256Hasher.file(file.path)
                    let items = list.map(\.item)
                    let entry = LedgerEntry(
                        path: relative, sha256: sha, size: size, standard: writer.standard, lms: request.lms, package: request.mode,
                        track: track.id, items: items, sourceDigest: try sourceDigest(items.compactMap(plan.item)),
                        learners: learners[track.id])
                    state.finish(i, .success(Built(file: file, entry: entry)))
                    queue.finish(i, failed: false)
                } catch {
                    // Already failing: the first error is reported; the staging folder goes with the build.
                    try? FileManager.default.removeItem(at: file)
                    state.finish(i, .failure(error))
                    queue.finish(i, failed: true)
                }
            }
        }
        var entries: [LedgerEntry] = []
        for r in state.takeResults() {
            switch r {
            case .success(let b): entries.append(b.entry)
            case .failure(let e): throw e
            }
        }
        return entries
    }

    /// The tracks in job order, each one's packages in job order, and each one's learners.
    typealias Bundles = (tracks: [Track], packages: [String: [TrackBundlePackage]], learners: [String: [String]])

    /// The bundles' tracks, packages and learners from the jobs (`Bundles`).
    static func byTrack(jobs: [Job], folders: [(job: Int, folder: String)]) -> Bundles {
        var tracks: [Track] = []
        var packages: [String: [TrackBundlePackage]] = [:]
        var learners: [String: [String]] = [:]
        for (i, folder) in folders {
            let job = jobs[i]
            if packages[job.track.id] == nil { tracks.append(job.track) }
            learners[job.track.id] = job.learners
            let item = job.items.map(\.id).joined()
            packages[job.track.id, default: []].append(TrackBundlePackage(item: item, folder: folder, relativePath: job.relativePath))
        }
        return (tracks, packages, learners)
    }
}

/// Hands out the tracks whose bundles a build writes, the biggest first, and never more at
/// once than fit `budget` items together: a course backup holds records for every file of
/// its track while libzip writes it (about 37 MB for the benchmark's 4,000-item track), and
/// its self-check opens the whole archive again, so bundles side by side add up. The budget
/// is `itemsAtOnce`, or the biggest track's items when more (a track always goes, alone if
/// need be): what the bundles hold at once stays about the same however big the ladder
/// grows. On the benchmark's ladder onboarding-P5 (4,000 items) goes beside P2 and the
/// 800-item tracks, P4 beside P3, never P5 beside P4, and the bundles take as long as in
/// track order on two workers (writing P5 alone made them about 30 % longer); smaller
/// ladders are bundled biggest first with no wait.
///
/// Workers wait on a condition for room rather than spin: the waiting is the point.
final class BundleQueue: @unchecked Sendable {
    /// The items of each track, by track index.
    let items: [Int]
    /// The most items bundled at once (a track bigger on its own still goes, alone).
    let budget: Int
    /// The budget of a ladder whose tracks are all smaller.
    static let itemsAtOnce = 6_000
    private let condition = NSCondition()
    // Under `condition`: the tracks not started, biggest first (ties in track order), the
    // items of the tracks being bundled, and whether one failed.
    private var pending: [Int]
    private var inFlight = 0
    private var running = 0
    private var failed = false

    init(items: [Int]) {
        self.items = items
        budget = max(items.max() ?? 0, Self.itemsAtOnce)
        pending = items.indices.sorted { items[$0] != items[$1] ? items[$0] > items[$1] : $0 < $1 }
    }

    /// The next track to bundle: the biggest one that fits beside those being bundled,
    /// waiting until one does; nil when none is left or one failed.
    func next() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if failed || pending.isEmpty { return nil }
            if let k = pending.firstIndex(where: { running == 0 || inFlight + items[$0] <= budget }) {
                let i = pending.remove(at: k)
                inFlight += items[i]
                running += 1
                return i
            }
            condition.wait()
        }
    }

    /// Track `i` is done (or failed: then no other starts).
    func finish(_ i: Int, failed: Bool) {
        condition.lock()
        defer { condition.unlock() }
        inFlight -= items[i]
        running -= 1
        if failed { self.failed = true }
        condition.broadcast()
    }
}
