import Foundation
import LadderCore

/// A build that cannot go on: the package, file or folder concerned, what is wrong with it,
/// and the error underneath (libzip's, the JSON decoder's, the schema compiler's). File-system
/// refusals while writing are `FileSystemError`s; zips that cannot be read are `ZipError`s.
public struct PackagingError: LadderError {
    public enum Problem: Sendable, Equatable {
        /// An item's worst-case `cmi.suspend_data` is over SCORM 1.2's 4,096 characters
        /// (`path` is the item id).
        case suspendDataTooLong(worst: Int)
        /// A package Ladder wrote does not validate; the validator's error messages.
        case invalidPackage(problems: [String])
        /// A SCORM 1.2 control document is not in the schemas folder.
        case missingControlDocument
        /// The schemas folder cannot be used, and why.
        case unusableSchemas(String)
        /// `ledger.json` of earlier builds is not a ledger Ladder can read, and why.
        case unreadableLedger(String)
        /// libzip refused to write a package (`underlying` is the `ZipError`).
        case zip(String)
    }

    public var path: String
    public var problem: Problem
    public var underlying: (any Error)?

    public init(path: String, problem: Problem, underlying: (any Error)? = nil) {
        self.path = path
        self.problem = problem
        self.underlying = underlying
    }

    public var category: LadderErrorCategory {
        switch problem {
        case .invalidPackage, .zip: return .internal
        case .suspendDataTooLong, .missingControlDocument, .unusableSchemas, .unreadableLedger: return .input
        }
    }

    public var description: String {
        switch problem {
        case .suspendDataTooLong(let worst):
            return "\(path): its worst-case suspend data is \(worst) characters, over SCORM 1.2's 4,096; split the assessment or shorten ids"
        case .invalidPackage(let problems): return "\(path): the package does not validate:\n  " + problems.joined(separator: "\n  ")
        case .missingControlDocument: return "\(path): the SCORM 1.2 control document is missing from the schemas folder"
        case .unusableSchemas(let why), .zip(let why): return "\(path): \(why)"
        case .unreadableLedger(let why):
            return "\(path): cannot read the ledger of earlier builds: \(why). It lists the packages of every track built "
                + "into this folder, so Ladder does not replace it: restore it, or move it away and build every track again"
        }
    }


    /// A ledger the JSON decoder refused, said with the place in the file.
    static func unreadableLedger(_ path: String, _ error: DecodingError) -> PackagingError {
        PackagingError(path: path, problem: .unreadableLedger(describe(error)), underlying: error)
    }

    /// `DecodingError` in a sentence: where in the document (`packages[2].sha256`) and what.
    static func describe(_ error: DecodingError) -> String {
        func at(_ path: [any CodingKey]) -> String {
            var out = ""
            for key in path {
                if let i = key.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
            }
            return out
        }
        switch error {
        case .dataCorrupted(let c) where c.codingPath.isEmpty:
            return "it is not valid JSON"
        case .dataCorrupted(let c):
            return "'\(at(c.codingPath))' is not a valid value"
        case .keyNotFound(let key, let c):
            return "'\(at(c.codingPath + [key]))' is missing"
        case .typeMismatch(_, let c), .valueNotFound(_, let c):
            return "'\(at(c.codingPath))' has a value of the wrong type"
        @unknown default:
            return "it is not a ledger"
        }
    }
}
