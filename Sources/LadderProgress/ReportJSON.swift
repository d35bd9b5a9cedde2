import Foundation
import LadderCore

/// JSON, written as it goes: the header, then `"learners"` one per line, then `"cohort"` (last,
/// because it is counted while the learners stream). It reads back into `ProgressReport`.
package struct JSONReportWriter: ReportFormatWriter {
    let out: ReportOutput
    private var first = true
    private typealias Q = JSONText

    init(_ h: ReportHeader, out: ReportOutput) throws {
        self.out = out
        var o = "{\n\"format\": 1,\n\"curriculum\": \(Q.quote(h.curriculum)),\n\"title\": \(Q.quote(h.title)),\n"
        o += "\"as_of\": \(Q.quote(h.asOf)),\n\"stalled_days\": \(h.stalledDays),\n"
        o += "\"levels\": [\(h.levels.map { Q.quote($0) }.joined(separator: ", "))],\n"
        o += "\"titles\": {" + h.titles.keys.sorted().map { "\(Q.quote($0)): \(Q.quote(h.titles[$0]!))" }.joined(separator: ", ") + "},\n"
        o += "\"learners\": ["
        try out.write(o)
    }

    /// One learner on one line, appended to the output's buffer byte by byte.
    package mutating func learner(_ l: LearnerProgress) throws {
        let lead = first ? "\n{" : ",\n{"
        first = false
        try out.bytes { o in
            o.add(lead)
            o.fields([
                "id": .text(l.id), "name": .text(l.name), "email": .text(l.email), "level": .text(l.level),
                "current_level": .text(l.currentLevel), "current_level_source": .text(l.currentLevelSource), "reached": .text(l.reached),
                "next": .text(l.next), "ready": .bool(l.ready), "ready_for": .text(l.readyFor), "verdict": .text(l.verdict),
                "last_activity": .text(l.lastActivity), "stalled": .bool(l.stalled), "seconds": .int(l.seconds),
            ])
            o.add(", \"levels\": [")
            o.list(l.levels, ", ") { o, lv in Self.level(lv, into: &o) }
            o.add("]}")
        }
    }

    private static func level(_ lv: LevelProgress, into o: inout [UInt8]) {
        o.add("{")
        o.fields([
            "level": .text(lv.level), "required": .int(lv.required), "done": .int(lv.done), "percent": .int(lv.percent),
            "complete": .bool(lv.complete), "started": .bool(lv.started), "seconds": .int(lv.seconds),
        ])
        o.add(", \"missing\": [")
        o.list(lv.missing, ", ") { o, m in o.json(m) }
        o.add("], \"assessments\": [")
        o.list(lv.assessments, ", ") { o, a in
            o.object([
                "item": .text(a.item), "best_score": .raw(a.bestScore.map(ReportRenderer.number) ?? "null"), "mastery": .int(a.mastery),
                "attempts": .int(a.attempts), "passed": .bool(a.passed),
            ])
        }
        o.add("], \"shadowing\": [")
        o.list(lv.shadowing, ", ") { o, s in
            o.object(["item": .text(s.item), "observer": .text(s.observer), "date": .text(s.date), "complete": .bool(s.complete)])
        }
        o.add("]}")
    }

    package mutating func finish(_ c: Cohort) throws {
        try out.bytes { o in
            o.add("\n],\n\"cohort\": {\n\"learners\": \(c.learners),\n\"current_unknown\": ")
            o.json(c.currentUnknown)
            o.add(",\n\"ready\": [")
            o.list(c.ready ?? [], ",") { o, g in
                o.add("\n{")
                o.fields(["level": .text(g.level)])
                o.add(", \"learners\": [")
                o.list(g.learners, ", ") { o, p in o.object(["id": .text(p.id), "name": .text(p.name)]) }
                o.add("]}")
            }
            o.add("],\n\"at_level\": [")
            o.list(c.atLevel, ", ") { o, a in o.object(["level": .text(a.level), "learners": .int(a.learners), "ready": .int(a.ready)]) }
            o.add("],\n\"funnel\": [")
            o.list(c.funnel, ", ") { o, f in o.object(["level": .text(f.level), "started": .int(f.started), "completed": .int(f.completed)]) }
            o.add("],\n\"stalled\": [")
            o.list(c.stalled, ",") { o, s in
                o.add("\n")
                o.object([
                    "learner": .text(s.learner), "name": .text(s.name), "level": .text(s.level), "last_activity": .text(s.lastActivity),
                    "days": .int(s.days),
                ])
            }
            o.add("],\n\"hardest\": [")
            o.list(c.hardest, ",") { o, q in
                o.add("\n")
                o.object([
                    "item": .text(q.item), "question": .text(q.question), "responses": .int(q.responses), "wrong": .int(q.wrong),
                    "wrong_rate": .raw("\(q.wrongRate)"),
                ])
            }
            o.add("]\n}\n}\n")
        }
    }
}

/// A value of the report's JSON, for `fields`.
package enum JSONField {
    case text(String?)
    case int(Int?)
    case bool(Bool)
    /// Written as it is (a number already formatted, or `null`).
    case raw(String)
}

extension Array where Element == UInt8 {
    /// `"key": value` pairs, `, ` between them, in the order given.
    mutating func fields(_ fs: KeyValuePairs<String, JSONField>) {
        list(fs, ", ") { o, f in
            o.json(f.key)
            o.add(": ")
            switch f.value {
            case .text(let s): o.json(s)
            case .int(let n): o.json(n)
            case .bool(let b): o.add(b)
            case .raw(let r): o.add(r)
            }
        }
    }

    /// `{` `fields` `}`.
    mutating func object(_ fs: KeyValuePairs<String, JSONField>) {
        add("{")
        fields(fs)
        add("}")
    }
}
