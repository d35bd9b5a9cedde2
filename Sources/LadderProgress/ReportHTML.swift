import Foundation
import LadderCore

/// HTML: one self-contained page (inline CSS, SVG charts and a plain script; nothing fetched).
/// The cohort comes first, led by who is ready for promotion, by name; then every learner in
/// a table the page filters, sorts and pages itself. The learners travel as one compact JSON
/// array (a row each, items as indices into a title list), so 100,000 learners stay a few
/// tens of megabytes and the page draws only the rows in view. Every text is escaped once:
/// HTML text through `esc`, the rows as JSON that the script puts in the page as text nodes.
package struct HTMLReportWriter: ReportFormatWriter {
    let h: ReportHeader
    let out: ReportOutput
    let spool: ReportOutput
    let detail: Bool
    private var rows = 0
    private var itemIndex: [String: Int] = [:]
    private var itemTitles: [String] = []
    private typealias Q = JSONText

    init(_ h: ReportHeader, out: ReportOutput, spool: ReportOutput, detail: Bool) {
        self.h = h
        self.out = out
        self.spool = spool
        self.detail = detail
    }

    private mutating func index(_ item: String) -> Int {
        if let i = itemIndex[item] { return i }
        itemIndex[item] = itemTitles.count
        itemTitles.append(h.title(item))
        return itemTitles.count - 1
    }

    private static func q(_ s: String?) -> String { Q.optional(s, .html) }

    /// One row: `[id, name, email, current, reached, next, ready_for, level, verdict, seconds,
    /// last, stalled, percent of next, [missing], detail]` (the script's `R` names them).
    package mutating func learner(_ l: LearnerProgress) throws {
        let b = ReportRenderer.blocking(l)
        var o = rows == 0 ? "\n" : ",\n"
        rows += 1
        o += "[\(Self.q(l.id)),\(Self.q(l.name)),\(Self.q(l.email)),\(Self.q(l.currentLevel)),\(Self.q(l.reached)),\(Self.q(l.next)),"
        o += "\(Self.q(l.readyFor)),\(Self.q(l.level)),\(Self.q(l.verdict)),\(Q.optional(l.seconds)),"
        o += "\(Self.q(l.lastActivity.map { String($0.prefix(10)) })),\(l.stalled ? 1 : 0),\(b.map { String($0.percent) } ?? "null"),"
        o += "[\((b?.missing ?? []).map { String(index($0)) }.joined(separator: ","))]"
        if detail {
            var levels: [String] = []
            for lv in l.levels where lv.started || lv.done > 0 {
                let a = lv.assessments.map {
                    "[\(index($0.item)),\($0.bestScore.map(ReportRenderer.number) ?? "null"),\(Q.optional($0.mastery)),\($0.attempts),\($0.passed ? 1 : 0)]"
                }
                let s = lv.shadowing.map { "[\(index($0.item)),\(Self.q($0.observer)),\(Self.q($0.date))]" }
                levels.append("[\(Self.q(lv.level)),\(lv.done),\(lv.required),\(Q.optional(lv.seconds)),[\(a.joined(separator: ","))],[\(s.joined(separator: ","))]]")
            }
            o += ",[\(levels.joined(separator: ","))]"
        }
        o += "]"
        try spool.write(o)
    }

    package mutating func finish(_ c: Cohort) throws {
        let title = esc("Progress: " + h.title)
        var o = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        o += "<title>\(title)</title><style>\(Self.css)</style></head><body>\n<h1>\(title)</h1><p class=\"sub\">"
        o += esc((h.curriculum.isEmpty ? "" : h.curriculum + " · ") + "as of \(h.asOf) · \(Plural.count(c.learners, "learner"))")
        if let u = c.currentUnknown, u > 0 { o += " · current level unknown for \(u)" }
        o += "</p>\n<h2 id=\"ready\">Ready for promotion</h2>"
        o += ReportRenderer.readyLists(
            c, nobody: "<p>Nobody is ready for promotion.</p>", level: { "<h3>To \(esc($0)): \($1)</h3><ul class=\"names\">" },
            person: { "<li>\(esc($0))</li>" }, close: "</ul>\n")
        o += "<h2>Cohort</h2><div class=\"charts\">"
        o += Self.barChart(title: "Learners at each level (dark: ready for promotion)", bars: c.atLevel.map { ($0.level, $0.learners, $0.ready) }, id: "at-level")
        o += Self.funnelChart(c.funnel, total: c.learners)
        o += "</div><p class=\"legend\"><span style=\"background:#9db7e8\"></span>started / at level<span style=\"background:#2f6fdb\"></span>reached / ready</p>\n"
        o += "<h2>Stalled: no activity for \(h.stalledDays) days</h2>"
        if c.stalled.isEmpty { o += "<p>None.</p>" } else {
            o += "<table><thead><tr><th>Learner</th><th>Level</th><th>Last activity</th><th>Days</th></tr></thead><tbody>"
            for s in c.stalled.prefix(200) {
                o += "<tr><td>\(esc(ReportRenderer.label(s.learner, s.name)))</td><td>\(esc(s.level))</td><td class=\"nw\">\(esc(String(s.lastActivity.prefix(10))))</td><td>\(s.days)</td></tr>"
            }
            o += "</tbody></table>"
            if c.stalled.count > 200 { o += "<p>… and \(c.stalled.count - 200) more: filter the learners below by “stalled”.</p>" }
        }
        o += "\n<h2>Hardest questions</h2>"
        if c.hardest.isEmpty { o += "<p>No interactions recorded.</p>" } else {
            o += "<table><thead><tr><th>Item</th><th>Question</th><th>Wrong</th><th>Tries</th><th>Wrong rate</th></tr></thead><tbody>"
            for q in c.hardest {
                let p = ReportRenderer.percent(q.wrongRate)
                o += "<tr><td>\(esc(h.title(q.item)))</td><td>\(esc(q.question))</td><td>\(q.wrong)</td><td>\(q.responses)</td><td class=\"nw\">\(Self.meter(p)) \(p)%</td></tr>"
            }
            o += "</tbody></table>"
        }
        o += "\n<h2>Learners</h2><div class=\"controls\"><input id=\"q\" type=\"search\" placeholder=\"Filter: name, id, level, verdict\" aria-label=\"Filter learners\">"
        o += "<select id=\"lv\" aria-label=\"Level\"><option value=\"\">Every level</option>"
        for l in h.levels { o += "<option value=\"\(esc(l))\">\(esc(l))</option>" }
        o += "</select><label><input type=\"checkbox\" id=\"ready-only\"> ready only</label><label><input type=\"checkbox\" id=\"stalled-only\"> stalled only</label>"
        o += "<span id=\"count\" aria-live=\"polite\"></span></div>"
        // Each sortable heading holds a button, so sorting works from the keyboard too.
        o += "<table id=\"learners\"><thead><tr>"
        for (k, label) in [("name", "Learner"), ("current", "Current"), ("reached", "Reached"), ("pct", "Next level"), ("verdict", "Verdict"), ("time", "Time"), ("last", "Last activity")] {
            o += "<th scope=\"col\" data-k=\"\(k)\"><button type=\"button\">\(label)</button></th>"
        }
        o += "</tr></thead><tbody></tbody></table>"
        o += "<div class=\"pager\"><button type=\"button\" id=\"prev\">Previous</button> <span id=\"page\"></span> <button type=\"button\" id=\"next\">Next</button></div>"
        o += "<noscript><p>The learner table needs JavaScript; the CSV and JSON formats list every learner.</p></noscript>\n"
        o += "<script type=\"application/json\" id=\"ladder-levels\">[\(h.allLevels.map { Self.q($0) }.joined(separator: ","))]</script>\n"
        o += "<script type=\"application/json\" id=\"ladder-rows\">["
        try out.write(o)
        try out.append(spool)
        var tail = "\n]</script>\n<script type=\"application/json\" id=\"ladder-items\">["
        tail += itemTitles.map { Self.q($0) }.joined(separator: ",") + "]</script>\n<script>\(Self.script)</script>\n</body></html>\n"
        try out.write(tail)
    }
}
