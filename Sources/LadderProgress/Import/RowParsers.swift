import Foundation
import LadderCore

/// The parser for `source`, and the header's non-fatal problems; an issue when the header
/// cannot be used at all (it names what was read and what the layout expects).
package func makeRowParser(_ source: ImportSource, header: DelimitedRecord, ctx: ParseContext)
    -> Result<(parser: any RowParser, issues: [ImportIssue]), ImportIssue>
{
    do {
        switch source {
        case .csv, .preview:
            do {
                return .success((try GenericCSVParser(header: header, ctx: ctx), []))
            } catch var issue as ImportIssue {
                issue.message += ": this is not Ladder's generic CSV as read (\(ctx.detected), header \(FileSniff.headerSample(header))); "
                    + "expected at least 'learner', 'item' and 'status' (docs/progress.md, \"Generic CSV\")"
                throw issue
            }
        case .moodle:
            let p = try MoodleParser(header: header, ctx: ctx)
            return .success((p, p.headerIssues))
        case .talentlms:
            let p = try TalentLMSParser(header: header, ctx: ctx)
            return .success((p, p.headerIssues))
        }
    } catch let issue as ImportIssue {
        return .failure(issue)
    } catch {
        return .failure(ImportIssue(file: ctx.file, line: header.line, field: nil, message: "\(error)"))
    }
}

/// Short descriptions of what a file holds, for messages about files that are not what
/// the user said they are.
package enum FileSniff {
    /// The header's field count and its first fields, quoted: `3 fields: 'learner', 'item', …`.
    static func headerSample(_ header: DelimitedRecord) -> String {
        let shown = header.fields.prefix(4).map { f -> String in
            let t = f.trimmedCell
            return "'" + (t.count > 40 ? String(t.prefix(40)) + "…" : t) + "'"
        }
        let n = header.fields.count
        return "\(Plural.count(n, "field")): " + shown.joined(separator: ", ") + (n > 4 ? ", …" : "")
    }
}
