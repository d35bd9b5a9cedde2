import Foundation
import LadderCore

#if canImport(Glibc)
    import Glibc
#endif

/// Who holds the lock on a curriculum's exports folder, as the holder wrote it in the lock file.
public struct ExportsLockHolder: Sendable, Equatable, CustomStringConvertible {
    public var pid: Int32
    public var started: String
    public var command: String

    public var description: String { "pid \(pid), started \(started): \(command)" }

    var text: String { "pid: \(pid)\nstarted: \(started)\ncommand: \(command)\n" }

    init(pid: Int32, started: String, command: String) {
        self.pid = pid
        self.started = started
        self.command = command
    }

    init?(text: String) {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(after: colon)...].drop { $0 == " " })
        }
        guard let pid = fields["pid"].flatMap({ Int32($0) }) else { return nil }
        self.init(pid: pid, started: fields["started"] ?? "?", command: fields["command"] ?? "?")
    }
}

/// An advisory lock (`flock`) on `<out>/.<curriculum>.lock`, held for a whole build so two
/// builds into one exports folder run one after the other. The holder writes its pid, start
/// time and command into the file; a build that has to wait is told who holds it. The kernel
/// releases the lock when the holder exits, however it exits.
package final class ExportsLock {
    private let fd: Int32
    let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    static func acquire(_ path: String, command: String, waiting: (ExportsLockHolder?) -> Void) throws -> ExportsLock {
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            try FileSystemError.check(fd, path, "open the exports lock")
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK else {
                    let code = errno
                    close(fd)
                    throw FileSystemError(path: path, action: "lock the exports folder", code: code)
                }
                waiting(holder(fd))
                while flock(fd, LOCK_EX) != 0 {
                    guard errno == EINTR else {
                        let code = errno
                        close(fd)
                        throw FileSystemError(path: path, action: "lock the exports folder", code: code)
                    }
                }
            }
            // The file locked must still be the one at `path` (not removed and re-created meanwhile).
            var a = stat()
            var b = stat()
            guard fstat(fd, &a) == 0, stat(path, &b) == 0, a.st_ino == b.st_ino, a.st_dev == b.st_dev else {
                close(fd)
                continue
            }
            let me = ExportsLockHolder(pid: getpid(), started: Self.utcStamp(Date()), command: command)
            let bytes = Array(me.text.utf8)
            // Who holds the lock is for the message of a build that waits; the lock itself is
            // the flock. A disk too full for these few bytes fails the build soon enough.
            if ftruncate(fd, 0) != 0 || pwrite(fd, bytes, bytes.count, 0) != bytes.count {
                let code = errno
                close(fd)
                throw FileSystemError(path: path, action: "write the exports lock", code: code)
            }
            return ExportsLock(fd: fd, path: path)
        }
    }

    /// `date` in UTC as ISO 8601 to the second ("2026-12-05T18:42:19Z"), as
    /// `ISO8601DateFormatter` writes it by default, but from `gmtime_r`: that formatter loads
    /// ICU's calendar and time-zone data, about 5 MiB of a build's peak RSS, for one line in
    /// the lock file.
    static func utcStamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var t = tm()
        guard gmtime_r(&seconds, &t) != nil else { return "\(seconds) s since 1970 (UTC)" }
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = String(t.tm_year + 1900)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year
            + "-\(two(t.tm_mon + 1))-\(two(t.tm_mday))T\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec))Z"
    }

    private static func holder(_ fd: Int32) -> ExportsLockHolder? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return nil }
        return ExportsLockHolder(text: String(decoding: buffer[0..<n], as: UTF8.self))
    }

    deinit {
        // Best effort in a deinit: a holder line left behind names a pid that no longer holds
        // the flock, which is all a waiting build reads it for.
        _ = ftruncate(fd, 0)
        close(fd)
    }
}

/// `<out>/<curriculum>/` changed only as a whole, so a build killed at any moment leaves
/// either the old set of packages or the new one, each matching its `ledger.json` byte for byte.
///
/// A build writes its packages into `.<curriculum>.building` beside the folder, hard-links in
/// every file of the current folder it does not replace or retire, writes the new ledger
/// there last, flushes it all to the disk, and then swaps the two folders in one atomic
/// `renameat2(RENAME_EXCHANGE)` (`renamex_np(RENAME_SWAP)` on macOS). Where the file system
/// cannot swap, two renames go through `.<curriculum>.replaced`, and the next build finishes a
/// switch cut between them. The next build (under the lock) removes whatever a dead build left.
package struct ExportsPublication {
    /// The real folder holding `<curriculum>/` (a symbolic link `<out>/<curriculum>` is followed).
    let parent: String
    let name: String
    var root: String { parent + "/" + name }
    var staging: String { parent + "/." + name + ".building" }
    var replaced: String { parent + "/." + name + ".replaced" }
    var lockPath: String { parent + "/." + name + ".lock" }

    init(outputFolder: URL, curriculum: String) throws {
        try FileSystem.makeFolders(outputFolder.path)
        let link = outputFolder.appendingPathComponent(curriculum).path
        var st = stat()
        let target: String
        if lstat(link, &st) == 0, st.st_mode & S_IFMT == S_IFLNK {
            guard let real = realpath(link, nil) else { throw FileSystemError(path: link, action: "follow the symbolic link", code: errno) }
            target = String(cString: real)
            free(real)
        } else {
            guard let real = realpath(outputFolder.path, nil) else {
                throw FileSystemError(path: outputFolder.path, action: "resolve the folder", code: errno)
            }
            target = String(cString: real) + "/" + curriculum
            free(real)
        }
        parent = (target as NSString).deletingLastPathComponent
        name = (target as NSString).lastPathComponent
    }

    /// Finishes a switch cut between its two renames, then removes a dead build's folders.
    func recover() throws {
        if !FileSystem.exists(root), FileSystem.exists(replaced), FileSystem.exists(staging + "/ledger.json") {
            try FileSystemError.check(rename(staging, root), root, "finish the switch an interrupted build started")
        }
        try FileSystem.removeTree(staging)
        try FileSystem.removeTree(replaced)
    }

    /// The empty staging folder, with the current folder's permissions.
    func begin() throws -> URL {
        try FileSystemError.check(mkdir(staging, 0o777), staging, "create the staging folder")
        try Self.copyMode(from: root, to: staging)
        return URL(fileURLWithPath: staging)
    }

    /// Gives `to` the permissions of `from`, when `from` exists.
    static func copyMode(from: String, to: String) throws {
        var st = stat()
        if stat(from, &st) != 0 {
            if errno == ENOENT { return }
            throw FileSystemError(path: from, action: "read the permissions", code: errno)
        }
        try FileSystemError.check(chmod(to, st.st_mode & 0o7777), to, "set the permissions")
    }

    /// Removes the staging folder after a failure. Already failing, the build reports its
    /// first error; a staging folder left behind is removed by the next build (`recover`).
    func abandon() { try? FileSystem.removeTree(staging) }

    /// Hard-links (or copies, where links are refused) every file of the current folder into
    /// the staging folder, except `skipped` (relative paths), files the build already wrote
    /// there, and temporary files of dead writers. Folders left empty by retired packages are
    /// not carried over. Returns the relative paths of the files now in the staging folder
    /// that the current folder holds (carried over, or written by the build).
    ///
    /// Each folder is opened once and its files linked by name (`linkat` between the two
    /// folders, file types from the listing): a path lookup, an `lstat` and a check for the
    /// target per file made this 7 % of a one-page rebuild of 15,200 packages.
    @discardableResult
    func carryOver(except skipped: Set<String>) throws -> Set<String> {
        var present = Set<String>()
        guard FileSystem.exists(root) else { return present }
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        try FileSystemError.check(fd, root, "list the folder")
        defer { close(fd) }
        _ = try carry("", fd, skipped, &present)
        return present
    }

    private func carry(_ relative: String, _ fromFD: Int32, _ skipped: Set<String>, _ present: inout Set<String>) throws -> Int {
        let from = relative.isEmpty ? root : root + "/" + relative
        let to = relative.isEmpty ? staging : staging + "/" + relative
        let entries = try FolderListing.entries(fromFD, path: from)
        var carried = 0
        // The target folder: opened (made when missing) at the first file to place there, and
        // given the current folder's permissions once a file is carried into it.
        var toFD: Int32 = -1
        defer { if toFD >= 0 { close(toFD) } }
        var madeMode = false
        func target() throws -> Int32 {
            if toFD >= 0 { return toFD }
            toFD = open(to, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if toFD < 0, errno == ENOENT {
                if mkdir(to, 0o777) != 0, errno != EEXIST { throw FileSystemError(path: to, action: "create the folder", code: errno) }
                toFD = open(to, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            }
            try FileSystemError.check(toFD, to, "create the folder")
            return toFD
        }
        func carriedOne() throws {
            if !madeMode { try Self.copyMode(from: from, to: to) }
            madeMode = true
            carried += 1
        }
        for (n, kind) in entries {
            let r = relative.isEmpty ? n : relative + "/" + n
            switch kind {
            case .folder:
                let sub = openat(fromFD, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if sub < 0, errno == ENOENT { continue }  // gone since the listing
                try FileSystemError.check(sub, from + "/" + n, "list the folder")
                defer { close(sub) }
                carried += try carry(r, sub, skipped, &present)
            case .file, .link:
                if skipped.contains(r) || AtomicFile.isTemporaryName(n) { continue }
                let fd = try target()
                if kind == .link {
                    guard let link = FolderListing.linkTarget(fromFD, n) else {
                        if errno == ENOENT { continue }
                        throw FileSystemError(path: from + "/" + n, action: "carry the link over", code: errno)
                    }
                    if symlinkat(link, fd, n) != 0 {
                        if errno == EEXIST {
                            present.insert(r)
                            continue
                        }
                        throw FileSystemError(path: to + "/" + n, action: "carry the link over", code: errno)
                    }
                } else if linkat(fromFD, n, fd, n, 0) != 0 {
                    switch errno {
                    case EEXIST:
                        // Written by this build.
                        present.insert(r)
                        continue
                    case ENOENT:
                        // Gone since the listing: nothing to carry over.
                        continue
                    default:
                        // A file system that refuses hard links gets a copy.
                        try FileSystemError.foundation(to + "/" + n, "carry the file over") {
                            try FileManager.default.copyItem(atPath: from + "/" + n, toPath: to + "/" + n)
                        }
                    }
                }
                present.insert(r)
                try carriedOne()
            case .other:
                continue
            }
        }
        if entries.isEmpty {
            _ = try target()
            try Self.copyMode(from: from, to: to)
        }
        if carried > 0 || entries.isEmpty { try FileSystem.sync(to) }
        return carried
    }

    /// Puts the staging folder in place of the current one in one step, then removes the old one.
    func publish() throws {
        try FileSystem.sync(staging)
        if !FileSystem.exists(root) {
            try FileSystemError.check(rename(staging, root), root, "put the new exports in place")
        } else if Self.exchange(staging, root) {
            // The old folder is now at the staging path.
            try FileSystem.sync(parent)
            try FileSystem.removeTree(staging)
        } else {
            try FileSystemError.check(rename(root, replaced), root, "move the old exports aside")
            try FileSystemError.check(rename(staging, root), root, "put the new exports in place")
            try FileSystem.sync(parent)
            try FileSystem.removeTree(replaced)
        }
        try FileSystem.sync(parent)
    }

    #if canImport(Glibc)
        private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        /// glibc has renameat2 since 2.28, but Swift's Glibc module does not declare it.
        private static let renameat2: RenameAt2? = dlsym(nil, "renameat2").map { unsafeBitCast($0, to: RenameAt2.self) }
    #endif

    /// Swaps two existing paths atomically; false when the system or file system cannot.
    static func exchange(_ a: String, _ b: String) -> Bool {
        #if canImport(Glibc)
            guard let renameat2 else { return false }
            return renameat2(AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */) == 0
        #elseif canImport(Darwin)
            return renamex_np(a, b, UInt32(RENAME_SWAP)) == 0
        #else
            return false
        #endif
    }
}
