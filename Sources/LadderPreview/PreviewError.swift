import LadderCore

/// A package the preview cannot open: its path, what is wrong, and the error underneath (the
/// validator's setup, libzip's).
public struct PreviewError: LadderError {
    public enum Problem: Sendable, Equatable {
        /// The validator the preview checks packages with cannot be set up (its schemas).
        case cannotValidate
        /// `ladder validate` rejects the package; its errors, one a line.
        case invalidPackage([String])
        /// The package validated but its zip cannot be opened for serving.
        case unreadablePackage
    }

    public var path: String
    public var problem: Problem
    public var underlying: (any Error)? = nil

    public var category: LadderErrorCategory { .input }

    public var description: String {
        switch problem {
        case .cannotValidate: return "\(path): \(underlying.map { "\($0)" } ?? "the validator cannot be set up")"
        case .invalidPackage(let lines): return "\(path): the package is not valid (ladder validate):\n" + lines.joined(separator: "\n")
        case .unreadablePackage: return "\(path): cannot read the package: \(underlying.map { "\($0)" } ?? "")"
        }
    }
}
