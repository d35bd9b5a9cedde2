import Foundation

/// One learner's measured skills, as read from a cohort file (CSV or YAML). The input of
/// skill-gap analysis (`ladder gaps`, `ladder build --track gaps`); see docs/gaps.md.
public struct LearnerProfile: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    /// The level the learner holds now.
    public var currentLevel: String
    /// The level the learner is trained towards (the same or a higher one).
    public var targetLevel: String
    /// Skill id → measured 1-based proficiency step. A skill left blank (or without a column)
    /// is absent: the analysis then takes the learner to meet their current level's target.
    public var proficiency: [String: Int]
    /// The line that defines the learner (1-based), for messages.
    public var line: Int
    /// Optional contact columns (`email`, `first_name`, `last_name`), for enrolment files such
    /// as `ladder export talentlms-users`; nil when the file has no such column or the cell is blank.
    public var email: String?
    public var firstName: String?
    public var lastName: String?

    public init(
        id: String, name: String, currentLevel: String, targetLevel: String, proficiency: [String: Int], line: Int = 0,
        email: String? = nil, firstName: String? = nil, lastName: String? = nil
    ) {
        self.id = id
        self.name = name
        self.currentLevel = currentLevel
        self.targetLevel = targetLevel
        self.proficiency = proficiency
        self.line = line
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
    }

    enum CodingKeys: String, CodingKey {
        case id, name, proficiency, line, email
        case firstName = "first_name"
        case lastName = "last_name"
        case currentLevel = "current_level"
        case targetLevel = "target_level"
    }
}

/// The learners of a cohort file and every problem found in it. `profiles` is empty when
/// there are errors: a cohort with a bad row is never half used.
public struct LearnerProfilesResult: Sendable {
    public var profiles: [LearnerProfile]
    public var diagnostics: Diagnostics

    package init(profiles: [LearnerProfile], diagnostics: Diagnostics) {
        self.profiles = profiles
        self.diagnostics = diagnostics
    }
}

/// Loading: a cohort file → learner profiles checked against a curriculum, with every
/// problem (unknown skill column, proficiency outside the scale, unknown level, target below
/// the current level, duplicate learner id, empty file…) reported at once as a diagnostic
/// naming the file, line and column.
///
/// CSV: a header `learner_id,name,current_level,target_level,<skill-id>,...` then one row
/// per learner (RFC 4180 quoting). YAML: `learners:` with a list of mappings `id`, `name`,
/// `current_level`, `target_level`, `skills: {<skill-id>: <step>}`. A step is a number of the
/// curriculum's scale (1 = lowest), a step id (`apply`) or a step name (`Apply`).
public enum LearnerProfileLoader {
    public enum Format: String, Sendable { case csv, yaml }

    /// The four fixed CSV columns, in the documented order.
    public static let fixedColumns = ["learner_id", "name", "current_level", "target_level"]
    /// Columns a file may have for enrolment exports, in any order (YAML: the same keys).
    public static let contactColumns = ["email", "first_name", "last_name"]

    /// Reads a cohort file; the format comes from the extension (`.csv`, `.yaml`, `.yml`).
    public static func load(path: String, curriculum: Curriculum) -> LearnerProfilesResult {
        var profiles: [LearnerProfile] = []
        let diags = CohortFile(path: path, curriculum: curriculum).forEach { profiles.append($0) }
        return LearnerProfilesResult(profiles: diags.hasErrors ? [] : profiles, diagnostics: diags)
    }

    /// Parses cohort text already in memory (tests, stdin).
    public static func parse(text: String, format: Format, displayPath: String, curriculum: Curriculum) -> LearnerProfilesResult {
        var diags = Diagnostics()
        var profiles: [LearnerProfile] = []
        stream(text: text, format: format, displayPath: displayPath, curriculum: curriculum, into: &diags) { profiles.append($0) }
        return LearnerProfilesResult(profiles: diags.hasErrors ? [] : profiles, diagnostics: diags)
    }

    /// Reads cohort text one learner at a time: `body` gets each learner without an error, in
    /// file order, as soon as its row (or entry) is read; every problem goes to `diags`. The
    /// caller decides what an error means for learners already seen (`CohortFile` checks the
    /// whole file before using any of it).
    static func stream(
        text: String, format: Format, displayPath: String, curriculum: Curriculum, into diags: inout Diagnostics,
        _ body: (LearnerProfile) throws -> Void
    ) rethrows {
        // A cohort's names end up in reports and packages: no terminal escapes, no NUL.
        guard ControlCharacters.check(text, file: displayPath, into: &diags) else { return }
        var checker = ProfileChecker(path: displayPath, curriculum: curriculum)
        switch format {
        case .csv:
            try readCSV(text, path: displayPath, curriculum: curriculum, into: &diags) { raw, diags in
                if let p = checker.check(raw, into: &diags) { try body(p) }
            }
        case .yaml:
            try readYAML(text, path: displayPath, curriculum: curriculum, into: &diags) { raw, diags in
                if let p = checker.check(raw, into: &diags) { try body(p) }
            }
        }
    }

    // MARK: - Raw rows, before checking

    /// A value with the place it came from.
    struct Located {
        var text: String
        var at: SourceLocation
    }

    struct RawLearner {
        var at: SourceLocation
        var id: Located?
        var name: Located?
        var current: Located?
        var target: Located?
        /// `email`, `first_name`, `last_name` → value, when given.
        var contact: [String: Located] = [:]
        /// Skill column/key (already known to the curriculum) → value.
        var skills: [(skill: String, value: Located)]
    }

    // MARK: CSV

    static func readCSV(
        _ text: String, path: String, curriculum c: Curriculum, into diags: inout Diagnostics,
        _ body: (RawLearner, inout Diagnostics) throws -> Void
    ) rethrows {
        var reader = CohortCSVReader(text, path: path)
        guard let header = reader.next(into: &diags) else {
            diags.error(
                SourceLocation(file: path, line: 1, column: 1),
                "the learners file is empty: expected a header line '\(fixedColumns.joined(separator: ",")),<skill-id>,...'")
            return
        }
        // Which column holds what.
        var fixed: [String: Int] = [:]
        var skillColumns: [Int: String] = [:]
        var seen: [String: Int] = [:]
        for (i, field) in header.fields.enumerated() {
            let name = trimmed(field.text)
            let at = SourceLocation(file: path, line: field.line, column: field.column)
            if let first = seen[name] {
                diags.error(at, "column '\(name)' appears twice (first as column \(first + 1))")
                continue
            }
            seen[name] = i
            if fixedColumns.contains(name) || contactColumns.contains(name) {
                fixed[name] = i
            } else if c.skill(name) != nil {
                skillColumns[i] = name
            } else if name.isEmpty {
                diags.error(at, "column \(i + 1) has no name; expected a skill id")
            } else {
                let known = fixedColumns + c.skills.map(\.id)
                diags.error(at, "unknown skill column '\(name)'\(Suggest.hint(name, known)); the skills are \(c.skills.map(\.id).joined(separator: ", "))")
            }
        }
        for name in fixedColumns where fixed[name] == nil {
            diags.error(SourceLocation(file: path, line: header.line, column: 1), "the header has no '\(name)' column")
        }
        let skillOrder = skillColumns.keys.sorted().map { ($0, skillColumns[$0]!) }
        var rows = 0
        while let row = reader.next(into: &diags) {
            rows += 1
            if row.fields.count != header.fields.count {
                diags.error(
                    SourceLocation(file: path, line: row.line, column: 1),
                    "this row has \(Plural.count(row.fields.count, "field")); the header has \(header.fields.count)")
                continue
            }
            func cell(_ i: Int?) -> Located? {
                guard let i else { return nil }
                let f = row.fields[i]
                return Located(text: trimmed(f.text), at: SourceLocation(file: path, line: f.line, column: f.column))
            }
            var r = RawLearner(
                at: SourceLocation(file: path, line: row.line, column: 1), id: cell(fixed["learner_id"]), name: cell(fixed["name"]),
                current: cell(fixed["current_level"]), target: cell(fixed["target_level"]), skills: [])
            r.skills.reserveCapacity(skillOrder.count)
            for (i, skill) in skillOrder { r.skills.append((skill, cell(i)!)) }
            for name in contactColumns { if let v = cell(fixed[name]) { r.contact[name] = v } }
            try body(r, &diags)
        }
        if rows == 0 {
            diags.error(SourceLocation(file: path, line: header.line, column: 1), "the learners file has a header but no learners")
        }
    }

    /// A CSV cell without the white space around it (`CharacterSet.whitespaces`). Most cells
    /// have none: that is told from their first and last bytes, without Foundation.
    static func trimmed(_ s: String) -> String {
        guard let first = s.utf8.first, let last = s.utf8.last else { return s }
        let plain = { (b: UInt8) in b < 0x80 && b != 0x20 && b != 0x09 }
        return plain(first) && plain(last) ? s : s.trimmingCharacters(in: .whitespaces)
    }

    // MARK: YAML

    static func readYAML(
        _ text: String, path: String, curriculum c: Curriculum, into diags: inout Diagnostics,
        _ body: (RawLearner, inout Diagnostics) throws -> Void
    ) rethrows {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            diags.error(SourceLocation(file: path, line: 1, column: 1), "the learners file is empty: expected 'learners:' with a list of learners")
            return
        }
        // A cohort file is data, not a curriculum file: no size limit beyond memory, and aliases
        // may expand it as far as a large cohort itself could be.
        var limits = LoaderLimits()
        limits.yamlFileBytes = max(limits.yamlFileBytes, text.utf8.count)
        guard let root = YAMLDocument.parse(text: text, displayPath: path, lineOffset: 0, limits: limits, into: &diags) else { return }
        guard root.mapping != nil, let list = root[field: "learners"] else {
            diags.error(root.location(in: path), "expected a mapping with a 'learners' list")
            return
        }
        for (k, _) in root.pairs where k.text != "learners" {
            diags.error(k.location(in: path), "unknown key '\(k.text ?? "")'; the file holds only 'learners'")
        }
        guard list.sequence != nil else {
            diags.error(list.location(in: path), "'learners' must be a list, not \(list.kindName)")
            return
        }
        if list.items.isEmpty {
            diags.error(list.location(in: path), "'learners' is empty")
        }
        let keys = ["id", "name", "current_level", "target_level", "skills"] + contactColumns
        for node in list.items {
            guard node.mapping != nil else {
                diags.error(node.location(in: path), "a learner must be a mapping, not \(node.kindName)")
                continue
            }
            func value(_ key: String) -> Located? {
                guard let v = node[field: key] else { return nil }
                guard let t = v.text else {
                    diags.error(v.location(in: path), "'\(key)' must be a scalar, not \(v.kindName)")
                    return nil
                }
                return Located(text: t.trimmingCharacters(in: .whitespaces), at: v.location(in: path))
            }
            for (k, _) in node.pairs where !keys.contains(k.text ?? "") {
                diags.error(k.location(in: path), "unknown key '\(k.text ?? "")'\(Suggest.hint(k.text ?? "", keys)); a learner has \(keys.joined(separator: ", "))")
            }
            var r = RawLearner(
                at: node.location(in: path), id: value("id"), name: value("name"), current: value("current_level"),
                target: value("target_level"), skills: [])
            for name in contactColumns { if let v = value(name) { r.contact[name] = v } }
            if let skills = node[field: "skills"] {
                if skills.mapping == nil {
                    diags.error(skills.location(in: path), "'skills' must be a mapping of skill id to step, not \(skills.kindName)")
                }
                var seen = Set<String>()
                for (k, v) in skills.pairs {
                    let name = k.text ?? ""
                    guard c.skill(name) != nil else {
                        diags.error(k.location(in: path), "unknown skill '\(name)'\(Suggest.hint(name, c.skills.map(\.id))); the skills are \(c.skills.map(\.id).joined(separator: ", "))")
                        continue
                    }
                    // A repeated key is already reported by the YAML reader; keep the first.
                    guard seen.insert(name).inserted else { continue }
                    guard let t = v.text else {
                        diags.error(v.location(in: path), "the proficiency of '\(name)' must be a step, not \(v.kindName)")
                        continue
                    }
                    r.skills.append((name, Located(text: t.trimmingCharacters(in: .whitespaces), at: v.location(in: path))))
                }
            }
            try body(r, &diags)
        }
    }

    // MARK: - Checks shared by both formats

    /// The checks shared by both formats, one learner at a time. Remembers the line of each
    /// learner id (for duplicates): the only state that grows with the cohort.
    struct ProfileChecker {
        let path: String
        let c: Curriculum
        let levels: String
        var firstLine: [String: Int] = [:]

        init(path: String, curriculum: Curriculum) {
            self.path = path
            c = curriculum
            levels = curriculum.levels.map(\.id).joined(separator: ", ")
        }

        mutating func check(_ r: RawLearner, into diags: inout Diagnostics) -> LearnerProfile? {
            var ok = true
            func require(_ v: Located?, _ what: String) -> Located? {
                guard let v, !v.text.isEmpty else {
                    diags.error(v?.at ?? r.at, "the learner has no \(what)")
                    ok = false
                    return nil
                }
                return v
            }
            let id = require(r.id, "id")
            let name = r.name?.text ?? ""
            let current = require(r.current, "current level")
            let target = require(r.target, "target level")
            if let id {
                if let first = firstLine[id.text] {
                    diags.error(id.at, "duplicate learner id '\(id.text)' (first on line \(first))")
                    ok = false
                } else {
                    firstLine[id.text] = id.at.line
                }
            }
            var ci: Int?
            var ti: Int?
            for (v, what) in [(current, "current"), (target, "target")] {
                guard let v else { continue }
                if let i = c.levelIndex(v.text) {
                    if what == "current" { ci = i } else { ti = i }
                } else {
                    diags.error(v.at, "unknown \(what) level '\(v.text)'; the levels are \(levels)")
                    ok = false
                }
            }
            if let ci, let ti, ti < ci, let target {
                diags.error(target.at, "target level \(c.levels[ti].id) is below the current level \(c.levels[ci].id)")
                ok = false
            }
            func contact(_ key: String) -> String? { r.contact[key].flatMap { $0.text.isEmpty ? nil : $0.text } }
            var proficiency: [String: Int] = [:]
            for (skill, v) in r.skills where !v.text.isEmpty {
                switch LearnerProfileLoader.step(v.text, scale: c.scale) {
                case .success(let s): proficiency[skill] = s
                case .failure(let problem):
                    diags.error(v.at, "\(skill): \(problem.message)")
                    ok = false
                }
            }
            if ok, let id, let current, let target {
                return LearnerProfile(
                    id: id.text, name: name.isEmpty ? id.text : name, currentLevel: current.text, targetLevel: target.text,
                    proficiency: proficiency, line: r.at.line, email: contact("email"), firstName: contact("first_name"),
                    lastName: contact("last_name"))
            }
            return nil
        }
    }

    struct StepError: Error { var message: String }

    /// A proficiency given as a 1-based number, a step id or a step name (case-insensitive).
    static func step(_ text: String, scale: [ProficiencyStep]) -> Result<Int, StepError> {
        let range = "1–\(scale.count)"
        if let n = Int(text) {
            guard (1...max(1, scale.count)).contains(n) else {
                return .failure(StepError(message: "proficiency \(n) is outside the scale \(range) (\(scale.map(\.name).joined(separator: ", ")))"))
            }
            return .success(n)
        }
        let t = text.lowercased()
        if let i = scale.firstIndex(where: { $0.id.lowercased() == t || $0.name.lowercased() == t }) { return .success(i + 1) }
        return .failure(
            StepError(
                message: "'\(text)' is not a step of the scale\(Suggest.hint(text, scale.map(\.id))); use \(range) or one of \(scale.map(\.id).joined(separator: ", "))"))
    }
}

/// A small RFC 4180 reader that keeps the line and column where each record and field starts.
/// Reads one record at a time, so a large cohort is never held as records; works on the UTF-8
/// bytes (every byte it looks for is ASCII, which never occurs inside a multi-byte character).
package struct CohortCSVReader {
    struct Field {
        var text: String
        /// Where the field starts (a quoted field may span lines). 1-based; columns in Unicode scalars.
        var line: Int
        var column: Int
    }
    struct Record {
        var line: Int
        var fields: [Field]
    }

    private let bytes: [UInt8]
    private let path: String
    private var i = 0
    private var line = 1
    private var column = 1
    private var stopped = false
    /// A quoted field's text as it is unescaped.
    private var scratch: [UInt8] = []

    init(_ text: String, path: String) {
        bytes = Array(text.utf8)
        self.path = path
    }

    /// Every record at once (small files, tests).
    static func records(_ text: String, path: String, into diags: inout Diagnostics) -> [Record] {
        var reader = CohortCSVReader(text, path: path)
        var out: [Record] = []
        while let r = reader.next(into: &diags) { out.append(r) }
        return out
    }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    private func peek(_ offset: Int = 0) -> UInt8? { i + offset < bytes.count ? bytes[i + offset] : nil }

    /// Past one byte; a column is one Unicode scalar, counted at its first byte.
    private mutating func advance() {
        if bytes[i] & 0xC0 != 0x80 { column += 1 }
        i += 1
    }

    /// The next record that is not blank, or nil at the end. An unterminated quote is reported
    /// at the field that opens it, and ends the reading.
    mutating func next(into diags: inout Diagnostics) -> Record? {
        while !stopped, i < bytes.count {
            let recordLine = line
            var fields: [Field] = []
            var endOfRecord = false
            while !endOfRecord {
                let fieldColumn = column
                let fieldLine = line
                var quoted = false
                if peek() == Self.quote {
                    quoted = true
                    scratch.removeAll(keepingCapacity: true)
                    let openLine = line
                    advance()
                    var closed = false
                    while let u = peek() {
                        if u == Self.quote {
                            if peek(1) == Self.quote {
                                scratch.append(Self.quote)
                                i += 2
                                column += 2
                                continue
                            }
                            advance()
                            closed = true
                            break
                        }
                        scratch.append(u)
                        if u == Self.lf {
                            i += 1
                            line += 1
                            column = 1
                        } else {
                            advance()
                        }
                    }
                    if !closed {
                        diags.error(SourceLocation(file: path, line: openLine, column: fieldColumn), "this quoted field is never closed")
                        stopped = true
                        return nil
                    }
                }
                // Unquoted text, or anything between a closing quote and the separator (kept, as most readers do).
                let start = i
                while let u = peek(), u != Self.comma, u != Self.lf, u != Self.cr { advance() }
                let text: String
                if quoted {
                    scratch.append(contentsOf: bytes[start..<i])
                    text = String(decoding: scratch, as: UTF8.self)
                } else {
                    text = String(decoding: bytes[start..<i], as: UTF8.self)
                }
                fields.append(Field(text: text, line: fieldLine, column: fieldColumn))
                if peek() == Self.comma {
                    advance()
                } else {
                    if peek() == Self.cr { i += 1 }
                    if peek() == Self.lf { i += 1 }
                    line += 1
                    column = 1
                    endOfRecord = true
                }
            }
            let blank = fields.count == 1 && LearnerProfileLoader.trimmed(fields[0].text).isEmpty
            if !blank { return Record(line: recordLine, fields: fields) }
        }
        return nil
    }
}

/// A cohort file read one learner at a time, as often as needed: each `forEach` is one pass
/// over the file, so a report of 100,000 learners never holds them all.
public struct CohortFile: Sendable {
    public let path: String
    let curriculum: Curriculum

    public init(path: String, curriculum: Curriculum) {
        self.path = path
        self.curriculum = curriculum
    }

    /// Reads the file once, giving `body` each learner without an error in file order, and
    /// returns every problem of the file. Check the whole file (a pass with an empty body)
    /// before using any of it: a cohort with a bad row is never half used.
    @discardableResult
    public func forEach(_ body: (LearnerProfile) throws -> Void) rethrows -> Diagnostics {
        var diags = Diagnostics()
        let ext = (path as NSString).pathExtension.lowercased()
        let format: LearnerProfileLoader.Format
        switch ext {
        case "csv": format = .csv
        case "yaml", "yml": format = .yaml
        default:
            diags.error(SourceLocation(file: path), "a learners file must end in .csv, .yaml or .yml (got '\(ext)')")
            return diags
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            diags.error(SourceLocation(file: path), "cannot read the learners file")
            return diags
        }
        guard let text = SourceText.decodeUTF8(data, path: path, into: &diags) else { return diags }
        try LearnerProfileLoader.stream(text: text, format: format, displayPath: path, curriculum: curriculum, into: &diags, body)
        return diags
    }
}
