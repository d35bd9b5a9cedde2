import Foundation

extension Curriculum {
    /// The curriculum without the texts its packages are rendered from: every page's
    /// Markdown, every assessment's questions, every shadowing task's checklist. Ids, titles,
    /// statements, paths, images, levels, skills and frameworks stay.
    ///
    /// A build that goes on once its packages are made (course backups, written from the
    /// packages read back) holds this instead: for the benchmark's 2,000-module ladder the
    /// texts were 25 MB of the heap while its course backups were written. The texts go only
    /// when no other copy holds them (`PackageBuilder.buildReportingChanges` consumes its own).
    package func withoutTexts() -> Curriculum {
        var c = self
        for l in c.levels.indices {
            for r in c.levels[l].responsibilities.indices {
                if let pages = c.levels[l].responsibilities[r].module?.pages {
                    c.levels[l].responsibilities[r].module?.pages = pages.map { p in
                        var p = p
                        p.markdown = ""
                        return p
                    }
                }
                c.levels[l].responsibilities[r].assessment?.questions = []
                c.levels[l].responsibilities[r].shadowing?.observe = []
                c.levels[l].responsibilities[r].shadowing?.behaviours = []
            }
        }
        return c
    }
}
