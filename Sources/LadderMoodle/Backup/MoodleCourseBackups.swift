import Foundation
import LadderCore
import LadderPackaging

/// `ladder build --lms moodle --format mbz`: one Moodle course backup (.mbz, format moodle2)
/// per track, written from the track's single-SCO packages once the build has made them.
///
/// Stages: the packages read back (`CourseBackup.Package`) → the course with its ids
/// (`CourseBackup.make`) → its XML files (`documents()`, made while written) → the archive, a zip with entries in
/// sorted order and fixed times (`archive(to:)`). Moodle's restore reads zip and tar.gz
/// backups alike (lib/filestorage/mbz_packer.php picks the reader by the file's first bytes);
/// Ladder writes zip, through the same libzip writer as its packages.
public struct MoodleCourseBackups: TrackBundleWriter {
    public let curriculum: Curriculum
    public let plan: Plan
    public var standard: String { "Moodle backup (moodle2)" }

    /// Checks that every track fits Moodle (id numbers, title lengths) before anything is built.
    public init(curriculum: Curriculum, plan: Plan, tracks: [Track]) throws {
        let problems = MoodleLimits.problems(curriculum, plan, tracks: tracks)
        if !problems.isEmpty {
            throw MoodleBackupError(path: curriculum.root.path, problem: .unfitForMoodle(problems))
        }
        self.curriculum = curriculum
        self.plan = plan
    }

    /// `<track>/<curriculum>-<track>.mbz`, beside the track's packages.
    public func relativePath(of track: Track) -> String { "\(track.id)/\(curriculum.id)-\(track.id).mbz" }

    public func write(track: Track, packages: [TrackBundlePackage], to file: URL) throws {
        var read: [String: CourseBackup.Package] = [:]
        for p in packages {
            read[p.item] = try CourseBackup.Package(zip: p.zip, fileName: (p.relativePath as NSString).lastPathComponent)
        }
        let backup = try CourseBackup.make(
            curriculum: curriculum, plan: plan, track: track, fileName: file.lastPathComponent, packages: read)
        try backup.archive(to: file)
        // Read back as the validator reads any backup: a problem here is Ladder's own bug.
        let problems = try MoodleBackupValidator.problems(path: file.path)
        if !problems.isEmpty { throw MoodleBackupError(path: file.path, problem: .invalidBackup(problems)) }
    }
}

extension CourseBackup {
    /// Writes the .mbz: the XML files and each stored file once under `files/<hh>/<hash>`
    /// (backup/util/helper/backup_file_manager.class.php `get_backup_content_file_location`),
    /// in sorted order, deflated except for zips and media.
    package func archive(to file: URL) throws {
        var documents: [String: BackupDocument] = [:]
        for d in self.documents() { documents[d.name] = d }
        var blobs: [String: Blob] = [:]
        for (hash, blob) in self.blobs { blobs["files/\(hash.prefix(2))/\(hash)"] = blob }
        let media = Set(activities.flatMap(\.files).filter { PackageBuilder.isCompressed($0.name) }.map(\.contentHash))
        let zip = try ZipWriter(path: file.path)
        for name in Set(documents.keys).union(blobs.keys).sorted() {
            let hash = String(name.split(separator: "/").last ?? "")
            let method: ZipWriter.Method = name.hasPrefix("files/") && media.contains(hash) ? .store : .deflate
            switch blobs[name] {
            case .package(let url, let size)?: try zip.add(name, reading: url.path, size: UInt64(size), method: method)
            case .entry(let index, let url, let size)?: try zip.add(name, entry: index, ofZipAt: url.path, size: UInt64(size), method: method)
            case nil:
                let d = documents[name]!
                try zip.add(name, pieces: d.pieces, method: method, making: d.make)
            }
        }
        // The stored files are read from the packages here, and the XML files made, one at a time.
        try zip.close()
    }
}
