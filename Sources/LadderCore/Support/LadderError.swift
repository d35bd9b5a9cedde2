/// Whose move it is when an operation fails: what a command line maps to its exit code.
public enum LadderErrorCategory: String, Sendable, Equatable {
    /// The user's files or arguments are wrong (a corrupt ledger, an unreadable zip, an output
    /// path that is an input): fix them and run again.
    case input
    /// The operating system refused (a full or read-only disk, permissions): change the
    /// environment and run again.
    case system
    /// Ladder itself got it wrong (a package it built does not validate): a bug to report.
    case `internal`
}

/// A fatal error of one of Ladder's domains (file system output, zip archives, packaging).
/// Each domain has one such type; each names the path concerned and keeps what caused it,
/// and its `description` is the whole message a person reads (`path: what happened: what to do`).
/// Content problems in curriculum sources are not thrown: they are collected `Diagnostic`s.
public protocol LadderError: Error, CustomStringConvertible {
    /// The file or folder concerned, as the user named it (or the package path inside an export).
    var path: String { get }
    /// The error this one wraps (a `POSIXError`, a `ZipError`, a `DecodingError`), or nil when
    /// the cause is in the message itself (a check Ladder made).
    var underlying: (any Error)? { get }
    /// Whose move it is; a command maps it to its exit code.
    var category: LadderErrorCategory { get }
}
