import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderPackaging
@testable import LadderRendering

/// Multi-SCO packages made from pages deflated once per build (`RenderedItems`) are the bytes
/// of packages that render and deflate every page themselves.
struct RenderedItemsTests {
    @Test func trackPackagesFromPagesDeflatedOnceAreTheBytesOfPagesRenderedInPlace() throws {
        let (c, plan) = try TestSupport.loadSample()
        let builder = PackageBuilder(curriculum: c, plan: plan)
        let request = BuildRequest(
            tracks: plan.tracks, lms: .moodle, mode: .track, outputFolder: FileManager.default.temporaryDirectory, schemasFolder: nil, jobs: 2)
        let jobs = builder.jobs(for: request)
        #expect(jobs.count > 1)
        let validator = try PackageValidator(schemasFolder: nil, lms: .moodle)
        let shared = try PackageBuilder.SharedFiles(assets: SharedAssets.files(for: c), control: [:])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-rendered-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var folder = ""
        do {
            let rendered = try #require(try PackageBuilder.renderOnce(jobs, renderer: builder.renderer, jobs: 2))
            folder = rendered.folder
            for job in jobs {
                // Every page comes from the archives (else the comparison below proves nothing).
                #expect(job.items.allSatisfy { rendered.entry(for: $0) != nil })
                let a = try builder.buildOne(job, root: dir.appendingPathComponent("once"), request: request, shared: shared, validator: validator, rendered: rendered)
                let b = try builder.buildOne(job, root: dir.appendingPathComponent("direct"), request: request, shared: shared, validator: validator)
                #expect(try Data(contentsOf: a.file) == Data(contentsOf: b.file), "\(job.relativePath)")
                #expect(a.entry == b.entry)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: folder), "the build's temporary archives are removed")
    }
}
