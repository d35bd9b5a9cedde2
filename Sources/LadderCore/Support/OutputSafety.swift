import Foundation

/// No command writes over one of its inputs. Every command that writes a file or a folder
/// calls `refuseOverwriting` with the paths it reads before it writes anything.
public enum OutputSafety {
    /// A path a command reads, and how the user gave it ("the --learners file").
    public struct Input: Sendable, Equatable {
        public var path: String
        public var role: String
        public init(path: String, role: String) {
            self.path = path
            self.role = role
        }
    }

    /// The output is, or would replace, one of the inputs.
    public struct Overlap: LadderError, Equatable {
        /// How the output and the input meet.
        public enum Relation: Sendable, Equatable {
            /// The same file (same device and inode, or the same real path).
            case same
            /// The output folder, replaced as a whole, holds the input.
            case holds
            /// The output is an existing file inside an input folder.
            case inside
        }

        public var output: String
        public var outputRole: String
        public var input: Input
        public var relation: Relation

        public var description: String {
            let verb = relation == .holds ? "holds" : relation == .inside ? "is inside" : "is"
            return "\(output): refusing to write \(outputRole) there: it \(verb) \(input.role) '\(input.path)', which this command reads; choose another output path"
        }
        public var path: String { output }
        public var underlying: (any Error)? { nil }
        public var category: LadderErrorCategory { .input }
    }

    /// Throws `Overlap` when writing `output` would write over an input: the same file (same
    /// device and inode, so hard links and symbolic links count, or the same real path); for
    /// an output file, an existing file inside an input folder; with `replacesFolder` (an
    /// output folder replaced as a whole), an input inside it. Inputs that do not exist are
    /// ignored, and a new file inside an input folder is allowed (it destroys nothing).
    public static func refuseOverwriting(output: String, role: String, replacesFolder: Bool = false, inputs: [Input]) throws {
        let out = resolved(output)
        var outStat = stat()
        let outExists = stat(output, &outStat) == 0
        for input in inputs {
            var inStat = stat()
            guard stat(input.path, &inStat) == 0 else { continue }
            let inPath = resolved(input.path)
            func within(_ folder: String, _ path: String) -> Bool { path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") }
            let relation: Overlap.Relation?
            if (outExists && outStat.st_dev == inStat.st_dev && outStat.st_ino == inStat.st_ino) || inPath == out {
                relation = .same
            } else if replacesFolder, within(out, inPath) {
                relation = .holds
            } else if !replacesFolder, outExists, inStat.st_mode & S_IFMT == S_IFDIR, within(inPath, out) {
                relation = .inside
            } else {
                relation = nil
            }
            if let relation { throw Overlap(output: output, outputRole: role, input: input, relation: relation) }
        }
    }

    /// The real path of `path`, or of its nearest existing ancestor with the rest appended.
    static func resolved(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var head = absolute
        var tail: [String] = []
        while !head.isEmpty, head != "/" {
            if let real = realpath(head, nil) {
                defer { free(real) }
                return ([String(cString: real)] + tail.reversed()).joined(separator: "/")
            }
            tail.append((head as NSString).lastPathComponent)
            head = (head as NSString).deletingLastPathComponent
        }
        return (absolute as NSString).standardizingPath
    }
}
