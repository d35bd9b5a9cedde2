import Foundation

/// The documented generic layout (docs/progress.md, "Generic CSV"): one row per attempt, or
/// per interaction of an attempt with the attempt's columns repeated.
package struct GenericCSVParser: RowParser {
    let memo = ItemMemo()
    let ctx: ParseContext
    package let expectedFields: Int?
    let c: (learner: Int, name: Int?, email: Int?, curriculum: Int?, level: Int?, itemLevel: Int?, track: Int?, item: Int, attempt: Int?,
            status: Int, score: Int?, scoreMax: Int?, started: Int?, last: Int?, signed: Int?, seconds: Int?, observer: Int?,
            interaction: Int?, position: Int?, tryNumber: Int?, type: Int?, response: Int?, correct: Int?, result: Int?, latency: Int?)

    init(header: DelimitedRecord, ctx: ParseContext) throws {
        self.ctx = ctx
        expectedFields = header.fields.count
        let h = ColumnHeader(header.fields)
        func need(_ n: String...) throws -> Int {
            if let i = h.column(n) { return i }
            throw ImportIssue(file: ctx.file, line: header.line, field: n[0], message: "missing column '\(n[0])'")
        }
        c = (try need("learner", "learner_id"), h.column("name", "learner_name"), h.column("email"), h.column("curriculum"),
             h.column("level"), h.column("item_level"), h.column("track"), try need("item", "item_id", "sco"), h.column("attempt"),
             try need("status", "lesson_status"), h.column("score"), h.column("score_max"), h.column("started", "started_at"),
             h.column("last", "last_at", "completed_at", "date"), h.column("signed_on", "signed_at", "signoff_date"),
             h.column("seconds", "time", "total_time"), h.column("observer"),
             h.column("interaction", "question"), h.column("position", "interaction_index"), h.column("try"),
             h.column("interaction_type", "type"), h.column("response", "student_response"),
             h.column("correct", "correct_response"), h.column("result"), h.column("latency"))
    }

    package func parse(_ r: DelimitedRecord) -> ParsedRow {
        var issues: [ImportIssue] = []
        func cell(_ i: Int?) -> String? {
            guard let i, i < r.fields.count else { return nil }
            let v = r.fields[i].trimmedCell
            return v.isEmpty ? nil : v
        }
        func bad(_ field: String, _ msg: String) { issues.append(ImportIssue(file: ctx.file, line: r.line, field: field, message: msg)) }
        guard let learner = cell(c.learner) else {
            return .issues([ImportIssue(file: ctx.file, line: r.line, field: "learner", message: "empty learner id")])
        }
        for (f, i) in [("learner", c.learner), ("name", c.name), ("email", c.email), ("observer", c.observer), ("interaction", c.interaction)] {
            if let v = cell(i), let why = FieldCheck.identity(v) { bad(f, why) }
        }
        let itemName = cell(c.item) ?? ""
        let resolved = memo.resolve(itemName, with: ctx.resolver)
        if resolved == nil { bad("item", itemName.isEmpty ? "empty item" : "unknown item '\(itemName)'\(ctx.resolver.hint(itemName))") }
        var attempt = 1
        if let a = cell(c.attempt) {
            if let n = Int(a), n >= 1 { attempt = n } else { bad("attempt", "not a positive whole number: '\(a)'") }
        }
        var status: LessonStatus?
        if let statusText = cell(c.status) {
            status = LessonStatus(parsing: statusText)
            if status == nil { bad("status", "unknown status '\(statusText)'") }
        } else {
            bad("status", "missing: every row needs a status")
        }
        var score: Double?, scoreMax: Double?
        if let s = cell(c.score) {
            if case .some(let v) = ScoreCell.parse(s) { score = v?.score; scoreMax = v?.max } else { bad("score", "not a number: '\(s)'") }
        }
        if let s = cell(c.scoreMax) {
            if let v = Double(s) { scoreMax = v } else { bad("score_max", "not a number: '\(s)'") }
        }
        if let why = FieldCheck.score(score, max: scoreMax) { bad("score", why) }
        func date(_ i: Int?, _ name: String) -> String? {
            guard let s = cell(i) else { return nil }
            if case .some(let v) = ctx.dates.parse(s) { return v }
            bad(name, "not a date: '\(s)'")
            return nil
        }
        let started = date(c.started, "started"), last = date(c.last, "last"), signed = date(c.signed, "signed_on")
        var seconds: Int?
        if let s = cell(c.seconds) {
            if let v = DurationCell.seconds(s), v >= 0 { seconds = v } else { bad("seconds", "not a duration: '\(s)'") }
        }
        var position: Int?, tryNumber = 1
        if let p = cell(c.position) {
            if let n = Int(p), n >= 0 { position = n } else { bad("position", "not a whole number: '\(p)'") }
        }
        if let t = cell(c.tryNumber) {
            if let n = Int(t), n >= 1 { tryNumber = n } else { bad("try", "not a positive whole number: '\(t)'") }
        }
        if !issues.isEmpty { return .issues(issues) }
        guard let resolved, let status else { return .skip }
        var rec = AttemptRecord(learner: learner, curriculum: cell(c.curriculum) ?? ctx.curriculum, item: resolved.id,
                                attempt: attempt, status: status)
        rec.learnerName = cell(c.name)
        rec.email = cell(c.email)
        rec.level = resolved.level ?? cell(c.itemLevel)
        rec.enrolmentLevel = cell(c.level)
        rec.track = cell(c.track)
        rec.score = score
        rec.scoreMax = scoreMax
        rec.startedAt = started
        rec.lastAt = last
        rec.seconds = seconds
        rec.observer = cell(c.observer)
        // A sign-off sheet's row: the date of a completed shadowing task with its observer is
        // the sign-off's, unless a signed_on column gives it.
        rec.signedAt = signed ?? (rec.kind == "shadowing" && rec.observer != nil && status >= .completed ? last : nil)
        if let q = cell(c.interaction) {
            var i = InteractionRecord(id: q)
            i.position = position
            i.tryNumber = tryNumber
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
