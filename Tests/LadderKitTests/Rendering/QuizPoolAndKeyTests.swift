import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering

/// The sample's pooled assessment as the builder renders it: the draw and shuffle switches
/// reach the page, and the page carries the answer key and feedback only in sealed form.
@Suite struct QuizPoolAndKeyTests {
    static func config(_ html: String) throws -> [String: Any] {
        let start = try #require(html.range(of: "<script type=\"application/json\" id=\"ladder-sco\">"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        return try #require(try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
    }

    @Test func poolSwitchesReachThePage() throws {
        let (c, _) = try TestSupport.loadSample()
        let a = try #require(c.responsibility("inform-customers")?.assessment)
        #expect(a.draw == 5 && a.shuffle && a.questions.count == 10 && a.questionsPerAttempt == 5)
        #expect(a.minutes == 8, "1.5 minutes per question shown, not per question in the bank")
        let html = try SCOPageSnapshotTests.page("inform-customers.assessment")
        #expect(html.contains("<p class=\"ladder-intro\">5 questions, drawn from a bank of 10 for each try. You pass at 80%"))
        let cfg = try Self.config(html)
        #expect(cfg["draw"] as? Int == 5 && cfg["shuffle"] as? Bool == true)
        #expect((cfg["questions"] as? [Any])?.count == 10, "the whole bank is on the page; the runtime draws")
        // Two assessments of the sample use pools.
        #expect(c.responsibilities.compactMap(\.assessment).filter { $0.draw != nil }.count >= 2)
    }

    @Test func noPlainKeyInThePage() throws {
        let (c, _) = try TestSupport.loadSample()
        let a = try #require(c.responsibility("inform-customers")?.assessment)
        let html = try SCOPageSnapshotTests.page("inform-customers.assessment")
        let cfg = try Self.config(html)
        let key = AnswerKey(curriculum: c.id, item: "inform-customers.assessment")
        #expect(cfg["salt"] as? String == key.salt)
        let questions = try #require(cfg["questions"] as? [[String: Any]])
        for (q, page) in zip(a.questions, questions) {
            #expect(page["correct"] == nil, "no plain list of correct options")
            let letters = try #require(page["options"] as? [String])
            let markers = try #require(page["key"] as? [String])
            let sealed = try #require(page["feedback"] as? [String])
            #expect(markers.count == q.options.count && sealed.count == q.options.count)
            for (i, o) in q.options.enumerated() {
                // Every option has a marker of one shape; only the option's own hash tells.
                #expect(markers[i].range(of: "^[0-9a-f]{16}$", options: .regularExpression) != nil)
                #expect(markers[i] == key.marker(question: q.id, letter: letters[i], correct: o.correct))
                #expect(markers[i] != key.marker(question: q.id, letter: letters[i], correct: !o.correct))
                // No feedback text anywhere in the page, yet the runtime can open it.
                #expect(!html.contains(HTML.escape(o.feedback)), "feedback of \(q.id) \(letters[i]) is in the page")
                #expect(key.openFeedback(sealed[i], question: q.id, letter: letters[i]) == o.feedback)
            }
        }
        // Another assessment hashes with another salt.
        #expect(AnswerKey(curriculum: c.id, item: "confirm-resolution.assessment").salt != key.salt)
    }

    @Test func worstSuspendDataCoversPools() {
        // {"v":1,"q":[8,7],"r":["abcd","abc"],"a":["abcd","abc"],"t":9999} is 58 characters.
        let worst = SCORenderer.worstQuizSuspendData(optionCounts: [3, 4, 2, 3, 3, 2, 3, 3, 3], draw: 2, shuffle: true)
        #expect(worst >= #"{"v":1,"q":[8,7],"r":["abcd","abc"],"a":["abcd","abc"],"t":9999}"#.count)
        #expect(SCORenderer.worstQuizSuspendData(optionCounts: [3, 4], draw: nil, shuffle: false) == #"{"v":1,"a":[],"t":99999}"#.count + 6 + 7)
    }
}
