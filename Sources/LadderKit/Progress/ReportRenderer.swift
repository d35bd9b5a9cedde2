import Foundation

/// Report formats.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, csv, json, html
}

/// Renders a `ProgressReport`; pure and deterministic (no clock, no dictionary order).
public enum ReportRenderer {
    public static func render(_ r: ProgressReport, as format: ReportFormat, detail: Bool) -> String {
        switch format {
        case .text: text(r, detail: detail)
        case .csv: csv(r)
        case .json: json(r)
        case .html: html(r, detail: detail)
        }
    }

    /// "Name (id)", or the id alone when there is no name or it is the id.
    static func label(_ id: String, _ name: String?) -> String {
        guard let name, !name.isEmpty, name != id else { return id }
        return "\(id) (\(name))"
    }

    static func duration(_ s: Int) -> String {
        let h = s / 3600, m = (s % 3600) / 60
        return h > 0 ? "\(h)h \(m)m" : "\(m)m"
    }

    static func number(_ d: Double) -> String {
        d == d.rounded() ? String(Int(d)) : String(format: "%.1f", d)
    }

    // MARK: text

    public static func text(_ r: ProgressReport, detail: Bool) -> String {
        var o = "Progress: \(r.title)" + (r.curriculum.isEmpty ? "" : " (\(r.curriculum))") + ", as of \(r.asOf)\n"
        o += "Learners: \(r.cohort.learners)\n\n"
        o += "Learners at each level (ready for the next):\n"
        for c in r.cohort.atLevel { o += "  \(c.level.padding(toLength: 6, withPad: " ", startingAt: 0)) \(c.learners) (ready \(c.ready))\n" }
        o += "\nFunnel (started -> completed):\n"
        for f in r.cohort.funnel { o += "  \(f.level.padding(toLength: 6, withPad: " ", startingAt: 0)) \(f.started) -> \(f.completed)\n" }
        o += "\nStalled (no activity for \(r.stalledDays) days): \(r.cohort.stalled.count)\n"
        for s in r.cohort.stalled.prefix(50) { o += "  \(s.learner) (\(s.level)): last activity \(s.lastActivity.prefix(10)), \(s.days) days\n" }
        if r.cohort.stalled.count > 50 { o += "  … and \(r.cohort.stalled.count - 50) more\n" }
        o += "\nHardest questions:\n"
        if r.cohort.hardest.isEmpty { o += "  (no interactions recorded)\n" }
        for q in r.cohort.hardest {
            o += "  \(q.item) \(q.question): \(q.wrong) wrong of \(q.responses) (\(Int((q.wrongRate * 100).rounded()))%)\n"
        }
        o += "\nLearners:\n"
        for l in r.learners {
            let lv = l.levels.first { $0.level == l.level }
            o += "  \(label(l.id, l.name)): \(l.level) \(lv?.percent ?? 0)%, \(l.verdict)"
            o += ", time \(duration(l.seconds))" + (l.lastActivity.map { ", last \($0.prefix(10))" } ?? "") + (l.stalled ? ", STALLED" : "") + "\n"
            if detail { o += learnerDetail(l) }
        }
        return o
    }

    static func learnerDetail(_ l: LearnerProgress) -> String {
        var o = ""
        for lv in l.levels {
            o += "    \(lv.level): \(lv.percent)% (\(lv.done)/\(lv.required)), time \(duration(lv.seconds))\n"
            for a in lv.assessments where a.attempts > 0 || a.passed {
                o += "      assessment \(a.item): \(a.passed ? "passed" : "not passed")"
                o += a.bestScore.map { ", best \(number($0))%" } ?? ""
                o += a.mastery.map { " (mastery \($0)%)" } ?? ""
                o += ", \(a.attempts) attempt\(a.attempts == 1 ? "" : "s")\n"
            }
            for s in lv.shadowing where s.complete {
                o += "      shadowing \(s.item): signed off by \(s.observer ?? "(no observer)") on \(s.date ?? "(no date)")\n"
            }
            if !lv.missing.isEmpty && lv.level == l.level {
                o += "      missing: \(lv.missing.joined(separator: ", "))\n"
            }
        }
        return o
    }

    // MARK: csv

    public static func csv(_ r: ProgressReport) -> String {
        var o = ProgressCSV.line([
            "learner", "name", "email", "current_level", "level", "required", "done", "percent", "complete", "ready_for",
            "verdict", "seconds", "last_activity", "stalled", "missing",
        ])
        for l in r.learners {
            for lv in l.levels {
                o += ProgressCSV.line([
                    l.id, l.name ?? "", l.email ?? "", l.level, lv.level, String(lv.required), String(lv.done), String(lv.percent),
                    lv.complete ? "yes" : "no", l.readyFor ?? "", l.verdict, String(lv.seconds), l.lastActivity ?? "",
                    l.stalled ? "yes" : "no", lv.missing.joined(separator: " "),
                ])
            }
        }
        return o
    }

    // MARK: json

    public static func json(_ r: ProgressReport) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? enc.encode(r)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    // MARK: html

    static func esc(_ s: String) -> String {
        var o = ""
        o.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            case "'": o += "&#39;"
            default: o.append(c)
            }
        }
        return o
    }

    /// A vertical bar chart: one bar per label.
    static func barChart(title: String, bars: [(label: String, value: Int, accent: Int)], id: String) -> String {
        let w = 560, h = 250, left = 44, bottom = 36, top = 40
        // A multiple of 4, so the four gridlines carry whole numbers.
        let maxV = max(4, ((bars.map(\.value).max() ?? 1) + 3) / 4 * 4)
        let slot = bars.isEmpty ? 0 : (w - left - 16) / bars.count
        var s = "<svg id=\"\(id)\" class=\"chart\" role=\"img\" aria-label=\"\(esc(title))\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" xmlns=\"http://www.w3.org/2000/svg\">"
        s += "<title>\(esc(title))</title>"
        s += "<text x=\"\(left)\" y=\"18\" class=\"ct\">\(esc(title))</text>"
        let plotH = h - bottom - top
        for t in 0...4 {
            let y = top + plotH - plotH * t / 4
            s += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(w - 8)\" y2=\"\(y)\" class=\"grid\"/>"
            s += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\" class=\"ax\">\(maxV * t / 4)</text>"
        }
        for (i, b) in bars.enumerated() {
            let x = left + i * slot + slot / 6
            let bw = max(4, slot * 2 / 3)
            let bh = plotH * b.value / maxV
            let ah = plotH * min(b.accent, b.value) / maxV
            s += "<rect x=\"\(x)\" y=\"\(top + plotH - bh)\" width=\"\(bw)\" height=\"\(bh)\" class=\"bar\"><title>\(esc(b.label)): \(b.value)</title></rect>"
            if ah > 0 { s += "<rect x=\"\(x)\" y=\"\(top + plotH - ah)\" width=\"\(bw)\" height=\"\(ah)\" class=\"bar2\"/>" }
            s += "<text x=\"\(x + bw / 2)\" y=\"\(top + plotH - bh - 4)\" text-anchor=\"middle\" class=\"val\">\(b.value)</text>"
            s += "<text x=\"\(x + bw / 2)\" y=\"\(h - bottom + 16)\" text-anchor=\"middle\" class=\"ax\">\(esc(b.label))</text>"
        }
        return s + "</svg>"
    }

    /// The funnel: per level, a bar for learners who started and, inside it, those who completed.
    static func funnelChart(_ f: [Cohort.FunnelStep], total: Int) -> String {
        let w = 560, row = 34, top = 30, left = 60
        let h = top + row * max(1, f.count) + 10
        let maxV = max(1, total, f.map(\.started).max() ?? 1)
        let plotW = w - left - 90
        var s = "<svg id=\"funnel\" class=\"chart\" role=\"img\" aria-label=\"Funnel across levels\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" xmlns=\"http://www.w3.org/2000/svg\">"
        s += "<title>Funnel across levels</title><text x=\"\(left)\" y=\"18\" class=\"ct\">Funnel: started and completed per level</text>"
        for (i, step) in f.enumerated() {
            let y = top + i * row
            let sw = plotW * step.started / maxV
            let cw = plotW * step.completed / maxV
            let x0 = left + (plotW - sw) / 2
            s += "<text x=\"\(left - 8)\" y=\"\(y + 19)\" text-anchor=\"end\" class=\"ax\">\(esc(step.level))</text>"
            s += "<rect x=\"\(x0)\" y=\"\(y + 4)\" width=\"\(max(sw, 1))\" height=\"\(row - 8)\" class=\"bar\"><title>\(esc(step.level)) started: \(step.started)</title></rect>"
            s += "<rect x=\"\(left + (plotW - cw) / 2)\" y=\"\(y + 10)\" width=\"\(cw)\" height=\"\(row - 20)\" class=\"bar2\"><title>\(esc(step.level)) completed: \(step.completed)</title></rect>"
            s += "<text x=\"\(left + plotW + 8)\" y=\"\(y + 19)\" class=\"val\">\(step.completed) / \(step.started)</text>"
        }
        return s + "</svg>"
    }

    static func meter(_ pct: Int) -> String {
        "<svg class=\"meter\" viewBox=\"0 0 100 10\" width=\"100\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"100\" height=\"10\" class=\"mbg\"/><rect width=\"\(max(0, min(100, pct)))\" height=\"10\" class=\"bar2\"/></svg>"
    }

    public static func html(_ r: ProgressReport, detail: Bool) -> String {
        var o = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        o += "<title>\(esc("Progress: " + r.title))</title><style>"
        o += """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d2330;line-height:1.45}
            h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d6dae3;padding-bottom:.2rem}
            .sub{color:#5b6475;margin-top:0}.charts{display:flex;flex-wrap:wrap;gap:1.5rem}.chart{max-width:100%;height:auto;background:#fafbfd;border:1px solid #e3e6ee;border-radius:6px}
            .ct{font-size:14px;font-weight:600;fill:#1d2330}.ax{font-size:12px;fill:#5b6475}.val{font-size:12px;fill:#1d2330}.grid{stroke:#e3e6ee}
            .bar{fill:#9db7e8}.bar2{fill:#2f6fdb}.mbg{fill:#e3e6ee}
            table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e6ee;vertical-align:top}
            th{background:#f2f4f8}.nw{white-space:nowrap}.ready{color:#11703a;font-weight:600}.stalled{color:#a3261b;font-weight:600}.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:middle}
            @media print{body{margin:0;max-width:none}.chart{break-inside:avoid}tr{break-inside:avoid}h2{break-after:avoid}}
            """
        o += "</style></head><body>"
        o += "<h1>\(esc("Progress: " + r.title))</h1><p class=\"sub\">"
        o += esc((r.curriculum.isEmpty ? "" : r.curriculum + " · ") + "as of \(r.asOf) · \(r.cohort.learners) learner\(r.cohort.learners == 1 ? "" : "s")") + "</p>"
        o += "<h2>Cohort</h2><div class=\"charts\">"
        o += barChart(title: "Learners at each level (dark: ready for the next)",
                      bars: r.cohort.atLevel.map { ($0.level, $0.learners, $0.ready) }, id: "at-level")
        o += funnelChart(r.cohort.funnel, total: r.cohort.learners)
        o += "</div><p class=\"legend\"><span style=\"background:#9db7e8\"></span>started / at level<span style=\"background:#2f6fdb\"></span>completed / ready</p>"
        o += "<h2>Stalled: no activity for \(r.stalledDays) days</h2>"
        if r.cohort.stalled.isEmpty { o += "<p>None.</p>" } else {
            o += "<table><thead><tr><th>Learner</th><th>Level</th><th>Last activity</th><th>Days</th></tr></thead><tbody>"
            for s in r.cohort.stalled.prefix(200) {
                o += "<tr><td>\(esc(label(s.learner, s.name)))</td><td>\(esc(s.level))</td><td>\(esc(String(s.lastActivity.prefix(10))))</td><td>\(s.days)</td></tr>"
            }
            o += "</tbody></table>"
        }
        o += "<h2>Hardest questions</h2>"
        if r.cohort.hardest.isEmpty { o += "<p>No interactions recorded.</p>" } else {
            o += "<table><thead><tr><th>Item</th><th>Question</th><th>Wrong</th><th>Responses</th><th>Wrong rate</th></tr></thead><tbody>"
            for q in r.cohort.hardest {
                o += "<tr><td>\(esc(q.item))</td><td>\(esc(q.question))</td><td>\(q.wrong)</td><td>\(q.responses)</td><td class=\"nw\">\(meter(Int((q.wrongRate * 100).rounded()))) \(Int((q.wrongRate * 100).rounded()))%</td></tr>"
            }
            o += "</tbody></table>"
        }
        o += "<h2>Learners</h2><table><thead><tr><th>Learner</th><th>Level</th><th>Complete</th><th>Verdict</th><th>Time</th><th>Last activity</th></tr></thead><tbody>"
        for l in r.learners.prefix(5000) {
            let lv = l.levels.first { $0.level == l.level }
            let pct = lv?.percent ?? 0
            o += "<tr><td>\(esc(label(l.id, l.name)))</td><td>\(esc(l.level))</td><td class=\"nw\">\(meter(pct)) \(pct)%</td>"
            o += "<td class=\"\(l.ready ? "ready" : (l.stalled ? "stalled" : ""))\">\(esc(l.verdict))\(l.stalled ? " · stalled" : "")</td>"
            o += "<td>\(duration(l.seconds))</td><td>\(esc(String((l.lastActivity ?? "").prefix(10))))</td></tr>"
        }
        o += "</tbody></table>"
        if r.learners.count > 5000 { o += "<p>\(r.learners.count - 5000) more learners: use the CSV or JSON format for all of them.</p>" }
        if detail {
            for l in r.learners {
                o += "<h2>\(esc(label(l.id, l.name)))</h2><p>\(esc(l.verdict))</p>"
                o += "<table><thead><tr><th>Level</th><th>Complete</th><th>Assessments</th><th>Shadowing sign-offs</th><th>Time</th><th>Missing</th></tr></thead><tbody>"
                for lv in l.levels {
                    let asmt = lv.assessments.filter { $0.attempts > 0 || $0.passed }.map {
                        "\($0.item): \($0.passed ? "passed" : "not passed")" + ($0.bestScore.map { ", \(number($0))%" } ?? "") + ", \($0.attempts) attempt\($0.attempts == 1 ? "" : "s")"
                    }
                    let sh = lv.shadowing.filter(\.complete).map { "\($0.item): \($0.observer ?? "no observer"), \($0.date ?? "no date")" }
                    o += "<tr><td>\(esc(lv.level))</td><td class=\"nw\">\(meter(lv.percent)) \(lv.percent)% (\(lv.done)/\(lv.required))</td>"
                    o += "<td>\(asmt.map(esc).joined(separator: "<br>"))</td><td>\(sh.map(esc).joined(separator: "<br>"))</td>"
                    o += "<td>\(duration(lv.seconds))</td><td>\(lv.missing.map(esc).joined(separator: "<br>"))</td></tr>"
                }
                o += "</tbody></table>"
            }
        }
        o += "</body></html>\n"
        return o
    }
}
