import Foundation
import TestSupport
import Testing

@testable import LadderPackaging

#if canImport(Glibc)
    import Glibc
#endif

/// Names of folder entries as `readdir` gives them (`FolderListing.name(of:)`).
struct FolderListingTests {
    /// An entry whose name ends just before unreadable memory, as the last entry of readdir's
    /// buffer can: reading the whole 256-byte `d_name` field (what a copy of it does) crashed
    /// the no-op check about one run in ten.
    @Test func aNameIsReadUpToItsEndOnlyEvenAtTheEdgeOfReadableMemory() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard let region = mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), region != MAP_FAILED else {
            Issue.record("mmap failed: errno \(errno)")
            return
        }
        defer { munmap(region, 2 * page) }
        #expect(mprotect(region + page, page, PROT_NONE) == 0)
        let name = "r00001"
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        // The entry starts so that its name and terminating zero are the page's last bytes.
        let start = region + page - (offset + name.utf8.count + 1)
        let bytes = start.bindMemory(to: UInt8.self, capacity: offset + name.utf8.count + 1)
        for (i, b) in name.utf8.enumerated() { bytes[offset + i] = b }
        bytes[offset + name.utf8.count] = 0
        let entry = start.assumingMemoryBound(to: dirent.self)
        #expect(FolderListing.name(of: entry) == name)
    }

    /// Names of a real folder, unusual bytes included, come back as they were written.
    @Test func theEntriesOfAFolderAreItsNamesInOrder() throws {
        let folder = try TestSupport.temporaryFolder("ladder-listing")
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = ["b", "a long name of more than thirty-two bytes.md", "é accent", String(repeating: "x", count: 255)]
        for n in names { try Data().write(to: folder.appendingPathComponent(n)) }
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        let listed = try FolderListing.entries(fd, path: folder.path)
        #expect(listed.map(\.name) == names.sorted())
        #expect(listed.allSatisfy { $0.kind == .file })
    }
}
