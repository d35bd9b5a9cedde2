import LadderCore

/// The ladder as a Moodle competency framework, in the CSV layout of Moodle's framework
/// import (admin/tool/lpimportcsv, *Site administration > Competencies > Import competency
/// framework*). docs/moodle.md walks an admin through it.
///
/// The tree: the curriculum is the framework; each level a competency (`customer-service.P1`)
/// whose children are the level's responsibilities (`customer-service.P1.inform-customers`).
/// A level carries the rule "all children are complete" with the outcome "mark as complete"
/// (`OUTCOME_COMPLETE`), so a learner rated proficient in every responsibility of P1 (which the course
/// backups do when the responsibility's activities are completed) is proficient in P1 without
/// anyone rating them. Skills are not competencies here: a skill at a step is shared by
/// several levels, a competency has one parent, and nothing in a course would rate it;
/// each responsibility's description names its skills and the step its level asks for.
///
/// Layout facts, from Moodle 4.5's sources:
/// - 14 columns in the order of `framework_importer::list_required_headers()`; the importer
///   maps them by position, and the header is the exporter's (the `tool_lpimportcsv` strings).
/// - The framework row has `Is framework` = `1` (the exporter writes PHP's `true`) and
///   carries the scale; competency rows leave it empty (`false`) and use the framework's scale.
/// - The scale is matched by its values against the site's scales: "Not yet competent,Competent"
///   is Moodle's *Default competence scale*; the configuration JSON is the one Moodle's scale
///   dialog stores (the scale id is replaced by the importer with the matched scale's).
/// - `Rule config` is `null` for no config (`competency_rule_all` takes none); `Rule outcome`
///   is `competency::OUTCOME_COMPLETE` (2) on levels, `OUTCOME_NONE` (0) elsewhere.
/// - Id numbers and short names are cut to 100 characters by the importer (`shorten_text`) and
///   HTML tags are stripped (`PARAM_TEXT`): `check` refuses both before anything is written.
public enum MoodleCompetencyFramework {
    /// The header as Moodle's exporter writes it (lang/en/tool_lpimportcsv.php), in the
    /// importer's column order.
    public static let header = [
        "Parent ID number", "ID number", "Short name", "Description", "Description format", "Scale values",
        "Scale configuration", "Rule type (optional)", "Rule outcome (optional)", "Rule config (optional)",
        "Cross-referenced competency ID numbers", "Exported ID (optional)", "Is framework", "Taxonomy",
    ]

    /// Moodle's *Default competence scale*, as `grade_scale::compact_items()` joins it.
    public static let scaleValues = "Not yet competent,Competent"
    /// "Competent" (item 2) is both the default rating and proficient. Scale id 2 is the default
    /// competence scale's on a new site; the importer puts the matched scale's id in its place.
    public static let scaleConfiguration = #"[{"scaleid":"2"},{"id":2,"scaledefault":1,"proficient":1}]"#
    /// The level rule: every child competency is complete.
    public static let ruleAll = #"core_competency\competency_rule_all"#
    /// `core_competency\competency::OUTCOME_NONE` and `OUTCOME_COMPLETE`.
    public static let outcomeNone = "0"
    public static let outcomeComplete = "2"
    /// `FORMAT_HTML`.
    public static let formatHTML = "1"
    /// What Moodle calls the competencies at each depth: levels, then responsibilities.
    public static let taxonomies = "level,competency"
    /// Moodle keeps short names in 100 characters (`competency.shortname`, char 100).
    public static let maximumShortNameLength = 100

    /// One line of the file, in the header's order.
    public struct Row: Sendable, Equatable {
        public var parent = ""
        public var idNumber: String
        public var shortName: String
        public var description: String
        public var isFramework = false
        public var scaleValues = ""
        public var scaleConfiguration = ""
        public var ruleType = ""
        public var ruleOutcome = MoodleCompetencyFramework.outcomeNone
        public var ruleConfig = "null"
        public var taxonomy = ""
        /// Where the id number and the short name come from, for messages.
        var idSource: Source
        var nameSource: Source

        public var fields: [String] {
            [
                parent, idNumber, shortName, description, MoodleCompetencyFramework.formatHTML, scaleValues, scaleConfiguration,
                isFramework ? "" : ruleType, isFramework ? "" : ruleOutcome, isFramework ? "" : ruleConfig, "", "",
                isFramework ? "1" : "", taxonomy,
            ]
        }
    }

    /// The curriculum value a row's field comes from.
    enum Source: Sendable, Equatable {
        case curriculum([String])
        case level(String, [String])
        case responsibility(String, [String])
    }

    /// The framework's rows: the framework, then each level followed by its responsibilities.
    public static func rows(_ c: Curriculum) -> [Row] {
        var rows = [
            Row(
                idNumber: MoodleIDNumbers.framework(c), shortName: c.title, description: paragraphs([c.summary]),
                isFramework: true, scaleValues: scaleValues, scaleConfiguration: scaleConfiguration, taxonomy: taxonomies,
                idSource: .curriculum(["id"]), nameSource: .curriculum(["title"]))
        ]
        for level in c.levels {
            let levelID = MoodleIDNumbers.level(level, in: c)
            rows.append(
                Row(
                    idNumber: levelID, shortName: "\(level.id): \(level.title)", description: paragraphs([level.summary ?? ""]),
                    ruleType: ruleAll, ruleOutcome: outcomeComplete,
                    idSource: .level(level.id, ["id"]), nameSource: .level(level.id, ["title"])))
            for r in level.responsibilities {
                let skills = r.skills.map { id in
                    let name = c.skill(id)?.name ?? id
                    return level.target(for: id).map { "\(name) (\(c.stepName($0)))" } ?? name
                }
                let skillLine = skills.isEmpty ? [] : ["Skills: " + skills.joined(separator: ", ")]
                rows.append(
                    Row(
                        parent: levelID, idNumber: MoodleIDNumbers.responsibility(r, in: c), shortName: shortName(r),
                        description: paragraphs([r.statement] + skillLine),
                        idSource: .responsibility(r.id, ["id"]), nameSource: .responsibility(r.id, nameKeys(r))))
            }
        }
        return rows
    }

    /// A responsibility's short name: its training's title (a statement is a sentence, longer
    /// than Moodle keeps), else its id.
    static func shortName(_ r: Responsibility) -> String {
        r.module?.title ?? r.assessment?.title ?? r.shadowing?.title ?? r.id
    }

    static func nameKeys(_ r: Responsibility) -> [String] {
        if r.module != nil { return ["training", "module", "title"] }
        return ["id"]
    }

    static func paragraphs(_ texts: [String]) -> String {
        texts.filter { !$0.isEmpty }.map { "<p>" + HTML.escape($0) + "</p>" }.joined()
    }

    /// Every field Moodle would change or refuse, named with its file, line and field: an id
    /// number over 100 characters, or changed by `PARAM_TEXT`; a short name over 100 characters
    /// or holding what `PARAM_TEXT` strips; two id numbers a case-insensitive database (MySQL's
    /// default collation) takes for one.
    public static func check(_ c: Curriculum, folder: String) -> Diagnostics {
        let locator = SourceLocator(folder: folder)
        var d = Diagnostics()
        func place(_ s: Source) -> SourceLocation {
            switch s {
            case .curriculum(let keys): return locator.curriculum(keys)
            case .level(let id, let keys): return locator.level(id, keys)
            case .responsibility(let id, let keys):
                guard let r = c.responsibility(id) else { return SourceLocation(file: folder) }
                return locator.responsibility(r, keys)
            }
        }
        var seen: [String: String] = [:]
        for row in rows(c) {
            let id = row.idNumber
            if id.count > MoodleIDNumbers.maximumLength {
                d.error(
                    place(row.idSource),
                    "field 'id': the Moodle id number '\(id)' has \(id.count) characters; Moodle keeps \(MoodleIDNumbers.maximumLength) (shorten the curriculum, level or responsibility id)"
                )
            } else if let bad = textProblem(id) {
                d.error(place(row.idSource), "field 'id': the Moodle id number '\(id)' \(bad)")
            }
            if let other = seen[id.lowercased()] {
                d.error(place(row.idSource), "field 'id': the Moodle id number '\(id)' differs from '\(other)' only in case; Moodle on MySQL takes them for one")
            } else {
                seen[id.lowercased()] = id
            }
            let name = row.shortName
            let field = fieldName(row.nameSource)
            if name.count > maximumShortNameLength {
                d.error(
                    place(row.nameSource),
                    "field '\(field)': the Moodle short name '\(name)' has \(name.count) characters; Moodle keeps \(maximumShortNameLength) and cuts the rest")
            } else if let bad = textProblem(name) {
                d.error(place(row.nameSource), "field '\(field)': the Moodle short name '\(name)' \(bad)")
            }
        }
        return d
    }

    static func fieldName(_ s: Source) -> String {
        switch s {
        case .curriculum(let k), .level(_, let k), .responsibility(_, let k): return k.joined(separator: ".")
        }
    }

    /// What Moodle's `PARAM_TEXT` cleaning would change: it strips HTML tags, and the import
    /// would then store a different text (for an id number, one the course backups' links no
    /// longer match).
    static func textProblem(_ s: String) -> String? {
        if s.contains("<") { return "holds '<', which Moodle's import strips as HTML" }
        if s.isEmpty { return "is empty; Moodle skips a competency without one" }
        return nil
    }

    /// The file's text, or nil with the problems when `check` finds any.
    public static func csv(_ c: Curriculum, folder: String) -> (text: String?, diagnostics: Diagnostics) {
        let d = check(c, folder: folder)
        guard !d.hasErrors else { return (nil, d) }
        var out = CSVField.phpLine(header)
        for row in rows(c) { out += CSVField.phpLine(row.fields) }
        return (out, d)
    }
}
