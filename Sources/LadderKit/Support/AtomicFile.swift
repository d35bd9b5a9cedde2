import Foundation

/// Writes outputs so that a reader never sees a half-written file: the content goes to a
/// temporary file in the destination folder, then a rename puts it in place.
enum AtomicFile {
    /// A temporary path beside `destination`, in the same folder (so rename is atomic).
    static func temporaryPath(for destination: URL) -> URL {
        destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
    }

    /// Moves `temporary` onto `destination`, replacing it.
    static func commit(_ temporary: URL, to destination: URL) throws {
        if rename(temporary.path, destination.path) != 0 {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw PackagingError.io(path: destination.path, message: "cannot move the finished file into place: \(message)")
        }
    }

    static func write(_ data: Data, to destination: URL) throws {
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let tmp = temporaryPath(for: destination)
        do {
            try data.write(to: tmp)
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw PackagingError.io(path: destination.path, message: "cannot write: \(error.localizedDescription)")
        }
        try commit(tmp, to: destination)
    }
}
