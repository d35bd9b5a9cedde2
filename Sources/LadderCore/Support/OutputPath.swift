import Foundation

/// A problem with an output file, said so that a person can act on it.
public enum OutputError: Error, Equatable, CustomStringConvertible {
    /// The output would replace one of the command's own inputs.
    case overwritesInput(output: String, input: String)
    case io(path: String, message: String)

    public var description: String {
        switch self {
        case .overwritesInput(let output, let input):
            return "\(output) is \(input), an input of this command: writing there would destroy it; choose another output file"
        case .io(let path, let message):
            return "\(path): \(message)"
        }
    }
}

/// "No command writes over one of its inputs."
public enum OutputPath {
    /// The input that `output` would overwrite, or nil. Two paths are the same file when they
    /// have the same device and inode (hard links, symbolic links, `./a` and `a`), or, for an
    /// input that does not exist yet, the same real path. An input that is a folder counts for
    /// every existing file inside it.
    public static func clash(_ output: String, inputs: [String]) -> String? {
        var out = stat()
        let outputExists = stat(output, &out) == 0
        let outputReal = realPath(ofPossiblyMissing: output)
        for input in inputs {
            var info = stat()
            guard stat(input, &info) == 0 else {
                if let outputReal, realPath(ofPossiblyMissing: input) == outputReal { return input }
                continue
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                guard outputExists, let outputReal, let folder = realPath(ofPossiblyMissing: input) else { continue }
                if outputReal.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") { return input }
            } else if outputExists, info.st_dev == out.st_dev, info.st_ino == out.st_ino {
                return input
            }
        }
        return nil
    }

    /// The real path of a file, or of its folder joined with its name when the file does not
    /// exist yet; nil when the folder cannot be resolved either.
    static func realPath(ofPossiblyMissing path: String) -> String? {
        if let r = realpath(path, nil) {
            defer { free(r) }
            return String(cString: r)
        }
        let url = URL(fileURLWithPath: path)
        guard let folder = realpath(url.deletingLastPathComponent().path, nil) else { return nil }
        defer { free(folder) }
        return String(cString: folder) + "/" + url.lastPathComponent
    }
}

/// An output file written in full beside its destination, then renamed over it: a reader
/// sees the old file or the new one, never half of one, and a run that fails or is killed
/// leaves the old file as it was (the temporary file is removed, or at worst left hidden).
public final class AtomicOutputFile {
    public let destination: URL
    let temporary: URL
    /// Where to write the content.
    public let handle: FileHandle
    private var finished = false

    public init(_ destination: URL) throws {
        self.destination = destination
        temporary = AtomicFile.temporaryPath(for: destination)
        let folder = destination.deletingLastPathComponent()
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDir), isDir.boolValue else {
            throw OutputError.io(path: destination.path, message: "the folder \(folder.path) does not exist; create it first")
        }
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            let reason = String(cString: strerror(errno))
            throw OutputError.io(path: destination.path, message: "cannot write a file in \(folder.path) (\(reason))")
        }
        guard let h = FileHandle(forWritingAtPath: temporary.path) else {
            try? FileManager.default.removeItem(at: temporary)
            throw OutputError.io(path: destination.path, message: "cannot open a file in \(folder.path) for writing")
        }
        handle = h
    }

    /// Puts the finished file in place.
    public func commit() throws {
        guard !finished else { return }
        finished = true
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw OutputError.io(path: destination.path, message: "cannot finish writing: \(error.localizedDescription)")
        }
        if rename(temporary.path, destination.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw OutputError.io(path: destination.path, message: "cannot move the finished file into place (\(reason))")
        }
    }

    /// Drops what was written; the destination stays as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        try? handle.close()
        try? FileManager.default.removeItem(at: temporary)
    }

    deinit { discard() }
}
