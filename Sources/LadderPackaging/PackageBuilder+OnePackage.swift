import Foundation
import LadderCore
import LadderRendering

/// One package: render its SCOs, write the manifest (libxml2) and the zip (libzip) into the
/// staging folder, read it back and validate it, and record it as a ledger entry.
extension PackageBuilder {
    static func controlDocuments(_ schemas: URL?) throws -> [String: URL] {
        guard let schemas else { return [:] }
        let folder = schemas.appendingPathComponent("scorm12")
        let names = ["adlcp_rootv1p2.xsd", "imscp_rootv1p1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd"]
        var out: [String: URL] = [:]
        for n in names {
            let u = folder.appendingPathComponent(n)
            guard FileManager.default.fileExists(atPath: u.path) else {
                throw PackagingError(path: u.path, problem: .missingControlDocument)
            }
            out[n] = u
        }
        return out
    }

    func buildOne(
        _ job: Job, root: URL, request: BuildRequest, shared: SharedFiles, validator: PackageValidator,
        rendered: RenderedItems? = nil, clock: StageClock? = nil
    ) throws -> Built {
        func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
            guard let clock else { return try body() }
            return try clock.time(stage, body)
        }
        // Pages rendered once for the whole build (`RenderedItems`) are copied compressed.
        let prepared = job.items.map { rendered?.entry(for: $0) }
        let scos = timed("render SCO pages") { zip(job.items, prepared).map { $1?.sco ?? renderer.render($0) } }
        for sco in scos where sco.worstSuspendData > 4096 {
            throw PackagingError(path: sco.item.id, problem: .suspendDataTooLong(worst: sco.worstSuspendData))
        }
        let content = timed("manifest content") { () -> PackageContent in
            let inside = Set(job.items.map(\.id))
            return PackageContent(
                identifier: job.identifier, title: job.title,
                description: job.items.count == 1
                    ? (renderer.responsibility(job.items[0].responsibility)?.statement ?? job.title) : job.track.title + ". " + curriculum.summary,
                language: curriculum.language, scos: scos, rootItem: scos.count > 1, sharedFiles: shared.assetNames,
                prerequisites: Dictionary(
                    uniqueKeysWithValues: job.items.map { i in
                        // A track's items are already limited to the track: their arrays are shared, not copied.
                        (i.id, i.prerequisites.allSatisfy(inside.contains) ? i.prerequisites : i.prerequisites.filter(inside.contains))
                    }))
        }
        let label = job.relativePath
        // The staging folder is seen by nobody until it is published: the zip goes straight to its place there.
        // (A path, not `appendingPathComponent`, which asks the file system whether it is a folder.)
        let temporary = URL(fileURLWithPath: root.path + "/" + job.relativePath, isDirectory: false)
        do {
            do {
                // A scope of its own: the manifest's bytes (and `writeZip`'s entry list) are
                // freed once the zip is written, before the read-back below holds a second
                // copy and its tree.
                let manifest = try timed("write manifest (libxml2)") { try ManifestWriter.write(content) }
                try FileSystem.makeFolders(temporary.deletingLastPathComponent().path)
                try timed("write zip (libzip)") {
                    try writeZip(manifest: manifest, scos: scos, prepared: prepared, shared: shared, rendered: rendered, to: temporary)
                }
            }
            // Validated once, after writing: the finished file read back as any third-party
            // importer would read it (the temporary file is removed if it fails).
            let report = timed("read back and validate the zip") { validator.validate(path: temporary.path) }
            if !report.valid {
                throw PackagingError(path: label, problem: .invalidPackage(problems: report.issues.filter { $0.severity == .error }.map(\.message)))
            }
            let (sha, size) = try timed("SHA-256 of the zip") { try SHA256Hasher.file(temporary.path) }
            let digest = try timed("source digest") { try job.sourceDigest ?? sourceDigest(job.items) }
            let entry = LedgerEntry(
                path: job.relativePath, sha256: sha, size: size, standard: "SCORM 1.2", lms: request.lms,
                package: request.mode, track: job.track.id, items: job.items.map(\.id), sourceDigest: digest,
                learners: job.learners, schemasValidated: request.schemasFolder != nil, ladderVersion: LadderCore.version)
            return Built(file: temporary, entry: entry)
        } catch {
            // Already failing: the first error is the one to report. A zip left behind sits
            // in the staging folder, which is abandoned with the build.
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Writes the zip of one package at `file`: the manifest, the shared files, the SCO pages
    /// (copied compressed from `rendered` when they were rendered there) and their media, in
    /// sorted order.
    private func writeZip(
        manifest: Data, scos: [RenderedSCO], prepared: [RenderedItems.Entry?], shared: SharedFiles, rendered: RenderedItems?, to file: URL
    ) throws {
        // Every entry: path → bytes in memory or a file streamed at close.
        enum Source { case data(Data), file(URL), shared(Int), item(archive: Int, index: Int) }
        var entries: [String: Source] = ["imsmanifest.xml": .data(manifest)]
        for (index, name) in shared.entries { entries[name] = .shared(index) }
        for (sco, p) in zip(scos, prepared) {
            entries[sco.launch] = p.map { .item(archive: $0.archive, index: $0.index) } ?? .data(sco.html)
            for (k, v) in sco.media { entries[k] = .file(v) }
        }
        // Each package opens the shared archive itself: a libzip archive is not
        // shared between threads.
        let sharedArchive = try shared.open()
        var itemArchives: [Int: ZipReader] = [:]
        let zip = try ZipWriter(path: file.path)
        for name in entries.keys.sorted() {
            let method: ZipWriter.Method = Self.isCompressed(name) ? .store : .deflate
            switch entries[name]! {
            // The manifest is read from its own bytes while the zip is written, not copied
            // into libzip first (3.5 MB for a 4,000-SCO package): the same entry.
            case .data(let d) where name == "imsmanifest.xml": try zip.add(name, pieces: 1, method: method) { _ in d }
            case .data(let d): try zip.add(name, data: d, method: method)
            case .file(let u): try zip.add(name, file: u.path, method: method)
            case .shared(let index): try zip.add(name, copying: index, from: sharedArchive, method: method)
            case .item(let archive, let index):
                if itemArchives[archive] == nil { itemArchives[archive] = try ZipReader(path: rendered!.archives[archive]) }
                try zip.add(name, copying: index, from: itemArchives[archive]!, method: method)
            }
        }
        try zip.close()
        // libzip reads the copied entries from these archives at `close()`.
        withExtendedLifetime((sharedArchive, itemArchives)) {}
    }

    /// The files every package of a build carries (the runtime, the themes, the control
    /// documents), zipped once per build into a temporary archive with the packages' own
    /// settings. Each package copies their compressed bytes from it instead of deflating them
    /// again: the same bytes (checked by the benchmark against a bare libzip loop that
    /// compresses everything), at a tenth of the cost for `ladder.js`.
    final class SharedFiles: Sendable {
        let path: String
        /// The runtime and theme files, for the manifest (control documents are not listed there).
        let assetNames: [String]
        /// Index in the archive and package path of every shared file.
        let entries: [(index: Int, name: String)]

        init(assets: [String: Data], control: [String: URL]) throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-shared-\(UUID().uuidString).zip").path
            do {
                let zip = try ZipWriter(path: path)
                for name in Set(assets.keys).union(control.keys).sorted() {
                    let method: ZipWriter.Method = PackageBuilder.isCompressed(name) ? .store : .deflate
                    if let data = assets[name] { try zip.add(name, data: data, method: method) } else { try zip.add(name, file: control[name]!.path, method: method) }
                }
                try zip.close()
                entries = try ZipReader(path: path).entries.map { ($0.index, $0.name) }
            } catch {
                // Already failing: the first error is the one to report (Ladder's own temporary file).
                try? FileManager.default.removeItem(atPath: path)
                throw error
            }
            assetNames = assets.keys.sorted()
        }

        func open() throws -> ZipReader { try ZipReader(path: path) }

        // Ladder's own temporary file, not user data: a deinit cannot report a failure.
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Already-compressed media are stored: deflating them costs time and saves nothing.
    package static func isCompressed(_ name: String) -> Bool {
        let ext = (name as NSString).pathExtension.lowercased()
        return ["png", "jpg", "jpeg", "gif", "webp", "mp4", "webm", "mp3", "m4a", "ogg", "zip", "woff", "woff2", "pdf"].contains(ext)
    }
}
