import Foundation

/// Writes outputs so that a reader never sees a half-written file: the content goes to a
/// temporary file in the destination folder, flushed to the disk, then a rename puts it in
/// place. Temporary files of writers that died (kill -9) are removed by the next write of the
/// same file.
package enum AtomicFile {
    /// A temporary path beside `destination`, in the same folder (so rename is atomic).
    package static func temporaryPath(for destination: URL) -> URL {
        destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    }

    /// A name `temporaryPath` gives (libzip adds its own suffix to it): litter when its writer is gone.
    package static func isTemporaryName(_ name: String) -> Bool {
        name.hasPrefix(".") && name.wholeMatch(of: /\..+\.tmp-[0-9]+-[0-9]+(\..*)?/) != nil
    }

    /// Moves `temporary` onto `destination`, replacing it.
    package static func commit(_ temporary: URL, to destination: URL) throws {
        if rename(temporary.path, destination.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw FileSystemError(path: destination.path, action: "move the finished file into place", code: code)
        }
    }

    package static func write(_ data: Data, to destination: URL) throws {
        try FileSystem.makeFolders(destination.deletingLastPathComponent().path)
        removeLitter(of: destination)
        let tmp = temporaryPath(for: destination)
        do {
            try FileSystem.write(data, to: tmp.path)
        } catch var e as FileSystemError {
            try? FileManager.default.removeItem(at: tmp)
            e.path = destination.path
            throw e
        }
        try commit(tmp, to: destination)
    }

    /// Removes `.<name>.tmp-<pid>-*` beside `destination` whose process is no longer running.
    static func removeLitter(of destination: URL) {
        let folder = destination.deletingLastPathComponent()
        let prefix = ".\(destination.lastPathComponent).tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            let pid = Int32(name.dropFirst(prefix.count).prefix { $0.isNumber }) ?? 0
            if pid > 0, kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
            }
        }
    }
}
