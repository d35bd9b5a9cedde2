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
    func write(track: Track, packages: [TrackBundlePackage], to file: URL) throws
}

/// One single-SCO package of a track, as the build wrote it.
public struct TrackBundlePackage: Sendable {
    /// The item's id (its plan entry carries the prerequisites the package leaves out).
    public var item: String
    /// The zip, in the build's staging folder.
    public var zip: URL
    /// Its path relative to `exports/<curriculum>/`.
    public var relativePath: String
}

extension PackageBuilder {
    /// The bundles of every track of the request, written beside its packages in the staging
    /// folder after every package succeeded (tracks in parallel, results in track order).
    func buildBundles(
        _ writer: any TrackBundleWriter, jobs: [Job], built: [Built], request: BuildRequest, root: URL
    ) throws -> [LedgerEntry] {
        let (tracks, packages, learners) = Self.byTrack(jobs: jobs, built: built)
        let state = BuildState(count: tracks.count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(request.jobs, tracks.count))) { _ in
            while let i = state.next() {
                let track = tracks[i]
                let relative = writer.relativePath(of: track)
                let file = root.appendingPathComponent(relative)
                do {
                    try FileSystem.makeFolders(file.deletingLastPathComponent().path)
                    let list = packages[track.id] ?? []
                    try writer.write(track: track, packages: list, to: file)
                    try FileSystem.sync(file.path)
                    let (sha, size) = try SHA256Hasher.file(file.path)
                    let items = list.map(\.item)
                    let entry = LedgerEntry(
                        path: relative, sha256: sha, size: size, standard: writer.standard, lms: request.lms, package: request.mode,
                        track: track.id, items: items, sourceDigest: try sourceDigest(items.compactMap(plan.item)),
                        learners: learners[track.id])
                    state.finish(i, .success(Built(file: file, entry: entry)))
                } catch {
                    // Already failing: the first error is reported; the staging folder goes with the build.
                    try? FileManager.default.removeItem(at: file)
                    state.finish(i, .failure(error))
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
    static func byTrack(jobs: [Job], built: [Built]) -> ([Track], [String: [TrackBundlePackage]], [String: [String]]) {
        var tracks: [Track] = []
        var packages: [String: [TrackBundlePackage]] = [:]
        var learners: [String: [String]] = [:]
        for (job, b) in zip(jobs, built) {
            if packages[job.track.id] == nil { tracks.append(job.track) }
            learners[job.track.id] = job.learners
            let item = job.items.map(\.id).joined()
            packages[job.track.id, default: []].append(TrackBundlePackage(item: item, zip: b.file, relativePath: b.entry.path))
        }
        return (tracks, packages, learners)
    }
}
