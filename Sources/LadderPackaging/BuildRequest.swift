import Foundation
import LadderCore

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
    /// The load cache to publish with the packages (`<curriculum>/load-cache.json`), as
    /// loading left it (`LoadResult.loadCache`); nil: the one in place, if any, stays.
    package var loadCache: LoadCache?
    /// The tracks as the command line chose them (`--track`, `--level`), for the no-op check
    /// (`PackageBuilder.unchangedBuild`); nil (gap builds, course backups): no such check, and
    /// nothing recorded for one.
    public var selection: String?
    /// What the no-op check saw before loading, recorded with the build for the next one.
    package var inputs: BuildInputs?

    public init(tracks: [Track], lms: LMSProfile, mode: PackageMode, outputFolder: URL, schemasFolder: URL?, jobs: Int) {
        self.tracks = tracks
        self.lms = lms
        self.mode = mode
        self.outputFolder = outputFolder
        self.schemasFolder = schemasFolder
        self.jobs = jobs
    }
}
