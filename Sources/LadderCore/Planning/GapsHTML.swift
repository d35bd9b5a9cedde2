import Foundation

/// The gap report as one self-contained HTML page: a heatmap of skills by learners (inline
/// SVG, colour by gap size, with a `<title>` per cell and the same figures as a table), then
/// each learner's gaps and track. Every value from the curriculum or the cohort is escaped.
public enum GapsHTML {
    /// Fill colours for gap 0, 1, 2 and 3 or more (a sequential scale, light to dark).
    static let colours = ["#eef6ee", "#fdd9a0", "#f59a4c", "#c2410c"]
    static let inks = ["#1f3d1f", "#3d2600", "#2b1400", "#ffffff"]

    public static func render(_ report: GapReport, curriculum c: Curriculum) -> String {
        (try? GapsSink.string { try write(GapStream(report: report, curriculum: c), to: $0) }) ?? ""
    }

    /// One learner's column of the heatmap and its table: all that the top of the page needs
    /// of a learner, kept for every learner (the page shows them side by side) while the rest
    /// of each learner's analysis is written below and dropped.
    struct Column {
        struct Cell {
            var required: Int
            var current: Int
            var assessed: Bool
            var gap: Int { max(0, required - current) }
        }
        var learner: String
        var name: String
        var currentLevel: String
        var targetLevel: String
        /// One per skill, in curriculum order.
        var cells: [Cell]

        init(_ l: LearnerGaps) {
            learner = l.learner
            name = l.name
            currentLevel = l.currentLevel
            targetLevel = l.targetLevel
            cells = l.skills.map { Cell(required: $0.required, current: $0.current, assessed: $0.assessed) }
        }
    }

    /// The page in two passes over the cohort: the heatmap and its table from every learner's
    /// skills, then each learner's section, written as it is analysed.
    public static func write(_ stream: GapStream, to sink: GapsSink) throws {
        let c = stream.curriculum
        let e = HTML.escape
        var columns: [Column] = []
        columns.reserveCapacity(stream.count)
        _ = try stream.pass(.skills) { columns.append(Column($0)) }
        try sink.write(head(stream, count: columns.count))
        try heatmap(columns, c, to: sink)
        try table(columns, c, to: sink)
        columns = []
        try sink.write("<h2>Learners</h2>\n")
        let summary = try stream.pass(.reasons) { try sink.write(section($0, c)) }
        var out = ""
        if !summary.tracks.isEmpty {
            out += "<h2>Tracks</h2>\n<table>\n<thead><tr><th scope=\"col\">Track</th><th scope=\"col\">Title</th><th scope=\"col\">Items</th><th scope=\"col\">Learners</th></tr></thead>\n<tbody>\n"
            let by = summary.learnersByTrack
            for t in summary.tracks {
                out += "<tr><td><code>\(e(t.id))</code></td><td>\(e(t.title))</td><td class=\"n\">\(t.items.count)</td><td>\(e(by[t.id, default: []].joined(separator: ", ")))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        out += "</body>\n</html>\n"
        try sink.write(out)
    }

    static func head(_ stream: GapStream, count: Int) -> String {
        let c = stream.curriculum
        let e = HTML.escape
        return """
            <!DOCTYPE html>
            <html lang="\(e(c.language))">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Skill gaps: \(e(stream.title))</title>
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
            <h1>Skill gaps: \(e(stream.title))</h1>
            <p>\(Plural.count(count, "learner")) of the <code>\(e(stream.curriculumID))</code> curriculum.
            A gap is the number of proficiency steps between what the learner's target level requires and where the learner is.</p>
            <p class="legend">Gap: <span class="g0">none</span><span class="g1">1 step</span><span class="g2">2 steps</span><span class="g3">3 or more</span></p>

            """
    }

    static func section(_ l: LearnerGaps, _ c: Curriculum) -> String {
        let e = HTML.escape
        var out = "<section>\n<h3>\(e(l.name)) (<code>\(e(l.learner))</code>), \(e(l.currentLevel)) → \(e(l.targetLevel))</h3>\n"
        let gaps = l.skills.filter { $0.gap > 0 }
        if gaps.isEmpty {
            out += "<p>No gaps: every skill meets what \(e(l.targetLevel)) requires. No track.</p>\n</section>\n"
            return out
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
            out += "<p>Track <code>\(e(t))</code>: \(l.items.count) items, \(e(Durations.minutes(l.minutes))).</p>\n<ol>\n"
            for id in l.items {
                let reason = l.decisions.first { $0.item == id }?.reason ?? ""
                out += "<li><code>\(e(id))</code>: \(e(reason))</li>\n"
            }
            out += "</ol>\n"
        }
        out += "</section>\n"
        return out
    }

    static func band(_ gap: Int) -> Int { min(gap, 3) }

    static func heatmap(_ columns: [Column], _ c: Curriculum, to sink: GapsSink) throws {
        let e = HTML.escape
        let cell = 44
        let rowHeight = 28
        let labelWidth = 14 + 8 * (c.skills.map(\.name.count).max() ?? 10)
        let headerHeight = 20 + 7 * min(24, columns.map(\.learner.count).max() ?? 4)
        let width = labelWidth + cell * columns.count + 10
        let height = headerHeight + rowHeight * c.skills.count + 10
        var out = """
            <h2 id="heatmap-heading">Heatmap: skills by learners</h2>
            <svg xmlns="http://www.w3.org/2000/svg" role="img" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" aria-labelledby="heatmap-title heatmap-desc">
            <title id="heatmap-title">Skill gaps of \(columns.count) learners in \(c.skills.count) skills</title>
            <desc id="heatmap-desc">Rows are skills, columns are learners; the number in each cell is the gap in proficiency steps against the learner's target level, darker is larger. The same figures are in the table below.</desc>

            """
        for (j, l) in columns.enumerated() {
            let x = labelWidth + j * cell + cell / 2
            out += "<text x=\"\(x)\" y=\"\(headerHeight - 6)\" transform=\"rotate(-45 \(x) \(headerHeight - 6))\" font-size=\"12\">\(e(String(l.learner.prefix(24))))<title>\(e(l.name)), \(e(l.currentLevel)) → \(e(l.targetLevel))</title></text>\n"
        }
        try sink.write(out)
        for (i, s) in c.skills.enumerated() {
            let y = headerHeight + i * rowHeight
            try sink.write("<text x=\"\(labelWidth - 8)\" y=\"\(y + rowHeight / 2 + 4)\" text-anchor=\"end\" font-size=\"12\">\(e(s.name))</text>\n")
            for (j, l) in columns.enumerated() {
                guard i < l.cells.count else { continue }
                let g = l.cells[i]
                let x = labelWidth + j * cell
                let b = band(g.gap)
                let label = "\(l.name) (\(l.learner)), \(s.name): \(l.targetLevel) requires \(GapsText.step(g.required, c)), has \(GapsText.step(g.current, c))\(g.assessed ? "" : " (not assessed)"), gap \(g.gap)"
                var out = "<g><title>\(e(label))</title><rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(rowHeight - 2)\" fill=\"\(colours[b])\"/>"
                out += "<text x=\"\(x + cell / 2 - 1)\" y=\"\(y + rowHeight / 2 + 4)\" text-anchor=\"middle\" font-size=\"12\" fill=\"\(inks[b])\">\(g.gap == 0 ? "·" : "\(g.gap)")</text></g>\n"
                try sink.write(out)
            }
        }
        try sink.write("</svg>\n")
    }

    /// The heatmap's figures as a table, for screen readers and for copying.
    static func table(_ columns: [Column], _ c: Curriculum, to sink: GapsSink) throws {
        let e = HTML.escape
        var out = "<table aria-describedby=\"heatmap-heading\">\n<caption>Gap in steps, per skill (rows) and learner (columns)</caption>\n<thead><tr><th scope=\"col\">Skill</th>"
        for l in columns { out += "<th scope=\"col\"><abbr title=\"\(e(l.name))\">\(e(l.learner))</abbr></th>" }
        out += "</tr></thead>\n<tbody>\n"
        try sink.write(out)
        for (i, s) in c.skills.enumerated() {
            var row = "<tr><th scope=\"row\">\(e(s.name))</th>"
            for l in columns {
                guard i < l.cells.count else {
                    row += "<td></td>"
                    continue
                }
                row += "<td class=\"n g\(band(l.cells[i].gap))\">\(l.cells[i].gap)</td>"
                if row.utf8.count > 1 << 16 {
                    try sink.write(row)
                    row = ""
                }
            }
            try sink.write(row + "</tr>\n")
        }
        try sink.write("</tbody>\n</table>\n")
    }
}
