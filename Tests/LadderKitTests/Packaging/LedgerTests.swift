import Foundation
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// `ledger.json` lists the packages of every track built into an exports folder. A build of
/// some tracks keeps the others' entries, so a ledger it cannot read must stop it: replacing
/// it would silently drop those entries.
struct LedgerTests {
    static func request(_ plan: Plan, _ tracks: [String], out: URL) -> BuildRequest {
        BuildRequest(tracks: plan.tracks.filter { tracks.contains($0.id) }, lms: .generic, mode: .track, outputFolder: out, schemasFolder: nil, jobs: 2)
    }

    @Test(arguments: [
        ("{\"curriculum\" : \"customer-service\", \"format\" : 1, \"packages\" : [", "it is not valid JSON"),
        ("{\"curriculum\" : \"customer-service\", \"format\" : 1, \"packages\" : [{\"path\" : \"x.zip\"}]}", "'packages[0].sha256' is missing"),
        ("{\"curriculum\" : \"customer-service\", \"format\" : 1, \"packages\" : 3}", "'packages' has a value of the wrong type"),
    ])
    func aCorruptLedgerStopsTheBuildAndIsKept(ledgerText: String, reason: String) throws {
        let (c, plan) = try BuildTests.loadSample()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-ledger-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let builder = PackageBuilder(curriculum: c, plan: plan)
        let first = try builder.build(Self.request(plan, ["onboarding-P1", "onboarding-P2"], out: out))
        #expect(first.packages.map(\.track) == ["onboarding-P1", "onboarding-P2"])

        let root = out.appendingPathComponent("customer-service")
        let ledger = root.appendingPathComponent("ledger.json")
        try Data(ledgerText.utf8).write(to: ledger)
        let zipsBefore = try FileManager.default.subpathsOfDirectory(atPath: root.path).sorted()

        var thrown: (any Error)?
        do { _ = try builder.build(Self.request(plan, ["onboarding-P1"], out: out)) } catch { thrown = error }
        let error = try #require(thrown as? PackagingError, "a corrupt ledger is an error, not a fresh ledger: \(String(describing: thrown))")
        #expect(error.category == .input)
        #expect(error.underlying is DecodingError)
        let real = try #require(realpath(ledger.path, nil).map { p in defer { free(p) }; return String(cString: p) })
        #expect(
            error.description
                == "\(real): cannot read the ledger of earlier builds: \(reason). It lists the packages of every track built into this folder, "
                + "so Ladder does not replace it: restore it, or move it away and build every track again")
        #expect(try String(contentsOf: ledger, encoding: .utf8) == ledgerText, "the ledger is untouched")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: root.path).sorted() == zipsBefore, "both tracks' packages are still there")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".customer-service.building").path))
    }

    @Test func aLedgerThatCannotBeReadIsAFileSystemErrorNotAnAbsentLedger() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("ledger.json"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try PackageBuilder.readLedger(dir.appendingPathComponent("absent.json").path) == nil)
        let path = dir.appendingPathComponent("ledger.json").path
        #expect(throws: FileSystemError(path: path, action: "read the ledger of earlier builds", code: EISDIR)) {
            try PackageBuilder.readLedger(path)
        }
    }

    /// The ledger is written by hand; its bytes are `JSONEncoder`'s, whatever the entries hold.
    @Test func theLedgerIsWrittenAsJSONEncoderWritesIt() throws {
        let odd = "quote \" backslash \\ slash / newline \n tab \t bell \u{7} backspace \u{8} form feed \u{C} é </script> \u{2028}"
        func entry(_ n: Int) -> LedgerEntry {
            LedgerEntry(
                path: n == 1 ? odd : "track-\(n)/p\(n).zip", sha256: String(repeating: "a", count: 64), size: n * 1000, standard: "SCORM 1.2",
                lms: [.generic, .moodle, .talentlms][n % 3], package: n % 2 == 0 ? .track : .module, track: n == 2 ? odd : "t\(n)",
                items: n == 3 ? [] : (0...n).map { "item-\($0)" }, sourceDigest: "d\(n)",
                learners: [nil, [], ["amara"], ["b", odd]][n % 4], schemasValidated: [nil, true, false][n % 3],
                ladderVersion: n % 5 == 4 ? nil : "0.1.0")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        for ledger in [Ledger(curriculum: "c", packages: []), Ledger(curriculum: odd, packages: (0..<12).map(entry))] {
            let mine = try PackageBuilder.encode(ledger)
            #expect(String(decoding: mine, as: UTF8.self) == String(decoding: try encoder.encode(ledger), as: UTF8.self))
            #expect(try JSONDecoder().decode(Ledger.self, from: mine) == ledger)
        }
    }
}
