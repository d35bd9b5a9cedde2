import Foundation
import LadderCore
import LadderPackaging
import LadderRendering
import LadderProgress

/// How a `ladder` command ends: one table of exit codes for every command, so the same
/// mistake gets the same code whichever command meets it (README, "Exit codes"). Above 1 the
/// numbers are BSD's sysexits.h ones, which shells and CI scripts already know; 64 is also
/// what swift-argument-parser gives a bad option.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Done; warnings allowed.
    case ok = 0
    /// The inputs were read and have problems, each reported with its file, line or field (a
    /// curriculum's errors, an invalid package, rejected import rows, a cohort file's errors),
    /// or the command failed for a reason not listed below.
    case findings = 1
    /// The command line is wrong: an unknown option, a bad option value, options that do not
    /// go together, or a level, track or learner the curriculum or file does not have.
    case usage = 64
    /// A file Ladder keeps for itself is damaged: a progress store it cannot open as one.
    case dataError = 65
    /// An input named on the command line does not exist, or is not what was asked for (a
    /// file given as the curriculum folder, a schemas folder without the schemas).
    case noInput = 66
    /// Ladder's own mistake (a resource missing from the build): report it.
    case software = 70
    /// An output cannot be created where it was asked for: no permission, a read-only disk, a
    /// missing folder, or the output would overwrite one of the command's inputs.
    case cannotCreate = 73
    /// Reading or writing failed part way: the disk is full, an I/O error.
    case ioError = 74

    /// The status `error` ends a command with: its own, for an `ExitStatusReporting` error;
    /// by its category, for any other `LadderError`; else by the Foundation error's code; else
    /// `findings`.
    public init(for error: any Error) {
        if let e = error as? any ExitStatusReporting {
            self = e.exitStatus
        } else if let e = error as? any LadderError {
            switch e.category {
            case .input: self = .findings
            case .system: self = .ioError
            case .internal: self = .software
            }
        } else if let e = error as? CocoaError {
            switch e.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: self = .noInput
            case .fileWriteOutOfSpace: self = .ioError
            case .fileWriteNoPermission, .fileWriteVolumeReadOnly, .fileWriteInvalidFileName, .fileWriteFileExists: self = .cannotCreate
            default: self = .findings
            }
        } else {
            self = .findings
        }
    }
}

/// An error that knows its exit status. Every error type a command can end with maps to the
/// table here, in this one file, so renaming or adding a type touches one line. (A domain's
/// `LadderError` without a line here ends by its `category`.)
public protocol ExitStatusReporting: Error, CustomStringConvertible {
    var exitStatus: ExitStatus { get }
}

// MARK: - The command-line errors (CommandInputs.swift, TrackSelection.swift)

extension InputError: ExitStatusReporting {
    public var exitStatus: ExitStatus { .noInput }
}

extension SelectionError: ExitStatusReporting {
    public var exitStatus: ExitStatus { .usage }
}

extension DiagnosticsFailure: ExitStatusReporting {}

extension FindingsReported: ExitStatusReporting {
    public var exitStatus: ExitStatus { .findings }
}

// MARK: - The library's domain errors

extension FileSystemError: ExitStatusReporting {
    /// Every file-system call that reports one writes an output.
    public var exitStatus: ExitStatus {
        switch code {
        case ENOSPC, EDQUOT, EIO: return .ioError
        default: return .cannotCreate
        }
    }
}

extension OutputSafety.Overlap: ExitStatusReporting {
    public var exitStatus: ExitStatus { .cannotCreate }
}

extension PackagingError: ExitStatusReporting {
    public var exitStatus: ExitStatus {
        switch problem {
        case .zip: return .software
        case .suspendDataTooLong, .invalidPackage, .unreadableLedger: return .findings
        // The schemas folder (`--schemas`, `LADDER_SCHEMAS`) is an input.
        case .missingControlDocument, .unusableSchemas: return .noInput
        }
    }
}

extension RenderingError: ExitStatusReporting {
    public var exitStatus: ExitStatus {
        switch problem {
        case .missingAsset: return .software
        // A theme file the curriculum names is an input (as Foundation's "no such file" was).
        case .unreadableThemeFile: return .noInput
        }
    }
}

extension ProgressStoreError: ExitStatusReporting {
    public var exitStatus: ExitStatus {
        switch problem {
        case .cannotCreateFolder: return .cannotCreate
        case .sqlite, .importFailed, .importLock: return .dataError
        }
    }
}
