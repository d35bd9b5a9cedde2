import Foundation

package enum TalentLMSCell {
    /// Completed, not passed and in-progress marks; the unit matrix shows a checkmark, an X
    /// and a circle (help centre), the training-matrix export holds `✔` for completed.
    private static let marks: [Character: LessonStatus] = [
        "✔": .completed, "✓": .completed, "✅": .completed, "☑": .completed,
        "✘": .failed, "✗": .failed, "✖": .failed, "❌": .failed,
        "○": .incomplete, "◯": .incomplete, "◌": .incomplete,
    ]
    /// Status words that may start a cell that goes on with a score or a time; longest first.
    private static let words: [(String, LessonStatus)] = [
        ("not attempted", .notAttempted), ("not started", .notAttempted), ("not passed", .failed),
        ("in progress", .incomplete), ("incomplete", .incomplete), ("completed", .completed),
        ("pending", .incomplete), ("complete", .completed), ("passed", .passed), ("failed", .failed),
        ("browsed", .browsed),
    ]
    private static let separators = CharacterSet(charactersIn: " ,;|()[]\t\r\n–—-")

    /// The cell without surrounding spaces and emoji variation selectors (`✔️` is `✔`).
    private static func clean(_ raw: String) -> String {
        guard raw.unicodeScalars.contains("\u{FE0F}") else { return raw.trimmedCell }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: raw.unicodeScalars.filter { $0 != "\u{FE0F}" })
        return String(scalars).trimmedCell
    }

    /// The state a status cell names: TalentLMS's words (`Completed`, `Passed`, `Failed`,
    /// `Not passed`, `In progress`, `Pending`, `Not attempted`, the API's `incomplete`),
    /// SCORM's, or a mark (`✔`, `X`, `○`). nil when unknown.
    static func status(_ raw: String) -> LessonStatus? {
        let s = clean(raw)
        if s.count == 1, let c = s.first {
            if let st = marks[c] { return st }
            if c == "X" || c == "x" { return .failed }
        }
        switch s.lowercased() {
        case "pending", "pending review", "pending instructor review": return .incomplete
        default: return LessonStatus(parsing: s)
        }
    }

    struct Reading: Equatable {
        var status: LessonStatus
        var score: Double?
        var scoreMax: Double?
        var seconds: Int?
    }

    /// A matrix cell: a status, a score (`85`, `85%`, `8.5/10`: completed with that score), a
    /// time (`12m 30s`: the unit was worked on, its state not shown), or a status followed by
    /// a score and/or a time. nil when it is none of those.
    static func matrixCell(_ raw: String) -> Reading? {
        let s = clean(raw)
        if let st = status(s) { return Reading(status: st) }
        var rest = Substring(s)
        var st: LessonStatus?
        if let c = rest.first, let mark = marks[c] {
            st = mark
            rest = rest.dropFirst()
        } else {
            let lower = s.lowercased()
            for (word, value) in words where lower.hasPrefix(word) {
                let after = lower.dropFirst(word.count)
                if let next = after.unicodeScalars.first, !separators.contains(next) { continue }
                st = value
                rest = rest.dropFirst(word.count)
                break
            }
        }
        let tokens = rest.split { c in c.unicodeScalars.allSatisfy { separators.contains($0) } }
        var reading = Reading(status: st ?? .completed)
        var timeTokens = tokens[...]
        if let first = tokens.first, !(first.last?.isLetter ?? false), case .some(let v?) = ScoreCell.parse(String(first)) {
            reading.score = v.score
            reading.scoreMax = v.max ?? 100
            timeTokens = tokens.dropFirst()
        }
        if !timeTokens.isEmpty {
            guard let secs = DurationCell.seconds(timeTokens.joined(separator: " ")) else { return nil }
            reading.seconds = secs
        }
        if st == nil {
            // A score alone counts as done with that score (the item's mastery decides); a
            // time alone only says the unit was worked on.
            if reading.score == nil && reading.seconds == nil { return nil }
            if reading.score == nil { reading.status = .incomplete }
        }
        return reading
    }
}

