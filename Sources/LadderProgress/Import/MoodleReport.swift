import Foundation
import LadderCore

/// Moodle's SCORM activity reports as Moodle writes them (Reports › Basic report and
/// Interactions report; the "Download in text format" is `csv_export_writer("tab")`, PHP's
/// `fputcsv`, so fields with spaces are quoted), and the Excel/ODS downloads saved as CSV.
///
/// The header, in `mod/scorm/report/basic/classes/report.php` and
/// `mod/scorm/report/interactions/classes/report.php` (`display()`): `Name`, the site's
/// identity fields (`Email address`, `ID number`, …; none for a viewer without
/// `moodle/site:viewuseridentity`), `Attempt`, `Started on`, `Last accessed on`, `Score`;
/// then one column per SCO headed by its title (the basic report only with "Track details"
/// on, which is off by default); then for the interactions report, per question n from 0,
/// the columns its preferences turn on: `Question n` (the id), `Response n` (on by default),
/// `Right answer n`, `Result n`. With several SCOs a row repeats the question cells after
/// every SCO cell. Identity and interaction cells go through `s()` (HTML entities).
package struct MoodleParser: RowParser {
    let ctx: ParseContext
    let name: Int
    let identity: [Int]
    let email: Int?
    let idnumber: Int?
    let attempt: Int
    let started: Int
    let last: Int
    let score: Int
    /// Every SCO column of the header (resolved or not), and the resolved ones.
    let scoCount: Int
    let scoColumns: [(index: Int, item: String, level: String?)]
    let firstSCO: Int
    let firstQuestion: Int
    /// Per question position n: the header columns of its id, response, right answer, result.
    let questions: [(n: Int, question: Int?, response: Int?, right: Int?, result: Int?)]
    /// The question cells that follow each SCO cell.
    let perSCO: Int
    let names: [String]
    package let expectedFields: Int?
    var headerIssues: [ImportIssue] = []

    static let requiredNames = ["Name", "Attempt", "Started on", "Last accessed on", "Score"]

    init(header: DelimitedRecord, ctx: ParseContext) throws {
        self.ctx = ctx
        let h = ColumnHeader(header.fields)
        func need(_ n: String, _ aliases: String...) throws -> Int {
            if let i = h.column([n] + aliases) { return i }
            throw ImportIssue(file: ctx.file, line: header.line, field: n, message: MoodleParser.notMoodle(missing: n, header: header, ctx: ctx))
        }
        name = try need("Name", "Full name", "Fullname")
        attempt = try need("Attempt")
        started = try need("Started on")
        last = try need("Last accessed on")
        score = try need("Score")
        // Identity columns sit between Name and Attempt; a header with Attempt first has none
        // (a reversed range trapped here: found by fuzz-import-moodle-basic in CI).
        let identityEnd = min(attempt, header.fields.count)
        identity = name + 1 < identityEnd ? Array((name + 1)..<identityEnd) : []
        email = h.column("Email address", "Email")
        idnumber = h.column("ID number")

        var scos: [(Int, String, String?)] = []
        var issues: [ImportIssue] = []
        var i = score + 1
        firstSCO = i
        while i < header.fields.count, MoodleParser.questionColumn(header.fields[i]) == nil {
            let title = header.fields[i]
            if let r = ctx.resolver.resolve(title) {
                scos.append((i, r.id, r.level))
            } else {
                issues.append(ImportIssue(file: ctx.file, line: header.line, field: title,
                                          message: "SCO column '\(title)' matches no curriculum item\(ctx.resolver.hint(title)); its cells are skipped"))
            }
            i += 1
        }
        firstQuestion = i
        scoCount = firstQuestion - firstSCO
        var groups: [Int: (question: Int?, response: Int?, right: Int?, result: Int?)] = [:]
        for k in firstQuestion..<header.fields.count {
            guard let q = MoodleParser.questionColumn(header.fields[k]) else {
                throw ImportIssue(file: ctx.file, line: header.line, field: header.fields[k],
                                  message: "a column after the question columns that is not one: Moodle writes 'Question n', 'Response n', 'Right answer n', 'Result n' last")
            }
            var g = groups[q.n] ?? (nil, nil, nil, nil)
            switch q.kind {
            case "question": g.question = k
            case "response": g.response = k
            case "right answer": g.right = k
            default: g.result = k
            }
            groups[q.n] = g
        }
        questions = groups.keys.sorted().map { n in let g = groups[n]!; return (n, g.question, g.response, g.right, g.result) }
        perSCO = header.fields.count - firstQuestion
        names = header.fields
        expectedFields = scoCount > 1 && perSCO > 0 ? firstSCO + scoCount * (1 + perSCO) : header.fields.count
        scoColumns = scos

        if scoCount == 0 && ctx.singleItem == nil {
            throw ImportIssue(
                file: ctx.file, line: header.line, field: nil,
                message: "Moodle's basic report without SCO columns (its default): nothing in it says which item an attempt is about. "
                    + "In the SCORM activity's Reports › Basic report, set 'Track details' to Yes in the preferences and download again; "
                    + "for an activity whose package has one SCO, name its item with --item")
        }
        if let single = ctx.singleItem {
            if scoCount > 0 {
                throw ImportIssue(file: ctx.file, line: header.line, field: nil,
                                  message: "--item is for a report without SCO columns; this one names its SCOs, so leave --item out")
            }
            if ctx.resolver.resolve(single) == nil {
                throw ImportIssue(file: ctx.file, line: header.line, field: nil,
                                  message: "--item '\(single)' matches no curriculum item\(ctx.resolver.hint(single))")
            }
        }
        if !questions.isEmpty && questions.allSatisfy({ $0.question == nil }) {
            issues.append(ImportIssue(
                file: ctx.file, line: header.line, field: "Question 0",
                message: "the interactions report without its question columns (Moodle's default shows responses only): the responses cannot be tied to questions and were not imported. "
                    + "Tick 'Summary of question' and 'Summary of result' in the report's preferences and download again; the SCO columns were imported"))
        }
        headerIssues = issues
    }

    /// `Question 3` → ("question", 3); nil for any other header.
    static func questionColumn(_ s: String) -> (kind: String, n: Int)? {
        let k = ColumnHeader.key(s)
        for p in ["question ", "response ", "right answer ", "result "] where k.hasPrefix(p) {
            if let n = Int(k.dropFirst(p.count)), n >= 0 { return (p.trimmedCell, n) }
        }
        return nil
    }

    static func notMoodle(missing: String, header: DelimitedRecord, ctx: ParseContext) -> String {
        "missing column '\(missing)': this is not a Moodle SCORM report download as read (\(ctx.detected), header "
            + FileSniff.headerSample(header) + "); expected Moodle's text download: tab-delimited, UTF-8, with "
            + requiredNames.map { "'\($0)'" }.joined(separator: ", ")
    }

    package func parse(_ r: DelimitedRecord) -> ParsedRow {
        func cell(_ i: Int?) -> String {
            guard let i, i < r.fields.count else { return "" }
            return r.fields[i].trimmedCell
        }
        func bad(_ field: String, _ msg: String) -> ParsedRow {
            .issues([ImportIssue(file: ctx.file, line: r.line, field: field, message: msg)])
        }
        let fullName = cell(name)
        let mail = HTMLEntities.decode(cell(email))
        let idn = HTMLEntities.decode(cell(idnumber))
        for (k, v) in [(name, fullName)] + identity.map({ ($0, HTMLEntities.decode(cell($0))) }) where !v.isEmpty {
            if let why = FieldCheck.identity(v) { return bad(columnName(k), why) }
        }
        let who = LearnerIdentity(id: !mail.isEmpty ? mail : (!idn.isEmpty ? idn : fullName),
                                  name: fullName.isEmpty ? nil : fullName, email: mail.isEmpty ? nil : mail,
                                  byName: mail.isEmpty && idn.isEmpty)
        if who.id.isEmpty { return bad("Name", "no name or email to identify the learner") }
        let attemptText = cell(attempt)
        // enrolled, no attempt yet: the user's only row
        if attemptText == "-" || attemptText.isEmpty { return NamedRow.hold(.learner(who), who, slot: nil, rule: Self.nameRule) }
        guard let att = Int(attemptText), att >= 1 else { return bad("Attempt", "not a positive whole number: '\(attemptText)'") }
        guard case .some(let start) = ctx.dates.parse(cell(started)) else { return bad("Started on", "not a date: '\(cell(started))'") }
        guard case .some(let end) = ctx.dates.parse(cell(last)) else { return bad("Last accessed on", "not a date: '\(cell(last))'") }
        func record(_ item: String, _ level: String?, _ status: LessonStatus) -> AttemptRecord {
            var rec = AttemptRecord(learner: who.id, curriculum: ctx.curriculum, item: item, attempt: att, status: status)
            rec.learnerName = who.name
            rec.email = who.email
            rec.byName = who.byName
            rec.level = level
            rec.startedAt = start
            rec.lastAt = end
            return rec
        }
        if scoCount == 0, let single = ctx.singleItem, let item = ctx.resolver.resolve(single) {
            // One SCO: the attempt is that SCO's. The Score column is the attempt's grade
            // (scorm_grade_user_attempt; "Highest grade" by default: the raw score, 0 when none).
            let text = cell(score)
            guard let v = Double(text) else { return bad("Score", "not a number: '\(text)'") }
            if let why = FieldCheck.score(v, max: nil) { return bad("Score", why) }
            var rec = record(item.id, item.level, .incomplete)
            rec.score = v > 0 ? v : nil
            return NamedRow.hold(.records([rec]), who, slot: "attempt \(att)", rule: Self.nameRule)
        }
        // With several SCOs and question columns, each SCO cell is followed by its questions.
        let block = scoCount > 1 && perSCO > 0
        var out: [AttemptRecord] = []
        for sco in scoColumns {
            let j = sco.index - firstSCO
            let cellIndex = block ? firstSCO + j * (1 + perSCO) : sco.index
            let text = cell(cellIndex)
            if text.isEmpty { return bad(columnName(sco.index), "empty: Moodle writes a status or a score in every SCO cell") }
            var status: LessonStatus
            var sc: (score: Double, max: Double?)?
            if let s = LessonStatus(parsing: text) {
                status = s
            } else if case .some(let v) = ScoreCell.parse(text), let v {
                // Moodle prints the raw score instead of the status when there is one.
                status = .completed
                sc = v
            } else {
                return bad(columnName(sco.index), "neither a status nor a score: '\(text)'")
            }
            if let why = FieldCheck.score(sc?.score, max: sc?.max) { return bad(columnName(sco.index), why) }
            if status == .notAttempted && sc == nil { continue }
            var rec = record(sco.item, sco.level, status)
            rec.score = sc?.score
            rec.scoreMax = sc?.max
            switch interactions(r, base: block ? cellIndex + 1 : firstQuestion) {
            case .success(let list): rec.interactions = list
            case .failure(let issue): return .issues([issue])
            }
            out.append(rec)
        }
        return NamedRow.hold(.records(out), who, slot: "attempt \(att)", rule: Self.nameRule)
    }

    /// Rows without identity columns: Moodle's reports select one row per user and attempt
    /// (`display()`: `SELECT DISTINCT` of `uniqueid` = the user id, `#`, the attempt or 0 when
    /// none), so one user has one row per attempt, or one row with `-` when they have none.
    static let nameRule = NamedRow.Rule(
        column: "Name",
        why: "Moodle's SCORM reports write one row per user and attempt, and one row with '-' for a user without attempts "
            + "(mod/scorm/report/basic/classes/report.php, display()), so these are two people with the same name",
        fix: "download the report as a user who sees identity fields (capability moodle/site:viewuseridentity), "
            + "so it has the 'Email address' column",
        only: "no attempt")

    /// The questions of one SCO's block: position n, the try of that question id within the
    /// attempt (a quiz retried inside one attempt appends its questions after the first try).
    private func interactions(_ r: DelimitedRecord, base: Int) -> Result<[InteractionRecord], ImportIssue> {
        var out: [InteractionRecord] = []
        var tries: [String: Int] = [:]
        func q(_ i: Int?) -> String? {
            guard let i else { return nil }
            let k = base + (i - firstQuestion)
            guard k < r.fields.count else { return nil }
            let v = HTMLEntities.decode(r.fields[k].trimmedCell)
            return v.isEmpty ? nil : v
        }
        for g in questions {
            guard let id = q(g.question) else { continue }
            if let why = FieldCheck.identity(id) {
                return .failure(ImportIssue(file: ctx.file, line: r.line, field: "Question \(g.n)", message: why))
            }
            var ir = InteractionRecord(id: id)
            ir.position = g.n
            tries[id, default: 0] += 1
            ir.tryNumber = tries[id]!
            ir.response = q(g.response)
            ir.correct = q(g.right)
            ir.result = q(g.result)
            out.append(ir)
        }
        return .success(out)
    }

    private func columnName(_ i: Int) -> String { i < names.count ? names[i] : "column \(i + 1)" }
}
