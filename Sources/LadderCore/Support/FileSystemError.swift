import Foundation

/// A file-system call that failed, told as what happened to which path and what to do about
/// it (never a raw `NSCocoaErrorDomain` dump).
public struct FileSystemError: LadderError, Equatable {
    /// The path concerned.
    public var path: String
    /// What Ladder was doing, as a verb phrase: "create the folder", "write the package".
    public var action: String
    /// The `errno` of the failed call.
    public var code: Int32

    package init(path: String, action: String, code: Int32) {
        self.path = path
        self.action = action
        self.code = code
    }

    public var description: String { "\(path): cannot \(action): \(reason)" }

    /// The `errno` as a Swift error.
    public var underlying: (any Error)? { POSIXErrorCode(rawValue: code).map { POSIXError($0) } }

    public var category: LadderErrorCategory { .system }

    /// The cause in plain words, with what to do.
    var reason: String {
        switch code {
        case ENOTDIR:
            let file = Self.firstFile(above: path).map { "'\($0)' is a file, not a folder" } ?? "a part of the path is a file, not a folder"
            return "\(file); choose a folder path"
        case EEXIST: return "it exists and is a file, not a folder; choose a folder path"
        case EISDIR: return "it is a folder, not a file; choose a file path"
        case EROFS: return "the file system is read-only; choose a folder on a writable disk"
        case ENOSPC: return "the disk is full; free some space or choose a folder on another disk"
        case EDQUOT: return "the disk quota is used up; free some space or choose a folder on another disk"
        case EACCES, EPERM: return "permission denied; check the permissions of the folder or choose another one"
        case ENOENT:
            let folder = (path as NSString).deletingLastPathComponent
            var st = stat()
            if !folder.isEmpty, stat(folder, &st) != 0, errno == ENOENT { return "the folder \(folder) does not exist; create it first" }
            return "no such file or folder"
        default: return String(cString: strerror(code)).lowercased()
        }
    }

    /// The nearest existing ancestor of `path` that is not a folder.
    package static func firstFile(above path: String) -> String? {
        var p = (path as NSString).deletingLastPathComponent
        var found: String?
        while !p.isEmpty, p != "/" {
            var st = stat()
            if stat(p, &st) == 0, st.st_mode & S_IFMT != S_IFDIR { found = p }
            p = (p as NSString).deletingLastPathComponent
        }
        return found
    }

    /// Throws when `rc` is -1, with the current `errno`.
    package static func check(_ rc: Int32, _ path: String, _ action: String) throws {
        if rc == -1 { throw FileSystemError(path: path, action: action, code: errno) }
    }

    /// Runs a Foundation file call; what it throws becomes a `FileSystemError` with the POSIX
    /// code Foundation wraps (EIO when it gives none), never an `NSCocoaErrorDomain` dump.
    package static func foundation<T>(_ path: String, _ action: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            let ns = error as NSError
            let posix = ns.domain == NSPOSIXErrorDomain ? ns : ns.userInfo[NSUnderlyingErrorKey] as? NSError
            let code = posix.flatMap { $0.domain == NSPOSIXErrorDomain ? Int32($0.code) : nil }
            throw FileSystemError(path: path, action: action, code: code ?? EIO)
        }
    }
}

/// POSIX file operations that report `FileSystemError`s.
package enum FileSystem {
    /// `mkdir -p`: creates `path` and its missing parents.
    package static func makeFolders(_ path: String) throws {
        var st = stat()
        if stat(path, &st) == 0 {
            if st.st_mode & S_IFMT == S_IFDIR { return }
            throw FileSystemError(path: path, action: "create the folder", code: EEXIST)
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try makeFolders(parent) }
        if mkdir(path, 0o777) != 0, errno != EEXIST {
            throw FileSystemError(path: path, action: "create the folder", code: errno)
        }
    }

    package static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// Flushes a file or folder to the disk (durability across a power cut, not only a kill).
    /// A failure is an error: data the disk did not take (EIO) must not be published.
    package static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        try FileSystemError.check(fd, path, "flush to the disk")
        defer { close(fd) }
        // EINVAL: this file system has no flush for the object (some do not for folders);
        // there is nothing more to wait for.
        if fsync(fd) != 0, errno != EINVAL { throw FileSystemError(path: path, action: "flush to the disk", code: errno) }
    }

    /// Removes a tree if it exists; a file system that refuses is reported.
    package static func removeTree(_ path: String) throws {
        guard exists(path) else { return }
        try FileSystemError.foundation(path, "remove what an earlier build left") { try FileManager.default.removeItem(atPath: path) }
    }

    /// The whole content of the file at `path`, or nil when there is no such file (ENOENT:
    /// absent, not an error). Any other failure is a `FileSystemError` with the `errno`.
    /// With `upTo`, reading stops after that many bytes.
    package static func readIfPresent(_ path: String, upTo limit: Int = .max, action: String = "read the file") throws -> Data? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0, errno == ENOENT { return nil }
        try FileSystemError.check(fd, path, action)
        defer { close(fd) }
        var out = Data()
        // Room for the whole file at once (one byte more, to see the end): grown by appending,
        // an 8 MB ledger took a 9.6 MB buffer after copying itself on the way.
        var info = stat()
        if fstat(fd, &info) == 0, info.st_size > 0 { out.reserveCapacity(min(limit, Int(info.st_size) + 1)) }
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while out.count < limit {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, min($0.count, limit - out.count)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(path: path, action: action, code: errno)
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Writes all of `data` to the open file `fd`; a failure names `path` with the `errno`.
    package static func writeAll(_ data: some ContiguousBytes, to fd: Int32, path: String, action: String) throws {
        try data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw FileSystemError(path: path, action: action, code: errno)
                }
                offset += n
            }
        }
    }
}
