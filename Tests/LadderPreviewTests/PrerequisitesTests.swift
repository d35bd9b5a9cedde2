import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress
@testable import LadderPreview

/// `adlcp:prerequisites` (aicc_script) as the player evaluates them: operators, comparisons,
/// `N*{…}` sets, the reason the player shows, and scripts that do not parse.
struct PrerequisitesTests {
    /// A passed, B incomplete, C completed, D failed, E never launched.
    static let status = ["A": "passed", "B": "incomplete", "C": "completed", "D": "failed"]

    func eval(_ script: String) -> Prerequisites.Outcome {
        Prerequisites.evaluate(script) { Self.status[$0] ?? "not attempted" }
    }

    func reason(_ script: String) -> String { eval(script).reason() }

    @Test(arguments: [
        "", "   ", "A", "A & C", "A | B", "~B", "B = \"incomplete\"", "B = incomplete", "B = \"I\"", "E = not attempted",
        "E = \"n\"", "D <> passed", "~(B | D) & A",
        // Sets: at least N members true.
        "2*{A,B,C}", "1*{B,C}", "2 * { A , C }", "3*{A, C, B = \"incomplete\"}", "A & 2*{A,C,E}", "(1*{B,D}) | A",
        "~1*{B,D}", "1*{2*{A,C},B}", "2*{A & C, (B | C), E}", "1*{E,D} | 2*{A,C}",
    ])
    func met(_ script: String) {
        #expect(eval(script) == .met, "\(script)")
    }

    @Test(arguments: [
        ("A & B", "B"),
        ("B & B & A", "B"),
        ("(B | D) & A", "B or D"),
        ("B | D | E", "B or D or E"),
        ("B <> \"i\"", "B <> \"i\""),
        ("~A", "~A"),
        ("~(A & C)", "~(A & C)"),
        // A set that is short names only its members that are not yet true, and how many of them.
        ("3*{A,B,C}", "B"),
        ("2*{A,B,D,E}", "any 1 of B, D, E"),
        ("3*{B,D,E,A}", "any 2 of B, D, E"),
        ("2*{B,D}", "B, D"),
        ("A & B & 2*{C,D,E}", "B; any 1 of D, E"),
        ("2*{B, D = \"passed\", (C & E)}", "any 2 of B, D = \"passed\", C & E"),
        ("1*{2*{A,B},D}", "any 1 of 2*{A, B}, D"),
        ("~2*{A,C}", "~2*{A, C}"),
        ("E | 2*{B,D}", "E or 2*{B, D}"),
    ])
    func unmetSaysWhatIsStillMissing(_ script: String, _ expected: String) {
        guard case .unmet = eval(script) else {
            Issue.record("\(script) should be unmet, is \(eval(script))")
            return
        }
        #expect(reason(script) == expected, "\(script)")
    }

    @Test func theReasonNamesItemsAsThePlayerShowsThem() {
        let outcome = eval("A & B & 2*{C,D,E}")
        #expect(outcome == .unmet([.item("B"), .some(1, of: [.item("D"), .item("E")])]))
        #expect(outcome.reason(naming: { "“\($0.lowercased())”" }) == "“b”; any 1 of “d”, “e”")
        #expect(eval("(B | D) & A") == .unmet([.oneOf([.item("B"), .item("D")])]))
    }

    @Test(arguments: [
        ("{A,B}", "a set needs a count: write N*{…} (at least N of the set)"),
        ("A & {B}", "a set needs a count"),
        ("2*{A,B", "expected '}' to close the set, found the end"),
        ("2*{A B}", "expected '}' to close the set, found 'B'"),
        ("2*{}", "a set member is empty"),
        ("2*{A,,B}", "a set member is empty"),
        ("2*{A,B,}", "a set member is empty"),
        ("4*{A,B,C}", "'4*{…}' asks for 4 of a set of 3"),
        ("0*{A}", "'0*{…}' asks for 0 of a set of 1"),
        ("x*{A,B}", "the count in 'x*{…}' must be a whole number"),
        ("-1*{A}", "the count in '-1*{…}' must be a whole number"),
        ("2{A,B}", "expected '*' between 2 and '{'"),
        ("2*A", "expected '{' after '2*', found 'A'"),
        ("*{A}", "expected an item identifier, found '*'"),
        ("2*{A,B}}", "unexpected '}'"),
        ("A B", "unexpected 'B'"),
        ("A & (B", "expected ')' to close '(', found the end"),
        ("A &", "expected an item identifier, found the end"),
        ("A = \"done\"", "expected a lesson status"),
        ("A = \"passed", "a quoted status is not closed"),
        ("A < B", "'<' is only part of '<>'"),
    ])
    func malformedScriptsAreReportedNotGuessed(_ script: String, _ message: String) {
        guard case .unreadable(let why) = eval(script) else {
            Issue.record("\(script) should be unreadable, is \(eval(script))")
            return
        }
        #expect(why.hasPrefix("the prerequisites \"\(script)\" cannot be read: "), "\(why)")
        #expect(why.contains(message), "\(script): \(why)")
    }

    /// The preview parses an item's script once, when it reads the manifest: the parsed script
    /// names the items whose status the store is asked for, and evaluates as the text does.
    @Test func aScriptParsedOnceNamesWhatItReadsAndEvaluatesAsTheText() {
        #expect(Prerequisites.Script(" \n ") == .none)
        #expect(Prerequisites.Script(" A & 2*{B, C = passed, 1*{D, E}} ").identifiers == ["A", "B", "C", "D", "E"])
        #expect(Prerequisites.Script("A & (B").identifiers.isEmpty)
        for s in ["", "A & C", "A & B & 2*{C,D,E}", "(B | D) & A", "A & (B", "{A,B}"] {
            #expect(Prerequisites.evaluate(Prerequisites.Script(s)) { Self.status[$0] ?? "not attempted" } == eval(s), "\(s)")
        }
    }

    /// The player and `ladder validate` read the same language: what one accepts the other
    /// accepts, so a validated package never shows an unreadable prerequisite.
    @Test func agreesWithTheValidatorOnWhatParses() throws {
        let good = [
            "A", "A & C", "~(B | D) & A", "B = incomplete", "E = not attempted", "D <> \"p\"", "2*{A,B,C}", "1*{2*{A,C},B}",
            "2*{A & C, (B | C), E}", "A & 2*{B = \"i\", C, D}",
        ]
        let bad = ["{A,B}", "2*{A,B", "2*{}", "2*{A,,B}", "4*{A,B,C}", "0*{A}", "x*{A,B}", "2*A", "*{A}", "A = \"done\"", "A & (B", "A <"]
        for s in good {
            if case .unreadable(let why) = eval(s) { Issue.record("player: \(why)") }
            #expect(throws: Never.self, "validator: \(s)") { _ = try AICCScript.references(in: s) }
        }
        for s in bad {
            if case .unreadable = eval(s) {} else { Issue.record("player reads \(s)") }
            #expect(throws: AICCScript.ParseError.self, "validator: \(s)") { _ = try AICCScript.references(in: s) }
        }
        // The identifiers inside a set are references like any other.
        #expect(try AICCScript.references(in: "A & 2*{B, C = passed, 1*{D, E}}") == ["A", "B", "C", "D", "E"])
    }

    /// The sample's P2 opens only when every P1 assessment is passed (curriculum.yaml `gating`,
    /// default `assessments`): the script the build writes, as the player reads it.
    @Test func theSamplesSecondLevelOpensWhenEveryFirstLevelAssessmentIsPassed() throws {
        let (c, plan) = try TestSupport.loadSample()
        let (out, ledger) = try TestSupport.build(c, plan, tracks: ["onboarding-P2"], lms: .generic, mode: .track)
        defer { try? FileManager.default.removeItem(at: out) }
        let entry = try #require(ledger.packages.first)
        let zip = try ZipReader(path: out.appendingPathComponent(c.id).appendingPathComponent(entry.path).path)
        let manifest = try PackageManifest(data: try #require(try zip.read("imsmanifest.xml")))
        let items = manifest.organizations.flatMap(\.allItems).map(\.item)
        let firstP2 = try #require(plan.items.first { $0.level == "P2" && $0.kind == .module })
        let script = try #require(items.first { $0.identifier == ManifestWriter.itemIdentifier(firstP2.id) }?.prerequisites)
        let gate = plan.items.filter { $0.level == "P1" && $0.kind == .assessment }.map { ManifestWriter.itemIdentifier($0.id) }
        #expect(gate.count > 1)
        // Five P1 assessments do not fit SCORM 1.2's 200-character script: the package chains
        // them (each P1 assessment after the one before), and P2 opens on the last link.
        let required = firstP2.prerequisites.map(ManifestWriter.itemIdentifier)
        #expect(PrerequisiteScripts.length(firstP2.prerequisites) > PrerequisiteScripts.limit)
        #expect(script.count <= PrerequisiteScripts.limit)
        let scripts = Dictionary(items.compactMap { i in i.prerequisites.map { (i.identifier, $0) } }, uniquingKeysWith: { a, _ in a })
        // Every P1 assessment is still needed first: named in the script, or before one it names.
        var needed: Set<String> = []
        var stack = try AICCScript.references(in: script)
        while let next = stack.popLast() {
            guard needed.insert(next).inserted else { continue }
            stack += try scripts[next].map { try AICCScript.references(in: $0) } ?? []
        }
        #expect(Set(gate).isSubset(of: needed), "\(script)")
        // And the chain is real: an assessment the script leaves out stays closed while the one
        // before it is failed.
        for (before, next) in Swift.zip(gate, gate.dropFirst()) where !script.contains(before) {
            let s = try #require(scripts[next], "\(next) has no prerequisites")
            #expect(Prerequisites.evaluate(s) { $0 == before ? "failed" : "passed" } != .met, "\(next): \(s)")
        }
        #expect(Prerequisites.evaluate(script) { required.contains($0) ? "passed" : "not attempted" } == .met)
    }
}
