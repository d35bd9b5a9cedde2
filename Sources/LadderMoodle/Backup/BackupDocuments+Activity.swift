import Foundation

extension CourseBackup {
    /// mod/scorm/backup/moodle2/backup_scorm_stepslib.php (activities/scorm_N/scorm.xml): the
    /// instance and its SCO rows with their data, inserted as given by restore_scorm_stepslib.php.
    func scorm(_ a: Activity) throws -> Data {
        let x = try BackupXML(
            "activity", ["id": String(a.moduleID), "moduleid": String(a.moduleID), "modulename": "scorm", "contextid": String(a.contextID)])
        try x.group("scorm", ["id": String(a.moduleID)]) {
            try x.fields([
                ("name", a.name), ("scormtype", "local"), ("reference", a.package.fileName), ("intro", a.intro), ("introformat", "1"),
                ("version", "SCORM_1.2"), ("maxgrade", "100"),
                // GRADEHIGHEST of the one SCO, HIGHESTATTEMPT, unlimited attempts.
                ("grademethod", "1"), ("whatgrade", "0"), ("maxattempt", "0"), ("forcecompleted", "0"), ("forcenewattempt", "0"),
                ("lastattemptlock", "0"), ("masteryoverride", "1"), ("displayattemptstatus", "1"), ("displaycoursestructure", "0"),
                ("updatefreq", "0"),
                // The package's content hash: scorm_parse() re-extracts only when it changes.
                ("sha1hash", a.package.contentHash.hex), ("md5hash", ""), ("revision", "1"), ("launch", a.launchSCO.map(String.init) ?? ""),
                // One SCO: straight into the content, no table of contents (SCORM_SKIPVIEW_ALWAYS, SCORM_TOC_DISABLED).
                ("skipview", "2"), ("hidebrowse", "0"), ("hidetoc", "3"), ("nav", "1"), ("navpositionleft", "-100"),
                ("navpositiontop", "-100"), ("auto", "0"), ("popup", "0"), ("options", ""), ("width", "100"), ("height", "500"),
                ("timeopen", "0"), ("timeclose", "0"), ("timemodified", "0"),
                ("completionstatusrequired", a.completionStatusRequired.map(String.init)), ("completionscorerequired", nil),
                ("completionstatusallscos", "0"), ("autocommit", "0"), ("displayactivityname", "1"),
            ])
            try x.group("scoes") {
                let (scoIDs, dataIDs) = (a.scoIDs, a.scoDataIDs)
                for (n, row) in try a.package.rows().enumerated() {
                    try x.group("sco", ["id": String(scoIDs[n])]) {
                        try x.fields([
                            ("manifest", row.manifest), ("organization", row.organization), ("parent", row.parent),
                            ("identifier", row.identifier), ("launch", row.launch), ("scormtype", row.scormtype), ("title", row.title),
                            ("sortorder", String(n + 1)),
                        ])
                        try x.group("sco_datas") {
                            for (d, datum) in row.data.enumerated() {
                                try x.group("sco_data", ["id": String(dataIDs[n][d])]) {
                                    try x.fields([("name", datum.name), ("value", datum.value)])
                                }
                            }
                        }
                        for empty in ["seq_ruleconds", "seq_rolluprules", "seq_objectives", "sco_tracks"] { try x.group(empty) }
                    }
                }
            }
        }
        return try x.finish()
    }

    /// backup_activity_grades_structure_step (grades.xml): the SCORM grade item, out of 100, its
    /// pass grade the assessment's mastery score.
    func grades(_ a: Activity) throws -> Data {
        func decimal(_ v: Int) -> String { String(v) + ".00000" }
        let x = try BackupXML("activity_gradebook")
        try x.group("grade_items") {
            try x.group("grade_item", ["id": String(a.moduleID)]) {
                try x.fields([
                    ("categoryid", "1"), ("itemname", a.name), ("itemtype", "mod"), ("itemmodule", "scorm"),
                    ("iteminstance", String(a.moduleID)), ("itemnumber", "0"), ("iteminfo", nil), ("idnumber", ""), ("calculation", nil),
                    ("gradetype", "1"), ("grademax", decimal(100)), ("grademin", decimal(0)), ("scaleid", nil), ("outcomeid", nil),
                    ("gradepass", decimal(a.item.kind == .assessment ? a.item.masteryScore ?? 0 : 0)), ("multfactor", decimal(1)),
                    ("plusfactor", decimal(0)), ("aggregationcoef", decimal(0)), ("aggregationcoef2", decimal(0)),
                    ("weightoverride", "0"), ("sortorder", String(a.moduleID + 1)), ("display", "0"), ("decimals", nil),
                    ("hidden", "0"), ("locked", "0"), ("locktime", "0"), ("needsupdate", "0"), ("timecreated", "0"),
                    ("timemodified", "0"),
                ])
                try x.group("grade_grades")
            }
        }
        try x.group("grade_letters")
        return try x.finish()
    }

    /// backup_activity_competencies_structure_step (competencies.xml): the responsibility's
    /// competency, found on restore by framework and competency id number
    /// (restore_activity_competencies_structure_step), with its rule outcome (`ruleOutcome`).
    func activityCompetencies(_ a: Activity) throws -> Data {
        let x = try BackupXML("course_module_competencies")
        try x.group("competencies") {
            if let idnumber = a.competency {
                try x.group("competency") {
                    try x.fields([
                        ("idnumber", idnumber), ("ruleoutcome", String(a.ruleOutcome)), ("sortorder", "0"), ("frameworkidnumber", framework),
                        ("overridegrade", "0"),
                    ])
                }
            }
        }
        return try x.finish()
    }

    /// Course competencies (backup_course_competencies_structure_step): each level of the
    /// course with rule outcome 3 (complete), so that course completion rates the level in the
    /// course (core_competency\api::observe_course_completed), then every activity's
    /// competency (an activity's competency is one of its course's) with outcome 1 (evidence).
    func courseCompetencies() throws -> Data {
        let x = try BackupXML("course_competencies")
        var seen = Set<String>()
        let list = levelCompetencies.map { ($0, 3) } + activities.compactMap(\.competency).map { ($0, 1) }
        try x.group("competencies") {
            for (idnumber, outcome) in list where seen.insert(idnumber).inserted {
                try x.group("competency") {
                    try x.fields([
                        ("id", String(seen.count)), ("idnumber", idnumber), ("ruleoutcome", String(outcome)),
                        ("sortorder", String(seen.count - 1)), ("frameworkid", "1"), ("frameworkidnumber", framework),
                    ])
                }
            }
        }
        try x.group("user_competencies")
        return try x.finish()
    }

    /// backup_course_completion_structure_step (completion.xml): one activity criterion
    /// (COMPLETION_CRITERIA_TYPE_ACTIVITY = 4) per activity, all required (COMPLETION_AGGREGATION_ALL
    /// = 1) overall and among activities. The restore maps `moduleinstance` (an old course module id).
    func courseCompletion() throws -> Data {
        let x = try BackupXML("course_completion")
        for a in activities {
            try x.group("course_completion_criteria", ["id": String(a.moduleID)]) {
                try x.fields([
                    ("course", String(Self.courseID)), ("criteriatype", "4"), ("module", "scorm"), ("moduleinstance", String(a.moduleID)),
                    ("courseinstanceshortname", nil), ("enrolperiod", nil), ("timeend", nil), ("gradepass", nil), ("role", nil),
                    ("roleshortname", nil),
                ])
                try x.group("course_completion_crit_completions")
            }
        }
        for (id, type) in [(1, nil), (2, "4")] as [(Int, String?)] {
            try x.group("course_completion_aggr_methd", ["id": String(id)]) {
                try x.fields([("course", String(Self.courseID)), ("criteriatype", type), ("method", "1"), ("value", nil)])
            }
        }
        return try x.finish()
    }
}
