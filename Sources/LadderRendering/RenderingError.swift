import Foundation
import LadderCore

/// Rendering that cannot go on: one of Ladder's own runtime or theme files is not in the
/// build's resources (`path` is its name). A bug in Ladder's build, never the user's input.
public struct RenderingError: LadderError, Equatable {
    public var path: String
    public var underlying: (any Error)? { nil }
    public var category: LadderErrorCategory { .internal }
    public var description: String { "Ladder's own asset '\(path)' is missing from the build (a packaging bug)" }

    static func missingAsset(_ name: String) -> RenderingError { RenderingError(path: name) }
}
