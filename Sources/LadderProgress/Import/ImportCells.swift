import Foundation
import LadderCore

/// Where an import's rows come from.
public enum ImportSource: String, Sendable, CaseIterable {
    case moodle, talentlms, csv, preview
}

/// How rows are matched to the learners already in the store.
public enum LearnerMatch: String, Sendable, CaseIterable {
    /// The email (or login, ID number) when the row has one, else the name.
    case auto
    /// Existing learners by name, even when the row carries an email.
    case name
    /// Only by email: a row without one is refused.
    case email
}

/// A row (or header) that could not be imported, with the line and the field at fault.
public struct ImportIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var field: String?
    public var message: String
    public init(file: String, line: Int, field: String?, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }
    public var description: String {
        "\(file):\(line): error: " + (field.map { "field '\($0)': " } ?? "") + message
    }
}

/// What every layout's parser is given.
package struct ParseContext {
    var file: String
    var curriculum: String
    var resolver: ItemResolver
    var dates: LMSDates
    /// The encoding and delimiter the reader found, for messages about the header.
    var detected: String
    /// The one plan item a report without per-SCO columns belongs to (`--item`).
    var singleItem: String?
}

/// Finds the plan item a column or unit names: a Ladder SCO identifier
/// (`ITEM-inform-customers-module`), a plan item id (`inform-customers.module`), or, with a
/// curriculum, an item's title as the LMS shows it.
package struct ItemResolver {
    var plan: Plan?
    private var byTitle: [String: PlanItem] = [:]
    private var byID: [String: PlanItem] = [:]
    /// Titles several items share (`ladder check` warns): the ids sharing each. A column with
    /// such a title is not matched, since crediting one of them would be a guess.
    private var shared: [String: [String]] = [:]

    init(plan: Plan?) {
        self.plan = plan
        for i in plan?.items ?? [] {
            byID[i.id] = i
            let t = ItemResolver.norm(i.title)
            if let first = byTitle[t] {
                shared[t, default: [first.id]].append(i.id)
            } else {
                byTitle[t] = i
            }
        }
    }

    /// The title as written, then with HTML entities decoded: Moodle writes SCO titles through
    /// `format_string`, which turns a bare `&` into `&amp;`.
    private static func spellings(_ name: String) -> [String] {
        let decoded = HTMLEntities.decode(name)
        return decoded == name ? [norm(name)] : [norm(name), norm(decoded)]
    }

    static func norm(_ s: String) -> String {
        s.trimmedCell.lowercased()
    }

    /// The item id and its level (when the curriculum knows it), nil when nothing matches.
    func resolve(_ name: String) -> (id: String, level: String?)? {
        if let id = SCOIdentifier.itemID(name) {
            if plan == nil { return (id, nil) }
            if let i = byID[id] { return (i.id, i.level) }
        }
        for t in Self.spellings(name) {
            if shared[t] != nil { return nil }
            if let i = byTitle[t] { return (i.id, i.level) }
        }
        return nil
    }

    /// What to add to "matches no curriculum item" for `name`: without a plan, how to get
    /// titles matched; with one, the item id or title one slip away, if any.
    func hint(_ name: String) -> String {
        guard let plan else { return " (pass --curriculum to match item titles)" }
        if let ids = Self.spellings(name).lazy.compactMap({ self.shared[$0] }).first {
            return ": it is the title of several items (\(ids.joined(separator: ", "))), so their results cannot be told apart;"
                + " give each a title of its own in the curriculum (`ladder check` warns) and download again"
        }
        let written = HTMLEntities.decode(name).trimmedCell
        let ids = plan.items.map(\.id)
        // A manifest identifier (ITEM-x-module) is compared with the items' identifiers, and the
        // item id it stands for is suggested.
        if written.hasPrefix("ITEM-") {
            let scos = Dictionary(ids.map { ("ITEM-" + $0.replacingOccurrences(of: ".", with: "-"), $0) }, uniquingKeysWith: { a, _ in a })
            if let sco = Suggest.closest(to: written, in: scos.keys.sorted()), let id = scos[sco] { return " (did you mean '\(id)'?)" }
        }
        if let id = Suggest.closest(to: written, in: ids) { return " (did you mean '\(id)'?)" }
        return Suggest.hint(written, plan.items.map(\.title))
    }
}

/// Item look-ups already made in this file (a file names few items many times).
package final class ItemMemo {
    private var items: [String: (id: String, level: String?)?] = [:]
    func resolve(_ name: String, with resolver: ItemResolver) -> (id: String, level: String?)? {
        if let hit = items[name] { return hit }
        let found = resolver.resolve(name)
        if items.count < 100_000 { items[name] = found }
        return found
    }
}

/// Looks columns up by header name, ignoring case and surrounding spaces.
package struct ColumnHeader {
    let names: [String]
    private var index: [String: Int] = [:]
    init(_ fields: [String]) {
        names = fields
        for (i, f) in fields.enumerated() {
            let k = ColumnHeader.key(f)
            if index[k] == nil { index[k] = i }
        }
    }
    static func key(_ s: String) -> String { s.trimmedCell.lowercased() }
    func column(_ aliases: String...) -> Int? { column(aliases) }
    func column(_ aliases: [String]) -> Int? {
        for a in aliases { if let i = index[ColumnHeader.key(a)] { return i } }
        return nil
    }
}

/// Who a row is about. `byName` when the row names the learner only by name, so the importer
/// matches it against the learners already stored.
package struct LearnerIdentity: Equatable {
    var id: String
    var name: String?
    var email: String?
    var byName: Bool
}

/// The result of reading one row.
package enum ParsedRow {
    case records([AttemptRecord])
    /// A learner the export lists without any attempt (Moodle's "-" rows).
    case learner(LearnerIdentity)
    /// A row that names its learner only by name: held until the whole file is read, since a
    /// later row with the same name may show that the name stands for two people.
    indirect case byName(NamedRow)
    case skip
    case issues([ImportIssue])
}

/// A row of a file that names learners only by name (a Moodle download without identity
/// columns, a TalentLMS matrix or sheet without email or login), with what one user has at
/// most one row of in that layout. Two rows with one name that one user cannot both have are
/// two people with the same name: the file cannot say which stored learner each is, so
/// neither row is imported (issue 10, point 4: match by name only when the name is unique).
package struct NamedRow {
    /// The layout's rule and what to download instead, for the message.
    package struct Rule: Sendable {
        /// The column that holds the name.
        var column: String
        /// Why two such rows are two people.
        var why: String
        /// How to get a file that tells them apart.
        var fix: String
        /// What a row without a slot is, beside its line number (Moodle: "no attempt").
        var only: String?
    }
    var name: String
    /// What a user has one row of at most (Moodle: the attempt, `attempt 2`); nil when the
    /// row is the user's only one (a matrix row, a Moodle user without attempts).
    var slot: String?
    var rule: Rule
    /// What the row holds: `.records` or `.learner`.
    var row: ParsedRow

    /// `row` held as named by `who`'s name when the row has no identity but the name.
    static func hold(_ row: ParsedRow, _ who: LearnerIdentity, slot: String?, rule: Rule) -> ParsedRow {
        guard who.byName, let name = who.name else { return row }
        return .byName(NamedRow(name: name, slot: slot, rule: rule, row: row))
    }

    /// Whether rows with one name are two people: two rows for one slot, or a row that must
    /// be its user's only one beside another.
    static func twoPeople(_ rows: [NamedRow]) -> Bool {
        guard rows.count > 1 else { return false }
        var slots = Set<String>()
        for r in rows {
            guard let s = r.slot, slots.insert(s).inserted else { return true }
        }
        return false
    }
}

package protocol RowParser {
    /// The number of fields a row must have; nil when the layout allows any.
    var expectedFields: Int? { get }
    func parse(_ r: DelimitedRecord) -> ParsedRow
}

/// Checks that every layout applies to what it stores (issue: nothing untrusted lands).
package enum FieldCheck {
    static let maxID = 256

    /// Why an identity or id field cannot be stored, nil when it can: longer than 256
    /// characters, or holding control characters or line breaks.
    static func identity(_ s: String) -> String? {
        if s.utf8.count > maxID { return "longer than \(maxID) characters" }
        for u in s.unicodeScalars where u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u == "\u{2028}" || u == "\u{2029}" {
            return "holds a control character or line break (U+\(String(format: "%04X", u.value)))"
        }
        return nil
    }

    /// Why a score cannot be stored: negative, a maximum of 0 or less, above the row's
    /// maximum, or above 100 when the row declares none.
    static func score(_ score: Double?, max: Double?) -> String? {
        guard let score else {
            if let max, max <= 0 { return "a maximum score of \(CellFormat.number(max))" }
            return nil
        }
        if !score.isFinite || score < 0 { return "a negative or impossible score: \(CellFormat.number(score))" }
        if let max {
            if !max.isFinite || max <= 0 { return "a maximum score of \(CellFormat.number(max))" }
            if score > max { return "a score of \(CellFormat.number(score)) above the row's maximum \(CellFormat.number(max))" }
        } else if score > 100 {
            return "a score of \(CellFormat.number(score)) above 100"
        }
        return nil
    }

    /// The message for a row whose field count differs from the header's.
    static func ragged(_ r: DelimitedRecord, expected: Int) -> String {
        if !r.terminated && r.fields.count < expected {
            return "the file ends in the middle of this row (\(r.fields.count) of \(expected) fields): a truncated download?"
        }
        return "this row has \(r.fields.count) fields, the header \(expected)"
    }
}

package enum CellFormat {
    static func number(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    }
}

/// Moodle writes identity fields and interaction cells through `s()` (htmlspecialchars with
/// ENT_QUOTES, numeric entities kept): `o&#039;neill`, `&amp;`, `&lt;`. Decodes those.
package enum HTMLEntities {
    static func decode(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[amp...]
            guard let semi = after.prefix(12).firstIndex(of: ";") else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let name = after[after.index(after: after.startIndex)..<semi]
            if let c = named[String(name)] ?? numeric(name) {
                out.append(c)
                rest = rest[rest.index(after: semi)...]
            } else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
            }
        }
        return out + rest
    }

    private static let named: [String: Character] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "#039": "'", "nbsp": "\u{A0}"]

    private static func numeric(_ name: Substring) -> Character? {
        guard name.first == "#" else { return nil }
        let digits = name.dropFirst()
        let value: UInt32?
        if digits.first == "x" || digits.first == "X" { value = UInt32(digits.dropFirst(), radix: 16) } else { value = UInt32(digits) }
        return value.flatMap(Unicode.Scalar.init).map(Character.init)
    }
}

/// Dates as LMS exports print them, normalised to ISO 8601 text in UTC. Text without an
/// offset is read in `timeZone` (Moodle writes the viewer's zone; `--timezone`); a date
/// without a time stays a date.
package final class LMSDates {
    private let formatters: [DateFormatter]
    private let iso = ISO8601DateFormatter()

    init(timeZone: TimeZone) {
        let patterns = [
            "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm",
            // Moodle userdate(): strftimedaydatetime "%A, %d %B %Y, %I:%M %p" (the text download)
            // and strftimedatetime "%d %B %Y, %I:%M %p" (Excel and ODS), leading zeros removed
            "EEEE, d MMMM yyyy, h:mm a", "d MMMM yyyy, h:mm a",
            // The same in English (United States), lang/en_us/langconfig.php: strftimedaydatetime
            // "%A, %B %d, %Y, %I:%M %p" and strftimedatetime "%B %d %Y, %I:%M %p"
            "EEEE, MMMM d, yyyy, h:mm a", "MMMM d yyyy, h:mm a",
            // TalentLMS: DD/MM/YYYY (its default date format), with or without a time
            "dd/MM/yyyy, HH:mm:ss", "dd/MM/yyyy, HH:mm", "dd/MM/yyyy HH:mm", "dd/MM/yyyy",
        ]
        formatters = patterns.map { p in
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = p == "dd/MM/yyyy" ? TimeZone(identifier: "UTC") : timeZone
            f.isLenient = false
            f.dateFormat = p
            return f
        }
    }

    /// `.some(nil)` for an empty, "-" or "never" cell, nil for text that is not a date.
    func parse(_ raw: String) -> String?? {
        var s = raw.trimmedCell
        // What Ladder itself writes, a date or UTC with Z, is checked on the bytes: this
        // runs for millions of cells in a large import.
        switch s.withUTF8(ISO8601Date.shape) {
        case .date(let valid): return valid ? .some(s) : nil
        case .utc: return .some(s)
        case .other: break
        }
        if s.isEmpty || s == "-" || (s.utf8.count == 5 && s.lowercased() == "never") { return .some(nil) }
        // Every pattern is ASCII (en_US_POSIX month and day names), and Foundation's
        // DateFormatter traps ("Incorrect range CFRange") on some non-ASCII text, such as a
        // combining mark after a digit (found by fuzz-import-moodle-basic).
        guard s.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        if s.hasSuffix("Z"), let d = iso.date(from: s) { return .some(iso.string(from: d)) }
        for (k, f) in formatters.enumerated() {
            if let d = f.date(from: s) {
                // A day-only TalentLMS date stays a date.
                return .some(k == formatters.count - 1 ? String(iso.string(from: d).prefix(10)) : iso.string(from: d))
            }
        }
        return nil
    }
}

package enum ISO8601Date {
    enum Shape: Equatable {
        /// `YYYY-MM-DD` (digits), and whether it names a real day.
        case date(valid: Bool)
        /// `YYYY-MM-DDTHH:MM:SSZ`.
        case utc
        case other
    }

    /// What the bytes of a cell look like, without allocating.
    static func shape(_ u: UnsafeBufferPointer<UInt8>) -> Shape {
        func digits(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                let d = Int(u[i]) - 48
                guard d >= 0 && d <= 9 else { return nil }
                v = v * 10 + d
            }
            return v
        }
        if u.count == 10, u[4] == 45, u[7] == 45 {
            guard let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) else { return .other }
            return .date(valid: isDay(y, m, d))
        }
        if u.count == 20, u[19] == UInt8(ascii: "Z"), u[10] == UInt8(ascii: "T"), u[4] == 45, u[13] == 58 { return .utc }
        return .other
    }

    static func isDay(_ y: Int, _ m: Int, _ d: Int) -> Bool {
        guard (1...12).contains(m), d >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    }

    /// `YYYY-MM-DD` naming a real day.
    static func isValid(_ s: String) -> Bool {
        let parts = s.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return false }
        return isDay(parts[0], parts[1], parts[2])
    }
}

/// Parses a score cell: `85`, `85%`, `85/100`, `8.5/10`.
package enum ScoreCell {
    static func parse(_ raw: String) -> (score: Double, max: Double?)?? {
        let s = raw.trimmedCell
        if s.isEmpty || s == "-" { return .some(nil) }
        if s.hasSuffix("%"), let v = Double(String(s.dropLast()).trimmedCell) { return .some((v, 100)) }
        if let slash = s.firstIndex(of: "/") {
            guard let a = Double(String(s[..<slash]).trimmedCell),
                  let b = Double(String(s[s.index(after: slash)...]).trimmedCell) else { return nil }
            return .some((a, b))
        }
        if let v = Double(s) { return .some((v, nil)) }
        return nil
    }
}

extension String {
    /// The text without surrounding spaces and tabs; no copy when there are none (the
    /// common case, which keeps the importer's hot path cheap).
    var trimmedCell: String {
        let u = utf8
        guard let f = u.first, let l = u.last else { return self }
        if f != 32 && f != 9 && l != 32 && l != 9 { return self }
        return trimmingCharacters(in: .whitespaces)
    }
}
