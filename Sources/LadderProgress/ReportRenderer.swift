import Foundation
import LadderCore

/// Report formats.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, csv, json, html
}

/// One format's writer: fed learner by learner, then the cohort. Every format writes as it
/// goes (`ReportOutput`), so no format holds the whole report.
package protocol ReportFormatWriter {
    mutating func learner(_ l: LearnerProgress) throws
    mutating func finish(_ c: Cohort) throws
}

/// Writes progress reports: text, CSV, JSON and HTML. Deterministic (no clock, no dictionary
/// order); items are shown by title when the plan gives one.
public enum ReportRenderer {
    /// Writes the store's report to `path` (a temporary file beside it, renamed into place
    /// once complete, so a failed report never leaves half a file) or to standard output.
    public static func write(store: ProgressStore, options: ReportOptions, format: ReportFormat, detail: Bool, to path: String?) throws {
        guard let path else {
            try store.withReport(options) { try write($0, format: format, detail: detail, to: .descriptor(1, name: "standard output")) }
            return
        }
        let url = URL(fileURLWithPath: path)
        try FileSystem.makeFolders(url.deletingLastPathComponent().path)
        let file = try AtomicFile(url)
        do {
            try store.withReport(options) { try write($0, format: format, detail: detail, to: .descriptor(file.descriptor, name: path)) }
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }

    /// Renders a report held in memory.
    public static func render(_ r: ProgressReport, as format: ReportFormat, detail: Bool) -> String {
        let out = ReportOutput.inMemory()
        // A memory output cannot fail.
        try? write(r, format: format, detail: detail, to: out)
        return String(decoding: out.memory, as: UTF8.self)
    }

    static func write(_ source: ReportSource, format: ReportFormat, detail: Bool, to out: ReportOutput) throws {
        let h = source.header
        var w: ReportFormatWriter
        switch format {
        case .text: w = TextReportWriter(h, out: out, spool: try out.spool(), detail: detail)
        case .csv: w = try CSVReportWriter(h, out: out)
        case .json: w = try JSONReportWriter(h, out: out)
        case .html: w = HTMLReportWriter(h, out: out, spool: try out.spool(), detail: detail)
        }
        let cohort = try source.run { try w.learner($0) }
        try w.finish(cohort)
        try out.flush()
    }

    /// "Name (id)", or the id alone when there is no name or it is the id.
    static func label(_ id: String, _ name: String?) -> String {
        guard let name, !name.isEmpty, name != id else { return id }
        return "\(name) (\(id))"
    }

    /// `90`, `87.5`: one decimal at most (without `String(format:)`, slow per call on Linux).
    static func number(_ d: Double) -> String {
        if d == d.rounded() { return String(Int(d)) }
        let tenths = Int((abs(d) * 10).rounded())
        return (d < 0 ? "-" : "") + "\(tenths / 10).\(tenths % 10)"
    }

    /// A whole percentage, rounded (0.667 → 67).
    static func percent(_ rate: Double) -> Int { Int((rate * 100).rounded()) }

    /// Who is ready for promotion, in a format's words: `nobody` when no one is, else per level
    /// `level(level, count)`, `person(label)` for each learner by name, then `close`.
    static func readyLists(
        _ c: Cohort, nobody: String, level: (String, Int) -> String, person: (String) -> String, close: String = ""
    ) -> String {
        let ready = c.ready ?? []
        if ready.isEmpty { return nobody }
        return ready.map { g in level(g.level, g.learners.count) + g.learners.map { person(label($0.id, $0.name)) }.joined() + close }.joined()
    }

    /// The level whose missing items block the learner's next verdict: the next level to reach.
    static func blocking(_ l: LearnerProgress) -> LevelProgress? {
        guard let next = l.next else { return nil }
        return l.levels.first { $0.level == next }
    }

    static func assessmentLine(_ a: AssessmentResult, _ h: ReportHeader) -> String {
        "\(h.title(a.item)): \(a.passed ? "passed" : "not passed")" + (a.bestScore.map { ", best \(number($0))%" } ?? "")
            + (a.mastery.map { " (mastery \($0)%)" } ?? "") + ", \(Plural.count(a.attempts, "attempt"))"
    }

    static func signOffLine(_ s: ShadowingSignOff, _ h: ReportHeader) -> String {
        "\(h.title(s.item)): signed off by \(s.observer ?? "(no observer recorded)") on \(s.date ?? "(no date recorded)")"
    }
}

/// Text for a terminal: the cohort first (ready for promotion by name, levels, funnel,
/// stalled, hardest questions), then one line per learner with the missing items by title.
package struct TextReportWriter: ReportFormatWriter {
    let h: ReportHeader
    let out: ReportOutput
    let spool: ReportOutput
    let detail: Bool

    init(_ h: ReportHeader, out: ReportOutput, spool: ReportOutput, detail: Bool) {
        self.h = h
        self.out = out
        self.spool = spool
        self.detail = detail
    }

    private static func pad(_ s: String) -> String { s.padding(toLength: max(6, s.count), withPad: " ", startingAt: 0) }

    package mutating func learner(_ l: LearnerProgress) throws {
        var o = "  \(ReportRenderer.label(l.id, l.name)): "
        o += l.currentLevel.map { "current \($0)" } ?? "current level unknown"
        o += ", reached \(l.reached ?? "none"); \(l.verdict); time \(Durations.short(seconds: l.seconds)); "
        o += l.lastActivity.map { "last activity \($0.prefix(10))" } ?? "no activity recorded"
        o += (l.stalled ? "; STALLED" : "") + "\n"
        if let b = ReportRenderer.blocking(l), !b.missing.isEmpty {
            o += "    missing for \(b.level): \(b.missing.map(h.title).joined(separator: "; "))\n"
        }
        if detail {
            for lv in l.levels where lv.started || lv.done > 0 {
                o += "    \(lv.level): \(lv.percent)% (\(lv.done)/\(lv.required)), time \(Durations.short(seconds: lv.seconds))\n"
                for a in lv.assessments { o += "      assessment \(ReportRenderer.assessmentLine(a, h))\n" }
                for s in lv.shadowing { o += "      shadowing \(ReportRenderer.signOffLine(s, h))\n" }
            }
        }
        try spool.write(o)
    }

    package mutating func finish(_ c: Cohort) throws {
        var o = "Progress: \(h.title)" + (h.curriculum.isEmpty ? "" : " (\(h.curriculum))") + ", as of \(h.asOf)\n"
        o += "Learners: \(c.learners)" + ((c.currentUnknown ?? 0) > 0 ? " (current level unknown for \(c.currentUnknown!))" : "") + "\n\n"
        o += ReportRenderer.readyLists(
            c, nobody: "Ready for promotion: nobody\n", level: { "Ready for promotion to \($0): \($1)\n" }, person: { "  \($0)\n" })
        o += "\nLearners at each level (ready for promotion):\n"
        for a in c.atLevel { o += "  \(Self.pad(a.level)) \(a.learners) (ready \(a.ready))\n" }
        o += "\nFunnel (started -> reached):\n"
        for f in c.funnel { o += "  \(Self.pad(f.level)) \(f.started) -> \(f.completed)\n" }
        o += "\nStalled (no activity for \(h.stalledDays) days): \(c.stalled.count)\n"
        for s in c.stalled.prefix(50) {
            o += "  \(ReportRenderer.label(s.learner, s.name)) (\(s.level)): last activity \(s.lastActivity.prefix(10)), \(s.days) days\n"
        }
        if c.stalled.count > 50 { o += "  … and \(c.stalled.count - 50) more\n" }
        o += "\nHardest questions (every try counted):\n"
        if c.hardest.isEmpty { o += "  (no interactions recorded)\n" }
        for q in c.hardest {
            o += "  \(h.title(q.item)), question \(q.question): \(q.wrong) wrong of \(Plural.count(q.responses, "try", "tries"))"
            o += " (\(ReportRenderer.percent(q.wrongRate))%)\n"
        }
        o += "\nLearners:\n"
        try out.write(o)
        try out.append(spool)
    }
}

/// CSV, one row per learner and level, every field through `CSVField` (formula guard).
package struct CSVReportWriter: ReportFormatWriter {
    let h: ReportHeader
    let out: ReportOutput
    static let columns = [
        "learner", "name", "email", "current_level", "reached", "ready_for", "level", "required", "done", "percent", "complete",
        "verdict", "seconds", "last_activity", "stalled", "missing", "missing_ids",
    ]

    init(_ h: ReportHeader, out: ReportOutput) throws {
        self.h = h
        self.out = out
        try out.write(CSVField.line(Self.columns))
    }

    /// The learner's fields are escaped once and repeated on each level's row; every field is
    /// appended to the output's buffer as bytes.
    package mutating func learner(_ l: LearnerProgress) throws {
        var person: [UInt8] = []
        for f in [l.id, l.name ?? "", l.email ?? "", l.currentLevel ?? "", l.reached ?? "", l.readyFor ?? ""] {
            CSVField.write(f.utf8, into: &person)
            person.append(0x2C)
        }
        var verdict: [UInt8] = []
        CSVField.write(l.verdict.utf8, into: &verdict)
        var tail: [UInt8] = [0x2C]
        CSVField.write((l.lastActivity ?? "").utf8, into: &tail)
        tail.add(l.stalled ? ",yes," : ",no,")
        var titles: [UInt8] = []
        try out.bytes { o in
            for lv in l.levels {
                o.append(contentsOf: person)
                CSVField.write(lv.level.utf8, into: &o)
                o.append(0x2C)
                o.add(lv.required)
                o.append(0x2C)
                o.add(lv.done)
                o.append(0x2C)
                o.add(lv.percent)
                o.add(lv.complete ? ",yes," : ",no,")
                o.append(contentsOf: verdict)
                o.append(0x2C)
                if let s = lv.seconds { o.add(s) }
                o.append(contentsOf: tail)
                titles.removeAll(keepingCapacity: true)
                titles.list(lv.missing, "; ") { t, m in t.add(h.title(m)) }
                CSVField.write(titles, into: &o)
                o.append(0x2C)
                titles.removeAll(keepingCapacity: true)
                titles.list(lv.missing, " ") { t, m in t.add(m) }
                CSVField.write(titles, into: &o)
                o.add("\r\n")
            }
        }
    }

    package mutating func finish(_ c: Cohort) throws {}
}
