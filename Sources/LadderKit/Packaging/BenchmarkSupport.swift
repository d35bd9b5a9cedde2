import Foundation

/// For `ladder-bench` only: the time `PackageBuilder.buildOne` spends in each of its stages.
///
/// Runs the same steps as `PackageBuilder.build` for every package of a request, on one
/// thread, with a clock around each step, and writes the zips into `scratch` (not into
/// `exports/`, and no ledger). Keep the steps in sync with `buildOne`.
public enum PackagingStageProfile {
    public struct Stage: Sendable {
        public var name: String
        public var seconds: Double
    }

    public static func run(curriculum: Curriculum, plan: Plan, request: BuildRequest, scratch: URL) throws -> [Stage] {
        var clock: [String: Double] = [:]
        var order: [String] = []
        func timed<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let t0 = DispatchTime.now().uptimeNanoseconds
            defer {
                if clock[name] == nil { order.append(name) }
                clock[name, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            }
            return try body()
        }
        let builder = PackageBuilder(curriculum: curriculum, plan: plan)
        let validator = try timed("setup (validator, shared assets)") { try PackageValidator(schemasFolder: request.schemasFolder, lms: request.lms) }
        let shared = try timed("setup (validator, shared assets)") { try SharedAssets.files(for: curriculum) }
        let control = try PackageBuilder.controlDocuments(request.schemasFolder)
        let jobs = timed("job list (plan.items(of:))") { builder.jobs(for: request) }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        ZipWriter.warmUp
        for (n, job) in jobs.enumerated() {
            let renderer = SCORenderer(curriculum: curriculum, courseTitle: curriculum.title)
            let scos = timed("render SCO pages") { job.items.map(renderer.render) }
            let content = timed("manifest content (responsibility lookup)") { () -> PackageContent in
                let inside = Set(job.items.map(\.id))
                return PackageContent(
                    identifier: job.identifier, title: job.title,
                    description: job.items.count == 1
                        ? (curriculum.responsibility(job.items[0].responsibility)?.statement ?? job.title) : job.track.title + ". " + curriculum.summary,
                    language: curriculum.language, scos: scos, rootItem: scos.count > 1, sharedFiles: shared.keys.sorted(),
                    prerequisites: Dictionary(uniqueKeysWithValues: job.items.map { ($0.id, $0.prerequisites.filter(inside.contains)) }))
            }
            let manifest = try timed("write manifest (libxml2)") { try ManifestWriter.write(content) }
            var data: [String: Data] = ["imsmanifest.xml": manifest]
            var files: [String: URL] = [:]
            for (k, v) in shared { data[k] = v }
            for (k, v) in control { files[k] = v }
            for sco in scos {
                data[sco.launch] = sco.html
                for (k, v) in sco.media { files[k] = v }
            }
            let names = Set(data.keys).union(files.keys)
            let early = timed("validate manifest before writing") { validator.validate(manifest: manifest, files: names, label: job.relativePath) }
            guard early.valid else { throw PackagingError.invalidPackage(path: job.relativePath, problems: early.errors.map(\.message)) }
            let path = scratch.appendingPathComponent("\(n).zip").path
            try timed("write zip (libzip)") {
                let zip = try ZipWriter(path: path)
                for name in names.sorted() {
                    let method: ZipWriter.Method = PackageBuilder.isCompressed(name) ? .store : .deflate
                    if let d = data[name] { try zip.add(name, data: d, method: method) } else { try zip.add(name, file: files[name]!.path, method: method) }
                }
                try zip.close()
            }
            let report = timed("read back and validate the zip") { validator.validate(path: path) }
            guard report.valid else { throw PackagingError.invalidPackage(path: job.relativePath, problems: report.errors.map(\.message)) }
            let bytes = try timed("read the zip into memory") { try Data(contentsOf: URL(fileURLWithPath: path)) }
            _ = timed("SHA-256 of the zip") { SHA256Hasher.hex(bytes) }
            _ = try timed("source digest (read + SHA-256 sources)") { try builder.sourceDigest(job.items) }
            try FileManager.default.removeItem(atPath: path)
        }
        return order.map { Stage(name: $0, seconds: clock[$0]!) }
    }
}
