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
            o.raw(lead)
            o.json(l.id)
            o.raw(", \"name\": ")
            o.json(l.name)
            o.raw(", \"email\": ")
            o.json(l.email)
            o.raw(", \"level\": ")
            o.json(l.level)
            o.raw(", \"current_level\": ")
            o.json(l.currentLevel)
            o.raw(", \"current_level_source\": ")
            o.json(l.currentLevelSource)
            o.raw(", \"reached\": ")
            o.json(l.reached)
            o.raw(", \"next\": ")
            o.json(l.next)
            o.raw(", \"ready\": ")
            o.raw(l.ready)
            o.raw(", \"ready_for\": ")
            o.json(l.readyFor)
            o.raw(", \"verdict\": ")
            o.json(l.verdict)
            o.raw(", \"last_activity\": ")
            o.json(l.lastActivity)
            o.raw(", \"stalled\": ")
            o.raw(l.stalled)
            o.raw(", \"seconds\": ")
            o.json(l.seconds)
            o.raw(", \"levels\": [")
            o.list(l.levels, ", ") { o, lv in Self.level(lv, into: &o) }
            o.raw("]}")
        }
    }

    private static func level(_ lv: LevelProgress, into o: inout [UInt8]) {
        o.raw("{\"level\": ")
        o.json(lv.level)
        o.raw(", \"required\": ")
        o.add(lv.required)
        o.raw(", \"done\": ")
        o.add(lv.done)
        o.raw(", \"percent\": ")
        o.add(lv.percent)
        o.raw(", \"complete\": ")
        o.raw(lv.complete)
        o.raw(", \"started\": ")
        o.raw(lv.started)
        o.raw(", \"seconds\": ")
        o.json(lv.seconds)
        o.raw(", \"missing\": [")
        o.list(lv.missing, ", ") { o, m in o.json(m) }
        o.raw("], \"assessments\": [")
        o.list(lv.assessments, ", ") { o, a in
            o.raw("{\"item\": ")
            o.json(a.item)
            o.raw(", \"best_score\": ")
            if let b = a.bestScore { o.add(ReportRenderer.number(b)) } else { o.raw("null") }
            o.raw(", \"mastery\": ")
            o.json(a.mastery)
            o.raw(", \"attempts\": ")
            o.add(a.attempts)
            o.raw(", \"passed\": ")
            o.raw(a.passed)
            o.raw("}")
        }
        o.raw("], \"shadowing\": [")
        o.list(lv.shadowing, ", ") { o, s in
            o.raw("{\"item\": ")
            o.json(s.item)
            o.raw(", \"observer\": ")
            o.json(s.observer)
            o.raw(", \"date\": ")
            o.json(s.date)
            o.raw(", \"complete\": ")
            o.raw(s.complete)
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
