import Foundation
import LadderCore
import LadderPackaging

/// `ladder build --lms moodle --format mbz`: one Moodle course backup (.mbz, format moodle2)
/// per track, written from the track's single-SCO packages once the build has made them.
///
/// Stages: the packages read back (`CourseBackup.Package`) → the course with its ids
/// (`CourseBackup.make`) → its XML files (by number, `makeDocument`, made while written) → the archive, a zip with entries in
/// sorted order and fixed times (`archive(to:)`). Moodle's restore reads zip and tar.gz
/// backups alike (lib/filestorage/mbz_packer.php picks the reader by the file's first bytes);
/// Ladder writes zip, through the same libzip writer as its packages.
public struct MoodleCourseBackups: TrackBundleWriter {
    /// The curriculum's id. The curriculum itself comes with each `write`, from the builder,
    /// which holds it without its texts by then: a copy kept here would hold them, or be a
    /// second copy without them.
    public let curriculumID: String
    public let plan: Plan
    public var standard: String { "Moodle backup (moodle2)" }

    /// Checks that every track fits Moodle (id numbers, title lengths) before anything is built.
    public init(curriculum: Curriculum, plan: Plan, tracks: [Track]) throws {
        let problems = MoodleLimits.problems(curriculum, plan, tracks: tracks)
        if !problems.isEmpty {
            throw MoodleBackupError(path: curriculum.root.path, problem: .unfitForMoodle(problems))
        }
        curriculumID = curriculum.id
        self.plan = plan
    }

    /// `<track>/<curriculum>-<track>.mbz`, beside the track's packages.
    public func relativePath(of track: Track) -> String { "\(track.id)/\(curriculumID)-\(track.id).mbz" }

    public func write(track: Track, packages: [TrackBundlePackage], curriculum: Curriculum, to file: URL) throws {
        try course(track: track, packages: packages, curriculum: curriculum, fileName: file.lastPathComponent).archive(to: file)
        // Read back as the validator reads any backup: a problem here is Ladder's own bug.
        let problems = try MoodleBackupValidator.problems(path: file.path)
        if !problems.isEmpty { throw MoodleBackupError(path: file.path, problem: .invalidBackup(problems)) }
    }

    /// The course of `track` from its packages read back; the table of them goes on return,
    /// before the archive is written.
    private func course(track: Track, packages: [TrackBundlePackage], curriculum: Curriculum, fileName: String) throws -> CourseBackup {
        var read: [String: CourseBackup.Package] = [:]
        for p in packages {
            read[p.item] = try CourseBackup.Package(zip: p.zip, fileName: (p.relativePath as NSString).lastPathComponent)
        }
        return try CourseBackup.make(curriculum: curriculum, plan: plan, track: track, fileName: fileName, packages: read)
    }
}

extension CourseBackup {
    /// Writes the .mbz: the XML files and each stored file once under `files/<hh>/<hash>`
    /// (backup/util/helper/backup_file_manager.class.php `get_backup_content_file_location`),
    /// in sorted order, deflated except for zips and media.
    package func archive(to file: URL) throws {
        let zip = try ZipWriter(path: file.path)
        try add(to: zip)
        // The stored files are read from the packages here, and the XML files made, one at a time.
        try zip.close()
    }

    /// Adds every entry to `zip` in name order: the XML files and the stored files, two sorted
    /// lists merged, a stored file's name made only when it is added. The lists go when this
    /// returns, before `close()` (for a 4,000-activity course, 64,000 names and their tables
    /// were 7 MB held while libzip wrote).
    private func add(to zip: ZipWriter) throws {
        let documents = (0..<documentCount).map { (number: $0, name: documentName($0)) }.sorted { $0.name < $1.name }
        let maker = zip.addMaker(named: { [self] in documentName($0) }) { [self] n, piece in try makeDocument(n, piece: piece) }
        // `files/<hh>/<hash>` in name order is the order of the hashes.
        let blobs = self.blobs.sorted { $0.key < $1.key }
        var media = Set<SHA1Digest>()
        for a in activities {
            if PackageBuilder.isCompressed(a.package.fileName) { media.insert(a.package.contentHash) }
            for e in a.package.entries where PackageBuilder.isCompressed(Self.split(e.name).name) { media.insert(e.contentHash) }
        }
        var (d, b) = (documents.startIndex, blobs.startIndex)
        while d < documents.endIndex || b < blobs.endIndex {
            let stored = b < blobs.endIndex ? blobs[b].key.hex : nil
            let storedName = stored.map { "files/\($0.prefix(2))/\($0)" }
            if let storedName, d == documents.endIndex || storedName <= documents[d].name {
                // A document of the same name (there is none) would be left out, as the one
                // table of names did.
                if d < documents.endIndex, documents[d].name == storedName { d += 1 }
                let (hash, blob) = blobs[b]
                let method: ZipWriter.Method = media.contains(hash) ? .store : .deflate
                switch blob {
                case .package(let path, let size): try zip.add(storedName, reading: path, size: UInt64(size), method: method)
                case .entry(let index, let path, let size): try zip.add(storedName, entry: index, ofZipAt: path, size: UInt64(size), method: method)
                }
                b += 1
            } else {
                let doc = documents[d]
                try zip.add(doc.name, item: doc.number, pieces: documentPieces(doc.number), of: maker, method: .deflate)
                d += 1
            }
        }
    }
}
