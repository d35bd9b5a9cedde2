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
        var first = true
        let summary = try stream.pass(.reasons) { l in
            try sink.write(first ? "\n" : ",\n")
            first = false
            try sink.write(learnerJSON(l))
        }
        try sink.write((first ? "\n\n" : "\n") + "  ],\n  \"title\" : \(encode(value: stream.title)),\n  \"tracks\" : [")
        for (i, t) in summary.tracks.enumerated() {
            try sink.write((i == 0 ? "\n" : ",\n") + indented(encode(value: t)))
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
    static func learnerJSON(_ l: LearnerGaps) -> String {
        var o = "    {\n"
        func list(_ values: [String], _ indent: String) -> String {
            if values.isEmpty { return "[\n\n\(indent)]" }
            return "[\n" + values.map { indent + "  " + string($0) }.joined(separator: ",\n") + "\n\(indent)]"
        }
        o += "      \"current_level\" : \(string(l.currentLevel)),\n      \"decisions\" : "
        if l.decisions.isEmpty {
            o += "[\n\n      ],\n"
        } else {
            o += "[\n"
            for (i, d) in l.decisions.enumerated() {
                o += "        {\n          \"chosen\" : \(d.chosen),\n          \"item\" : \(string(d.item)),\n          \"reason\" : \(string(d.reason))\n        }"
                o += i == l.decisions.count - 1 ? "\n" : ",\n"
            }
            o += "      ],\n"
        }
        o += "      \"items\" : \(list(l.items, "      ")),\n      \"learner\" : \(string(l.learner)),\n      \"minutes\" : \(l.minutes),\n"
        o += "      \"name\" : \(string(l.name)),\n      \"skills\" : "
        if l.skills.isEmpty {
            o += "[\n\n      ],\n"
        } else {
            o += "[\n"
            for (i, g) in l.skills.enumerated() {
                o += "        {\n          \"assessed\" : \(g.assessed),\n          \"current\" : \(g.current),\n          \"gap\" : \(g.gap),\n"
                o += "          \"items\" : \(list(g.items, "          ")),\n          \"required\" : \(g.required),\n"
                o += "          \"responsibilities\" : \(list(g.responsibilities, "          ")),\n          \"skill\" : \(string(g.skill))\n        }"
                o += i == l.skills.count - 1 ? "\n" : ",\n"
            }
            o += "      ],\n"
        }
        o += "      \"target_level\" : \(string(l.targetLevel))"
        if let t = l.track { o += ",\n      \"track\" : \(string(t))" }
        return o + "\n    }"
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
        // A string sink never throws.
        (try? GapsSink.string { try write(GapStream(report: report, curriculum: c), to: $0) }) ?? ""
    }

    /// The rows as learners come, through the one guarded CSV writer.
    public static func write(_ stream: GapStream, to sink: GapsSink) throws {
        let c = stream.curriculum
        try sink.write(CSVField.line(header))
        _ = try stream.pass(.items) { l in
            for s in l.skills {
                try sink.write(
                    CSVField.line([
                        l.learner, l.name, l.currentLevel, l.targetLevel, s.skill, "\(s.required)", s.required == 0 ? "" : c.stepName(s.required),
                        "\(s.current)", s.current == 0 ? "" : c.stepName(s.current), s.assessed ? "yes" : "no", "\(s.gap)",
                        s.responsibilities.joined(separator: " "), s.items.joined(separator: " "), l.track ?? "",
                    ]))
            }
        }
    }
}

/// The gap report as text, and the explanation of one learner's choices.
public enum GapsText {
    public static func render(_ report: GapReport, curriculum c: Curriculum) -> String {
        (try? GapsSink.string { try write(GapStream(report: report, curriculum: c), to: $0) }) ?? ""
    }

    /// The report, one learner at a time, then the tracks.
    public static func write(_ stream: GapStream, to sink: GapsSink) throws {
        let c = stream.curriculum
        try sink.write("Skill gaps: \(stream.title) (\(stream.curriculumID)), \(count(stream.count, "learner"))\n")
        let nameWidth = max(5, c.skills.map(\.name.count).max() ?? 0)
        let summary = try stream.pass(.items) { l in try sink.write(learner(l, nameWidth: nameWidth, c)) }
        var out = ""
        if !summary.tracks.isEmpty {
            out += "\nTracks (one package each)\n"
            let by = summary.learnersByTrack
            for t in summary.tracks {
                out += "  \(t.id)  \(t.title)\n    \(count(t.items.count, "item")), \(Durations.minutes(t.minutes)); learners: \(by[t.id, default: []].joined(separator: ", "))\n"
            }
        }
        if !summary.withoutTrack.isEmpty { out += "\nNo track (nothing to train): \(summary.withoutTrack.joined(separator: ", "))\n" }
        try sink.write(out)
    }

    static func learner(_ l: LearnerGaps, nameWidth: Int, _ c: Curriculum) -> String {
        var out = "\n\(l.learner)  \(l.name)  \(l.currentLevel) → \(l.targetLevel)\n"
        let gaps = l.skills.filter { $0.gap > 0 }
        if gaps.isEmpty {
            out += "  no gaps: every skill meets \(l.targetLevel); no track\n"
            return out
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
            out += "  track \(t): \(count(l.items.count, "item")), \(Durations.minutes(l.minutes))\n"
        } else {
            out += "  no track: no responsibility up to \(l.targetLevel) develops these gaps\n"
        }
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
