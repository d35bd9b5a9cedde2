import Foundation

/// LMS reports name items by title (Moodle's SCO columns, TalentLMS's units), so two items
/// with one title cannot be told apart when their results come back: an import would credit
/// one for the other (docs/curriculum-format.md, "Diagnostics").
extension CurriculumLoader {
    /// A warning at every item whose title (compared as an import compares it: trimmed, any
    /// case) an earlier item of the plan already has.
    mutating func checkTitles(_ c: Curriculum) {
        let locator = SourceLocator(folder: displayRoot)
        var first: [String: String] = [:]
        for level in c.levels {
            for r in level.responsibilities {
                var items: [(id: String, title: String, at: () -> SourceLocation)] = [
                    ("\(r.id).module", r.module?.title ?? r.statement, {
                        locator.responsibility(r, r.module == nil ? ["statement"] : ["training", "module", "title"])
                    })
                ]
                if let a = r.assessment { items.append(("\(r.id).assessment", a.title, { locator.file(a.path, ["title"]) })) }
                if let s = r.shadowing { items.append(("\(r.id).shadowing", s.title, { locator.file(s.path, ["title"]) })) }
                for item in items {
                    let key = item.title.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
                    guard !key.isEmpty else { continue }
                    if let other = first[key] {
                        diags.warning(
                            item.at(),
                            "item '\(item.id)' has the title of '\(other)' ('\(item.title)'): LMS reports name items by title,"
                                + " so an import could not tell their results apart; give each a title of its own")
                    } else {
                        first[key] = item.id
                    }
                }
            }
        }
    }
}
