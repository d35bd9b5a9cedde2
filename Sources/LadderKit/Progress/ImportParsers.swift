import Foundation

/// Where an import's rows come from.
public enum ImportSource: String, Sendable, CaseIterable {
    case moodle, talentlms, csv, preview
}

/// A row (or header) that could not be imported, with the line and the field at fault.
public struct ImportIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var field: String?
    public var message: String
    public init(file: String, line: Int, field: String?, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }
    public var description: String {
        "\(file):\(line): error: " + (field.map { "field '\($0)': " } ?? "") + message
    }
}

/// Finds the plan item a column or unit names: a Ladder SCO identifier
/// (`ITEM-inform-customers-module`), a plan item id (`inform-customers.module`), or, with a
/// curriculum, an item's title as the LMS shows it.
struct ItemResolver {
    var plan: Plan?
    private var byTitle: [String: PlanItem] = [:]
    private var byID: [String: PlanItem] = [:]

    init(plan: Plan?) {
        self.plan = plan
        for i in plan?.items ?? [] {
            byID[i.id] = i
            let t = ItemResolver.norm(i.title)
            if byTitle[t] == nil { byTitle[t] = i }
        }
    }

    static func norm(_ s: String) -> String {
        s.trimmedCell.lowercased()
    }

    /// The item id and its level (when the curriculum knows it), nil when nothing matches.
    func resolve(_ name: String) -> (id: String, level: String?)? {
        if let id = SCOIdentifier.itemID(name) {
            if plan == nil { return (id, nil) }
            if let i = byID[id] { return (i.id, i.level) }
        }
        if let i = byTitle[ItemResolver.norm(name)] { return (i.id, i.level) }
        return nil
    }

    var hint: String {
        plan == nil ? " (pass --curriculum to match item titles)" : ""
    }
}

/// Looks columns up by header name, ignoring case and surrounding spaces.
struct ColumnHeader {
    let names: [String]
    private var index: [String: Int] = [:]
    init(_ fields: [String]) {
        names = fields
        for (i, f) in fields.enumerated() {
            let k = ColumnHeader.key(f)
            if index[k] == nil { index[k] = i }
        }
    }
    static func key(_ s: String) -> String { s.trimmedCell.lowercased() }
    func column(_ aliases: String...) -> Int? {
        for a in aliases { if let i = index[ColumnHeader.key(a)] { return i } }
        return nil
    }
}

/// The result of reading one row.
enum ParsedRow {
    case records([AttemptRecord])
    /// A learner the export lists without any attempt (Moodle's "-" rows).
    case learner(id: String, name: String?, email: String?)
    case skip
    case issues([ImportIssue])
}

protocol RowParser {
    func parse(_ r: DelimitedRecord) -> ParsedRow
}

/// Dates as LMS exports print them, normalised to ISO 8601 text (UTC).
enum LMSDates {
    private static let formatters: [DateFormatter] = {
        let patterns = [
            "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
            // Moodle userdate(): strftimedaydatetime "%A, %d %B %Y, %I:%M %p" and strftimedatetime "%d %B %Y, %I:%M %p"
            "EEEE, d MMMM yyyy, h:mm a", "d MMMM yyyy, h:mm a",
            // TalentLMS: DD/MM/YYYY (its default date format), with or without a time
            "dd/MM/yyyy, HH:mm:ss", "dd/MM/yyyy, HH:mm", "dd/MM/yyyy HH:mm", "dd/MM/yyyy",
        ]
        return patterns.map { p in
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = p
            return f
        }
    }()
    nonisolated(unsafe) private static let iso: ISO8601DateFormatter = ISO8601DateFormatter()
    private static let lock = NSLock()

    /// nil for an empty or "-" cell; throws-by-nil handled by callers for unparseable text.
    static func parse(_ raw: String) -> String?? {
        let s = raw.trimmedCell
        if s.isEmpty || s == "-" || s.lowercased() == "never" { return .some(nil) }
        // Fast path for what Ladder itself writes.
        if s.count == 10, s.utf8.dropFirst(4).first == UInt8(ascii: "-") { return .some(s) }
        if s.count == 20, s.hasSuffix("Z"), s.utf8.dropFirst(10).first == UInt8(ascii: "T") { return .some(s) }
        // Every pattern is ASCII (en_US_POSIX month and day names), and Foundation's
        // DateFormatter traps ("Incorrect range CFRange") on some non-ASCII text, such as a
        // combining mark after a digit (found by fuzz-import-moodle-basic).
        guard s.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        lock.lock()
        defer { lock.unlock() }
        for f in formatters {
            if let d = f.date(from: s) { return .some(iso.string(from: d)) }
        }
        return nil
    }
}

/// Parses a score cell: `85`, `85%`, `85/100`, `8.5/10`.
enum ScoreCell {
    static func parse(_ raw: String) -> (score: Double, max: Double?)?? {
        let s = raw.trimmedCell
        if s.isEmpty || s == "-" { return .some(nil) }
        if s.hasSuffix("%"), let v = Double(String(s.dropLast()).trimmedCell) { return .some((v, 100)) }
        if let slash = s.firstIndex(of: "/") {
            guard let a = Double(String(s[..<slash]).trimmedCell),
                  let b = Double(String(s[s.index(after: slash)...]).trimmedCell) else { return nil }
            return .some((a, b))
        }
        if let v = Double(s) { return .some((v, nil)) }
        return nil
    }
}

// MARK: - Generic CSV

/// The documented generic layout (docs/progress.md): one row per attempt, or per interaction
/// of an attempt with the attempt's columns repeated.
/// Item look-ups already made in this file (a file names few items many times).
final class ItemMemo {
    var items: [String: (id: String, level: String?)?] = [:]
}

struct GenericCSVParser: RowParser {
    let memo = ItemMemo()
    let file: String
    let curriculum: String
    let resolver: ItemResolver
    let c: (learner: Int, name: Int?, email: Int?, curriculum: Int?, level: Int?, itemLevel: Int?, track: Int?, item: Int, attempt: Int?,
            status: Int, score: Int?, scoreMax: Int?, started: Int?, last: Int?, seconds: Int?, observer: Int?,
            interaction: Int?, type: Int?, response: Int?, correct: Int?, result: Int?, latency: Int?)

    init(file: String, header: DelimitedRecord, curriculum: String, resolver: ItemResolver) throws {
        self.file = file
        self.curriculum = curriculum
        self.resolver = resolver
        let h = ColumnHeader(header.fields)
        func need(_ n: String...) throws -> Int {
            for a in n { if let i = h.column(a) { return i } }
            throw ImportIssue(file: file, line: header.line, field: n[0], message: "missing column '\(n[0])'")
        }
        c = (try need("learner", "learner_id"), h.column("name", "learner_name"), h.column("email"), h.column("curriculum"),
             h.column("level"), h.column("item_level"), h.column("track"), try need("item", "item_id", "sco"), h.column("attempt"),
             try need("status", "lesson_status"), h.column("score"), h.column("score_max"), h.column("started", "started_at"),
             h.column("last", "last_at", "completed_at", "date"), h.column("seconds", "time", "total_time"), h.column("observer"),
             h.column("interaction", "question"), h.column("interaction_type", "type"), h.column("response", "student_response"),
             h.column("correct", "correct_response"), h.column("result"), h.column("latency"))
    }

    func parse(_ r: DelimitedRecord) -> ParsedRow {
        var issues: [ImportIssue] = []
        func cell(_ i: Int?) -> String? {
            guard let i, i < r.fields.count else { return nil }
            let v = r.fields[i].trimmedCell
            return v.isEmpty ? nil : v
        }
        func bad(_ field: String, _ msg: String) { issues.append(ImportIssue(file: file, line: r.line, field: field, message: msg)) }
        guard let learner = cell(c.learner) else {
            return .issues([ImportIssue(file: file, line: r.line, field: "learner", message: "empty learner id")])
        }
        let itemName = cell(c.item) ?? ""
        let resolved: (id: String, level: String?)?
        if let hit = memo.items[itemName] { resolved = hit } else {
            resolved = resolver.resolve(itemName)
            if memo.items.count < 100_000 { memo.items[itemName] = resolved }
        }
        if resolved == nil { bad("item", itemName.isEmpty ? "empty item" : "unknown item '\(itemName)'\(resolver.hint)") }
        var attempt = 1
        if let a = cell(c.attempt) {
            if let n = Int(a), n >= 1 { attempt = n } else { bad("attempt", "not a positive whole number: '\(a)'") }
        }
        let statusText = cell(c.status) ?? ""
        let status = LessonStatus(parsing: statusText)
        if status == nil { bad("status", "unknown status '\(statusText)'") }
        var score: Double?, scoreMax: Double?
        if let s = cell(c.score) {
            if case .some(let v) = ScoreCell.parse(s) { score = v?.score; scoreMax = v?.max } else { bad("score", "not a number: '\(s)'") }
        }
        if let s = cell(c.scoreMax) {
            if let v = Double(s) { scoreMax = v } else { bad("score_max", "not a number: '\(s)'") }
        }
        var started: String?, last: String?
        if let s = cell(c.started) {
            if case .some(let v) = LMSDates.parse(s) { started = v } else { bad("started", "not a date: '\(s)'") }
        }
        if let s = cell(c.last) {
            if case .some(let v) = LMSDates.parse(s) { last = v } else { bad("last", "not a date: '\(s)'") }
        }
        var seconds: Int?
        if let s = cell(c.seconds) {
            if let v = DurationCell.seconds(s) { seconds = v } else { bad("seconds", "not a duration: '\(s)'") }
        }
        if !issues.isEmpty { return .issues(issues) }
        var rec = AttemptRecord(learner: learner, curriculum: cell(c.curriculum) ?? curriculum, item: resolved!.id,
                                attempt: attempt, status: status!)
        rec.learnerName = cell(c.name)
        rec.email = cell(c.email)
        rec.level = resolved!.level ?? cell(c.itemLevel)
        rec.enrolmentLevel = cell(c.level)
        rec.track = cell(c.track)
        rec.score = score
        rec.scoreMax = scoreMax
        rec.startedAt = started
        rec.lastAt = last
        rec.seconds = seconds
        rec.observer = cell(c.observer)
        if let q = cell(c.interaction) {
            var i = InteractionRecord(id: q)
            i.type = cell(c.type)
            i.response = cell(c.response)
            i.correct = cell(c.correct)
            i.result = cell(c.result)
            i.latency = cell(c.latency)
            rec.interactions = [i]
        }
        return .records([rec])
    }
}

// MARK: - Moodle

/// Moodle's SCORM activity reports, "Download in text format" (tab-separated, from
/// mod/scorm/report/basic and mod/scorm/report/interactions): Name, the site's identity
/// fields (e.g. "Email address"), Attempt, Started on, Last accessed on, Score, one column per
/// SCO headed by its title (cell: "85/100", "85" or a status word), then for the interactions
/// report "Question n", "Response n", "Right answer n", "Result n" from n = 0.
struct MoodleParser: RowParser {
    let file: String
    let curriculum: String
    let name: Int
    let email: Int?
    let idnumber: Int?
    let attempt: Int
    let started: Int?
    let last: Int?
    let scoColumns: [(index: Int, item: String, level: String?)]
    let firstQuestion: Int
    let firstSCO: Int
    let questionGroups: [(question: Int?, response: Int?, right: Int?, result: Int?)]
    var headerIssues: [ImportIssue] = []
    let headerCount: Int

    init(file: String, header: DelimitedRecord, curriculum: String, resolver: ItemResolver) throws {
        self.file = file
        self.curriculum = curriculum
        let h = ColumnHeader(header.fields)
        headerCount = header.fields.count
        guard let n = h.column("Name", "Full name", "Fullname") else {
            throw ImportIssue(file: file, line: header.line, field: "Name", message: "missing column 'Name': is this a Moodle SCORM report download?")
        }
        guard let a = h.column("Attempt") else {
            throw ImportIssue(file: file, line: header.line, field: "Attempt", message: "missing column 'Attempt'")
        }
        guard let score = h.column("Score") else {
            throw ImportIssue(file: file, line: header.line, field: "Score", message: "missing column 'Score'")
        }
        name = n
        email = h.column("Email address", "Email")
        idnumber = h.column("ID number")
        attempt = a
        started = h.column("Started on")
        last = h.column("Last accessed on")
        func isQuestionish(_ s: String) -> (kind: String, n: Int)? {
            let k = ColumnHeader.key(s)
            for p in ["question ", "response ", "right answer ", "result "] where k.hasPrefix(p) {
                if let n = Int(k.dropFirst(p.count)) { return (p.trimmedCell, n) }
            }
            return nil
        }
        var scos: [(Int, String, String?)] = []
        var issues: [ImportIssue] = []
        var i = score + 1
        firstSCO = i
        while i < header.fields.count, isQuestionish(header.fields[i]) == nil {
            let title = header.fields[i]
            if let r = resolver.resolve(title) {
                scos.append((i, r.id, r.level))
            } else {
                issues.append(ImportIssue(file: file, line: header.line, field: title,
                                          message: "SCO column '\(title)' matches no curriculum item\(resolver.hint); its cells are skipped"))
            }
            i += 1
        }
        firstQuestion = i
        var groups: [Int: (question: Int?, response: Int?, right: Int?, result: Int?)] = [:]
        while i < header.fields.count {
            if let q = isQuestionish(header.fields[i]) {
                var g = groups[q.n] ?? (nil, nil, nil, nil)
                switch q.kind {
                case "question": g.question = i
                case "response": g.response = i
                case "right answer": g.right = i
                default: g.result = i
                }
                groups[q.n] = g
            }
            i += 1
        }
        questionGroups = groups.keys.sorted().map { groups[$0]! }
        scoColumns = scos
        headerIssues = issues
    }

    func parse(_ r: DelimitedRecord) -> ParsedRow {
        func cell(_ i: Int?) -> String {
            guard let i, i < r.fields.count else { return "" }
            return r.fields[i].trimmedCell
        }
        func bad(_ field: String, _ msg: String) -> ParsedRow {
            .issues([ImportIssue(file: file, line: r.line, field: field, message: msg)])
        }
        let attemptText = cell(attempt)
        let fullName = cell(name)
        let mail = cell(email)
        let learner = !mail.isEmpty ? mail : (!cell(idnumber).isEmpty ? cell(idnumber) : fullName)
        if learner.isEmpty { return bad("Name", "no name or email to identify the learner") }
        if attemptText == "-" || attemptText.isEmpty {  // enrolled, no attempt yet
            return .learner(id: learner, name: fullName.isEmpty ? nil : fullName, email: mail.isEmpty ? nil : mail)
        }
        guard let att = Int(attemptText), att >= 1 else { return bad("Attempt", "not a positive whole number: '\(attemptText)'") }
        guard case .some(let start) = LMSDates.parse(cell(started)) else { return bad("Started on", "not a date: '\(cell(started))'") }
        guard case .some(let end) = LMSDates.parse(cell(last)) else { return bad("Last accessed on", "not a date: '\(cell(last))'") }
        // Rows of the interactions report repeat the question cells after every SCO cell when
        // the package has several SCOs; with one SCO the row matches the header.
        let g = headerCount - firstQuestion
        let blockLayout = firstQuestion - firstSCO > 1 && g > 0 && r.fields.count > headerCount
        var out: [AttemptRecord] = []
        for (k, sco) in scoColumns.enumerated() {
            let cellIndex = blockLayout ? firstSCO + (sco.index - firstSCO) * (1 + g) : sco.index
            let text = cell(cellIndex)
            var status: LessonStatus
            var score: (score: Double, max: Double?)?
            if text.isEmpty { continue }
            if let s = LessonStatus(parsing: text) {
                status = s
            } else if case .some(let v) = ScoreCell.parse(text), let v {
                // Moodle prints the raw score instead of the status when there is one.
                status = .completed
                score = v
            } else {
                return bad(r.fields.indices.contains(sco.index) ? "SCO '\(sco.item)'" : "SCO", "neither a status nor a score: '\(text)'")
            }
            if status == .notAttempted && score == nil { continue }
            var rec = AttemptRecord(learner: learner, curriculum: curriculum, item: sco.item, attempt: att, status: status)
            rec.learnerName = fullName.isEmpty ? nil : fullName
            rec.email = mail.isEmpty ? nil : mail
            rec.level = sco.level
            rec.score = score?.score
            rec.scoreMax = score?.max
            rec.startedAt = start
            rec.lastAt = end
            let qBase = blockLayout ? cellIndex + 1 : firstQuestion
            let attach = blockLayout || scoColumns.count == 1 || (k == scoColumns.lastIndex { $0.item.hasSuffix(".assessment") })
            if attach {
                for g in questionGroups {
                    func q(_ i: Int?) -> String? {
                        guard let i else { return nil }
                        let v = cell(blockLayout ? qBase + (i - firstQuestion) : i)
                        return v.isEmpty ? nil : v
                    }
                    guard let id = q(g.question) else { continue }
                    var ir = InteractionRecord(id: id)
                    ir.response = q(g.response)
                    ir.correct = q(g.right)
                    ir.result = q(g.result)
                    rec.interactions.append(ir)
                }
            }
            out.append(rec)
        }
        return .records(out)
    }
}

// MARK: - TalentLMS

/// TalentLMS progress saved as CSV (TalentLMS exports Excel; save the sheet as CSV). The
/// header decides between two shapes; docs/progress.md ("TalentLMS") says where each is
/// described and what is still unverified:
///
/// - **rows**, one per user and unit: the unit fields of TalentLMS's REST API call
///   `getuserstatusincourse` (`id`, `name`, `type`, `completion_status`, `completed_on`,
///   `completed_on_timestamp`, `score`, `total_time`) after the user fields of its `users`
///   call (`login`, `email`, `first_name`, `last_name`). Report-style names (`User`, `Email`,
///   `Unit`, `Status`, `Score`, `Completion date`, `Time`, …) are read as aliases, and a
///   `Course` column stands in for the unit when there is none (one Ladder item per course).
/// - **matrix**: the unit matrix (Reports › Courses › a course › Unit matrix) and the
///   training matrix (users × courses) exports: `User`, then one column per unit or course
///   headed by its name; a cell holds a status word or mark (`✔`), a score, a time, or a
///   status followed by a score and/or a time (the report's "View" options).
struct TalentLMSParser: RowParser {
    let file: String
    let curriculum: String
    let resolver: ItemResolver
    /// The header's texts, so an issue names the column as the file does.
    let names: [String]
    let email: Int?, login: Int?, fullName: Int?, firstName: Int?, lastName: Int?, userID: Int?
    let unit: Int?
    let status: Int?
    let score: Int?
    let date: Int?
    let timestamp: Int?
    let time: Int?
    let timeSeconds: Int?
    let attempt: Int?
    let matrix: [(index: Int, item: String, level: String?)]
    var headerIssues: [ImportIssue] = []
    private let memo = ItemMemo()
    private let iso = ISO8601DateFormatter()

    init(file: String, header: DelimitedRecord, curriculum: String, resolver: ItemResolver) throws {
        self.file = file
        self.curriculum = curriculum
        self.resolver = resolver
        names = header.fields.map(\.trimmedCell)
        var index: [String: Int] = [:]
        for (i, f) in header.fields.enumerated() where index[ColumnHeader.key(f)] == nil { index[ColumnHeader.key(f)] = i }
        // TalentLMS's own names first, then the aliases.
        func col(_ aliases: [String]) -> Int? { aliases.lazy.compactMap { index[ColumnHeader.key($0)] }.first }
        // With the API's `completion_status`, a bare `name` is the unit's name (as in the
        // API's `units` list); otherwise it is the user's.
        let apiRows = index["completion_status"] != nil
        status = col(["completion_status", "Status", "Completion status", "Unit status", "Progress status"])
        email = col(["email", "Email", "E-mail", "Email address", "user_email"])
        login = col(["login", "Username", "User name", "user_username"])
        firstName = col(["first_name", "First name"])
        lastName = col(["last_name", "Last name"])
        fullName = col(["User", "Learner", "Full name", "user_fullname", "user_name"] + (apiRows ? [] : ["Name"]))
        userID = col(["user_id", "User ID"])
        var unitColumn = col(["Unit", "Unit name", "unit_name", "Content"] + (apiRows ? ["name"] : []))
        if unitColumn == nil, status != nil { unitColumn = col(["Course", "course_name", "Course name"]) }
        unit = unitColumn
        score = col(["score", "Score"])
        date = col(["completed_on", "Completion date", "Completed on", "Date"])
        timestamp = col(["completed_on_timestamp"])
        time = col(["total_time", "Time", "Total time", "Time spent", "Unit time"])
        timeSeconds = col(["total_time_seconds"])
        attempt = col(["Attempt", "Attempts"])
        let learnerColumns = [email, login, fullName, firstName, lastName, userID].compactMap { $0 }
        if learnerColumns.isEmpty {
            throw ImportIssue(file: file, line: header.line, field: "User",
                              message: "missing column 'User' (or 'email', 'login'): is this a TalentLMS export?")
        }
        var m: [(Int, String, String?)] = []
        var issues: [ImportIssue] = []
        if unit == nil {
            let known = Set(learnerColumns + [status, score, date, timestamp, time, timeSeconds, attempt].compactMap { $0 })
            for (i, title) in names.enumerated() where !known.contains(i) && !title.isEmpty {
                if let r = resolver.resolve(title) { m.append((i, r.id, r.level)) } else {
                    issues.append(ImportIssue(file: file, line: header.line, field: title,
                                              message: "column '\(title)' matches no curriculum item\(resolver.hint); its cells are skipped"))
                }
            }
            if m.isEmpty {
                let tried = issues.prefix(3).compactMap(\.field).map { "'\($0)'" }.joined(separator: ", ")
                throw ImportIssue(file: file, line: header.line, field: nil,
                                  message: "no unit column ('name', 'Unit') and no unit or course column that matches the curriculum"
                                      + (tried.isEmpty ? "" : " (not matched: \(tried))") + resolver.hint)
            }
        } else if status == nil {
            throw ImportIssue(file: file, line: header.line, field: "completion_status",
                              message: "missing column 'completion_status' (or 'Status')")
        }
        matrix = m
        headerIssues = issues
    }

    func parse(_ r: DelimitedRecord) -> ParsedRow {
        func cell(_ i: Int?) -> String {
            guard let i, i < r.fields.count else { return "" }
            return r.fields[i].trimmedCell
        }
        func bad(_ column: Int?, _ fallback: String, _ msg: String) -> ParsedRow {
            .issues([ImportIssue(file: file, line: r.line, field: column.map { names[$0] } ?? fallback, message: msg)])
        }
        // Spreadsheets saved as CSV often end with rows of empty cells.
        if r.fields.allSatisfy({ $0.trimmedCell.isEmpty }) { return .skip }
        let mail = cell(email)
        var name = cell(fullName)
        if name.isEmpty { name = [cell(firstName), cell(lastName)].filter { !$0.isEmpty }.joined(separator: " ") }
        guard let learner = [mail, cell(login), name, cell(userID)].first(where: { !$0.isEmpty }) else {
            return bad(email ?? login ?? fullName ?? firstName ?? userID, "User", "no email, login or name to identify the user")
        }
        func base(_ item: String, _ level: String?, _ st: LessonStatus) -> AttemptRecord {
            var rec = AttemptRecord(learner: learner, curriculum: curriculum, item: item, attempt: 1, status: st)
            rec.learnerName = name.isEmpty ? nil : name
            rec.email = mail.isEmpty ? nil : mail
            rec.level = level
            return rec
        }
        // A user the export lists without progress is still a learner of the course.
        let enrolledOnly = ParsedRow.learner(id: learner, name: name.isEmpty ? nil : name, email: mail.isEmpty ? nil : mail)

        if unit == nil {
            var out: [AttemptRecord] = []
            for col in matrix {
                let text = cell(col.index)
                if text.isEmpty { continue }
                guard let v = TalentLMSCell.matrixCell(text) else {
                    return bad(col.index, "unit", "neither a status, a score nor a time: '\(text)'")
                }
                if v.status == .notAttempted && (v.score ?? 0) == 0 { continue }
                var rec = base(col.item, col.level, v.status)
                // The matrices show one state, "Completed/Passed" (✔): for a test unit with no
                // score in the cell, that state is its pass.
                if rec.kind == "assessment" && v.status == .completed && v.score == nil { rec.status = .passed }
                rec.score = v.score
                rec.scoreMax = v.scoreMax
                rec.seconds = v.seconds
                out.append(rec)
            }
            return out.isEmpty ? enrolledOnly : .records(out)
        }

        let unitName = cell(unit)
        let resolved: (id: String, level: String?)?
        if let hit = memo.items[unitName] { resolved = hit } else {
            resolved = resolver.resolve(unitName)
            if memo.items.count < 100_000 { memo.items[unitName] = resolved }
        }
        guard let resolved else {
            return bad(unit, "Unit", unitName.isEmpty ? "empty unit name" : "unit '\(unitName)' matches no curriculum item\(resolver.hint)")
        }
        let statusText = cell(status)
        guard let st = TalentLMSCell.status(statusText) else { return bad(status, "Status", "unknown status '\(statusText)'") }
        var rec = base(resolved.id, resolved.level, st)
        let a = cell(attempt)
        if !a.isEmpty {
            guard let n = Int(a), n >= 1 else { return bad(attempt, "Attempt", "not a positive whole number: '\(a)'") }
            rec.attempt = n
        }
        let s = cell(score)
        guard case .some(let sc) = ScoreCell.parse(s) else { return bad(score, "Score", "not a score: '\(s)'") }
        rec.score = sc?.score
        // TalentLMS scores are percentages ("100.00%" in its API).
        rec.scoreMax = sc?.max ?? (sc == nil ? nil : 100)
        // The Unix timestamp is unambiguous; the text follows the portal's date format
        // (DD/MM/YYYY by default), so it is only the fallback.
        let ts = cell(timestamp)
        if !ts.isEmpty && ts != "-" && ts.lowercased() != "null" {
            guard let secs = Double(ts), secs >= 0 else { return bad(timestamp, "completed_on_timestamp", "not a Unix timestamp: '\(ts)'") }
            rec.lastAt = iso.string(from: Date(timeIntervalSince1970: secs))
        } else {
            let d = cell(date)
            guard case .some(let dd) = LMSDates.parse(d) else {
                return bad(date, "Completion date", "not a date (TalentLMS writes DD/MM/YYYY, HH:MM:SS): '\(d)'")
            }
            rec.lastAt = dd
        }
        let secsText = cell(timeSeconds)
        if !secsText.isEmpty {
            guard let n = Int(secsText), n >= 0 else { return bad(timeSeconds, "total_time_seconds", "not a number of seconds: '\(secsText)'") }
            rec.seconds = n
        } else {
            let t = cell(time)
            if !t.isEmpty && t != "-" {
                guard let secs = DurationCell.seconds(t) else { return bad(time, "Time", "not a duration (TalentLMS writes e.g. '3m 17s'): '\(t)'") }
                rec.seconds = secs
            }
        }
        if st == .notAttempted && (rec.score ?? 0) == 0 { return enrolledOnly }
        return .records([rec])
    }
}

/// TalentLMS's words and marks for a unit's state, and the matrix cells that carry them.
enum TalentLMSCell {
    /// Completed, not passed and in-progress marks; the unit matrix shows a checkmark, an X
    /// and a circle (help centre), the training-matrix export holds `✔` for completed.
    private static let marks: [Character: LessonStatus] = [
        "✔": .completed, "✓": .completed, "✅": .completed, "☑": .completed,
        "✘": .failed, "✗": .failed, "✖": .failed, "❌": .failed,
        "○": .incomplete, "◯": .incomplete, "◌": .incomplete,
    ]
    /// Status words that may start a cell that goes on with a score or a time; longest first.
    private static let words: [(String, LessonStatus)] = [
        ("not attempted", .notAttempted), ("not started", .notAttempted), ("not passed", .failed),
        ("in progress", .incomplete), ("incomplete", .incomplete), ("completed", .completed),
        ("pending", .incomplete), ("complete", .completed), ("passed", .passed), ("failed", .failed),
        ("browsed", .browsed),
    ]
    private static let separators = CharacterSet(charactersIn: " ,;|()[]\t\r\n–—-")

    /// The cell without surrounding spaces and emoji variation selectors (`✔️` is `✔`).
    private static func clean(_ raw: String) -> String {
        guard raw.unicodeScalars.contains("\u{FE0F}") else { return raw.trimmedCell }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: raw.unicodeScalars.filter { $0 != "\u{FE0F}" })
        return String(scalars).trimmedCell
    }

    /// The state a status cell names: TalentLMS's words (`Completed`, `Passed`, `Failed`,
    /// `Not passed`, `In progress`, `Pending`, `Not attempted`, the API's `incomplete`),
    /// SCORM's, or a mark (`✔`, `X`, `○`). nil when unknown.
    static func status(_ raw: String) -> LessonStatus? {
        let s = clean(raw)
        if s.count == 1, let c = s.first {
            if let st = marks[c] { return st }
            if c == "X" || c == "x" { return .failed }
        }
        switch s.lowercased() {
        case "pending", "pending review", "pending instructor review": return .incomplete
        default: return LessonStatus(parsing: s)
        }
    }

    struct Reading: Equatable {
        var status: LessonStatus
        var score: Double?
        var scoreMax: Double?
        var seconds: Int?
    }

    /// A matrix cell: a status, a score (`85`, `85%`, `8.5/10`: completed with that score), a
    /// time (`12m 30s`: the unit was worked on, its state not shown), or a status followed by
    /// a score and/or a time. nil when it is none of those.
    static func matrixCell(_ raw: String) -> Reading? {
        let s = clean(raw)
        if let st = status(s) { return Reading(status: st) }
        var rest = Substring(s)
        var st: LessonStatus?
        if let c = rest.first, let mark = marks[c] {
            st = mark
            rest = rest.dropFirst()
        } else {
            let lower = s.lowercased()
            for (word, value) in words where lower.hasPrefix(word) {
                let after = lower.dropFirst(word.count)
                if let next = after.unicodeScalars.first, !separators.contains(next) { continue }
                st = value
                rest = rest.dropFirst(word.count)
                break
            }
        }
        let tokens = rest.split { c in c.unicodeScalars.allSatisfy { separators.contains($0) } }
        var reading = Reading(status: st ?? .completed)
        var timeTokens = tokens[...]
        if let first = tokens.first, !(first.last?.isLetter ?? false), case .some(let v?) = ScoreCell.parse(String(first)) {
            reading.score = v.score
            reading.scoreMax = v.max ?? 100
            timeTokens = tokens.dropFirst()
        }
        if !timeTokens.isEmpty {
            guard let secs = DurationCell.seconds(timeTokens.joined(separator: " ")) else { return nil }
            reading.seconds = secs
        }
        if st == nil {
            // A score alone counts as done with that score (the item's mastery decides); a
            // time alone only says the unit was worked on.
            if reading.score == nil && reading.seconds == nil { return nil }
            if reading.score == nil { reading.status = .incomplete }
        }
        return reading
    }
}

/// The parser for `source`, and the header's non-fatal problems; an issue when the header
/// cannot be used at all.
func makeRowParser(_ source: ImportSource, file: String, header: DelimitedRecord, curriculum: String, resolver: ItemResolver)
    -> Result<(parser: any RowParser, issues: [ImportIssue]), ImportIssue>
{
    do {
        switch source {
        case .csv, .preview:
            return .success((try GenericCSVParser(file: file, header: header, curriculum: curriculum, resolver: resolver), []))
        case .moodle:
            let p = try MoodleParser(file: file, header: header, curriculum: curriculum, resolver: resolver)
            return .success((p, p.headerIssues))
        case .talentlms:
            let p = try TalentLMSParser(file: file, header: header, curriculum: curriculum, resolver: resolver)
            return .success((p, p.headerIssues))
        }
    } catch let issue as ImportIssue {
        return .failure(issue)
    } catch {
        return .failure(ImportIssue(file: file, line: header.line, field: nil, message: "\(error)"))
    }
}

extension String {
    /// The text without surrounding spaces and tabs; no copy when there are none (the
    /// common case, which keeps the importer's hot path cheap).
    var trimmedCell: String {
        let u = utf8
        guard let f = u.first, let l = u.last else { return self }
        if f != 32 && f != 9 && l != 32 && l != 9 { return self }
        return trimmingCharacters(in: .whitespaces)
    }
}
