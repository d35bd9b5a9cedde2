import Foundation

/// Finds where a loaded curriculum's value came from (file, line, column), for checks made
/// after loading: the model keeps no positions, so the one file concerned is read again. Used
/// only when there is a problem to report, so the cost of a second read does not matter.
package struct SourceLocator {
    /// The curriculum folder as the user named it: places are shown under it.
    let folder: String
    let root: URL

    package init(folder: String) {
        let trimmed = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        self.folder = trimmed
        root = URL(fileURLWithPath: trimmed, isDirectory: true)
    }

    /// `relative` as shown in messages.
    package func display(_ relative: String) -> String { folder == "." ? relative : "\(folder)/\(relative)" }

    /// The value at `keys` (mappings, one key a step) in curriculum.yaml.
    package func curriculum(_ keys: [String]) -> SourceLocation {
        locate("curriculum.yaml", keys) { $0 }
    }

    /// The value at `keys` in any YAML file of the curriculum (an assessment, a shadowing task).
    package func file(_ relative: String, _ keys: [String]) -> SourceLocation {
        locate(relative, keys) { $0 }
    }

    /// The value at `keys` in a level's file.
    package func level(_ level: String, _ keys: [String]) -> SourceLocation {
        locate("levels/\(level).yaml", keys) { $0 }
    }

    /// The value at `keys` (e.g. `["training", "module", "title"]`) inside a responsibility of
    /// its level's file; the responsibility's `id` when a key is missing.
    package func responsibility(_ r: Responsibility, _ keys: [String]) -> SourceLocation {
        locate("levels/\(r.level).yaml", keys) { top in
            top?[field: "responsibilities"]?.items.first { $0[field: "id"]?.text == r.id }
        }
    }

    private func locate(_ relative: String, _ keys: [String], start: (Node?) -> Node?) -> SourceLocation {
        let file = display(relative)
        var ignored = Diagnostics()
        guard let document = YAMLDocument.read(url: root.appendingPathComponent(relative), displayPath: file, into: &ignored),
            var node = start(document.root)
        else { return SourceLocation(file: file) }
        for key in keys {
            guard let next = node[field: key] else { break }
            node = next
        }
        return node.location(in: file)
    }
}
