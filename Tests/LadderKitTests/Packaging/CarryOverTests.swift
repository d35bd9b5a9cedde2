import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderPackaging

/// What a build does not replace is carried into its staging folder (`ExportsPublication.carryOver`):
/// files as hard links, symbolic links as links, files the build wrote left alone, skipped and
/// temporary files left out, and folders left empty by them not made.
struct CarryOverTests {
    @Test func filesLinksAndFoldersAreCarriedOverAsBefore() throws {
        let out = try TestSupport.temporaryFolder("ladder-carry")
        defer { try? FileManager.default.removeItem(at: out) }
        let p = try ExportsPublication(outputFolder: out, curriculum: "c")
        let fm = FileManager.default
        func write(_ base: String, _ relative: String, _ text: String) throws {
            let url = URL(fileURLWithPath: base + "/" + relative)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try write(p.root, "ledger.json", "old ledger")
        try write(p.root, "t1/a.zip", "a")
        try write(p.root, "t1/b.zip", "old b")
        try write(p.root, "t2/retired.zip", "r")
        try write(p.root, "t1/.a.zip.tmp-12-34", "litter")
        try fm.createDirectory(atPath: p.root + "/empty", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: p.root + "/t1/link.zip", withDestinationPath: "a.zip")
        let staging = try p.begin()
        try write(staging.path, "t1/b.zip", "new b")

        let present = try p.carryOver(except: ["ledger.json", "t2/retired.zip"])
        #expect(present == ["t1/a.zip", "t1/b.zip", "t1/link.zip"])
        var a = stat()
        var b = stat()
        #expect(stat(p.root + "/t1/a.zip", &a) == 0 && stat(staging.path + "/t1/a.zip", &b) == 0 && a.st_ino == b.st_ino, "a hard link")
        #expect(try String(contentsOfFile: staging.path + "/t1/b.zip", encoding: .utf8) == "new b", "the build's file stays")
        #expect(try fm.destinationOfSymbolicLink(atPath: staging.path + "/t1/link.zip") == "a.zip")
        #expect(!fm.fileExists(atPath: staging.path + "/ledger.json"))
        #expect(!fm.fileExists(atPath: staging.path + "/t2"), "a folder of retired packages only is not carried over")
        #expect(!fm.fileExists(atPath: staging.path + "/t1/.a.zip.tmp-12-34"))
        #expect(fm.fileExists(atPath: staging.path + "/empty"), "an empty folder is")
        p.abandon()
    }
}
