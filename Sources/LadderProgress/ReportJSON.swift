import Foundation

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

    package mutating func learner(_ l: LearnerProgress) throws {
        var o = first ? "\n" : ",\n"
        first = false
        o += "{\"id\": \(Q.quote(l.id)), \"name\": \(Q.optional(l.name)), \"email\": \(Q.optional(l.email)), "
        o += "\"level\": \(Q.quote(l.level)), \"current_level\": \(Q.optional(l.currentLevel)), "
        o += "\"current_level_source\": \(Q.optional(l.currentLevelSource)), \"reached\": \(Q.optional(l.reached)), "
        o += "\"next\": \(Q.optional(l.next)), \"ready\": \(l.ready), \"ready_for\": \(Q.optional(l.readyFor)), "
        o += "\"verdict\": \(Q.quote(l.verdict)), \"last_activity\": \(Q.optional(l.lastActivity)), \"stalled\": \(l.stalled), "
        o += "\"seconds\": \(Q.optional(l.seconds)), \"levels\": ["
        for (i, lv) in l.levels.enumerated() {
            if i > 0 { o += ", " }
            o += "{\"level\": \(Q.quote(lv.level)), \"required\": \(lv.required), \"done\": \(lv.done), \"percent\": \(lv.percent), "
            o += "\"complete\": \(lv.complete), \"started\": \(lv.started), \"seconds\": \(Q.optional(lv.seconds)), "
            o += "\"missing\": [\(lv.missing.map { Q.quote($0) }.joined(separator: ", "))], \"assessments\": ["
            o += lv.assessments.map {
                "{\"item\": \(Q.quote($0.item)), \"best_score\": \($0.bestScore.map(ReportRenderer.number) ?? "null"), "
                    + "\"mastery\": \(Q.optional($0.mastery)), \"attempts\": \($0.attempts), \"passed\": \($0.passed)}"
            }.joined(separator: ", ")
            o += "], \"shadowing\": ["
            o += lv.shadowing.map {
                "{\"item\": \(Q.quote($0.item)), \"observer\": \(Q.optional($0.observer)), \"date\": \(Q.optional($0.date)), "
                    + "\"complete\": \($0.complete)}"
            }.joined(separator: ", ")
            o += "]}"
        }
        o += "]}"
        try out.write(o)
    }

    package mutating func finish(_ c: Cohort) throws {
        var o = "\n],\n\"cohort\": {\n\"learners\": \(c.learners),\n\"current_unknown\": \(Q.optional(c.currentUnknown)),\n\"ready\": ["
        o += (c.ready ?? []).map { g in
            "\n{\"level\": \(Q.quote(g.level)), \"learners\": ["
                + g.learners.map { "{\"id\": \(Q.quote($0.id)), \"name\": \(Q.optional($0.name))}" }.joined(separator: ", ") + "]}"
        }.joined(separator: ",")
        o += "],\n\"at_level\": ["
        o += c.atLevel.map { "{\"level\": \(Q.quote($0.level)), \"learners\": \($0.learners), \"ready\": \($0.ready)}" }.joined(separator: ", ")
        o += "],\n\"funnel\": ["
        o += c.funnel.map { "{\"level\": \(Q.quote($0.level)), \"started\": \($0.started), \"completed\": \($0.completed)}" }
            .joined(separator: ", ")
        o += "],\n\"stalled\": ["
        o += c.stalled.map {
            "\n{\"learner\": \(Q.quote($0.learner)), \"name\": \(Q.optional($0.name)), \"level\": \(Q.quote($0.level)), "
                + "\"last_activity\": \(Q.quote($0.lastActivity)), \"days\": \($0.days)}"
        }.joined(separator: ",")
        o += "],\n\"hardest\": ["
        o += c.hardest.map {
            "\n{\"item\": \(Q.quote($0.item)), \"question\": \(Q.quote($0.question)), \"responses\": \($0.responses), "
                + "\"wrong\": \($0.wrong), \"wrong_rate\": \($0.wrongRate)}"
        }.joined(separator: ",")
        o += "]\n}\n}\n"
        try out.write(o)
    }
}
