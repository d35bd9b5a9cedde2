import Foundation
import LadderCore

/// Rendering that cannot go on: one of Ladder's own runtime files is not in the build's
/// resources (`path` is its name: a bug in Ladder's build), or a theme file the curriculum
/// names cannot be read (`path` is the file, `underlying` Foundation's error).
public struct RenderingError: LadderError {
    public enum Problem: Sendable, Equatable {
        case missingAsset
        /// The theme's file, said as what it is ("stylesheet", "logo").
        case unreadableThemeFile(String)
    }

    public var path: String
    public var problem: Problem
    public var underlying: (any Error)?

    public var category: LadderErrorCategory {
        switch problem {
        case .missingAsset: return .internal
        case .unreadableThemeFile: return .input
        }
    }

    public var description: String {
        switch problem {
        case .missingAsset: return "Ladder's own asset '\(path)' is missing from the build (a packaging bug)"
        case .unreadableThemeFile(let what):
            let why = underlying.map { ": \(($0 as NSError).localizedDescription)" } ?? ""
            return "\(path): cannot read the theme's \(what)\(why)"
        }
    }

    static func missingAsset(_ name: String) -> RenderingError { RenderingError(path: name, problem: .missingAsset) }

    /// The bytes of the theme file at `url`; a failure names the file and keeps Foundation's error.
    static func readThemeFile(_ url: URL, _ what: String) throws -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw RenderingError(path: url.path, problem: .unreadableThemeFile(what), underlying: error)
        }
    }
}
