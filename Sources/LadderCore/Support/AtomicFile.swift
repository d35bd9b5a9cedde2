import Foundation

/// The one way Ladder writes an output file: the content goes to a temporary file beside the
/// destination, is flushed to the disk, and a rename puts it in place. A reader sees the old
/// file or the new one, never half of one; a run that fails or is killed leaves the old file
/// as it was (the temporary file is removed, or at worst left hidden, and removed by the next
/// write of the same file once its writer is gone). Check the destination with
/// `OutputSafety.refuseOverwriting` first. Every failure is a `FileSystemError` naming the
/// destination, with the `errno`.
public final class AtomicFile {
    public let destination: URL
    let temporary: URL
    /// The temporary file's descriptor (closed by `commit` or `discard`).
    package let descriptor: Int32
    /// Where to write the content; prefer `write(_:)`, whose failures say what happened.
    public let handle: FileHandle
    private var finished = false

    /// Opens the temporary file. The destination's folder must exist.
    public init(_ destination: URL) throws {
        self.destination = destination
        Self.removeLitter(of: destination)
        temporary = Self.temporaryPath(for: destination)
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        try FileSystemError.check(fd, destination.path, "write the file")
        descriptor = fd
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: false)
    }

    /// Appends `data`.
    public func write(_ data: Data) throws {
        try FileSystem.writeAll(data, to: descriptor, path: destination.path, action: "write the file")
    }

    /// Flushes the file to the disk and puts it in place.
    public func commit() throws {
        guard !finished else { return }
        finished = true
        let synced = fsync(descriptor) == 0 ? 0 : errno
        let closed = close(descriptor) == 0 ? 0 : errno
        if synced != 0 || closed != 0 {
            unlink(temporary.path)
            throw FileSystemError(path: destination.path, action: "write the file", code: synced != 0 ? synced : closed)
        }
        try Self.commit(temporary, to: destination)
    }

    /// Drops what was written; the destination stays as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        close(descriptor)
        unlink(temporary.path)
    }

    deinit { discard() }

    /// Writes `data` to `destination` in one go, creating its folder first.
    package static func write(_ data: Data, to destination: URL) throws {
        try FileSystem.makeFolders(destination.deletingLastPathComponent().path)
        let file = try AtomicFile(destination)
        try file.write(data)
        try file.commit()
    }

    /// Writes to `destination` in one go, creating its folder first, with the content handed
    /// over in pieces by `produce` (to its `sink`): a large text need not be held whole.
    package static func write(to destination: URL, _ produce: (_ sink: ([UInt8]) throws -> Void) throws -> Void) throws {
        try FileSystem.makeFolders(destination.deletingLastPathComponent().path)
        let file = try AtomicFile(destination)
        try produce { try FileSystem.writeAll($0, to: file.descriptor, path: destination.path, action: "write the file") }
        try file.commit()
    }

    /// A temporary path beside `destination`, in the same folder (so rename is atomic).
    package static func temporaryPath(for destination: URL) -> URL {
        destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    }

    /// A name `temporaryPath` gives (libzip adds its own suffix to it): litter when its writer is gone.
    package static func isTemporaryName(_ name: String) -> Bool {
        name.hasPrefix(".") && name.wholeMatch(of: /\..+\.tmp-[0-9]+-[0-9]+(\..*)?/) != nil
    }

    /// Moves `temporary` onto `destination`, replacing it; the temporary file is removed when that fails.
    package static func commit(_ temporary: URL, to destination: URL) throws {
        if rename(temporary.path, destination.path) != 0 {
            let code = errno
            unlink(temporary.path)
            throw FileSystemError(path: destination.path, action: "move the finished file into place", code: code)
        }
    }

    /// Removes `.<name>.tmp-<pid>-*` beside `destination` whose process is no longer running.
    /// Best effort: litter that cannot be listed or removed stays hidden, and the write goes on.
    package static func removeLitter(of destination: URL) {
        let folder = destination.deletingLastPathComponent()
        let prefix = ".\(destination.lastPathComponent).tmp-"
        // A folder that cannot be listed holds no litter this write could remove.
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            let pid = Int32(name.dropFirst(prefix.count).prefix { $0.isNumber }) ?? 0
            if pid > 0, kill(pid, 0) != 0, errno == ESRCH {
                unlink(folder.appendingPathComponent(name).path)
            }
        }
    }
}
