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
        guard let head = try archive.data("moodle_backup.xml") else { return ["moodle_backup.xml is missing"] }
        // backup/util/helper/convert_helper.class.php detect_moodle2_format: these three
        // strings within the first 200 bytes, or the restore calls it an unknown format.
        let first = String(decoding: head.prefix(200), as: UTF8.self)
        for s in ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<moodle_backup>", "<information>"] where !first.contains(s) {
            out.append("moodle_backup.xml: '\(s)' is not in its first 200 bytes, so Moodle does not see a moodle2 backup")
        }
        let info = try archive.xml("moodle_backup.xml").child("information")
        guard let info else { return out + ["moodle_backup.xml: no <information>"] }
        for field in Self.informationFields where info.child(field) == nil { out.append("moodle_backup.xml: <information> has no <\(field)>") }
        let detail = info.child("details")?.child("detail")
        if detail?.child("format")?.text != "moodle2" { out.append("moodle_backup.xml: details/detail/format is not moodle2") }
        if detail?.child("type")?.text != "course" { out.append("moodle_backup.xml: details/detail/type is not course") }
        for f in Self.requiredFiles where !archive.contains(f) { out.append("\(f) is missing (the restore opens it)") }

        let contents = info.child("contents")
        let settings = Set((info.child("settings")?.children("setting") ?? []).compactMap { $0.child("name")?.text })
        var sections: [Int: [Int]] = [:]  // section id → module ids listed for it
        for s in contents?.child("sections")?.children("section") ?? [] {
            let id = Int(s.child("sectionid")?.text ?? "") ?? -1
            let dir = s.child("directory")?.text ?? ""
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
        var scorms: [(dir: String, module: Int, context: Int, scorm: XMLNode)] = []
        for a in contents?.child("activities")?.children("activity") ?? [] {
            let id = Int(a.child("moduleid")?.text ?? "") ?? -1
            let name = a.child("modulename")?.text ?? ""
            let dir = a.child("directory")?.text ?? ""
            let section = Int(a.child("sectionid")?.text ?? "") ?? -1
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
            if name == "scorm", let s = act.child("scorm") { scorms.append((dir, id, context, s)) }
        }
        for (id, listed) in sections.sorted(by: { $0.key < $1.key }) {
            guard let doc = try archive.xmlIfPresent("sections/section_\(id)/section.xml") else { continue }
            let sequence = (doc.child("sequence")?.text ?? "").split(separator: ",").compactMap { Int($0) }
            if Set(sequence) != Set(listed) { out.append("sections/section_\(id)/section.xml: sequence \(sequence) differs from its activities \(listed)") }
        }
        out += try references(archive, modules: modules, contexts: contexts)
        let files = try fileRows(archive, contexts: contexts, problems: &out)
        summary.files = files.count
        for s in scorms {
            // A damaged package is a problem of this activity, not the end of the check.
            do {
                out += try scoRows(archive, s.dir, s.context, s.scorm, files: files, scos: &summary.scos)
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
