import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The advisory lock that makes imports into one store run one after the other: an exclusive
/// `flock` on `<store>-import.lock`, held for the whole import. The holder writes who it is
/// into the file, so a second import can say whom it waits for. The kernel releases the lock
/// when the holder exits, however it exits, so a killed import never leaves the store locked.
package final class ImportLock {
    let path: String
    private let fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Takes the lock for the store at `store`; when another import holds it, calls `waiting`
    /// once with a sentence naming the holder, then waits for it.
    static func acquire(store: String, files: [String], waiting: (String) -> Void) throws -> ImportLock {
        let path = store + "-import.lock"
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            if fd < 0 { throw failure(store, path, "open", errno) }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK else {
                    let code = errno
                    close(fd)
                    throw failure(store, path, "lock", code)
                }
                waiting("another import is writing the progress store (\(holder(fd))); this import goes on when that one ends")
                while flock(fd, LOCK_EX) != 0 {
                    guard errno == EINTR else {
                        let code = errno
                        close(fd)
                        throw failure(store, path, "lock", code)
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
            let me = "pid \(getpid()), started \(ISO8601DateFormatter().string(from: Date())), importing \(files.joined(separator: ", "))"
            let bytes = Array(me.utf8)
            _ = ftruncate(fd, 0)
            _ = pwrite(fd, bytes, bytes.count, 0)
            return ImportLock(path: path, fd: fd)
        }
    }

    private static func failure(_ store: String, _ path: String, _ action: String, _ code: Int32) -> ProgressStoreError {
        ProgressStoreError(
            path: store, problem: .importLock(action: action, lock: path, code: code),
            underlying: POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO))
    }

    /// Who the lock file names, or that it names nobody yet.
    private static func holder(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return "holder not known yet" }
        return String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit {
        _ = ftruncate(fd, 0)
        close(fd)
    }
}
