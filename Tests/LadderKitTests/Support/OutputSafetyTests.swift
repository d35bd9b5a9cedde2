import Foundation
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// No command writes over one of its inputs, however the output is named.
struct OutputSafetyTests {
    static func temporaryFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-output-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The relation found between `output` and the inputs, or nil when the output is allowed.
    static func overlap(_ output: String, _ inputs: [String], replacesFolder: Bool = false) -> OutputSafety.Overlap? {
        do {
            try OutputSafety.refuseOverwriting(
                output: output, role: "the report", replacesFolder: replacesFolder, inputs: inputs.map { .init(path: $0, role: "the input") })
            return nil
        } catch {
            return error as? OutputSafety.Overlap
        }
    }

    @Test func anOutputThatIsAnInputIsFoundHoweverItIsNamed() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("cohort.csv")
        try "x\n".write(to: input, atomically: true, encoding: .utf8)
        let fm = FileManager.default
        try fm.createSymbolicLink(at: dir.appendingPathComponent("link.csv"), withDestinationURL: input)
        #expect(link(input.path, dir.appendingPathComponent("hard.csv").path) == 0)
        try fm.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)

        #expect(Self.overlap(input.path, [input.path])?.relation == .same)
        #expect(Self.overlap(dir.path + "/sub/../cohort.csv", ["x.csv", input.path])?.input.path == input.path)
        #expect(Self.overlap(dir.appendingPathComponent("link.csv").path, [input.path])?.relation == .same)
        #expect(Self.overlap(dir.appendingPathComponent("hard.csv").path, [input.path])?.relation == .same)
        #expect(Self.overlap(dir.appendingPathComponent("report.csv").path, [input.path]) == nil)
        // A folder input covers the files already in it, not new ones.
        let inside = try #require(Self.overlap(input.path, [dir.path]))
        #expect(inside.relation == .inside)
        #expect(
            inside.description
                == "\(input.path): refusing to write the report there: it is inside the input '\(dir.path)', which this command reads; choose another output path")
        #expect(Self.overlap(dir.appendingPathComponent("new.html").path, [dir.path]) == nil)
        // A folder replaced as a whole may not hold an input; a file may sit beside inputs.
        #expect(Self.overlap(dir.path, [input.path], replacesFolder: true)?.relation == .holds)
        #expect(Self.overlap(dir.path, [input.path]) == nil)
        #expect(inside.category == .input && inside.path == input.path)
    }
}
