import Foundation
import GRDB
import LadderCore

/// A problem with the progress store itself (not with an imported row): the store's path,
/// what could not be done, and the error underneath (SQLite's, the file system's).
public struct ProgressStoreError: LadderError {
    public enum Problem: Sendable, Equatable {
        /// The folder that holds the store cannot be created.
        case cannotCreateFolder
        /// SQLite refused an operation on the store, said as a verb phrase ("open the progress store").
        case sqlite(doing: String)
        /// An import's transaction failed (nothing of it was kept).
        case importFailed
        /// The import lock file cannot be opened or taken: the `errno` of the call.
        case importLock(action: String, lock: String, code: Int32)
    }

    public var path: String
    public var problem: Problem
    public var underlying: (any Error)?

    /// A folder that cannot be made, a lock that cannot be taken: the system's; a store SQLite
    /// refuses: a damaged input.
    public var category: LadderErrorCategory {
        switch problem {
        case .cannotCreateFolder, .importLock: return .system
        case .sqlite, .importFailed: return .input
        }
    }

    public var description: String { "\(path): \(message)" }

    /// What happened and why, without the path.
    public var message: String {
        switch problem {
        case .cannotCreateFolder: return "cannot create the folder: \(cause)"
        case .sqlite(let doing): return "cannot \(doing): \(cause)"
        case .importFailed: return "import failed: \(cause)"
        case .importLock(let action, let lock, let code): return "cannot \(action) the import lock \(lock): \(String(cString: strerror(code)))"
        }
    }

    /// The underlying error in words (every place that throws one sets it): SQLite's own message, else
    /// Foundation's.
    private var cause: String {
        switch underlying {
        case let e as DatabaseError: return e.message ?? e.description
        case let e?: return e.localizedDescription
        case nil: return ""
        }
    }
}
