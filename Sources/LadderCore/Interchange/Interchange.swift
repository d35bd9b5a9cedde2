import Foundation

/// What the GIFT, Aiken and Moodle XML readers and writers share: how Ladder's own fields
/// ride along in the foreign formats, and how foreign text becomes Ladder's plain text.
package enum Interchange {
    package static let defaultTitle = "Imported questions"
    static let skillTag = "ladder-skill:"
    static let scenarioTag = "ladder-scenario"

    /// `{"draw":5,"mastery_score":80,"minutes":4,"shuffle":true,"title":"…"}`: sorted keys.
    package static func header(_ bank: QuestionBank) -> String {
        var parts: [String] = []
        if let d = bank.draw { parts.append("\"draw\":\(d)") }
        parts.append("\"mastery_score\":\(bank.masteryScore)")
        if let m = bank.minutes { parts.append("\"minutes\":\(m)") }
        if bank.shuffle { parts.append("\"shuffle\":true") }
        parts.append("\"title\":\(JSONText.quote(bank.title))")
        return "{" + parts.joined(separator: ",") + "}"
    }

    package static func applyHeader(_ json: String, to bank: inout QuestionBank) {
        guard let data = json.trimmingCharacters(in: .whitespaces).data(using: .utf8),
            let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return }
        if let t = o["title"] as? String { bank.title = t }
        if let m = o["mastery_score"] as? Int { bank.masteryScore = m }
        if let m = o["minutes"] as? Int { bank.minutes = m }
        if let d = o["draw"] as? Int { bank.draw = d }
        if let s = o["shuffle"] as? Bool { bank.shuffle = s }
    }

    package static func tags(_ q: Question) -> [String] {
        q.skills.map { skillTag + $0 } + (q.kind == .scenario ? [scenarioTag] : [])
    }

    /// A scenario question's text is the scenario, a blank line, then the prompt.
    package static func questionText(_ q: Question) -> String {
        if q.kind == .scenario, let s = q.scenario { return s + "\n\n" + q.prompt }
        return q.prompt
    }

    /// A weight as Moodle writes it: at most 5 decimals, no trailing zeros.
    package static func weight(_ w: Double) -> String {
        var s = String(format: "%.5f", w)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    package static func article(_ word: String) -> String { "aeiou".contains(word.lowercased().first ?? "x") ? "an" : "a" }

    package static func isIdentifier(_ s: String) -> Bool {
        s.range(of: #"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"#, options: .regularExpression) != nil && s.count <= 64
    }

    package static func unique(_ id: String, _ seen: inout Set<String>) -> String {
        var candidate = id
        var n = 2
        while seen.contains(candidate) {
            candidate = "\(id)-\(n)"
            n += 1
        }
        seen.insert(candidate)
        return candidate
    }

    /// The last part of a Moodle category path (`$course$/top/Informing`), `//` being a slash.
    package static func categoryTitle(_ path: String) -> String {
        let parts = path.replacingOccurrences(of: "//", with: "\u{E010}").split(separator: "/")
        let last = parts.last.map(String.init) ?? path
        return last.replacingOccurrences(of: "\u{E010}", with: "/").trimmingCharacters(in: .whitespaces)
    }

    /// Foreign text as Ladder's plain text. HTML loses its markup (reported), an image is
    /// reported as not carried; Moodle, plain and Markdown text stay as written.
    package static func plain(_ s: String, format: String, at: SourceLocation, what: String, diags: inout Diagnostics) -> String {
        guard format == "html" || (format == "moodle" && s.range(of: #"<[a-zA-Z/][^>]*>"#, options: .regularExpression) != nil) else { return s }
        if s.range(of: "<img", options: .caseInsensitive) != nil {
            diags.warning(at, "\(what): an image is not carried; Ladder questions are text: add it to the module's pages instead")
        }
        var out = s.replacingOccurrences(of: #"<br\s*/?>|</p>\s*<p[^>]*>"#, with: "\n", options: [.regularExpression, .caseInsensitive])
        out = out.replacingOccurrences(of: #"<[^>]*>"#, with: "", options: .regularExpression)
        for (entity, ch) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " "), ("&amp;", "&")] {
            out = out.replacingOccurrences(of: entity, with: ch)
        }
        out = out.trimmingCharacters(in: .whitespacesAndNewlines)
        if out != s && format == "html" && s.range(of: #"<[a-zA-Z/][^>]*>"#, options: .regularExpression) != nil {
            diags.warning(at, "\(what): HTML formatting removed; Ladder shows plain text")
        } else if out != s && format == "moodle" {
            diags.warning(at, "\(what): HTML formatting removed; Ladder shows plain text")
        }
        return out
    }

    /// Ladder's fields from tags and an id number, applied to a question read from elsewhere.
    package struct Meta {
        package var id: String?
        package var tags: [String] = []

        package init(id: String? = nil, tags: [String] = []) {
            self.id = id.flatMap { isIdentifier($0) ? $0 : nil }
            self.tags = tags
        }

        /// From GIFT comment lines: `[id:…]` and `[tag:…]`.
        init(comments: [String]) {
            var id: String?
            var tags: [String] = []
            for c in comments {
                var rest = Substring(c)
                while let open = rest.range(of: "["), let close = rest[open.upperBound...].firstIndex(of: "]") {
                    let item = rest[open.upperBound..<close]
                    if item.hasPrefix("id:") { id = String(item.dropFirst(3)).trimmingCharacters(in: .whitespaces) }
                    if item.hasPrefix("tag:") { tags.append(String(item.dropFirst(4)).trimmingCharacters(in: .whitespaces)) }
                    rest = rest[rest.index(after: close)...]
                }
            }
            self.init(id: id, tags: tags)
        }

        package func apply(_ q: Question, at: SourceLocation, diags: inout Diagnostics) -> Question {
            var q = q
            if let id { q.id = id }
            for t in tags {
                if t.hasPrefix(Interchange.skillTag) {
                    q.skills.append(String(t.dropFirst(Interchange.skillTag.count)))
                } else if t == Interchange.scenarioTag {
                    guard q.kind == .single, let split = q.prompt.range(of: "\n\n", options: .backwards) else {
                        diags.warning(at, "question '\(q.id)' is tagged \(t) but its text has no blank line between scenario and prompt: imported as '\(q.kind.rawValue)'")
                        continue
                    }
                    q.scenario = String(q.prompt[..<split.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
                    q.prompt = String(q.prompt[split.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
                    q.kind = .scenario
                } else {
                    diags.warning(at, "question '\(q.id)': tag '\(t)' dropped; Ladder questions have skills, not tags")
                }
            }
            return q
        }
    }
}
