import Foundation
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// Sniffing an import file's first bytes: a read that fails is said, not taken for an empty
/// text file.
struct RecordSourceTests {
    @Test func aHeaderThatCannotBeReadIsAnErrorNotAnEmptyFile() throws {
        // A folder opens, and its read fails with EISDIR: the failure a sniff used to swallow.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-sniff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: DelimitedFileError(path: folder.path, line: 0, message: "cannot read the file: \(String(cString: strerror(EISDIR)))")) {
            _ = try openRecordSource(folder.path)
        }
        let empty = folder.appendingPathComponent("empty.csv")
        try Data().write(to: empty)
        #expect(try ImportFileKind.sniff(empty.path) == .text, "an empty file is still text")
    }
}
