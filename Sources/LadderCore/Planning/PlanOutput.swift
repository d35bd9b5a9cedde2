import Foundation

/// The plan as stable JSON: sorted keys, no timestamps, the same bytes for the same input.
public enum PlanJSON {
    public static func encode(_ plan: Plan) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(plan), as: UTF8.self)
    }

    public static func decode(_ text: String) throws -> Plan {
        try JSONDecoder().decode(Plan.self, from: Data(text.utf8))
    }
}

/// The plan as a readable tree, one block per track.
public enum PlanText {
    public static func render(_ plan: Plan, curriculum c: Curriculum) -> String {
        var out = "\(plan.title) (\(plan.curriculum))\n"
        for track in plan.tracks {
            let items = plan.items(of: track)
            out += "\n\(track.title)\n  track \(track.id): \(items.count) items, \(Durations.minutes(track.minutes))\n"
            var currentLevel = ""
            var currentResp = ""
            for (n, item) in items.enumerated() {
                if item.level != currentLevel {
                    currentLevel = item.level
                    let title = c.level(item.level)?.title ?? ""
                    out += "  \(item.level) \(title)\n"
                }
                if item.responsibility != currentResp {
                    currentResp = item.responsibility
                    out += "    \(item.responsibility): \(c.responsibility(item.responsibility)?.statement ?? "")\n"
                }
                var line = "      \(n + 1). \(item.kind.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(item.title) (\(Durations.minutes(item.minutes))"
                if let m = item.masteryScore { line += ", pass at \(m)%" }
                line += ")"
                if item.draft { line += " [draft]" }
                if !item.prerequisites.isEmpty { line += "  after " + item.prerequisites.joined(separator: ", ") }
                out += line + "\n"
            }
        }
        return out
    }
}
