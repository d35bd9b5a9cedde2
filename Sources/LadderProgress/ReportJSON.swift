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

    /// One learner on one line, appended to the output's buffer byte by byte. The keys and
    /// the punctuation around them are static bytes (no key is escaped, no pair list built
    /// per value): at 100,000 learners the writer runs 500,000 levels and 3 million items.
    package mutating func learner(_ l: LearnerProgress) throws {
        let lead: StaticString = first ? "\n{\"id\": " : ",\n{\"id\": "
        first = false
        try out.bytes { o in
            o.field(lead, l.id)
            o.field(", \"name\": ", l.name)
            o.field(", \"email\": ", l.email)
            o.field(", \"level\": ", l.level)
            o.field(", \"current_level\": ", l.currentLevel)
            o.field(", \"current_level_source\": ", l.currentLevelSource)
            o.field(", \"reached\": ", l.reached)
            o.field(", \"next\": ", l.next)
            o.field(", \"ready\": ", l.ready)
            o.field(", \"ready_for\": ", l.readyFor)
            o.field(", \"verdict\": ", l.verdict)
            o.field(", \"last_activity\": ", l.lastActivity)
            o.field(", \"stalled\": ", l.stalled)
            o.field(", \"seconds\": ", l.seconds)
            o.raw(", \"levels\": [")
            o.list(l.levels, ", ") { o, lv in Self.level(lv, into: &o) }
            o.raw("]}")
        }
    }

    private static func level(_ lv: LevelProgress, into o: inout [UInt8]) {
        o.field("{\"level\": ", lv.level)
        o.field(", \"required\": ", lv.required)
        o.field(", \"done\": ", lv.done)
        o.field(", \"percent\": ", lv.percent)
        o.field(", \"complete\": ", lv.complete)
        o.field(", \"started\": ", lv.started)
        o.field(", \"seconds\": ", lv.seconds)
        o.raw(", \"missing\": [")
        o.list(lv.missing, ", ") { o, m in o.json(m) }
        o.raw("], \"assessments\": [")
        o.list(lv.assessments, ", ") { o, a in
            o.field("{\"item\": ", a.item)
            o.raw(", \"best_score\": ")
            if let b = a.bestScore { o.add(ReportRenderer.number(b)) } else { o.raw("null") }
            o.field(", \"mastery\": ", a.mastery)
            o.field(", \"attempts\": ", a.attempts)
            o.field(", \"passed\": ", a.passed)
            o.raw("}")
        }
        o.raw("], \"shadowing\": [")
        o.list(lv.shadowing, ", ") { o, s in
            o.field("{\"item\": ", s.item)
            o.field(", \"observer\": ", s.observer)
            o.field(", \"date\": ", s.date)
            o.field(", \"complete\": ", s.complete)
            o.raw("}")
        }
        o.raw("]}")
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
