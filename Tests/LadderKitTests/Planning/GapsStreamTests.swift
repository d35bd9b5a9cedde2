import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// `ladder gaps` writes every format as it reads the cohort: the streamed output is the same,
/// byte for byte, as the report rendered whole (and as the snapshot files recorded before the
/// output was streamed); outputs never replace an input and are written atomically.
@Suite("Gaps: streamed output")
struct GapsStreamTests {
    static func stream(_ path: String = GapsTests.cohort) throws -> GapStream {
        let (c, plan) = try GapsTests.sample()
        let cohort = CohortFile(path: path, curriculum: c)
        var count = 0
        let diags = cohort.forEach { _ in count += 1 }
        #expect(!diags.hasErrors, "\(diags.sorted)")
        return GapStream(cohort: cohort, count: count, curriculum: c, plan: plan)
    }

    static func written(_ write: (GapsSink) throws -> Void) rethrows -> String { try GapsSink.string(write) }

    /// Compares with the snapshot file (Tests/LadderKitTests/__Snapshots__/GapsStreamTests/);
    /// `LADDER_RECORD_SNAPSHOTS=1` rewrites it and fails the test.
    static func expectGolden(_ text: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        Snapshot.expect(text, named: name, sourceLocation: sourceLocation)
    }

    @Test func everyStreamedFormatMatchesTheGoldenFiles() throws {
        let s = try Self.stream()
        try Self.expectGolden(try Self.written { try GapsText.write(s, to: $0) }, "gaps.text")
        try Self.expectGolden(try Self.written { try GapsCSV.write(s, to: $0) }, "gaps.csv")
        try Self.expectGolden(try Self.written { try GapsJSON.write(s, to: $0) } + "\n", "gaps.json")
        try Self.expectGolden(try Self.written { try GapsHTML.write(s, to: $0) }, "gaps.html")
    }

    @Test func streamedJSONIsTheWholeReportEncodedAtOnce() throws {
        let (c, plan, r) = try GapsTests.report()
        #expect(try Self.written { try GapsJSON.write(Self.stream(), to: $0) } == GapsJSON.encode(r))
        // No learner with a gap: an empty tracks list is laid out as the encoder lays it out.
        let none = LearnerProfileLoader.parse(
            text: "learner_id,name,current_level,target_level\nzed,Zed,P5,P5\n", format: .csv, displayPath: "z.csv", curriculum: c)
        let empty = GapAnalyzer.analyze(c, plan: plan, learners: none.profiles)
        #expect(empty.tracks.isEmpty)
        let streamed = try Self.written { try GapsJSON.write(GapStream(profiles: none.profiles, curriculum: c, plan: plan), to: $0) }
        #expect(streamed == (try GapsJSON.encode(empty)))
        #expect(streamed.contains("\"tracks\" : [\n\n  ]"))
    }

    @Test func theHandWrittenLearnerJSONIsTheEncodersLayout() throws {
        let (_, _, r) = try GapsTests.report()
        for l in r.learners { #expect(GapsJSON.learnerJSON(l) == GapsJSON.indented(try GapsJSON.encode(l))) }
        var odd = try #require(r.learner("dana"))
        odd.name = "Quote \" back \\ slash / line\nbreak\ttab\u{08}\u{0C}\u{1F} é 日本"
        odd.track = nil
        odd.items = []
        odd.decisions = []
        #expect(GapsJSON.learnerJSON(odd) == GapsJSON.indented(try GapsJSON.encode(odd)))
        // Tracks are written by hand too: with and without `from`, with no items, with escapes.
        var tracks = r.tracks
        tracks.append(Track(id: "promotion-P1-P2", kind: .promotion, title: "Quote \" tab\t", level: "P2", from: "P1", items: [], minutes: 0))
        for t in tracks {
            #expect(GapsBuffer.string { GapsJSON.write(t, to: &$0) } == GapsJSON.indented(try GapsJSON.encode(value: t)))
        }
    }

    @Test func aStreamFromAFileAndOneFromTheReportGiveTheSameText() throws {
        let (c, _, r) = try GapsTests.report()
        let s = try Self.stream()
        #expect(try Self.written { try GapsText.write(s, to: $0) } == GapsText.render(r, curriculum: c))
        #expect(try Self.written { try GapsHTML.write(s, to: $0) } == GapsHTML.render(r, curriculum: c))
        #expect(try Self.written { try GapsCSV.write(s, to: $0) } == GapsCSV.render(r, curriculum: c))
    }

    @Test func explainFindsOneLearnerWithTheCohortsTracks() throws {
        let (c, plan, r) = try GapsTests.report()
        let (found, partial) = try Self.stream().learner("eli")
        let eli = try #require(found)
        #expect(eli == r.learner("eli"))
        #expect(partial.tracks == r.tracks)
        #expect(GapsText.explain(eli, report: partial, plan: plan, curriculum: c) == GapsText.explain(eli, report: r, plan: plan, curriculum: c))
        #expect(try Self.stream().learner("nobody").learner == nil)
    }

    @Test func cellsAreTrimmedAsFoundationTrimsThem() {
        for cell in ["", " ", "apply", " apply", "apply\t", "\u{A0}apply", "apply\u{3000}", "é", " é ", "a b", "\t\u{2003}x\u{A0} "] {
            #expect(LearnerProfileLoader.trimmed(cell) == cell.trimmingCharacters(in: .whitespaces), "\(cell.debugDescription)")
        }
    }

    @Test func aCohortFileIsReadOneRecordAtATime() throws {
        var diags = Diagnostics()
        var reader = CohortCSVReader("a,b\r\n\"x\ny\",2\n\n\"open", path: "t.csv")
        #expect(reader.next(into: &diags)?.fields.map(\.text) == ["a", "b"])
        let second = reader.next(into: &diags)
        #expect(second?.fields.map(\.text) == ["x\ny", "2"])
        #expect(second?.fields[1].line == 3 && second?.fields[1].column == 4)
        #expect(diags.all.isEmpty)
        #expect(reader.next(into: &diags) == nil)
        #expect(diags.all.map(\.line) == [5], "the unclosed quote is reported at its line")
    }
}
