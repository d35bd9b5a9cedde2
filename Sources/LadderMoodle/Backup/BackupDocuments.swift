import Foundation

/// The XML files of a course backup, by path inside the .mbz: what Moodle's restore reads
/// (docs/moodle-backup.md lists each file with the Moodle code it follows).
extension CourseBackup {
    /// The XML files of the course: 14 of the course itself, then 2 per section and 6 per
    /// activity, numbered in that order (`documentName`, `makeDocument`). A number stands for
    /// a file, so the archive holds two numbers per file, not a closure
    /// (`ZipWriter.add(_:item:pieces:of:method:)`). Each table gives a file's name with the
    /// way to make piece `piece` of it (only files.xml has more than one).
    private typealias Made<Part> = @Sendable (CourseBackup, Part, _ piece: Int) throws -> Data
    private static let courseDocuments: [(name: String, make: Made<Void>)] = [
        ("moodle_backup.xml", { b, _, _ in try b.moodleBackup() }),
        ("files.xml", { b, _, piece in try b.filesXMLPiece(piece) }),
        ("completion.xml", { b, _, _ in try b.courseCompletion() }),
        ("roles.xml", { _, _, _ in try BackupXML.empty("roles_definition") }),
        ("groups.xml", { _, _, _ in try BackupXML.empty("groups", children: ["groupings"]) }),
        ("scales.xml", { _, _, _ in try BackupXML.empty("scales_definition") }),
        ("outcomes.xml", { _, _, _ in try BackupXML.empty("outcomes_definition") }),
        ("questions.xml", { _, _, _ in try BackupXML.empty("question_categories") }),
        ("course/course.xml", { b, _, _ in try b.course() }),
        ("course/enrolments.xml", { _, _, _ in try BackupXML.empty("enrolments", children: ["enrols"]) }),
        ("course/roles.xml", { _, _, _ in try roles() }),
        ("course/inforef.xml", { _, _, _ in try BackupXML.empty("inforef") }),
        ("course/competencies.xml", { b, _, _ in try b.courseCompetencies() }),
        ("course/completiondefaults.xml", { _, _, _ in try BackupXML.empty("course_completion_defaults") }),
    ]
    private static let sectionDocuments: [(name: String, make: Made<Section>)] = [
        ("section.xml", { b, s, _ in try b.section(s) }),
        ("inforef.xml", { _, _, _ in try BackupXML.empty("inforef") }),
    ]
    private static let activityDocuments: [(name: String, make: Made<Activity>)] = [
        ("module.xml", { b, a, _ in try b.module(a) }),
        ("scorm.xml", { b, a, _ in try b.scorm(a) }),
        ("grades.xml", { b, a, _ in try b.grades(a) }),
        ("inforef.xml", { b, a, _ in try b.inforef(a) }),
        ("roles.xml", { _, _, _ in try roles() }),
        ("competencies.xml", { b, a, _ in try b.activityCompetencies(a) }),
    ]

    /// A document's number, read: file `k` of the course, of section `i` or of activity `i`.
    private enum DocumentNumber {
        case course(Int)
        case section(Int, Int)
        case activity(Int, Int)
    }

    private func document(_ n: Int) -> DocumentNumber {
        let (c, s) = (Self.courseDocuments.count, Self.sectionDocuments.count * sections.count)
        if n < c { return .course(n) }
        if n < c + s { return .section((n - c) / Self.sectionDocuments.count, (n - c) % Self.sectionDocuments.count) }
        let a = n - c - s
        return .activity(a / Self.activityDocuments.count, a % Self.activityDocuments.count)
    }

    /// How many XML files the backup has.
    var documentCount: Int {
        Self.courseDocuments.count + Self.sectionDocuments.count * sections.count + Self.activityDocuments.count * activities.count
    }

    /// The path inside the .mbz of document `n`.
    func documentName(_ n: Int) -> String {
        switch document(n) {
        case .course(let k): return Self.courseDocuments[k].name
        case .section(let i, let k): return sections[i].directory + "/" + Self.sectionDocuments[k].name
        case .activity(let i, let k): return activities[i].directory + "/" + Self.activityDocuments[k].name
        }
    }

    /// How many pieces document `n` comes in: files.xml one per activity (18 MB of a
    /// 4,000-activity course's 60 MB of XML), the others one.
    func documentPieces(_ n: Int) -> Int {
        guard case .course(let k) = document(n), Self.courseDocuments[k].name == "files.xml" else { return 1 }
        return max(1, activities.count)
    }

    /// Piece `piece` of document `n`; the same bytes every time.
    func makeDocument(_ n: Int, piece: Int) throws -> Data {
        switch document(n) {
        case .course(let k): return try Self.courseDocuments[k].make(self, (), piece)
        case .section(let i, let k): return try Self.sectionDocuments[k].make(self, sections[i], piece)
        case .activity(let i, let k): return try Self.activityDocuments[k].make(self, activities[i], piece)
        }
    }

    /// Every XML file of the backup, each made when asked (the archive is written from the
    /// numbers above; this list is for reading the files one by one).
    package func documents() -> [BackupDocument] {
        (0..<documentCount).map { n in
            BackupDocument(documentName(n), pieces: documentPieces(n)) { [self] piece in try makeDocument(n, piece: piece) }
        }
    }

    /// backup/moodle2/backup_stepslib.php `backup_main_structure_step`; read back by
    /// backup/util/helper/backup_general_helper.class.php `get_backup_information`.
    func moodleBackup() throws -> Data {
        let x = try BackupXML("moodle_backup")
        try x.group("information") {
            try x.fields([
                ("name", fileName), ("moodle_version", Self.moodleVersion), ("moodle_release", Self.moodleRelease),
                ("backup_version", Self.moodleVersion), ("backup_release", Self.backupRelease),
                // No clock in the output: a fixed date keeps two builds byte-identical.
                ("backup_date", "0"), ("mnet_remoteusers", "0"), ("include_files", "1"),
                ("include_file_references_to_external_content", "0"), ("original_wwwroot", "https://ladder.invalid"),
                ("original_site_identifier_hash", backupID), ("original_course_id", String(Self.courseID)),
                ("original_course_format", "topics"), ("original_course_fullname", fullName),
                ("original_course_shortname", shortName), ("original_course_startdate", "0"), ("original_course_enddate", "0"),
                ("original_course_contextid", String(Self.courseContextID)),
                ("original_system_contextid", String(Self.systemContextID)),
            ])
            try x.group("details") {
                try x.group("detail", ["backup_id": backupID]) {
                    // backup/backup.class.php: TYPE_1COURSE, FORMAT_MOODLE, INTERACTIVE_YES, MODE_GENERAL, EXECUTION_INMEDIATE.
                    try x.fields([
                        ("type", "course"), ("format", "moodle2"), ("interactive", "1"), ("mode", "10"), ("execution", "1"),
                        ("executiontime", "0"),
                    ])
                }
            }
            try x.group("contents") {
                try x.group("activities") {
                    for a in activities {
                        try x.group("activity") {
                            try x.fields([
                                ("moduleid", String(a.moduleID)), ("sectionid", String(a.sectionID)), ("modulename", "scorm"),
                                ("title", a.name), ("directory", a.directory), ("insubsection", ""),
                            ])
                        }
                    }
                }
                try x.group("sections") {
                    for s in sections {
                        try x.group("section") {
                            try x.fields([
                                ("sectionid", String(s.id)), ("title", s.name ?? String(s.number)), ("directory", s.directory),
                                ("parentcmid", ""), ("modname", ""),
                            ])
                        }
                    }
                }
                try x.group("course") {
                    try x.fields([("courseid", String(Self.courseID)), ("title", shortName), ("directory", "course")])
                }
            }
            try x.group("settings") { try settings(x) }
        }
        return try x.finish()
    }

    /// Root settings as backup/moodle2/backup_root_task.class.php names them; what the backup
    /// holds is on (activities, files, competencies), the rest off, so the restore offers only
    /// what is there. Then `<section dir>_included/_userinfo` and `<activity dir>_included/_userinfo`
    /// (restore_section_task and restore_activity_task read these names).
    private func settings(_ x: BackupXML) throws {
        let on: Set = ["activities", "files", "competencies"]
        let root = [
            "imscc11", "users", "anonymize", "role_assignments", "activities", "blocks", "files", "filters", "comments", "badges",
            "calendarevents", "userscompletion", "logs", "grade_histories", "questionbank", "groups", "competencies", "customfield",
            "contentbankcontent", "xapistate", "legacyfiles",
        ]
        try setting(x, level: "root", owner: nil, name: "filename", value: fileName)
        for name in root { try setting(x, level: "root", owner: nil, name: name, value: on.contains(name) ? "1" : "0") }
        for s in sections {
            let dir = "section_\(s.id)"
            try setting(x, level: "section", owner: ("section", dir), name: dir + "_included", value: "1")
            try setting(x, level: "section", owner: ("section", dir), name: dir + "_userinfo", value: "0")
        }
        for a in activities {
            let dir = "scorm_\(a.moduleID)"
            try setting(x, level: "activity", owner: ("activity", dir), name: dir + "_included", value: "1")
            try setting(x, level: "activity", owner: ("activity", dir), name: dir + "_userinfo", value: "0")
        }
    }

    private func setting(_ x: BackupXML, level: String, owner: (String, String)?, name: String, value: String) throws {
        try x.group("setting") {
            try x.field("level", level)
            if let (k, v) = owner { try x.field(k, v) }
            try x.field("name", name)
            try x.field("value", value)
        }
    }

    /// backup_course_structure_step (course/course.xml); restore_course_structure_step reads it.
    func course() throws -> Data {
        let x = try BackupXML("course", ["id": String(Self.courseID), "contextid": String(Self.courseContextID)])
        try x.fields([
            ("shortname", shortName), ("fullname", fullName), ("idnumber", ""), ("summary", summary), ("summaryformat", "1"),
            ("format", "topics"), ("showgrades", "1"), ("newsitems", "0"), ("startdate", "0"), ("enddate", "0"), ("marker", "0"),
            ("maxbytes", "0"), ("legacyfiles", "0"), ("showreports", "0"), ("visible", "1"), ("groupmode", "0"),
            ("groupmodeforce", "0"), ("defaultgroupingid", "0"), ("lang", ""), ("theme", ""), ("timecreated", "0"),
            ("timemodified", "0"), ("requested", "0"), ("showactivitydates", "1"), ("showcompletionconditions", "1"),
            ("pdfexportfont", nil),
            // Activity completion and course completion need completion on in the course.
            ("enablecompletion", "1"), ("completionnotify", "0"),
        ])
        try x.group("category", ["id": "1"]) { try x.fields([("name", "Category 1"), ("description", nil)]) }
        try x.group("tags")
        try x.group("customfields")
        try x.group("courseformatoptions")
        return try x.finish()
    }

    /// backup_section_structure_step (sections/section_N/section.xml).
    func section(_ s: Section) throws -> Data {
        let x = try BackupXML("section", ["id": String(s.id)])
        try x.fields([
            ("number", String(s.number)), ("name", s.name), ("summary", s.summary), ("summaryformat", "1"),
            ("sequence", s.modules.map(String.init).joined(separator: ",")), ("visible", "1"), ("availabilityjson", nil),
            ("component", nil), ("itemid", nil), ("timemodified", "0"),
        ])
        return try x.finish()
    }

    /// backup_module_structure_step (activities/scorm_N/module.xml): completion and availability.
    func module(_ a: Activity) throws -> Data {
        let assessment = a.item.kind == .assessment
        let x = try BackupXML("module", ["id": String(a.moduleID), "version": Self.scormVersion])
        try x.fields([
            ("modulename", "scorm"), ("sectionid", String(a.sectionID)), ("sectionnumber", String(a.sectionNumber)), ("idnumber", ""),
            ("added", "0"), ("score", "0"), ("indent", "0"), ("visible", "1"), ("visibleoncoursepage", "1"), ("visibleold", "1"),
            ("groupmode", "0"), ("groupingid", "0"),
            // COMPLETION_TRACKING_AUTOMATIC; an assessment also needs its pass grade (item 0).
            ("completion", "2"), ("completiongradeitemnumber", assessment ? "0" : nil), ("completionpassgrade", assessment ? "1" : "0"),
            ("completionview", "0"), ("completionexpected", "0"), ("availability", availability(a)), ("showdescription", "0"),
            ("downloadcontent", "1"), ("lang", ""),
        ])
        try x.group("tags")
        return try x.finish()
    }

    /// The plan's prerequisites as availability conditions (availability/condition/completion):
    /// every prerequisite activity complete (COMPLETION_COMPLETE, which a pass also satisfies).
    /// Old course module ids: the restore maps them (`update_after_restore`). Only numbers go
    /// into this JSON, so it is written as text.
    func availability(_ a: Activity) -> String? {
        let prerequisites = prerequisites(of: a)
        guard !prerequisites.isEmpty else { return nil }
        let conditions = prerequisites.map { "{\"type\":\"completion\",\"cm\":\($0),\"e\":1}" }
        let shown = prerequisites.map { _ in "true" }
        return "{\"op\":\"&\",\"c\":[\(conditions.joined(separator: ","))],\"showc\":[\(shown.joined(separator: ","))]}"
    }

    static func roles() throws -> Data { try BackupXML.empty("roles", children: ["role_overrides", "role_assignments"]) }

    /// backup_inforef_structure_step: the files and the grade item the activity's steps use;
    /// restore_load_included_files loads only files listed here.
    func inforef(_ a: Activity) throws -> Data {
        let x = try BackupXML("inforef")
        try x.group("fileref") {
            for id in a.fileIDs { try x.group("file") { try x.field("id", id) } }
        }
        try x.group("grade_itemref") { try x.group("grade_item") { try x.field("id", a.moduleID) } }
        return try x.finish()
    }

    /// backup_files_structure_step (files.xml): one row per stored file of every context.
    func filesXML() throws -> Data { try filesXML(of: activities[...]) }

    /// files.xml with the rows of `list` only.
    func filesXML(of list: ArraySlice<Activity>) throws -> Data {
        let x = try BackupXML("files")
        for a in list {
            for f in a.files {
                try x.group("file", ["id": String(f.id)]) {
                    try x.fields([
                        ("contenthash", f.contentHash), ("contextid", String(f.contextID)), ("component", "mod_scorm"),
                        ("filearea", f.area), ("itemid", "0"), ("filepath", f.path), ("filename", f.name), ("userid", nil),
                        ("filesize", String(f.size)), ("mimetype", f.mimeType), ("status", "0"), ("timecreated", "0"),
                        ("timemodified", "0"), ("source", nil), ("author", nil), ("license", nil), ("sortorder", "0"),
                        ("repositorytype", nil), ("repositoryid", nil), ("reference", nil),
                    ])
                }
            }
        }
        return try x.finish()
    }

    /// Piece `i` of files.xml: activity `i`'s rows, after the document's start for the first
    /// activity and before its end for the last; the pieces in a row are `filesXML()`, byte
    /// for byte. libxml2's writer indents an element by its depth alone, so a row is written
    /// alike in a document of one activity's rows and in the whole one.
    func filesXMLPiece(_ i: Int) throws -> Data {
        guard activities.indices.contains(i) else { return try filesXML() }
        let one = try filesXML(of: activities[i...i])
        let (head, tail) = (FilesXMLFrame.head, FilesXMLFrame.tail)
        guard one.count >= head.count + tail.count, one.starts(with: head), one.suffix(tail.count).elementsEqual(tail) else {
            throw MoodleBackupError(
                path: fileName, problem: .invalidBackup(["files.xml: the rows of \(activities[i].directory) were not written inside <files>"]))
        }
        var piece = Data()
        if i == 0 { piece += head }
        piece += one[(one.startIndex + head.count)..<(one.endIndex - tail.count)]
        if i == activities.count - 1 { piece += tail }
        return piece
    }
}

/// How libxml2's writer (indented, as `BackupXML` sets it) starts and ends files.xml when it
/// holds rows.
private enum FilesXMLFrame {
    static let head = Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<files>\n".utf8)
    static let tail = Data("</files>\n".utf8)
}
