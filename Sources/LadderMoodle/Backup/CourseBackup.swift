import Foundation
import LadderCore
import LadderPackaging

/// A track as a Moodle course, with every id the backup's files refer to: the stage between
/// the plan and the XML. Pure: the same track and packages give the same value.
///
/// Ids are small counters in course order (Moodle maps every one of them to a new id on
/// restore): course 1 in context 2 under the system context 1; sections 1 (the general section
/// 0) and one per level; course modules, SCORM instances and grade items numbered alike, one
/// per plan item, each activity in context 1000 + its number.
package struct CourseBackup: Sendable {
    package static let courseID = 1
    package static let courseContextID = 2
    package static let systemContextID = 1
    /// Moodle 4.5 (backup/backup.class.php `backup::VERSION` and `RELEASE`; mod/scorm/version.php).
    package static let moodleVersion = "2024100700"
    package static let moodleRelease = "4.5 (Build: 20241007)"
    package static let backupRelease = "4.5"
    package static let scormVersion = "2024100700"

    package var fileName: String
    package var fullName: String
    package var shortName: String
    package var summary: String
    package var framework: String
    /// The levels' competency id numbers: course competencies that course completion completes.
    package var levelCompetencies: [String]
    /// 32 hex digits from the curriculum and track ids (Moodle uses an md5 of random data).
    package var backupID: String
    package var sections: [Section]
    package var activities: [Activity]
    /// The course module of each plan item of the track, by item id.
    package var moduleOf: [String: Int]

    package struct Section: Sendable {
        package var id: Int
        package var number: Int
        /// nil for the general section 0 (Moodle shows its default name).
        package var name: String?
        package var summary: String
        package var modules: [Int]
        package var directory: String { "sections/section_\(id)" }
    }

    package struct Activity: Sendable {
        package var moduleID: Int
        package var contextID: Int { 1000 + moduleID }
        package var sectionID: Int
        package var sectionNumber: Int
        package var item: PlanItem
        package var name: String
        package var intro: String
        /// The responsibility's competency id number, when the item has one.
        package var competency: String?
        package var package: Package
        /// The `scorm_scoes` id of the package's first row; the others follow in row order.
        package var firstSCOID: Int
        /// The `scorm_scoes_data` id of the first row's first datum; the others follow, row by row.
        package var firstSCODataID: Int
        /// The files.xml id of the package; its entries' ids follow in zip order.
        package var firstFileID: Int
        package var directory: String { "activities/scorm_\(moduleID)" }
        /// The course-module competency rule outcome (competency/classes/course_module_competency.php):
        /// 3 complete for the responsibility's last activity in the course, 1 evidence for the
        /// ones before, so a responsibility is rated once all its items are done, not at its
        /// first module.
        package var ruleOutcome: Int
        /// SCORM activity completion (mod/scorm/classes/completion/custom_completion.php): 4,
        /// the SCO reported completed; nil for an assessment, complete when its grade passes.
        package var completionStatusRequired: Int? { item.kind == .assessment ? nil : 4 }
        /// The launch SCO: the first row with a launch (restore maps it to the new sco id).
        package var launchSCO: Int? { package.launchRow.map { firstSCOID + $0 } }

        /// `scorm_scoes` ids of the package's rows, in row order.
        package var scoIDs: [Int] { Array(firstSCOID..<(firstSCOID + package.dataCounts.count)) }

        /// `scorm_scoes_data` ids, per row.
        package var scoDataIDs: [[Int]] {
            var next = firstSCODataID
            return package.dataCounts.map { count in
                defer { next += count }
                return Array(next..<(next + count))
            }
        }

        /// The ids of `files`.
        package var fileIDs: ClosedRange<Int> { firstFileID...(firstFileID + package.entries.count) }

        /// The rows of files.xml for this activity's context: the package in the `package`
        /// area, then each of its files in the `content` area. Made when asked for from the
        /// package's entries (a 4,000-activity course has 40,000 rows; kept, they were 10 MB).
        package var files: [FileRecord] {
            var out = [
                FileRecord(
                    id: firstFileID, contextID: contextID, area: "package", path: "/", name: package.fileName,
                    contentHash: package.contentHash.hex, size: package.size, mimeType: "application/zip")
            ]
            out.reserveCapacity(1 + package.entries.count)
            for (n, e) in package.entries.enumerated() {
                let (path, name) = CourseBackup.split(e.name)
                out.append(
                    FileRecord(
                        id: firstFileID + 1 + n, contextID: contextID, area: "content", path: path, name: name,
                        contentHash: e.contentHash.hex, size: e.size, mimeType: CourseBackup.mimeType(name)))
            }
            return out
        }
    }

    /// One single-SCO package as it goes into the backup: its hashes, sizes and the shape of
    /// its SCO rows, not its bytes (a 4,000-item track's packages and their files are about
    /// 1.5 GB; the archive reads each from the package zip only while it is written,
    /// `archive(to:)`), nor the rows themselves (read again when scorm.xml is made, `rows()`:
    /// kept for 4,000 packages, the rows and their strings were 6 MB).
    package struct Package: Sendable {
        /// The zip's file name, `scorm.reference` and the file in the `package` area.
        package var fileName: String
        /// The path of the zip the build wrote, made once: the archive names it for each of the
        /// package's entries (a `URL` beside it was 2 MB for a 4,000-item track).
        package var zipPath: String
        package var size: Int
        package var contentHash: SHA1Digest
        /// Every file of the zip (no folders), in zip order.
        package var entries: [Entry]
        /// The index in the zip of imsmanifest.xml.
        package var manifestIndex: Int
        /// How many `scorm_scoes_data` rows each SCO row has, in row order.
        package var dataCounts: [Int]
        /// The first row with a launch, the one scorm.xml launches.
        package var launchRow: Int?

        package struct Entry: Sendable {
            package var name: String
            /// Its index in the package zip.
            package var index: Int
            package var size: Int
            package var contentHash: SHA1Digest
        }

        /// Reads a package Ladder built: its hash, every file in it (each read once, for its
        /// hash), and the SCO rows Moodle would make from its manifest.
        package init(zip: URL, fileName: String) throws {
            self.fileName = fileName
            zipPath = zip.path
            let bytes = try FileSystemError.foundation(zip.path, "read the package") { try Data(contentsOf: zip) }
            size = bytes.count
            contentHash = SHA1.digest(bytes)
            let reader = try ZipReader(path: zip.path)
            var manifest: (index: Int, data: Data)?
            entries = try reader.entries.filter { !$0.name.hasSuffix("/") }.map { e in
                let data = try reader.read(e)
                if e.name == "imsmanifest.xml" { manifest = (e.index, data) }
                return Entry(name: e.name, index: e.index, size: data.count, contentHash: SHA1.digest(data))
            }
            guard let manifest else {
                throw MoodleBackupError(path: zip.path, problem: .invalidBackup(["the package has no imsmanifest.xml"]))
            }
            let rows = MoodleSCORows.rows(try PackageManifest(data: manifest.data))
            let scos = rows.filter { $0.scormtype == "sco" }.count
            if scos != 1 { throw MoodleBackupError(path: zip.path, problem: .notSingleSCO(scos: scos)) }
            manifestIndex = manifest.index
            dataCounts = rows.map(\.data.count)
            launchRow = rows.firstIndex { !$0.launch.isEmpty }
        }

        /// The SCO rows Moodle would make from the package's manifest, read from the zip again.
        /// Throws when they no longer have the shape read first (the ids given to them would
        /// not fit).
        package func rows() throws -> [SCORow] {
            let reader = try ZipReader(path: zipPath)
            guard reader.entries.indices.contains(manifestIndex), reader.entries[manifestIndex].name == "imsmanifest.xml" else {
                throw MoodleBackupError(path: zipPath, problem: .invalidBackup(["the package's imsmanifest.xml is no longer entry \(manifestIndex + 1)"]))
            }
            let rows = MoodleSCORows.rows(try PackageManifest(data: try reader.read(reader.entries[manifestIndex])))
            guard rows.map(\.data.count) == dataCounts, rows.firstIndex(where: { !$0.launch.isEmpty }) == launchRow else {
                throw MoodleBackupError(
                    path: zipPath, problem: .invalidBackup(["the package's SCO rows changed after it was read: its manifest no longer makes the rows counted"]))
            }
            return rows
        }
    }

    /// A row of files.xml: one stored file of an activity's context.
    package struct FileRecord: Sendable, Equatable {
        package var id: Int
        package var contextID: Int
        package var area: String
        package var path: String
        package var name: String
        package var contentHash: String
        package var size: Int
        package var mimeType: String
    }

    /// The course of `track`: a section per level in rank order, holding the level's items in
    /// plan order. `packages` maps item ids to their single-SCO packages.
    package static func make(
        curriculum c: Curriculum, plan: Plan, track: Track, fileName: String, packages: [String: Package]
    ) throws -> CourseBackup {
        let items = plan.items(of: track)
        let levels = c.levels.filter { l in items.contains { $0.level == l.id } }.sorted { $0.rank < $1.rank }
        var sections = [Section(id: 1, number: 0, name: nil, summary: "", modules: [])]
        var ordered: [(PlanItem, sectionID: Int, number: Int)] = []
        for (n, level) in levels.enumerated() {
            let section = Section(id: n + 2, number: n + 1, name: Self.sectionName(level), summary: Self.summary(of: level), modules: [])
            sections.append(section)
            for item in items where item.level == level.id { ordered.append((item, section.id, section.number)) }
        }
        var moduleOf: [String: Int] = [:]
        for (i, o) in ordered.enumerated() { moduleOf[o.0.id] = i + 1 }
        var activities: [Activity] = []
        var nextSCO = 1
        var nextData = 1
        var nextFile = 1
        for (i, (item, sectionID, number)) in ordered.enumerated() {
            guard let p = packages[item.id] else {
                throw MoodleBackupError(path: fileName, problem: .invalidBackup(["no package was built for \(item.id)"]))
            }
            let moduleID = i + 1
            sections[sections.firstIndex { $0.id == sectionID }!].modules.append(moduleID)
            let responsibility = c.responsibilities.first { $0.id == item.responsibility && $0.level == item.level }
            let (firstSCO, firstData, firstFile) = (nextSCO, nextData, nextFile)
            nextSCO += p.dataCounts.count
            nextData += p.dataCounts.reduce(0, +)
            nextFile += 1 + p.entries.count
            activities.append(
                Activity(
                    moduleID: moduleID, sectionID: sectionID, sectionNumber: number, item: item, name: item.title,
                    intro: responsibility.map { "<p>" + HTML.escape($0.statement) + "</p>" } ?? "",
                    competency: responsibility.map { MoodleIDNumbers.responsibility($0, in: c) },
                    package: p, firstSCOID: firstSCO,
                    firstSCODataID: firstData, firstFileID: firstFile,
                    ruleOutcome: ordered[(i + 1)...].contains { $0.0.responsibility == item.responsibility && $0.0.level == item.level } ? 1 : 3))
        }
        let fullName = MoodleLimits.courseFullName(c, track)
        return CourseBackup(
            fileName: fileName, fullName: fullName, shortName: MoodleLimits.courseShortName(c, track),
            summary: "<p>" + HTML.escape(track.title + ". " + c.summary) + "</p>", framework: MoodleIDNumbers.framework(c),
            levelCompetencies: levels.map { MoodleIDNumbers.level($0, in: c) },
            backupID: String(SHA256Hasher.hex(Data("ladder-backup\0\(c.id)\0\(track.id)".utf8)).prefix(32)), sections: sections,
            activities: activities, moduleOf: moduleOf)
    }

    /// Course modules that must be complete before `a` (the plan's prerequisites inside the
    /// track), in module order; made when module.xml is (kept for 4,000 activities, 5 MB).
    package func prerequisites(of a: Activity) -> [Int] { a.item.prerequisites.compactMap { moduleOf[$0] }.sorted() }

    /// "P1: Customer Service Representative I": the level id first, as the ladder names levels.
    package static func sectionName(_ level: Level) -> String { "\(level.id): \(level.title)" }

    /// The level's summary and guidelines as the section summary (HTML, every value escaped).
    static func summary(of level: Level) -> String {
        var html = level.summary.map { "<p>" + HTML.escape($0) + "</p>" } ?? ""
        let g = level.guidelines
        let rows = [("Knowledge", g.knowledge), ("Problem solving", g.problemSolving), ("Collaboration", g.collaboration), ("Experience", g.experience)]
        let present = rows.compactMap { k, v in v.map { (k, $0) } }
        if !present.isEmpty {
            html += "<dl>" + present.map { "<dt>\($0.0)</dt><dd>" + HTML.escape($0.1) + "</dd>" }.joined() + "</dl>"
        }
        return html
    }

    /// A zip entry name as Moodle's file storage keeps it: `/folder/` path and a file name.
    static func split(_ entry: String) -> (path: String, name: String) {
        guard let slash = entry.lastIndex(of: "/") else { return ("/", entry) }
        return ("/" + entry[..<slash] + "/", String(entry[entry.index(after: slash)...]))
    }

    /// The MIME types Moodle's `mimeinfo` gives the file kinds a Ladder package holds.
    static func mimeType(_ name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "html", "htm": return "text/html"
        case "js": return "application/x-javascript"
        case "css": return "text/css"
        case "xml", "xsd": return "application/xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "svg": return "image/svg+xml"
        case "webp": return "image/webp"
        case "mp4": return "video/mp4"
        case "mp3": return "audio/mp3"
        case "pdf": return "application/pdf"
        case "zip": return "application/zip"
        case "json": return "application/json"
        case "txt": return "text/plain"
        default: return "document/unknown"
        }
    }

    /// Where a stored file's bytes are: a package zip, or an entry of one.
    /// The path is the package's `zipPath`, one string for all its entries.
    package enum Blob: Equatable {
        case package(String, size: Int)
        case entry(Int, of: String, size: Int)
    }

    /// Every stored file of the backup once, by content hash (files.xml may name one content
    /// several times; the archive holds it once, read from the first package that has it).
    package var blobs: [SHA1Digest: Blob] {
        var out: [SHA1Digest: Blob] = [:]
        for a in activities {
            if out[a.package.contentHash] == nil { out[a.package.contentHash] = .package(a.package.zipPath, size: a.package.size) }
            for e in a.package.entries where out[e.contentHash] == nil { out[e.contentHash] = .entry(e.index, of: a.package.zipPath, size: e.size) }
        }
        return out
    }
}
