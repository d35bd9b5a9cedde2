import Foundation
import LadderCore
import LadderRendering
import LadderPackaging
import LadderProgress
import Testing

extension TestSupport {
    /// The sample curriculum (or a copy of it) loaded and planned; fails the test with every
    /// diagnostic when it does not load.
    public static func loadSample(
        _ root: URL = sample, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> (Curriculum, Plan) {
        let result = CurriculumLoader.load(folder: root.path)
        let c = try #require(result.curriculum, "the sample must load: \(result.diagnostics.sorted)", sourceLocation: sourceLocation)
        return (c, Planner.plan(c))
    }

    /// Builds the named tracks into a new temporary exports folder; returns that folder (remove
    /// it when done) and the build's ledger. Packages land in `<folder>/<curriculum id>/<entry path>`.
    public static func build(
        _ c: Curriculum, _ plan: Plan, tracks: [String], lms: LMSProfile, mode: BuildRequest.PackageMode,
        schemas: URL? = nil, jobs: Int = 2
    ) throws -> (URL, Ledger) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-build-\(UUID().uuidString)")
        let request = BuildRequest(
            tracks: plan.tracks.filter { tracks.contains($0.id) }, lms: lms, mode: mode, outputFolder: out,
            schemasFolder: schemas, jobs: jobs)
        let ledger = try PackageBuilder(curriculum: c, plan: plan).build(request)
        return (out, ledger)
    }
}
