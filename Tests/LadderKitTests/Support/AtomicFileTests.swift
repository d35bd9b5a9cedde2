import Foundation
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

struct AtomicFileTests {
    /// A writer killed between its temporary file and its rename leaves `.name.tmp-<pid>-<n>`;
    /// the next write of the same file removes it, but never a live writer's.
    @Test func theNextWriteRemovesTemporaryFilesOfDeadWriters() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let stale = dir.appendingPathComponent(".gaps.csv.tmp-\(dead.processIdentifier)-7")
        let live = dir.appendingPathComponent(".gaps.csv.tmp-\(getpid())-8")
        try Data("half".utf8).write(to: stale)
        try Data("busy".utf8).write(to: live)
        #expect(AtomicFile.isTemporaryName(stale.lastPathComponent) && AtomicFile.isTemporaryName(".x.zip.tmp-1-2.AbC123"))
        #expect(!AtomicFile.isTemporaryName("gaps.csv") && !AtomicFile.isTemporaryName(".tmp-1-2"))
        try AtomicFile.write(Data("done".utf8), to: dir.appendingPathComponent("gaps.csv"))
        #expect(try Data(contentsOf: dir.appendingPathComponent("gaps.csv")) == Data("done".utf8))
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(FileManager.default.fileExists(atPath: live.path))
    }

    @Test func anAtomicFileReplacesTheFileOnlyWhenCommitted() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("gaps.csv")
        try "old\n".write(to: target, atomically: true, encoding: .utf8)

        let dropped = try AtomicFile(target)
        try dropped.write(Data("half".utf8))
        dropped.discard()
        #expect(try String(contentsOf: target, encoding: .utf8) == "old\n")

        let kept = try AtomicFile(target)
        let sink = GapsSink(descriptor: kept.descriptor, name: kept.destination.path)
        try sink.write("new\n")
        try sink.flush()
        #expect(try String(contentsOf: target, encoding: .utf8) == "old\n", "nothing shows before the commit")
        try kept.commit()
        #expect(try String(contentsOf: target, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["gaps.csv"], "no temporary file is left")

        let missing = dir.appendingPathComponent("missing/gaps.csv")
        #expect(throws: FileSystemError(path: missing.path, action: "write the file", code: ENOENT)) { try AtomicFile(missing) }
        #expect(
            FileSystemError(path: missing.path, action: "write the file", code: ENOENT).description
                == "\(missing.path): cannot write the file: the folder \(dir.path)/missing does not exist; create it first")
    }

    /// A target the system refuses, and a disk that is full: the path, and the errno in words.
    @Test func aRefusedOrFullTargetIsSaidWithThePathAndTheErrno() throws {
        // /sys is never writable by a process, root included.
        let refused = URL(fileURLWithPath: "/sys/ladder-\(UUID().uuidString).csv")
        var thrown: (any Error)?
        do { _ = try AtomicFile(refused) } catch { thrown = error }
        let error = try #require(thrown as? FileSystemError)
        #expect(error.path == refused.path && error.action == "write the file")
        #expect([EACCES, EROFS, EPERM].contains(error.code), "\(error)")
        #expect(error.description.hasPrefix("\(refused.path): cannot write the file: "))
        #expect((error.underlying as? POSIXError)?.code.rawValue == error.code)
        #expect(!FileManager.default.fileExists(atPath: refused.path))

        // The write loop AtomicFile.write uses, on /dev/full (every write fails with ENOSPC).
        let fd = open("/dev/full", O_WRONLY)
        try #require(fd >= 0, "no /dev/full")
        defer { close(fd) }
        #expect(throws: FileSystemError(path: "/x/gaps.csv", action: "write the file", code: ENOSPC)) {
            try FileSystem.writeAll(Data("x".utf8), to: fd, path: "/x/gaps.csv", action: "write the file")
        }
        // A streamed gaps report's writer thread meets the same error and hands it back.
        let sink = GapsSink(descriptor: fd, name: "/x/gaps.csv")
        try sink.write("x\n")
        #expect(throws: FileSystemError(path: "/x/gaps.csv", action: "write the file", code: ENOSPC)) { try sink.flush() }
    }

    @Test func aFailedWriteSaysWhatToDo() throws {
        #expect(throws: FileSystemError(path: "/proc/ladder-nope", action: "create the folder", code: ENOENT)) {
            try AtomicFile.write(Data(), to: URL(fileURLWithPath: "/proc/ladder-nope/out.csv"))
        }
        #expect(
            FileSystemError(path: "/x/out.csv", action: "write the file", code: ENOSPC).description
                == "/x/out.csv: cannot write the file: the disk is full; free some space or choose a folder on another disk")
    }
}
