import Foundation

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
package struct TalentLMSParser: RowParser {
    let ctx: ParseContext
    var file: String { ctx.file }
    var resolver: ItemResolver { ctx.resolver }
    package var expectedFields: Int? { nil }
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

    init(header: DelimitedRecord, ctx: ParseContext) throws {
        self.ctx = ctx
        let file = ctx.file, resolver = ctx.resolver
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
                              message: "missing column 'User' (or 'email', 'login'): this is not a TalentLMS export as read (\(ctx.detected), header "
                                  + FileSniff.headerSample(header) + "); expected a unit-progress sheet ('email', 'name', 'completion_status', …) or a unit or training matrix ('User', then one column per unit or course)")
        }
        var m: [(Int, String, String?)] = []
        var issues: [ImportIssue] = []
        if unit == nil {
            let known = Set(learnerColumns + [status, score, date, timestamp, time, timeSeconds, attempt].compactMap { $0 })
            for (i, title) in names.enumerated() where !known.contains(i) && !title.isEmpty {
                if let r = resolver.resolve(title) { m.append((i, r.id, r.level)) } else {
                    issues.append(ImportIssue(file: file, line: header.line, field: title,
                                              message: "column '\(title)' matches no curriculum item\(resolver.hint(title)); its cells are skipped"))
                }
            }
            if m.isEmpty {
                let tried = issues.prefix(3).compactMap(\.field).map { "'\($0)'" }.joined(separator: ", ")
                throw ImportIssue(file: file, line: header.line, field: nil,
                                  message: "no unit column ('name', 'Unit') and no unit or course column that matches the curriculum"
                                      + (tried.isEmpty ? "" : " (not matched: \(tried))") + (resolver.plan == nil ? resolver.hint("") : ""))
            }
        } else if status == nil {
            throw ImportIssue(file: file, line: header.line, field: "completion_status",
                              message: "missing column 'completion_status' (or 'Status')")
        }
        matrix = m
        headerIssues = issues
    }

    package func parse(_ r: DelimitedRecord) -> ParsedRow {
        func cell(_ i: Int?) -> String {
            guard let i, i < r.fields.count else { return "" }
            return r.fields[i].trimmedCell
        }
        func bad(_ column: Int?, _ fallback: String, _ msg: String) -> ParsedRow {
            .issues([ImportIssue(file: file, line: r.line, field: column.map { names[$0] } ?? fallback, message: msg)])
        }
        // Spreadsheets saved as CSV often end with rows of empty cells.
        if r.fields.allSatisfy({ $0.trimmedCell.isEmpty }) { return .skip }
        if r.fields.count < names.count || r.fields.dropFirst(names.count).contains(where: { !$0.trimmedCell.isEmpty }) {
            return bad(nil, "-", FieldCheck.ragged(r, expected: names.count))
        }
        for k in [email, login, fullName, firstName, lastName, userID].compactMap({ $0 }) {
            if let why = FieldCheck.identity(cell(k)) { return bad(k, "User", why) }
        }
        let mail = cell(email)
        var name = cell(fullName)
        if name.isEmpty { name = [cell(firstName), cell(lastName)].filter { !$0.isEmpty }.joined(separator: " ") }
        let ids = [mail, cell(login), cell(userID)]
        guard let learner = [mail, cell(login), name, cell(userID)].first(where: { !$0.isEmpty }) else {
            return bad(email ?? login ?? fullName ?? firstName ?? userID, "User", "no email, login or name to identify the user")
        }
        let who = LearnerIdentity(id: learner, name: name.isEmpty ? nil : name, email: mail.isEmpty ? nil : mail,
                                  byName: ids.allSatisfy(\.isEmpty))
        func base(_ item: String, _ level: String?, _ st: LessonStatus) -> AttemptRecord {
            var rec = AttemptRecord(learner: learner, curriculum: ctx.curriculum, item: item, attempt: 1, status: st)
            rec.learnerName = who.name
            rec.email = who.email
            rec.byName = who.byName
            rec.level = level
            return rec
        }
        // A user the export lists without progress is still a learner of the course.
        let enrolledOnly = ParsedRow.learner(who)
        // A sheet that names users only by name: one user has one row of a matrix, or one row
        // per unit (and attempt) of a progress sheet.
        func held(_ row: ParsedRow, slot: String?) -> ParsedRow {
            NamedRow.hold(row, who, slot: slot, rule: slot == nil ? Self.matrixRule : Self.rowsRule)
        }

        if unit == nil {
            var out: [AttemptRecord] = []
            for col in matrix {
                let text = cell(col.index)
                if text.isEmpty { continue }
                guard let v = TalentLMSCell.matrixCell(text) else {
                    return bad(col.index, "unit", "neither a status, a score nor a time: '\(text)'")
                }
                if let why = FieldCheck.score(v.score, max: v.scoreMax) { return bad(col.index, "unit", why) }
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
            return held(out.isEmpty ? enrolledOnly : .records(out), slot: nil)
        }

        let unitName = cell(unit)
        guard let resolved = memo.resolve(unitName, with: resolver) else {
            return bad(unit, "Unit", unitName.isEmpty ? "empty unit name" : "unit '\(unitName)' matches no curriculum item\(resolver.hint(unitName))")
        }
        let statusText = cell(status)
        if statusText.isEmpty { return bad(status, "Status", "missing: every row needs a status") }
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
        if let why = FieldCheck.score(rec.score, max: rec.scoreMax) { return bad(score, "Score", why) }
        // The Unix timestamp is unambiguous; the text follows the portal's date format
        // (DD/MM/YYYY by default), so it is only the fallback.
        let ts = cell(timestamp)
        if !ts.isEmpty && ts != "-" && ts.lowercased() != "null" {
            guard let secs = Double(ts), secs >= 0 else { return bad(timestamp, "completed_on_timestamp", "not a Unix timestamp: '\(ts)'") }
            rec.lastAt = iso.string(from: Date(timeIntervalSince1970: secs))
        } else {
            let d = cell(date)
            guard case .some(let dd) = ctx.dates.parse(d) else {
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
        let slot = "'\(unitName)'" + (attempt == nil ? "" : ", attempt \(rec.attempt)")
        if st == .notAttempted && (rec.score ?? 0) == 0 { return held(enrolledOnly, slot: slot) }
        return held(.records([rec]), slot: slot)
    }

    private static let nameFix = "add an 'Email' column with each user's email (or 'login' with their username) to the sheet, "
        + "or import a TalentLMS export that has them (the users' progress with 'email', docs/progress.md)"
    /// The unit and training matrices have one row per user (TalentLMS help centre, "How to
    /// work with the unit matrix report": users down the left, units across the top).
    static let matrixRule = NamedRow.Rule(
        column: "User", why: "a TalentLMS unit or training matrix has one row per user, so these are two people with the same name",
        fix: nameFix)
    /// A progress sheet has one row per user and unit (`getuserstatusincourse`: one entry per unit).
    static let rowsRule = NamedRow.Rule(
        column: "User", why: "a TalentLMS progress sheet has one row per user and unit, so these are two people with the same name",
        fix: nameFix)
}

/// TalentLMS's words and marks for a unit's state, and the matrix cells that carry them.
