import Foundation

/// The gap report as stable JSON: sorted keys, no timestamps.
public enum GapsJSON {
    public static func encode(_ report: GapReport) throws -> String {
        try encode(value: report)
    }

    public static func encode(_ learner: LearnerGaps) throws -> String {
        try encode(value: learner)
    }

    static func encode(value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// The gap report as CSV: one row per learner and skill (RFC 4180, CRLF line ends).
public enum GapsCSV {
    public static let header = [
        "learner_id", "name", "current_level", "target_level", "skill", "required_step", "required", "current_step", "current",
        "assessed", "gap", "responsibilities", "items", "track",
    ]

    public static func render(_ report: GapReport, curriculum c: Curriculum) -> String {
        var rows = [header]
        for l in report.learners {
            for s in l.skills {
                rows.append([
                    l.learner, l.name, l.currentLevel, l.targetLevel, s.skill, "\(s.required)", s.required == 0 ? "" : c.stepName(s.required),
                    "\(s.current)", s.current == 0 ? "" : c.stepName(s.current), s.assessed ? "yes" : "no", "\(s.gap)",
                    s.responsibilities.joined(separator: " "), s.items.joined(separator: " "), l.track ?? "",
                ])
            }
        }
        return rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func field(_ s: String) -> String { CSVField.escape(s) }
}

/// The gap report as text, and the explanation of one learner's choices.
public enum GapsText {
    public static func render(_ report: GapReport, curriculum c: Curriculum) -> String {
        var out = "Skill gaps: \(report.title) (\(report.curriculum)), \(count(report.learners.count, "learner"))\n"
        let nameWidth = max(5, c.skills.map(\.name.count).max() ?? 0)
        for l in report.learners {
            out += "\n\(l.learner)  \(l.name)  \(l.currentLevel) → \(l.targetLevel)\n"
            let gaps = l.skills.filter { $0.gap > 0 }
            if gaps.isEmpty {
                out += "  no gaps: every skill meets \(l.targetLevel); no track\n"
                continue
            }
            out += "  " + pad("skill", nameWidth) + "  " + pad("required (\(l.targetLevel))", 22) + "  " + pad("current", 22) + "  gap\n"
            for s in l.skills {
                let name = c.skill(s.skill)?.name ?? s.skill
                let current = step(s.current, c) + (s.assessed ? "" : "*")
                var line = "  " + pad(name, nameWidth) + "  " + pad(step(s.required, c), 22) + "  " + pad(current, 22) + "  "
                line += s.gap > 0 ? "\(s.gap)" : "-"
                if s.gap > 0 { line += "   " + (s.responsibilities.isEmpty ? "(no responsibility develops it)" : s.responsibilities.joined(separator: ", ")) }
                out += line + "\n"
            }
            if l.skills.contains(where: { !$0.assessed }) { out += "  * not assessed: taken as the \(l.currentLevel) target\n" }
            if let t = l.track {
                out += "  track \(t): \(count(l.items.count, "item")), \(PlanText.duration(l.minutes))\n"
            } else {
                out += "  no track: no responsibility up to \(l.targetLevel) develops these gaps\n"
            }
        }
        if !report.tracks.isEmpty {
            out += "\nTracks (one package each)\n"
            let by = report.learnersByTrack
            for t in report.tracks {
                out += "  \(t.id)  \(t.title)\n    \(count(t.items.count, "item")), \(PlanText.duration(t.minutes)); learners: \(by[t.id, default: []].joined(separator: ", "))\n"
            }
        }
        let none = report.learners.filter { $0.track == nil }.map(\.learner)
        if !none.isEmpty { out += "\nNo track (nothing to train): \(none.joined(separator: ", "))\n" }
        return out
    }

    /// Why each item was chosen or left out, for one learner.
    public static func explain(_ l: LearnerGaps, report: GapReport, plan: Plan, curriculum c: Curriculum) -> String {
        var out = "\(l.learner)  \(l.name)  \(l.currentLevel) → \(l.targetLevel)\n"
        let gaps = l.skills.filter { $0.gap > 0 }
        if gaps.isEmpty {
            out += "No gaps: every skill meets what \(l.targetLevel) requires, so there is no track.\n"
        } else {
            out += "Gaps (\(l.targetLevel) requires → the learner has):\n"
            for s in gaps {
                out += "  \(c.skill(s.skill)?.name ?? s.skill): \(step(s.required, c)) → \(step(s.current, c))"
                out += s.assessed ? "" : " (not assessed: taken as the \(l.currentLevel) target)"
                out += ", gap \(s.gap)\n"
            }
        }
        if let t = l.track, let track = report.tracks.first(where: { $0.id == t }) {
            out += "Track \(t): \(track.title); \(count(l.items.count, "item")), \(PlanText.duration(l.minutes))\n"
        }
        let chosen = l.decisions.filter(\.chosen)
        if !chosen.isEmpty {
            out += "\nChosen, in plan order:\n"
            for (n, d) in chosen.enumerated() { out += "  \(n + 1). \(d.item): \(d.reason)\n" }
        }
        out += "\nLeft out:\n"
        // Levels above the target are summed up in one line each.
        // Items of one responsibility left out for the same reason share a line.
        var above: [String: Int] = [:]
        var groups: [(key: String, responsibility: String, kinds: [String], reason: String)] = []
        for d in l.decisions where !d.chosen {
            guard let item = plan.item(d.item) else { continue }
            if let li = c.levelIndex(item.level), let ti = c.levelIndex(l.targetLevel), li > ti {
                above[item.level, default: 0] += 1
                continue
            }
            let key = item.responsibility + "\n" + d.reason
            if let g = groups.firstIndex(where: { $0.key == key }) {
                groups[g].kinds.append(item.kind.rawValue)
            } else {
                groups.append((key, item.responsibility, [item.kind.rawValue], d.reason))
            }
        }
        for g in groups {
            let items = g.kinds.count == 1 ? "\(g.responsibility).\(g.kinds[0])" : "\(g.responsibility).{\(g.kinds.joined(separator: ", "))}"
            out += "  \(items): \(g.reason)\n"
        }
        for level in c.levels where above[level.id] != nil {
            out += "  \(level.id): \(count(above[level.id]!, "item")), above the target level \(l.targetLevel)\n"
        }
        return out
    }

    static func step(_ n: Int, _ c: Curriculum) -> String { n == 0 ? "none" : "\(c.stepName(n)) (\(n))" }

    static func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}

/// The gap report as one self-contained HTML page: a heatmap of skills by learners (inline
/// SVG, colour by gap size, with a `<title>` per cell and the same figures as a table), then
/// each learner's gaps and track. Every value from the curriculum or the cohort is escaped.
public enum GapsHTML {
    /// Fill colours for gap 0, 1, 2 and 3 or more (a sequential scale, light to dark).
    static let colours = ["#eef6ee", "#fdd9a0", "#f59a4c", "#c2410c"]
    static let inks = ["#1f3d1f", "#3d2600", "#2b1400", "#ffffff"]

    public static func render(_ report: GapReport, curriculum c: Curriculum) -> String {
        let e = HTML.escape
        var out = """
            <!DOCTYPE html>
            <html lang="\(e(c.language))">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Skill gaps: \(e(report.title))</title>
            <style>
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem; color: #1b1b1b; max-width: 80rem; }
            h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; } h3 { font-size: 1rem; margin-bottom: .3rem; }
            table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .875rem; }
            th, td { border: 1px solid #c8c8c8; padding: .25rem .5rem; text-align: left; vertical-align: top; }
            td.n { text-align: center; }
            .g0 { background: \(colours[0]); } .g1 { background: \(colours[1]); } .g2 { background: \(colours[2]); } .g3 { background: \(colours[3]); color: #fff; }
            .legend span { display: inline-block; padding: .1rem .6rem; margin-right: .3rem; border: 1px solid #c8c8c8; }
            svg text { font-family: inherit; }
            code { font-size: .85em; }
            </style>
            </head>
            <body>
            <h1>Skill gaps: \(e(report.title))</h1>
            <p>\(report.learners.count) learner\(report.learners.count == 1 ? "" : "s") of the <code>\(e(report.curriculum))</code> curriculum.
            A gap is the number of proficiency steps between what the learner's target level requires and where the learner is.</p>
            <p class="legend">Gap: <span class="g0">none</span><span class="g1">1 step</span><span class="g2">2 steps</span><span class="g3">3 or more</span></p>

            """
        out += heatmap(report, c)
        out += table(report, c)
        out += "<h2>Learners</h2>\n"
        for l in report.learners {
            out += "<section>\n<h3>\(e(l.name)) (<code>\(e(l.learner))</code>), \(e(l.currentLevel)) → \(e(l.targetLevel))</h3>\n"
            let gaps = l.skills.filter { $0.gap > 0 }
            if gaps.isEmpty {
                out += "<p>No gaps: every skill meets what \(e(l.targetLevel)) requires. No track.</p>\n</section>\n"
                continue
            }
            out += "<ul>\n"
            for s in gaps {
                let rs = s.responsibilities.map { "<code>\(e($0))</code>" }.joined(separator: ", ")
                out += "<li>\(e(c.skill(s.skill)?.name ?? s.skill)): requires \(e(GapsText.step(s.required, c))), has \(e(GapsText.step(s.current, c)))"
                out += s.assessed ? "" : " (not assessed)"
                out += ", gap \(s.gap)" + (rs.isEmpty ? "; no responsibility develops it" : "; closed by " + rs) + "</li>\n"
            }
            out += "</ul>\n"
            if let t = l.track {
                out += "<p>Track <code>\(e(t))</code>: \(l.items.count) items, \(e(PlanText.duration(l.minutes))).</p>\n<ol>\n"
                for id in l.items {
                    let reason = l.decisions.first { $0.item == id }?.reason ?? ""
                    out += "<li><code>\(e(id))</code>: \(e(reason))</li>\n"
                }
                out += "</ol>\n"
            }
            out += "</section>\n"
        }
        if !report.tracks.isEmpty {
            out += "<h2>Tracks</h2>\n<table>\n<thead><tr><th scope=\"col\">Track</th><th scope=\"col\">Title</th><th scope=\"col\">Items</th><th scope=\"col\">Learners</th></tr></thead>\n<tbody>\n"
            let by = report.learnersByTrack
            for t in report.tracks {
                out += "<tr><td><code>\(e(t.id))</code></td><td>\(e(t.title))</td><td class=\"n\">\(t.items.count)</td><td>\(e(by[t.id, default: []].joined(separator: ", ")))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        out += "</body>\n</html>\n"
        return out
    }

    static func band(_ gap: Int) -> Int { min(gap, 3) }

    static func heatmap(_ report: GapReport, _ c: Curriculum) -> String {
        let e = HTML.escape
        let cell = 44
        let rowHeight = 28
        let labelWidth = 14 + 8 * (c.skills.map(\.name.count).max() ?? 10)
        let headerHeight = 20 + 7 * min(24, report.learners.map(\.learner.count).max() ?? 4)
        let width = labelWidth + cell * report.learners.count + 10
        let height = headerHeight + rowHeight * c.skills.count + 10
        var out = """
            <h2 id="heatmap-heading">Heatmap: skills by learners</h2>
            <svg xmlns="http://www.w3.org/2000/svg" role="img" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" aria-labelledby="heatmap-title heatmap-desc">
            <title id="heatmap-title">Skill gaps of \(report.learners.count) learners in \(c.skills.count) skills</title>
            <desc id="heatmap-desc">Rows are skills, columns are learners; the number in each cell is the gap in proficiency steps against the learner's target level, darker is larger. The same figures are in the table below.</desc>

            """
        for (j, l) in report.learners.enumerated() {
            let x = labelWidth + j * cell + cell / 2
            out += "<text x=\"\(x)\" y=\"\(headerHeight - 6)\" transform=\"rotate(-45 \(x) \(headerHeight - 6))\" font-size=\"12\">\(e(String(l.learner.prefix(24))))<title>\(e(l.name)), \(e(l.currentLevel)) → \(e(l.targetLevel))</title></text>\n"
        }
        for (i, s) in c.skills.enumerated() {
            let y = headerHeight + i * rowHeight
            out += "<text x=\"\(labelWidth - 8)\" y=\"\(y + rowHeight / 2 + 4)\" text-anchor=\"end\" font-size=\"12\">\(e(s.name))</text>\n"
            for (j, l) in report.learners.enumerated() {
                guard let g = l.skills.first(where: { $0.skill == s.id }) else { continue }
                let x = labelWidth + j * cell
                let b = band(g.gap)
                let label = "\(l.name) (\(l.learner)), \(s.name): \(l.targetLevel) requires \(GapsText.step(g.required, c)), has \(GapsText.step(g.current, c))\(g.assessed ? "" : " (not assessed)"), gap \(g.gap)"
                out += "<g><title>\(e(label))</title><rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(rowHeight - 2)\" fill=\"\(colours[b])\"/>"
                out += "<text x=\"\(x + cell / 2 - 1)\" y=\"\(y + rowHeight / 2 + 4)\" text-anchor=\"middle\" font-size=\"12\" fill=\"\(inks[b])\">\(g.gap == 0 ? "·" : "\(g.gap)")</text></g>\n"
            }
        }
        out += "</svg>\n"
        return out
    }

    /// The heatmap's figures as a table, for screen readers and for copying.
    static func table(_ report: GapReport, _ c: Curriculum) -> String {
        let e = HTML.escape
        var out = "<table aria-describedby=\"heatmap-heading\">\n<caption>Gap in steps, per skill (rows) and learner (columns)</caption>\n<thead><tr><th scope=\"col\">Skill</th>"
        for l in report.learners { out += "<th scope=\"col\"><abbr title=\"\(e(l.name))\">\(e(l.learner))</abbr></th>" }
        out += "</tr></thead>\n<tbody>\n"
        for s in c.skills {
            out += "<tr><th scope=\"row\">\(e(s.name))</th>"
            for l in report.learners {
                guard let g = l.skills.first(where: { $0.skill == s.id }) else {
                    out += "<td></td>"
                    continue
                }
                out += "<td class=\"n g\(band(g.gap))\">\(g.gap)</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        return out
    }
}

/// Writes a report file atomically (a temporary file beside it, then a rename).
public enum GapsOutputFile {
    public static func write(_ text: String, to url: URL) throws {
        try AtomicFile.write(Data(text.utf8), to: url)
    }
}
