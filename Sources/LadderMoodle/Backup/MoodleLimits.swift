import Foundation
import LadderCore

/// What Moodle refuses in a course: field sizes of its database (lib/db/install.xml:
/// `course.fullname` 254, `course.shortname` 255, `course_sections.name` 255; mod/scorm/db/
/// install.xml: `scorm.name` 255) and competency id numbers (100 characters, the
/// `competency.idnumber` and `competency_framework.idnumber` columns). Moodle counts characters
/// (`core_text::strlen`), as Unicode scalars here.
public enum MoodleLimits {
    public static let courseFullName = 254
    public static let courseShortName = 255
    public static let sectionName = 255
    public static let activityName = 255

    /// The course a track becomes: "<curriculum title>: <track title>".
    public static func courseFullName(_ c: Curriculum, _ track: Track) -> String { "\(c.title): \(track.title)" }
    /// "<curriculum id>-<track id>": unique per track, stable across builds.
    public static func courseShortName(_ c: Curriculum, _ track: Track) -> String { "\(c.id)-\(track.id)" }

    /// Every problem that stops `tracks` of `c` from becoming Moodle courses, as
    /// `file: field: what is wrong` lines; empty when they all fit.
    public static func problems(_ c: Curriculum, _ plan: Plan, tracks: [Track]) -> [String] {
        var out: [String] = []
        func length(_ s: String) -> Int { s.unicodeScalars.count }
        func over(_ file: String, _ field: String, _ value: String, _ limit: Int, _ what: String) {
            if length(value) > limit { out.append("\(file): \(field): \(what) is \(length(value)) characters, over Moodle's \(limit)") }
        }
        func idNumber(_ file: String, _ field: String, _ value: String) {
            if let why = idNumberProblem(value) { out.append("\(file): \(field): the Moodle id number '\(value)' \(why)") }
        }
        let curriculumFile = "curriculum.yaml"
        idNumber(curriculumFile, "id", MoodleIDNumbers.framework(c))
        for track in tracks {
            over(curriculumFile, "title", courseFullName(c, track), courseFullName, "the course full name '\(courseFullName(c, track))' (track \(track.id))")
            over(curriculumFile, "id", courseShortName(c, track), courseShortName, "the course short name (track \(track.id))")
        }
        var seenLevels = Set<String>()
        var seenItems = Set<String>()
        for track in tracks {
            for item in plan.items(of: track) where seenItems.insert(item.id).inserted {
                let file = item.sources.first ?? "levels/\(item.level).yaml"
                over(file, "title", item.title, activityName, "the activity name of \(item.id)")
                if let r = c.responsibilities.first(where: { $0.id == item.responsibility && $0.level == item.level }) {
                    idNumber("levels/\(item.level).yaml", "responsibilities.\(r.id)", MoodleIDNumbers.responsibility(r, in: c))
                }
                guard seenLevels.insert(item.level).inserted, let level = c.levels.first(where: { $0.id == item.level }) else { continue }
                over("levels/\(level.id).yaml", "title", CourseBackup.sectionName(level), sectionName, "the section name '\(CourseBackup.sectionName(level))'")
            }
        }
        return out
    }

    /// Why Moodle would not keep `s` as an id number (nil when it would): at most 100
    /// characters, not empty, no control characters, no surrounding spaces (forms trim them,
    /// so the course and the framework would stop matching).
    public static func idNumberProblem(_ s: String) -> String? {
        if s.isEmpty { return "is empty" }
        if s.unicodeScalars.count > MoodleIDNumbers.maximumLength {
            return "is \(s.unicodeScalars.count) characters, over Moodle's \(MoodleIDNumbers.maximumLength): shorten the ids it is made of"
        }
        if s.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { return "holds a control character" }
        if s != s.trimmingCharacters(in: .whitespaces) { return "starts or ends with a space" }
        return nil
    }
}
