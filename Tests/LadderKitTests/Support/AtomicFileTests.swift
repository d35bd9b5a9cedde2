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

    @Test func aFailedWriteSaysWhatToDo() throws {
        #expect(throws: FileSystemError(path: "/proc/ladder-nope", action: "create the folder", code: ENOENT)) {
            try AtomicFile.write(Data(), to: URL(fileURLWithPath: "/proc/ladder-nope/out.csv"))
        }
        #expect(
            FileSystemError(path: "/x/out.csv", action: "write the file", code: ENOSPC).description
                == "/x/out.csv: cannot write the file: the disk is full; free some space or choose a folder on another disk")
    }
}
