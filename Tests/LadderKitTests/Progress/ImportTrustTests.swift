import Foundation
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// What an import refuses to store, and files it reads despite damage (issue 11, point 10;
/// issue 10, points 6 and 10).
@Suite("Progress import: untrusted rows and damaged files")
struct ImportTrustTests {
    @Test func untrustedRowsAreRefusedAtTheirLineAndTheRestLands() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let path = ProgressFixtures.path("csv/untrusted-rows.csv")
        let sum = try s.importFiles([path], options: ImportOptions(source: .csv, plan: ProgressFixtures.plan))
        #expect(sum.issues.map { "\($0.line) \($0.field ?? "-")" }
            == ["3 status", "4 score", "5 score", "6 learner", "7 learner", "8 learner", "10 -", "11 -"])
        let m = sum.issues.map(\.message)
        #expect(m[0] == "missing: every row needs a status")
        #expect(m[1] == "a score of 1000 above 100")
        #expect(m[2] == "a score of 12 above the row's maximum 10")
        #expect(m[3] == "holds a control character or line break (U+001B)")
        #expect(m[4] == "longer than 256 characters")
        #expect(m[5] == "holds a control character or line break (U+000A)")
        #expect(m[6] == "this row has 7 fields, the header 8")
        #expect(m[7] == "a quoted field opened on this line is never closed (or is longer than 64 KiB); reading on from line 12")
        // Lines 2 and 12 land: the row after the unbalanced quote is not swallowed.
        #expect(try count(s, "SELECT COUNT(*) FROM attempts") == 2)
        #expect(try count(s, "SELECT COUNT(*) FROM attempts WHERE learner_id = 'ivo@example.com' AND item_id = 'resolve-routine-inquiries.module'") == 1)
        #expect(try count(s, "SELECT COUNT(*) FROM learners WHERE length(id) > 256 OR id GLOB '*[' || char(10) || char(27) || ']*'") == 0)
        #expect(sum.imported == 2 && sum.rejected == 8)
    }

    @Test func aFieldOver64KiBIsRefusedAndReadingGoesOn() throws {
        let big = String(repeating: "y", count: 70_000)
        let path = try temporaryFile("learner,item,status,observer\na@x.org,inform-customers.shadowing,completed,\(big)\nb@x.org,inform-customers.module,completed,\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let s = try freshStore()
        defer { removeStore(s) }
        let sum = try s.importFiles([path], options: ImportOptions(source: .csv, plan: ProgressFixtures.plan))
        #expect(sum.issues.map(\.description) == ["\(path):2: error: field 4 is longer than 64 KiB; the record is skipped"])
        #expect(try count(s, "SELECT COUNT(*) FROM attempts") == 1)
    }

    @Test func aFileThatChangesEncodingHalfwayIsRefusedRowByRowNotReplaced() throws {
        // UTF-8 "Zoë" first, then a Windows-1252 "é" (0xE9): that row is refused; good names stay.
        var bytes = Array("learner,name,item,status\nz@x.org,Zoë,inform-customers.module,completed\n".utf8)
        bytes += Array("j@x.org,Jos".utf8) + [0xE9] + Array(",inform-customers.module,completed\n".utf8)
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let s = try freshStore()
        defer { removeStore(s) }
        let sum = try s.importFiles([path], options: ImportOptions(source: .csv, plan: ProgressFixtures.plan))
        #expect(sum.issues.map(\.line) == [3])
        #expect(sum.issues.first?.message.contains("not valid UTF-8") == true)
        #expect(try count(s, "SELECT COUNT(*) FROM learners WHERE name LIKE '%' || char(65533) || '%'") == 0)
        #expect(try count(s, "SELECT COUNT(*) FROM learners WHERE name = 'Zoë'") == 1)
    }

    @Test func summaryWordsSayWhatLanded() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        let bad = try s.importFiles([ProgressFixtures.path("talentlms/bad-rows.csv")],
                                    options: ImportOptions(source: .talentlms, plan: ProgressFixtures.plan))
        #expect(bad.imported > 0 && bad.rejected == 5)
        let none = try temporaryFile("learner,item,status\na@x.org,nothing.module,completed\n")
        defer { try? FileManager.default.removeItem(atPath: none) }
        let nothing = try s.importFiles([none], options: ImportOptions(source: .csv, plan: ProgressFixtures.plan))
        #expect(nothing.imported == 0 && nothing.rejected == 1)
    }

    private func temporaryFile(_ text: String) throws -> String { try temporaryFile(Array(text.utf8)) }

    private func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let p = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-trust-\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }
}
