import Foundation
import LadderCore
import LadderRendering

/// Wall time per named stage, accumulated over many calls (stages in first-seen order). Not
/// `Sendable`: the profile runs `buildOne` on one thread.
package final class StageClock {
    private(set) var order: [String] = []
    private(set) var seconds: [String: Double] = [:]

    func time<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        let t0 = DispatchTime.now().uptimeNanoseconds
        defer {
            if seconds[stage] == nil { order.append(stage) }
            seconds[stage, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        }
        return try body()
    }
}

/// For `ladder-bench` only: the time `PackageBuilder.buildOne` spends in each of its stages.
///
/// Runs `buildOne` itself for every package of a request, on one thread, with a `StageClock`,
/// writing the zips into `scratch` (not into `exports/`, and no ledger).
public enum PackagingStageProfile {
    public struct Stage: Sendable {
        public var name: String
        public var seconds: Double
    }

    public static func run(curriculum: Curriculum, plan: Plan, request: BuildRequest, scratch: URL) throws -> [Stage] {
        let clock = StageClock()
        let builder = PackageBuilder(curriculum: curriculum, plan: plan)
        let validator = try clock.time("setup (validator, shared assets)") { try PackageValidator(schemasFolder: request.schemasFolder, lms: request.lms) }
        let shared = try clock.time("setup (validator, shared assets)") {
            try PackageBuilder.SharedFiles(assets: SharedAssets.files(for: curriculum), control: PackageBuilder.controlDocuments(request.schemasFolder))
        }
        let jobs = clock.time("job list (plan.items(of:))") { builder.jobs(for: request) }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        ZipWriter.warmUp
        for job in jobs {
            let built = try builder.buildOne(job, root: scratch, request: request, shared: shared, validator: validator, clock: clock)
            try FileManager.default.removeItem(at: built.file)
        }
        return clock.order.map { Stage(name: $0, seconds: clock.seconds[$0]!) }
    }
}
