import Foundation

/// The gap report as one self-contained HTML page: a heatmap of skills by learners (inline
/// SVG, colour by gap size, with a `<title>` per cell and the same figures as a table), then
/// each learner's gaps and track. Every value from the curriculum or the cohort is escaped.
public enum GapsHTML {
    /// Fill colours for gap 0, 1, 2 and 3 or more (a sequential scale, light to dark).
    static let colours = ["#eef6ee", "#fdd9a0", "#f59a4c", "#c2410c"]
    static let inks = ["#1f3d1f", "#3d2600", "#2b1400", "#ffffff"]

    public static func render(_ report: GapReport, curriculum c: Curriculum) -> String {
        GapsSink.render(report, c, with: write)
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
        /// The learner id and name escaped for HTML, once (the page shows them in every cell's title).
        var escapedLearner: String
        var escapedName: String
        var currentLevel: String
        var targetLevel: String
        /// One per skill, in curriculum order.
        var cells: [Cell]

        init(_ l: LearnerGaps) {
            learner = l.learner
            name = l.name
            escapedLearner = HTML.escape(l.learner)
            escapedName = HTML.escape(l.name)
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
        let summary = try stream.records(.reasons, sink) { l, _, o in section(l, c, to: &o) }
        var out = summary.tracksSection(
            header: "<h2>Tracks</h2>\n<table>\n<thead><tr><th scope=\"col\">Track</th><th scope=\"col\">Title</th><th scope=\"col\">Items</th><th scope=\"col\">Learners</th></tr></thead>\n<tbody>\n",
            footer: "</tbody>\n</table>\n"
        ) { t, learners in
            "<tr><td><code>\(e(t.id))</code></td><td>\(e(t.title))</td><td class=\"n\">\(t.items.count)</td><td>\(e(learners))</td></tr>\n"
        }
        out += "</body>\n</html>\n"
        try sink.write(out)
    }

    static func head(_ stream: GapStream, count: Int) -> String {
        let c = stream.curriculum
        let e = HTML.escape
        return HTML.documentStart(language: c.language) + """
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

    static func section(_ l: LearnerGaps, _ c: Curriculum, to o: inout GapsBuffer) {
        let e = HTML.escape
        o.append("<section>\n<h3>\(e(l.name)) (<code>\(e(l.learner))</code>), \(e(l.currentLevel)) → \(e(l.targetLevel))</h3>\n")
        let gaps = l.skills.filter { $0.gap > 0 }
        if gaps.isEmpty {
            return o.append("<p>No gaps: every skill meets what \(e(l.targetLevel)) requires. No track.</p>\n</section>\n")
        }
        o.append("<ul>\n")
        for s in gaps {
            let rs = s.responsibilities.map { "<code>\(e($0))</code>" }.joined(separator: ", ")
            o.append("<li>\(e(c.skill(s.skill)?.name ?? s.skill)): requires \(e(GapsText.step(s.required, c))), has \(e(GapsText.step(s.current, c)))")
            o.append(s.assessed ? "" : " (not assessed)")
            o.append(", gap \(s.gap)" + (rs.isEmpty ? "; no responsibility develops it" : "; closed by " + rs) + "</li>\n")
        }
        o.append("</ul>\n")
        if let t = l.track {
            o.append("<p>Track <code>\(e(t))</code>: \(l.items.count) items, \(e(Durations.minutes(l.minutes))).</p>\n<ol>\n")
            // The decisions are in plan order, as the items are: look each item up from where the last one was found.
            // The items of a responsibility share their reason: it is escaped once.
            var d = 0
            var last = (reason: "", escaped: "")
            for id in l.items {
                if d >= l.decisions.count || l.decisions[d].item != id { d = l.decisions.firstIndex { $0.item == id } ?? l.decisions.count }
                let reason = d < l.decisions.count ? l.decisions[d].reason : ""
                if reason != last.reason { last = (reason, e(reason)) }
                o.append("<li><code>")
                o.append(e(id))
                o.append("</code>: ")
                o.append(last.escaped)
                o.append("</li>\n")
                d += 1
            }
            o.append("</ol>\n")
        }
        o.append("</section>\n")
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
        try sink.write(
            """
            <h2 id="heatmap-heading">Heatmap: skills by learners</h2>
            <svg xmlns="http://www.w3.org/2000/svg" role="img" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" aria-labelledby="heatmap-title heatmap-desc">
            <title id="heatmap-title">Skill gaps of \(columns.count) learners in \(c.skills.count) skills</title>
            <desc id="heatmap-desc">Rows are skills, columns are learners; the number in each cell is the gap in proficiency steps against the learner's target level, darker is larger. The same figures are in the table below.</desc>

            """)
        for (j, l) in columns.enumerated() {
            let x = labelWidth + j * cell + cell / 2
            try sink.write(
                "<text x=\"\(x)\" y=\"\(headerHeight - 6)\" transform=\"rotate(-45 \(x) \(headerHeight - 6))\" font-size=\"12\">\(e(String(l.learner.prefix(24))))<title>\(l.escapedName), \(e(l.currentLevel)) → \(e(l.targetLevel))</title></text>\n")
        }
        // The escaped steps of a cell's title, once per page.
        let steps = (0...c.scale.count).map { e(GapsText.step($0, c)) }
        func step(_ n: Int) -> String { steps.indices.contains(n) ? steps[n] : e(GapsText.step(n, c)) }
        for (i, s) in c.skills.enumerated() {
            let y = headerHeight + i * rowHeight
            let skillName = e(s.name)
            try sink.write("<text x=\"\(labelWidth - 8)\" y=\"\(y + rowHeight / 2 + 4)\" text-anchor=\"end\" font-size=\"12\">\(skillName)</text>\n")
            // What every cell of the row shares, after its x.
            let rest = "\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(rowHeight - 2)\" fill=\""
            let textY = "\" y=\"\(y + rowHeight / 2 + 4)\" text-anchor=\"middle\" font-size=\"12\" fill=\""
            for (j, l) in columns.enumerated() {
                guard i < l.cells.count else { continue }
                let g = l.cells[i]
                let x = labelWidth + j * cell
                let b = band(g.gap)
                try sink.write { o in
                    // The cell's title, escaped piece by piece (the same bytes as escaping it whole).
                    o.append("<g><title>")
                    o.append(l.escapedName)
                    o.append(" (")
                    o.append(l.escapedLearner)
                    o.append("), ")
                    o.append(skillName)
                    o.append(": ")
                    o.append(e(l.targetLevel))
                    o.append(" requires ")
                    o.append(step(g.required))
                    o.append(", has ")
                    o.append(step(g.current))
                    o.append(g.assessed ? ", gap " : " (not assessed), gap ")
                    o.append(g.gap)
                    o.append("</title><rect x=\"")
                    o.append(x)
                    o.append(rest)
                    o.append(colours[b])
                    o.append("\"/><text x=\"")
                    o.append(x + cell / 2 - 1)
                    o.append(textY)
                    o.append(inks[b])
                    o.append("\">")
                    if g.gap == 0 { o.append("·") } else { o.append(g.gap) }
                    o.append("</text></g>\n")
                }
            }
        }
        try sink.write("</svg>\n")
    }

    /// The heatmap's figures as a table, for screen readers and for copying.
    static func table(_ columns: [Column], _ c: Curriculum, to sink: GapsSink) throws {
        let e = HTML.escape
        try sink.write(
            "<table aria-describedby=\"heatmap-heading\">\n<caption>Gap in steps, per skill (rows) and learner (columns)</caption>\n<thead><tr><th scope=\"col\">Skill</th>")
        for l in columns { try sink.write("<th scope=\"col\"><abbr title=\"\(l.escapedName)\">\(l.escapedLearner)</abbr></th>") }
        try sink.write("</tr></thead>\n<tbody>\n")
        let cells = (0...3).map { "<td class=\"n g\($0)\">" }
        for (i, s) in c.skills.enumerated() {
            try sink.write("<tr><th scope=\"row\">\(e(s.name))</th>")
            for l in columns {
                try sink.write { o in
                    guard i < l.cells.count else { return o.append("<td></td>") }
                    o.append(cells[band(l.cells[i].gap)])
                    o.append(l.cells[i].gap)
                    o.append("</td>")
                }
            }
            try sink.write("</tr>\n")
        }
        try sink.write("</tbody>\n</table>\n")
    }
}
