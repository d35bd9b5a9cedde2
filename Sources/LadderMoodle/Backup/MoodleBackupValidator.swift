import Foundation
import LadderCore
import LadderPackaging

/// Checks a course backup (.mbz, zip) the way Moodle's restore will use it, without a Moodle:
/// moodle_backup.xml as `get_backup_information` and `detect_moodle2_format` read it, every
/// file a listed section or activity needs, ids that agree across files (sections, course
/// modules, contexts, file ids in inforef.xml, the course modules availability conditions and
/// course completion name), every stored file present with its SHA-1, and each SCORM
/// activity's SCO rows equal to the rows Moodle would make from the package it carries.
public enum MoodleBackupValidator {
    public static let standard = "Moodle backup (moodle2)"

    /// The validation report of the backup at `path` (problems as `mbz` errors).
    public static func report(path: String) -> ValidationReport {
        var summary = Summary()
        let issues: [ValidationIssue]
        do {
            issues = try problems(path: path, summary: &summary).map { ValidationIssue(severity: .error, code: "mbz", message: $0) }
        } catch {
            issues = [ValidationIssue(severity: .error, code: "mbz-unreadable", message: "\(error)")]
        }
        return ValidationReport(
            path: path, standard: standard, scos: summary.scos, resources: summary.activities, files: summary.files, issues: issues)
    }

    struct Summary {
        var activities = 0
        var scos = 0
        var files = 0
    }

    /// Every problem found, empty when the backup holds together. Throws when the file is not
    /// a zip libzip can read.
    package static func problems(path: String) throws -> [String] {
        var summary = Summary()
        return try problems(path: path, summary: &summary)
    }

    static func problems(path: String, summary: inout Summary) throws -> [String] {
        let archive = try BackupArchive(path: path)
        var out: [String] = []
        guard let head = try archive.prefix(200, of: "moodle_backup.xml") else { return ["moodle_backup.xml is missing"] }
        // backup/util/helper/convert_helper.class.php detect_moodle2_format: these three
        // strings within the first 200 bytes, or the restore calls it an unknown format.
        let first = String(decoding: head.prefix(200), as: UTF8.self)
        for s in ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<moodle_backup>", "<information>"] where !first.contains(s) {
            out.append("moodle_backup.xml: '\(s)' is not in its first 200 bytes, so Moodle does not see a moodle2 backup")
        }
        let backup = try MoodleBackupInformation(archive)
        guard let info = backup.information else { return out + ["moodle_backup.xml: no <information>"] }
        for field in Self.informationFields where info.fields[field] == nil { out.append("moodle_backup.xml: <information> has no <\(field)>") }
        if backup.detail?.fields["format"] != "moodle2" { out.append("moodle_backup.xml: details/detail/format is not moodle2") }
        if backup.detail?.fields["type"] != "course" { out.append("moodle_backup.xml: details/detail/type is not course") }
        for f in Self.requiredFiles where !archive.contains(f) { out.append("\(f) is missing (the restore opens it)") }

        let settings = Set(backup.settings.compactMap { $0.fields["name"] })
        var sections: [Int: [Int]] = [:]  // section id → module ids listed for it
        for s in backup.sections {
            let id = Int(s.fields["sectionid"] ?? "") ?? -1
            let dir = s.fields["directory"] ?? ""
            sections[id] = []
            if dir != "sections/section_\(id)" { out.append("section \(id): directory '\(dir)' is not sections/section_\(id)") }
            if !settings.contains("section_\(id)_included") { out.append("section \(id): no section_\(id)_included setting") }
            if let doc = try archive.xmlIfPresent(dir + "/section.xml") {
                if doc.attribute("id") != String(id) { out.append("\(dir)/section.xml: id \(doc.attribute("id") ?? "none"), listed as \(id)") }
            } else {
                out.append("\(dir)/section.xml is missing")
            }
        }
        var modules: Set<Int> = []
        var contexts: [Int: (dir: String, module: Int)] = [:]
        // SCORM activities to check against their packages at the end; each scorm.xml is read
        // again then rather than kept (4,000 trees).
        var scorms: [(dir: String, file: String, context: Int)] = []
        for a in backup.activities {
            let id = Int(a.fields["moduleid"] ?? "") ?? -1
            let name = a.fields["modulename"] ?? ""
            let dir = a.fields["directory"] ?? ""
            let section = Int(a.fields["sectionid"] ?? "") ?? -1
            modules.insert(id)
            summary.activities += 1
            if dir != "activities/\(name)_\(id)" { out.append("activity \(id): directory '\(dir)' is not activities/\(name)_\(id)") }
            if !settings.contains("\(name)_\(id)_included") { out.append("activity \(id): no \(name)_\(id)_included setting") }
            if sections[section] == nil { out.append("activity \(id): section \(section) is not listed") } else { sections[section]!.append(id) }
            for f in ["module.xml", "\(name).xml", "inforef.xml", "roles.xml", "grades.xml"] where !archive.contains(dir + "/" + f) {
                out.append("\(dir)/\(f) is missing")
            }
            if let m = try archive.xmlIfPresent(dir + "/module.xml") {
                if m.attribute("id") != String(id) { out.append("\(dir)/module.xml: id \(m.attribute("id") ?? "none"), listed as \(id)") }
                if m.child("sectionid")?.text != String(section) { out.append("\(dir)/module.xml: sectionid differs from moodle_backup.xml") }
            }
            guard let act = try archive.xmlIfPresent(dir + "/\(name).xml") else { continue }
            if act.attribute("moduleid") != String(id) { out.append("\(dir)/\(name).xml: moduleid differs from moodle_backup.xml") }
            guard let context = Int(act.attribute("contextid") ?? "") else {
                out.append("\(dir)/\(name).xml: no contextid")
                continue
            }
            contexts[context] = (dir, id)
            if name == "scorm", act.child("scorm") != nil { scorms.append((dir, dir + "/\(name).xml", context)) }
        }
        for (id, listed) in sections.sorted(by: { $0.key < $1.key }) {
            guard let doc = try archive.xmlIfPresent("sections/section_\(id)/section.xml") else { continue }
            let sequence = (doc.child("sequence")?.text ?? "").split(separator: ",").compactMap { Int($0) }
            if Set(sequence) != Set(listed) { out.append("sections/section_\(id)/section.xml: sequence \(sequence) differs from its activities \(listed)") }
        }
        out += try references(archive, modules: modules, contexts: contexts)
        // Each activity's rows, found once: a search of every row per activity was 40,000 ×
        // 4,000 comparisons for a 4,000-activity course.
        let (filesByContext, fileCount) = try fileRows(archive, contexts: contexts, problems: &out)
        summary.files = fileCount
        for s in scorms {
            // A damaged package is a problem of this activity, not the end of the check.
            do {
                guard let scorm = try archive.xmlIfPresent(s.file)?.child("scorm") else { continue }
                out += try scoRows(archive, s.dir, scorm, files: filesByContext[s.context] ?? [], scos: &summary.scos)
            } catch {
                out.append("\(s.dir): its package cannot be read: \(error)")
            }
        }
        return out
    }

    static let informationFields = [
        "name", "moodle_version", "moodle_release", "backup_version", "backup_release", "backup_date", "mnet_remoteusers",
        "original_wwwroot", "original_site_identifier_hash", "original_course_id", "original_course_fullname",
        "original_course_shortname", "original_course_startdate", "original_course_contextid", "original_system_contextid",
        "details", "contents", "settings",
    ]
    static let requiredFiles = [
        "files.xml", "roles.xml", "groups.xml", "scales.xml", "outcomes.xml", "questions.xml", "course/course.xml",
        "course/roles.xml", "course/enrolments.xml",
    ]
}

/// What the checks need of moodle_backup.xml, read as a stream (`BackupArchive.records`):
/// `<information>` and its first `details/detail`, the sections and activities listed under
/// `contents`, the settings. (Moodle writes each of these containers once; were one
/// repeated, the elements of every copy would be read, where the tree gave the first's.)
struct MoodleBackupInformation {
    var information: BackupXMLRecord?
    var detail: BackupXMLRecord?
    var sections: [BackupXMLRecord]
    var activities: [BackupXMLRecord]
    var settings: [BackupXMLRecord]

    init(_ archive: BackupArchive) throws {
        let paths = [
            ["information"], ["information", "details", "detail"], ["information", "contents", "sections", "section"],
            ["information", "contents", "activities", "activity"], ["information", "settings", "setting"],
        ]
        guard let r = try archive.records("moodle_backup.xml", at: paths) else {
            throw MoodleBackupError(path: archive.path, problem: .invalidBackup(["moodle_backup.xml is missing"]))
        }
        (information, detail, sections, activities, settings) = (r[0].first, r[1].first, r[2], r[3], r[4])
    }
}
