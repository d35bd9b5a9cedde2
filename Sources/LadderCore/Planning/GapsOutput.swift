import Foundation

/// The gap report as stable JSON: sorted keys, no timestamps.
public enum GapsJSON {
    public static func encode(_ report: GapReport) throws -> String {
        try encode(value: report)
    }

    /// The same document as `encode(report)` (without its final newline), written one learner
    /// at a time: each learner is encoded alone and indented to its place in the whole.
    public static func write(_ stream: GapStream, to sink: GapsSink) throws {
        try sink.write("{\n  \"curriculum\" : \(encode(value: stream.curriculumID)),\n  \"format\" : 1,\n  \"learners\" : [")
        let summary = try stream.records(.reasons, sink) { l, i, o in
            o.append(i == 0 ? "\n" : ",\n")
            write(l, to: &o)
        }
        let none = summary.withoutTrack.isEmpty && summary.learnersByTrack.isEmpty
        try sink.write((none ? "\n\n" : "\n") + "  ],\n  \"title\" : \(encode(value: stream.title)),\n  \"tracks\" : [")
        for (i, t) in summary.tracks.enumerated() {
            try sink.write { o in
                o.append(i == 0 ? "\n" : ",\n")
                write(t, to: &o)
            }
        }
        try sink.write((summary.tracks.isEmpty ? "\n\n" : "\n") + "  ]\n}")
    }

    /// A value encoded alone, moved two levels in (inside the top object's array), as the
    /// encoder lays out a nested value: blank lines (inside empty arrays) stay blank.
    static func indented(_ json: String) -> String {
        var out = ""
        out.reserveCapacity(json.utf8.count + json.utf8.count / 8)
        for line in json.split(separator: "\n", omittingEmptySubsequences: false) {
            if !out.isEmpty { out += "\n" }
            if !line.isEmpty { out += "    " }
            out += line
        }
        return out
    }

    /// One learner as `encode` lays it out inside the report (two levels in), written by hand:
    /// the encoder is most of the time of a large report. `streamedJSONIsTheWholeReportEncodedAtOnce`
    /// and the golden file hold the two to the same bytes.
    static func learnerJSON(_ l: LearnerGaps) -> String { GapsBuffer.string { write(l, to: &$0) } }

    /// A JSON array of objects as JSONEncoder's pretty printer lays it out at this depth
    /// (`[` then a blank line and `],` when empty); `body` writes each object up to its last
    /// value, and the array ends with `],` and a line break.
    static func objects<T>(_ items: [T], to o: inout GapsBuffer, _ body: (T, inout GapsBuffer) -> Void) {
        guard !items.isEmpty else { return o.append("[\n\n      ],\n") }
        o.append("[\n")
        for (i, x) in items.enumerated() {
            body(x, &o)
            o.append(i == items.count - 1 ? "\n        }\n" : "\n        },\n")
        }
        o.append("      ],\n")
    }

    static func write(_ l: LearnerGaps, to o: inout GapsBuffer) {
        func list(_ values: [String], _ indent: String) { GapsJSON.list(values, indent, to: &o) }
        o.field("    {\n      \"current_level\" : ", json: l.currentLevel)
        o.append(",\n      \"decisions\" : ")
        objects(l.decisions, to: &o) { d, o in
            o.field(d.chosen ? "        {\n          \"chosen\" : true,\n          \"item\" : " : "        {\n          \"chosen\" : false,\n          \"item\" : ", json: d.item)
            o.field(",\n          \"reason\" : ", json: d.reason)
        }
        o.append("      \"items\" : ")
        list(l.items, "      ")
        o.field(",\n      \"learner\" : ", json: l.learner)
        o.field(",\n      \"minutes\" : ", l.minutes)
        o.field(",\n      \"name\" : ", json: l.name)
        o.append(",\n      \"skills\" : ")
        objects(l.skills, to: &o) { g, o in
            o.field(g.assessed ? "        {\n          \"assessed\" : true,\n          \"current\" : " : "        {\n          \"assessed\" : false,\n          \"current\" : ", g.current)
            o.field(",\n          \"gap\" : ", g.gap)
            o.append(",\n          \"items\" : ")
            GapsJSON.list(g.items, "          ", to: &o)
            o.field(",\n          \"required\" : ", g.required)
            o.append(",\n          \"responsibilities\" : ")
            GapsJSON.list(g.responsibilities, "          ", to: &o)
            o.field(",\n          \"skill\" : ", json: g.skill)
        }
        o.field("      \"target_level\" : ", json: l.targetLevel)
        if let t = l.track {
            o.field(",\n      \"track\" : ", json: t)
        }
        o.append("\n    }")
    }

    /// A list of strings as the encoder lays it out, `indent` being the indentation of its key.
    static func list(_ values: [String], _ indent: String, to o: inout GapsBuffer) {
        if values.isEmpty { return o.append("[\n\n\(indent)]") }
        o.append("[\n")
        for (i, v) in values.enumerated() {
            if i > 0 { o.append(",\n") }
            o.append(indent)
            o.append("  ")
            o.append(json: v)
        }
        o.append("\n")
        o.append(indent)
        o.append("]")
    }

    /// One track as `encode` lays it out inside the report (two levels in), written by hand
    /// as the learners are (held to the encoder's bytes by the same tests).
    static func write(_ t: Track, to o: inout GapsBuffer) {
        o.append("    {\n")
        if let from = t.from {
            o.field("      \"from\" : ", json: from)
            o.append(",\n")
        }
        o.field("      \"id\" : ", json: t.id)
        o.append(",\n      \"items\" : ")
        list(t.items, "      ", to: &o)
        o.field(",\n      \"kind\" : ", json: t.kind.rawValue)
        o.field(",\n      \"level\" : ", json: t.level)
        o.field(",\n      \"minutes\" : ", t.minutes)
        o.field(",\n      \"title\" : ", json: t.title)
        o.append("\n    }")
    }

    /// A JSON string as the encoder writes it (slashes and non-ASCII as they are).
    static func string(_ s: String) -> String { JSONText.quote(s, .encoder) }

    public static func encode(_ learner: LearnerGaps) throws -> String {
        try encode(value: learner)
    }

    static func encode(value: some Encodable) throws -> String {
        String(decoding: try makeEncoder().encode(value), as: UTF8.self)
    }

    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// The gap report as CSV: one row per learner and skill (RFC 4180, CRLF line ends).
public enum GapsCSV {
    public static let header = [
        "learner_id", "name", "current_level", "target_level", "skill", "required_step", "required", "current_step", "current",
        "assessed", "gap", "responsibilities", "items", "track",
    ]

    public static func render(_ report: GapReport, curriculum c: Curriculum) -> String {
        GapsSink.render(report, c, with: write)
    }

    /// The rows as learners come, every cell through the one guarded CSV writer
    /// (`CSVField.escape`); the cells a learner's rows share, and the steps and numbers that
    /// recur, are escaped once.
    public static func write(_ stream: GapStream, to sink: GapsSink) throws {
        let cells = Cells(stream.curriculum)
        try sink.write(CSVField.line(header))
        _ = try stream.records(.items, sink) { l, _, o in cells.rows(l, to: &o) }
    }

    /// The cells that recur, escaped once per report.
    struct Cells {
        let c: Curriculum
        /// `required_step,required` (and `current_step,current`) for each step of the scale.
        let steps: [String]
        let numbers: [String]

        init(_ c: Curriculum) {
            self.c = c
            steps = (0...c.scale.count).map { Self.stepCells($0, c) }
            numbers = (0...c.scale.count).map { CSVField.escape("\($0)") }
        }

        static func stepCells(_ n: Int, _ c: Curriculum) -> String { CSVField.escape("\(n)") + "," + CSVField.escape(n == 0 ? "" : c.stepName(n)) }

        func step(_ n: Int) -> String { steps.indices.contains(n) ? steps[n] : Self.stepCells(n, c) }

        func number(_ n: Int) -> String { numbers.indices.contains(n) ? numbers[n] : CSVField.escape("\(n)") }

        /// A learner's rows, one per skill.
        func rows(_ l: LearnerGaps, to o: inout GapsBuffer) {
            let esc = CSVField.escape
            let first = [l.learner, l.name, l.currentLevel, l.targetLevel].map(esc).joined(separator: ",") + ","
            let last = "," + esc(l.track ?? "") + "\r\n"
            for s in l.skills {
                o.append(first)
                o.append(esc(s.skill))
                o.append(",")
                o.append(step(s.required))
                o.append(",")
                o.append(step(s.current))
                o.append(s.assessed ? ",yes," : ",no,")
                o.append(number(s.gap))
                o.append(",")
                if !s.responsibilities.isEmpty { o.append(esc(s.responsibilities.joined(separator: " "))) }
                o.append(",")
                if !s.items.isEmpty { o.append(esc(s.items.joined(separator: " "))) }
                o.append(last)
            }
        }
    }
}

/// The gap report as text, and the explanation of one learner's choices.
public enum GapsText {
    public static func render(_ report: GapReport, curriculum c: Curriculum) -> String {
        GapsSink.render(report, c, with: write)
    }

    /// The report, one learner at a time, then the tracks.
    public static func write(_ stream: GapStream, to sink: GapsSink) throws {
        let c = stream.curriculum
        try sink.write("Skill gaps: \(stream.title) (\(stream.curriculumID)), \(count(stream.count, "learner"))\n")
        let layout = Layout(c)
        let summary = try stream.records(.items, sink) { l, _, o in write(l, layout, to: &o) }
        var out = summary.tracksSection(header: "\nTracks (one package each)\n") { t, learners in
            "  \(t.id)  \(t.title)\n    \(count(t.items.count, "item")), \(Durations.minutes(t.minutes)); learners: \(learners)\n"
        }
        if !summary.withoutTrack.isEmpty { out += "\nNo track (nothing to train): \(summary.withoutTrack.joined(separator: ", "))\n" }
        try sink.write(out)
    }

    /// The columns of a learner's table, padded once per report.
    struct Layout {
        let c: Curriculum
        let nameWidth: Int
        /// Each skill's name padded, in curriculum order.
        let names: [String]
        /// `required` and `current` (with and without the not-assessed mark) for each step, padded.
        let required: [String]
        let assessed: [String]
        let notAssessed: [String]

        init(_ c: Curriculum) {
            self.c = c
            let width = max(5, c.skills.map(\.name.count).max() ?? 0)
            nameWidth = width
            names = c.skills.map { pad($0.name, width) }
            let steps = (0...c.scale.count).map { step($0, c) }
            required = steps.map { pad($0, 22) }
            assessed = required
            notAssessed = steps.map { pad($0 + "*", 22) }
        }

        func name(_ s: SkillGap, at i: Int) -> String {
            names.indices.contains(i) && c.skills[i].id == s.skill ? names[i] : pad(c.skill(s.skill)?.name ?? s.skill, nameWidth)
        }

        func required(_ n: Int) -> String { required.indices.contains(n) ? required[n] : pad(step(n, c), 22) }

        func current(_ n: Int, assessed isAssessed: Bool) -> String {
            let table = isAssessed ? assessed : notAssessed
            return table.indices.contains(n) ? table[n] : pad(step(n, c) + (isAssessed ? "" : "*"), 22)
        }
    }

    static func write(_ l: LearnerGaps, _ layout: Layout, to o: inout GapsBuffer) {
        o.append("\n\(l.learner)  \(l.name)  \(l.currentLevel) → \(l.targetLevel)\n")
        guard l.skills.contains(where: { $0.gap > 0 }) else {
            return o.append("  no gaps: every skill meets \(l.targetLevel); no track\n")
        }
        o.append("  " + pad("skill", layout.nameWidth) + "  " + pad("required (\(l.targetLevel))", 22) + "  " + pad("current", 22) + "  gap\n")
        for (i, s) in l.skills.enumerated() {
            o.append("  ")
            o.append(layout.name(s, at: i))
            o.append("  ")
            o.append(layout.required(s.required))
            o.append("  ")
            o.append(layout.current(s.current, assessed: s.assessed))
            o.append("  ")
            if s.gap > 0 {
                o.append(s.gap)
                o.append("   ")
                o.append(s.responsibilities.isEmpty ? "(no responsibility develops it)" : s.responsibilities.joined(separator: ", "))
            } else {
                o.append("-")
            }
            o.append("\n")
        }
        if l.skills.contains(where: { !$0.assessed }) { o.append("  * not assessed: taken as the \(l.currentLevel) target\n") }
        if let t = l.track {
            o.append("  track \(t): \(count(l.items.count, "item")), \(Durations.minutes(l.minutes))\n")
        } else {
            o.append("  no track: no responsibility up to \(l.targetLevel) develops these gaps\n")
        }
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
        // Targets a level file left out are taken as none: say what that drops.
        let upTo = c.levelIndex(l.targetLevel).map { Array(c.levels[...$0]) } ?? []
        let unset = upTo.flatMap { level in level.unsetSkills.map { (level, $0) } }
        if !unset.isEmpty {
            out += "No target set (taken as none):\n"
            for (level, skill) in unset {
                out += "  \(c.skill(skill)?.name ?? skill) at \(level.id): \(level.unsetTargetConsequence(skill))\n"
            }
        }
        if let t = l.track, let track = report.tracks.first(where: { $0.id == t }) {
            out += "Track \(t): \(track.title); \(count(l.items.count, "item")), \(Durations.minutes(l.minutes))\n"
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

    static func count(_ n: Int, _ word: String) -> String { Plural.count(n, word) }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}
