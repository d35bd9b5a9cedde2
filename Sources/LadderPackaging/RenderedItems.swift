import Foundation
import LadderCore
import LadderRendering

extension PackageBuilder {
    /// The pages of the multi-SCO packages among `jobs`, rendered once for all of them; nil
    /// when every package holds one item (each page is then rendered into its own package).
    static func renderOnce(_ jobs: [Job], renderer: SCORenderer, jobs workers: Int) throws -> RenderedItems? {
        let multi = jobs.filter { $0.items.count > 1 }
        guard !multi.isEmpty else { return nil }
        return try RenderedItems(items: multi.flatMap(\.items), renderer: renderer, jobs: workers)
    }

    /// The pages of the items of multi-SCO packages (`--package track`), each rendered and
    /// deflated once per build into temporary archives, for every package holding the item to
    /// copy as compressed bytes (`zip_source_zip` with `ZIP_FL_COMPRESSED`, as `SharedFiles`
    /// are copied).
    ///
    /// The tracks of a ladder share most items (onboarding-P5 holds every item of the lower
    /// levels' tracks, about 3.8 packagings per item on the benchmark's ladder): rendering and
    /// deflating each page again per track cost most of a track build, and holding every page
    /// of a 4,000-item track in memory until its zip was written made the peak grow with the
    /// ladder. Here a page is in memory only until the archive it goes into is written, and
    /// archives are closed every `chunkBytes`, so memory stays flat. The packages' bytes are
    /// the same: the same deflate at the same level, written once and copied as it is.
    final class RenderedItems: Sendable {
        /// Where an item's page is, and its SCO without the page (`html` empty).
        struct Entry: Sendable {
            var sco: RenderedSCO
            var archive: Int
            var index: Int
        }

        /// An archive is written once its pages reach this many bytes: what a worker holds.
        static let chunkBytes = 4 << 20

        let folder: String
        /// The archives, by number.
        let archives: [String]
        private let entries: [String: Entry]

        /// Renders every distinct item of `items` (by id, first occurrence), `jobs` at a time.
        init(items: [PlanItem], renderer: SCORenderer, jobs: Int) throws {
            var seen = Set<String>()
            let distinct = items.filter { seen.insert($0.id).inserted }.map(Self.rendered)
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-items-\(UUID().uuidString)").path
            try FileSystem.makeFolders(folder)
            struct Shared {
                var next = 0
                var archives = 0
                var entries: [String: Entry] = [:]
                var failure: Error?
            }
            let state = Locked(Shared())
            let folder = folder
            ZipWriter.warmUp
            DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, distinct.count))) { _ in
                var writer: (zip: ZipWriter, number: Int, count: Int, bytes: Int)?
                var done: [String: Entry] = [:]
                do {
                    func flush() throws {
                        guard let w = writer else { return }
                        writer = nil
                        try w.zip.close()
                    }
                    while true {
                        let n = state.withLock { s -> Int? in
                            guard s.failure == nil, s.next < distinct.count else { return nil }
                            defer { s.next += 1 }
                            return s.next
                        }
                        guard let n else { break }
                        var sco = renderer.render(distinct[n])
                        if writer == nil {
                            let number = state.withLock { s -> Int in
                                defer { s.archives += 1 }
                                return s.archives
                            }
                            writer = (try ZipWriter(path: Self.path(folder, number)), number, 0, 0)
                        }
                        let method: ZipWriter.Method = PackageBuilder.isCompressed(sco.launch) ? .store : .deflate
                        try writer!.zip.add(sco.launch, data: sco.html, method: method)
                        let size = sco.html.count
                        sco.html = Data()
                        done[sco.item.id] = Entry(sco: sco, archive: writer!.number, index: writer!.count)
                        writer!.count += 1
                        writer!.bytes += size
                        if writer!.bytes >= Self.chunkBytes { try flush() }
                    }
                    try flush()
                    state.withLock { $0.entries.merge(done) { a, _ in a } }
                } catch {
                    state.withLock { if $0.failure == nil { $0.failure = error } }
                }
            }
            let result = state.withLock { $0 }
            if let e = result.failure {
                // Already failing: the first error is the one to report (Ladder's own temporary files).
                try? FileManager.default.removeItem(atPath: folder)
                throw e
            }
            archives = (0..<result.archives).map { Self.path(folder, $0) }
            entries = result.entries
        }

        private static func path(_ folder: String, _ number: Int) -> String { folder + "/\(number).zip" }

        /// What the page depends on: the item without its prerequisites (those differ from
        /// track to track and go into the manifest, never into the page).
        private static func rendered(_ item: PlanItem) -> PlanItem {
            var i = item
            i.prerequisites = []
            return i
        }

        /// The item's page, when it was rendered here from the same item (else nil: the caller
        /// renders it itself).
        func entry(for item: PlanItem) -> Entry? {
            guard var e = entries[item.id], e.sco.item == Self.rendered(item) else { return nil }
            e.sco.item = item
            return e
        }

        // Ladder's own temporary files, not user data: a deinit cannot report a failure.
        deinit { try? FileManager.default.removeItem(atPath: folder) }
    }
}
