import Foundation
import GRDB

/// What to report on.
public struct ReportOptions: Sendable {
    /// The curriculum's plan: its levels and their required items. Without it the levels and
    /// items are those the imports recorded, and an assessment counts as passed only on status.
    public var plan: Plan?
    public var level: String?
    public var learner: String?
    /// "Today", for the stalled test (a parameter so reports are reproducible).
    public var asOf: Date
    public var stalledDays: Int
    public var hardestCount: Int
    public init(plan: Plan? = nil, level: String? = nil, learner: String? = nil, asOf: Date = Date(), stalledDays: Int = 30, hardestCount: Int = 10) {
        self.plan = plan
        self.level = level
        self.learner = learner
        self.asOf = asOf
        self.stalledDays = stalledDays
        self.hardestCount = hardestCount
    }
}

/// The progress report: every learner's standing per level, and the cohort's shape.
public struct ProgressReport: Sendable, Codable, Equatable {
    public var format = 1
    public var curriculum: String
    public var title: String
    public var asOf: String
    public var stalledDays: Int
    public var levels: [String]
    public var learners: [LearnerProgress]
    public var cohort: Cohort

    enum CodingKeys: String, CodingKey {
        case format, curriculum, title, levels, learners, cohort
        case asOf = "as_of"
        case stalledDays = "stalled_days"
    }
}

public struct LearnerProgress: Sendable, Codable, Equatable {
    public var id: String
    public var name: String?
    public var email: String?
    /// The level the learner works at: the enrolment's, or the highest with activity.
    public var level: String
    /// True when every required item of `level` is complete or passed.
    public var ready: Bool
    /// The level the learner is ready for (nil when not ready or already at the top).
    public var readyFor: String?
    public var verdict: String
    public var lastActivity: String?
    public var stalled: Bool
    public var seconds: Int
    public var levels: [LevelProgress]

    enum CodingKeys: String, CodingKey {
        case id, name, email, level, ready, verdict, stalled, seconds, levels
        case readyFor = "ready_for"
        case lastActivity = "last_activity"
    }
}

public struct LevelProgress: Sendable, Codable, Equatable {
    public var level: String
    public var required: Int
    public var done: Int
    public var percent: Int
    public var complete: Bool
    /// Any attempt at any of the level's items.
    public var started: Bool
    /// Required items not yet complete or passed, in plan order.
    public var missing: [String]
    public var assessments: [AssessmentResult]
    public var shadowing: [ShadowingSignOff]
    public var seconds: Int
}

public struct AssessmentResult: Sendable, Codable, Equatable {
    public var item: String
    /// Best score in percent.
    public var bestScore: Double?
    public var mastery: Int?
    public var attempts: Int
    public var passed: Bool
    enum CodingKeys: String, CodingKey {
        case item, mastery, attempts, passed
        case bestScore = "best_score"
    }
}

public struct ShadowingSignOff: Sendable, Codable, Equatable {
    public var item: String
    public var observer: String?
    public var date: String?
    public var complete: Bool
}

public struct Cohort: Sendable, Codable, Equatable {
    public struct LevelCount: Sendable, Codable, Equatable {
        public var level: String
        public var learners: Int
        public var ready: Int
    }
    public struct FunnelStep: Sendable, Codable, Equatable {
        public var level: String
        public var started: Int
        public var completed: Int
    }
    public struct Stalled: Sendable, Codable, Equatable {
        public var learner: String
        public var name: String?
        public var level: String
        public var lastActivity: String
        public var days: Int
        enum CodingKeys: String, CodingKey {
            case learner, name, level, days
            case lastActivity = "last_activity"
        }
    }
    public struct Question: Sendable, Codable, Equatable {
        public var item: String
        public var question: String
        public var responses: Int
        public var wrong: Int
        public var wrongRate: Double
        enum CodingKeys: String, CodingKey {
            case item, question, responses, wrong
            case wrongRate = "wrong_rate"
        }
    }
    public var learners: Int
    public var atLevel: [LevelCount]
    public var funnel: [FunnelStep]
    public var stalled: [Stalled]
    public var hardest: [Question]
    enum CodingKeys: String, CodingKey {
        case learners, funnel, stalled, hardest
        case atLevel = "at_level"
    }
}

/// The error for a report that cannot be made (an unknown level or learner).
public struct ReportError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var description: String { message }
}

extension ProgressStore {
    /// Builds the report from the store. Reads run in one snapshot; memory grows with the
    /// number of learners, not with attempts.
    public func report(_ options: ReportOptions) throws -> ProgressReport {
        try pool.read { db in try ReportBuilder(db: db, options: options).build() }
    }
}

private struct ItemAgg {
    var status: Int
    var best: Double?
    var attempts: Int
    var seconds: Int
    var last: String?
    var observer: String?
    var signed: String?

    /// Two summaries of one item as one, the way SQL's MAX/SUM/COUNT would have grouped them.
    func merged(with o: ItemAgg) -> ItemAgg {
        func maxOpt<T: Comparable>(_ a: T?, _ b: T?) -> T? {
            guard let a else { return b }
            guard let b else { return a }
            return Swift.max(a, b)
        }
        return ItemAgg(status: Swift.max(status, o.status), best: maxOpt(best, o.best), attempts: attempts + o.attempts,
                       seconds: seconds + o.seconds, last: maxOpt(last, o.last), observer: maxOpt(observer, o.observer),
                       signed: maxOpt(signed, o.signed))
    }
}

private struct ReqItem {
    var id: String
    var kind: String
    var level: String
    var mastery: Int?
}

private struct ReportBuilder {
    let db: Database
    let options: ReportOptions

    func build() throws -> ProgressReport {
        let plan = options.plan
        let curriculum = plan?.curriculum
        // Levels and their required items.
        var levels: [String] = []
        var required: [String: [ReqItem]] = [:]
        if let plan {
            for l in plan.levels.sorted(by: { $0.rank < $1.rank }) {
                levels.append(l.id)
                required[l.id] = l.items.compactMap { plan.item($0) }.map {
                    ReqItem(id: $0.id, kind: $0.kind.rawValue, level: l.id, mastery: $0.masteryScore)
                }
            }
        } else {
            let rows = try Row.fetchAll(db, sql: "SELECT DISTINCT level, id, kind FROM items ORDER BY level, id")
            var seen = Set<String>()
            for r in rows {
                let lv: String = r["level"]
                let id: String = r["id"]
                if !seen.insert(id).inserted { continue }
                if required[lv] == nil { levels.append(lv) }
                required[lv, default: []].append(ReqItem(id: id, kind: r["kind"], level: lv, mastery: nil))
            }
            levels.sort { $0.localizedStandardCompare($1) == .orderedAscending }
        }
        if let l = options.level, !levels.contains(l) {
            throw ReportError(message: "unknown level '\(l)' (levels: \(levels.joined(separator: ", ")))")
        }
        var levelOfItem: [String: String] = [:]
        for (l, items) in required { for i in items { levelOfItem[i.id] = l } }

        // Learners and enrolments.
        var learnerArgs: StatementArguments = []
        var learnerFilter = ""
        if let id = options.learner {
            learnerFilter = " WHERE id = ?"
            learnerArgs = [id]
        }
        let people = try Row.fetchAll(db, sql: "SELECT id, name, email FROM learners\(learnerFilter) ORDER BY id", arguments: learnerArgs)
        if let id = options.learner, people.isEmpty {
            throw ReportError(message: "no learner '\(id)' in the store")
        }
        var enrolled: [String: String] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT learner_id, curriculum, level FROM enrolments WHERE level IS NOT NULL ORDER BY learner_id, curriculum") {
            let c: String = r["curriculum"]
            if curriculum == nil || c == curriculum || c.isEmpty { enrolled[r["learner_id"]] = r["level"] }
        }

        // Per learner and item, in one ordered pass over the attempts' summaries.
        var sql = "SELECT learner_id, item_id, status, best, attempts, seconds, last_at, observer, signed_at FROM item_progress"
        var args: StatementArguments = []
        var conds: [String] = []
        if let curriculum {
            conds.append("curriculum IN (?, '')")
            args += [curriculum]
        }
        if let id = options.learner {
            conds.append("learner_id = ?")
            args += [id]
        }
        if !conds.isEmpty { sql += " WHERE " + conds.joined(separator: " AND ") }
        sql += " ORDER BY learner_id, item_id"

        let asOfText = ISO8601DateFormatter().string(from: options.asOf)
        let cutoff = ISO8601DateFormatter().string(from: options.asOf.addingTimeInterval(-Double(options.stalledDays) * 86400))
        var byLearner: [String: LearnerProgress] = [:]
        var current: String?
        var aggs: [String: ItemAgg] = [:]
        func flush() {
            guard let id = current else { return }
            byLearner[id] = evaluate(id: id, aggs: aggs, levels: levels, required: required, levelOfItem: levelOfItem,
                                     enrolled: enrolled[id], asOf: asOfText, cutoff: cutoff)
            aggs.removeAll(keepingCapacity: true)
        }
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: args)
        while let r = try cursor.next() {
            let id: String = r[0]
            if id != current {
                flush()
                current = id
            }
            let agg = ItemAgg(status: r[2], best: r[3], attempts: r[4], seconds: r[5], last: r[6], observer: r[7], signed: r[8])
            let item: String = r[1]
            // The same item recorded with and without the curriculum id: one item.
            if let seen = aggs[item] { aggs[item] = seen.merged(with: agg) } else { aggs[item] = agg }
        }
        flush()

        var learners: [LearnerProgress] = []
        for p in people {
            let id: String = p["id"]
            var lp = byLearner[id] ?? evaluate(id: id, aggs: [:], levels: levels, required: required, levelOfItem: levelOfItem,
                                                 enrolled: enrolled[id], asOf: asOfText, cutoff: cutoff)
            lp.name = p["name"]
            lp.email = p["email"]
            learners.append(lp)
        }

        // Cohort, before the level filter narrows the per-learner view.
        var atLevel: [Cohort.LevelCount] = []
        var funnel: [Cohort.FunnelStep] = []
        for l in levels {
            let here = learners.filter { $0.level == l }
            atLevel.append(.init(level: l, learners: here.count, ready: here.filter(\.ready).count))
            let started = learners.filter { lp in lp.levels.first { $0.level == l }?.started ?? false }.count
            let completed = learners.filter { lp in lp.levels.first { $0.level == l }?.complete ?? false }.count
            funnel.append(.init(level: l, started: started, completed: completed))
        }
        var shown = learners
        if let l = options.level {
            shown = learners.filter { $0.level == l }
            for i in shown.indices { shown[i].levels = shown[i].levels.filter { $0.level == l } }
            atLevel = atLevel.filter { $0.level == l }
        }
        let stalled = shown.filter(\.stalled).map {
            Cohort.Stalled(learner: $0.id, name: $0.name, level: $0.level, lastActivity: $0.lastActivity ?? "",
                           days: ReportDates.days(from: $0.lastActivity ?? "", to: options.asOf))
        }.sorted { ($0.days, $0.learner) > ($1.days, $1.learner) }

        let hardest = try hardestQuestions(curriculum: curriculum, items: options.level.map { Set((required[$0] ?? []).map(\.id)) },
                                           learner: options.learner)
        return ProgressReport(
            curriculum: curriculum ?? "", title: plan?.title ?? "Progress", asOf: String(asOfText.prefix(10)),
            stalledDays: options.stalledDays, levels: options.level.map { [$0] } ?? levels, learners: shown,
            cohort: Cohort(learners: shown.count, atLevel: atLevel, funnel: funnel, stalled: stalled, hardest: hardest))
    }


    private func evaluate(
        id: String, aggs: [String: ItemAgg], levels: [String], required: [String: [ReqItem]], levelOfItem: [String: String],
        enrolled: String?, asOf: String, cutoff: String
    ) -> LearnerProgress {
        var out: [LevelProgress] = []
        var highestActive: Int?
        var totalSeconds = 0
        var last: String?
        for a in aggs.values {
            totalSeconds += a.seconds
            if let l = a.last, last == nil || l > last! { last = l }
        }
        for (rank, l) in levels.enumerated() {
            let items = required[l] ?? []
            var done = 0
            var missing: [String] = []
            var assessments: [AssessmentResult] = []
            var shadowing: [ShadowingSignOff] = []
            var seconds = 0
            var active = false
            for item in items {
                let a = aggs[item.id]
                if let a {
                    seconds += a.seconds
                    if a.status > LessonStatus.notAttempted.rawValue || a.attempts > 0 { active = true }
                }
                let ok: Bool
                switch item.kind {
                case "assessment":
                    if let a, let best = a.best, let m = item.mastery {
                        ok = best >= Double(m)
                    } else {
                        ok = (a?.status ?? 0) == LessonStatus.passed.rawValue
                    }
                    assessments.append(AssessmentResult(item: item.id, bestScore: a?.best.map { ($0 * 10).rounded() / 10 },
                                                        mastery: item.mastery, attempts: a?.attempts ?? 0, passed: ok))
                case "shadowing":
                    ok = (a?.status ?? 0) >= LessonStatus.completed.rawValue
                    shadowing.append(ShadowingSignOff(item: item.id, observer: ok ? a?.observer : nil,
                                                      date: ok ? a?.signed.map { String($0.prefix(10)) } : nil, complete: ok))
                default:
                    ok = (a?.status ?? 0) >= LessonStatus.completed.rawValue
                }
                if ok { done += 1 } else { missing.append(item.id) }
            }
            if active { highestActive = rank }
            let pct = items.isEmpty ? 100 : Int((Double(done) * 100 / Double(items.count)).rounded(.down))
            out.append(LevelProgress(level: l, required: items.count, done: done, percent: pct, complete: done == items.count, started: active,
                                     missing: missing, assessments: assessments, shadowing: shadowing, seconds: seconds))
        }
        var rank = highestActive ?? 0
        if let e = enrolled, let r = levels.firstIndex(of: e) { rank = max(rank, r) }
        let level = levels.isEmpty ? "" : levels[rank]
        let ready = !out.isEmpty && out[rank].complete
        let next = rank + 1 < levels.count ? levels[rank + 1] : nil
        let verdict: String
        if levels.isEmpty {
            verdict = "no levels"
        } else if ready, let next {
            verdict = "ready for \(next)"
        } else if ready {
            verdict = "completed \(level), the top level"
        } else {
            verdict = "working on \(level): \(out[rank].missing.count) of \(out[rank].required) missing"
        }
        let stalled = last.map { $0 < cutoff } ?? false
        return LearnerProgress(id: id, name: nil, email: nil, level: level, ready: ready, readyFor: ready ? next : nil, verdict: verdict,
                               lastActivity: last, stalled: stalled && !(ready && next == nil), seconds: totalSeconds, levels: out)
    }

    private func hardestQuestions(curriculum: String?, items: Set<String>?, learner: String?) throws -> [Cohort.Question] {
        var sql = """
            SELECT item_id, interaction, COUNT(*) AS n,
              SUM(CASE WHEN lower(result) IN ('wrong', 'incorrect', 'unanticipated', 'fail', 'failed') THEN 1 ELSE 0 END) AS wrong
            FROM interactions
            """
        var conds: [String] = []
        var args: StatementArguments = []
        if let curriculum {
            conds.append("curriculum IN (?, '')")
            args += [curriculum]
        }
        if let learner {
            conds.append("learner_id = ?")
            args += [learner]
        }
        if !conds.isEmpty { sql += " WHERE " + conds.joined(separator: " AND ") }
        sql += " GROUP BY item_id, interaction"
        var out: [Cohort.Question] = []
        for r in try Row.fetchAll(db, sql: sql, arguments: args) {
            let item: String = r["item_id"]
            if let items, !items.contains(item) { continue }
            let n: Int = r["n"]
            let w: Int = r["wrong"]
            if w == 0 { continue }
            out.append(.init(item: item, question: r["interaction"], responses: n, wrong: w,
                             wrongRate: (Double(w) / Double(n) * 1000).rounded() / 1000))
        }
        out.sort { ($0.wrongRate, $0.responses) != ($1.wrongRate, $1.responses) ? ($0.wrongRate, $0.responses) > ($1.wrongRate, $1.responses) : ($0.item, $0.question) < ($1.item, $1.question) }
        return Array(out.prefix(options.hardestCount))
    }
}

/// Date arithmetic for reports, on the ISO 8601 texts the store keeps.
enum ReportDates {
    /// Whole days from the date an ISO 8601 text starts with (`YYYY-MM-DD…`, UTC) to `date`.
    /// Computed, not parsed with a date formatter: a cohort report calls it per learner.
    static func days(from iso: String, to date: Date) -> Int {
        let b = Array(iso.utf8.prefix(10))
        func number(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                guard (0x30...0x39).contains(b[i]) else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D, let y = number(0..<4), let m = number(5..<7), let d = number(8..<10),
            (1...12).contains(m), (1...31).contains(d)
        else { return 0 }
        let start = Double(daysSinceEpoch(year: y, month: m, day: d)) * 86400
        return max(0, Int((date.timeIntervalSince1970 - start) / 86400))
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (the civil-from-days inverse).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
