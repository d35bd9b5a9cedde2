import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderPackaging

/// GIFT, Aiken and Moodle XML question files: fixtures in the shapes Moodle's own importers
/// take (question/format/* in Moodle's source), what Ladder cannot carry reported by line,
/// and a lossless round trip of every assessment in the sample.
@Suite struct QuestionInterchangeTests {
    static let fixtures = TestSupport.repoRoot.appendingPathComponent("Tests/LadderKitTests/Fixtures/questions")

    static func fixture(_ name: String) throws -> (path: String, text: String) {
        let url = fixtures.appendingPathComponent(name)
        return (url.path, try String(contentsOf: url, encoding: .utf8))
    }

    /// The 1-based line of the first line containing `needle`.
    static func line(_ needle: String, in text: String) -> Int {
        (text.components(separatedBy: "\n").firstIndex { $0.contains(needle) } ?? -1) + 1
    }

    static func fingerprint(_ q: Question) -> String {
        ([q.id, q.kind.rawValue, q.prompt, q.scenario ?? "-", q.skills.joined(separator: ",")]
            + q.options.map { "\($0.correct ? "+" : "-")\($0.text)|\($0.feedback)" }).joined(separator: "\u{1}")
    }

    static func fingerprint(_ b: QuestionBank) -> [String] {
        ["\(b.title)|\(b.masteryScore)|\(b.minutes ?? -1)|\(b.draw ?? -1)|\(b.shuffle)"] + b.questions.map(fingerprint)
    }

    func has(_ diags: Diagnostics, line: Int, _ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let found = diags.all.contains { $0.line == line && $0.message.contains(text) }
        #expect(found, "no diagnostic at line \(line) containing '\(text)'; got:\n\(diags.sorted.map(\.description).joined(separator: "\n"))", sourceLocation: sourceLocation)
    }

    @Test func giftMoodleShapes() throws {
        let (path, text) = try Self.fixture("moodle-shapes.gift.txt")
        var d = Diagnostics()
        let bank = GIFT.read(text, file: path, title: Interchange.defaultTitle, into: &d)
        #expect(bank.title == "Service desk basics")
        #expect(bank.questions.map(\.id) == ["q2", "checks", "q6", "escapes", "bare"])
        let byId = Dictionary(uniqueKeysWithValues: bank.questions.map { ($0.id, $0) })

        let q2 = try #require(byId["q2"])
        #expect(q2.kind == .single && q2.prompt == "Which of these comes first on a call?")
        #expect(q2.options.map(\.text) == ["The greeting", "Verification", "The offer"])
        #expect(q2.options.map(\.correct) == [true, false, false])
        #expect(q2.options[1].feedback == "not yet, first learn why they called")
        let checks = try #require(byId["checks"])
        #expect(checks.kind == .multiple && checks.options.map(\.correct) == [true, false, true, false])
        let q6 = try #require(byId["q6"])
        #expect(q6.kind == .trueFalse && q6.options.map(\.text) == ["True", "False"] && q6.options.map(\.correct) == [false, true])
        // GIFT gives the wrong answer's feedback first: here the one for True.
        #expect(q6.options[0].feedback == "No: submitted is not done." && q6.options[1].feedback == "Right: check for a processed status.")
        let esc = try #require(byId["escapes"])
        #expect(esc.prompt == "Which reply {with braces} is best: A or B?")
        #expect(esc.options.map(\.text) == ["Reply A=kind", "Reply B"] && esc.options.map(\.correct) == [true, false])

        has(d, line: Self.line("::Q1::", in: text), "essay question")
        has(d, line: Self.line("::Channels::", in: text), "matching question")
        has(d, line: Self.line("::Q5::", in: text), "numerical question")
        has(d, line: Self.line("::Short::", in: text), "short answer question")
        has(d, line: Self.line("::Gap::", in: text), "missing-word question")
        has(d, line: Self.line("####Refunds", in: text), "general feedback dropped")
        has(d, line: Self.line("~Verification", in: text), "HTML formatting removed")
        has(d, line: Self.line("::Escapes::", in: text), "an image is not carried")
        has(d, line: Self.line("~%50%Reply B", in: text), "gives 50% credit")
        has(d, line: Self.line("::Bare::", in: text), "no feedback")
        #expect(!d.hasErrors)
    }

    @Test func aikenShapes() throws {
        let (path, text) = try Self.fixture("aiken.txt")
        var d = Diagnostics()
        let bank = Aiken.read(text, file: path, title: "Aiken", into: &d)
        #expect(bank.questions.count == 2)
        #expect(bank.questions[0].kind == .single && bank.questions[0].options.map(\.correct) == [true, false, false])
        #expect(bank.questions[0].options[2].text == "The customer did not call back")
        #expect(bank.questions[1].kind == .trueFalse && bank.questions[1].options.map(\.correct) == [false, true])
        has(d, line: Self.line("never says", in: text), "has no ANSWER line")
        has(d, line: Self.line("ANSWER: D", in: text), "ANSWER names no option")
        has(d, line: 1, "Aiken has no feedback")
    }

    @Test func moodleXMLShapes() throws {
        let (path, text) = try Self.fixture("moodle-shapes.xml")
        var d = Diagnostics()
        let bank = try MoodleQuestionXML.read(Data(text.utf8), file: path, title: Interchange.defaultTitle, into: &d)
        #expect(bank.title == "Follow-up")
        #expect(bank.questions.map(\.id) == ["confirm-the-fix", "agree-before-ending", "unreachable-customer"])
        let fix = bank.questions[0]
        #expect(fix.kind == .single && fix.options.map(\.text) == ["The new plan & price on the account", "That the request was accepted"])
        #expect(fix.prompt.hasPrefix("You changed a plan yesterday.") && fix.prompt.hasSuffix("What do you check first?") && !fix.prompt.contains("<"))
        #expect(bank.questions[1].kind == .multiple && bank.questions[1].options.map(\.correct) == [true, true, false])
        #expect(bank.questions[2].kind == .trueFalse && bank.questions[2].options.map(\.correct) == [false, true])
        #expect(bank.questions[2].options[0].feedback == "No: record what really happened.")
        let fixLine = Self.line("<question type=\"multichoice\">", in: text)
        has(d, line: fixLine, "attached file (image) is not carried")
        has(d, line: Self.line("<generalfeedback format=\"html\">", in: text), "general feedback dropped")
        has(d, line: Self.line("agree-before-ending", in: text) - 2, "tag 'follow-up' dropped")
        has(d, line: Self.line("<question type=\"shortanswer\">", in: text), "shortanswer question")
        has(d, line: Self.line("<question type=\"essay\">", in: text), "essay question")
        // Not XML at all: thrown with its file and line.
        var d2 = Diagnostics()
        #expect(throws: XMLError.self) { try MoodleQuestionXML.read(Data("<quiz><question>".utf8), file: "x.xml", title: "x", into: &d2) }
    }

    /// Every sample assessment → GIFT → back, and → Moodle XML → back: the same bank, no report.
    @Test func sampleRoundTripsLosslessly() throws {
        let folder = TestSupport.sample.appendingPathComponent("assessments")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 20)
        var pooled = 0
        for name in files {
            var d = Diagnostics()
            let bank = try #require(QuestionBank.read(folder.appendingPathComponent(name), displayPath: name, into: &d), "\(d.sorted)")
            if bank.draw != nil { pooled += 1 }
            var g = Diagnostics()
            let gift = GIFT.read(GIFT.write(bank, source: name), file: name, title: "?", into: &g)
            #expect(Self.fingerprint(gift) == Self.fingerprint(bank), "\(name) via GIFT")
            #expect(g.all.isEmpty, "\(name) via GIFT: \(g.sorted)")
            var x = Diagnostics()
            let xml = try MoodleQuestionXML.read(try MoodleQuestionXML.write(bank), file: name, title: "?", into: &x)
            #expect(Self.fingerprint(xml) == Self.fingerprint(bank), "\(name) via Moodle XML")
            #expect(x.all.isEmpty, "\(name) via Moodle XML: \(x.sorted)")
            // And the YAML Ladder writes reads back as the same bank.
            let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-rt-\(UUID().uuidString).yaml")
            defer { try? FileManager.default.removeItem(at: tmp) }
            try Data(bank.yaml().utf8).write(to: tmp)
            var y = Diagnostics()
            let again = try #require(QuestionBank.read(tmp, displayPath: name, into: &y), "\(y.sorted)")
            #expect(Self.fingerprint(again) == Self.fingerprint(bank), "\(name) via YAML")
        }
        #expect(pooled >= 2, "the sample draws from a pool in at least two assessments")
    }

    /// Characters each format reserves, a scenario over several lines, skills, three right options.
    @Test func awkwardTextRoundTrips() throws {
        let bank = QuestionBank(
            title: "Odd / title: {x}", masteryScore: 75, minutes: 6, draw: 2, shuffle: true,
            questions: [
                Question(
                    id: "braces", kind: .multiple, prompt: "Pick {all} = the ~right# ones: \\ok?", options: [
                        AnswerOption(text: "a: {1}", correct: true, feedback: "yes # one"),
                        AnswerOption(text: "b = 2", correct: true, feedback: "yes ~ two"),
                        AnswerOption(text: "c\\3", correct: true, feedback: "yes: three"),
                        AnswerOption(text: "d <b>not</b> & more", correct: false, feedback: "no \"quotes\" 'here'"),
                    ], skills: ["customer-focus", "communication"]),
                Question(
                    id: "case", kind: .scenario, prompt: "What now?", scenario: "Line one.\nLine two — ünïcode ✓.", options: [
                        AnswerOption(text: "True", correct: true, feedback: "Fine."),
                        AnswerOption(text: "false", correct: false, feedback: ""),
                    ]),
                Question(id: "tf", kind: .trueFalse, prompt: "Yes?", options: [
                    AnswerOption(text: "False", correct: false, feedback: "F"), AnswerOption(text: "True", correct: true, feedback: "T"),
                ]),
            ])
        var g = Diagnostics()
        let gift = GIFT.read(GIFT.write(bank, source: "x.yaml"), file: "x.gift", title: "?", into: &g)
        var x = Diagnostics()
        let xml = try MoodleQuestionXML.read(try MoodleQuestionXML.write(bank), file: "x.xml", title: "?", into: &x)
        // GIFT writes a true/false answer as one word, so it comes back True first; Moodle XML
        // keeps the option order. Everything else comes back as written.
        var expected = bank
        expected.questions[2].options.reverse()
        #expect(Self.fingerprint(gift) == Self.fingerprint(expected))
        #expect(Self.fingerprint(xml) == Self.fingerprint(bank))
        // The feedback-less option is reported, by line, in both.
        #expect(g.all.contains { $0.message.contains("no feedback") && $0.line > 0 })
        #expect(x.all.contains { $0.message.contains("no feedback") && $0.line > 0 })
        // Moodle reads the weights: three right options at a third each, wrong ones at -100%.
        let gtext = GIFT.write(bank, source: "x.yaml")
        #expect(gtext.contains("~%33.33333%a\\: \\{1\\}#yes \\# one"))
        #expect(gtext.contains("~%-100%[plain]d <b>not</b> & more"))
        #expect(gtext.contains("$CATEGORY: $course$/top/Odd - title: {x}"))
        let doc = try XMLDocument(data: try MoodleQuestionXML.write(bank), name: "x.xml")
        #expect(doc.root.children("question").map { $0.attribute("type") ?? "" } == ["category", "multichoice", "multichoice", "truefalse"])
        #expect(doc.root.children("question")[1].children("answer").map { $0.attribute("fraction") ?? "" } == ["33.33333", "33.33333", "33.33333", "-100"])
        // Same bank, same bytes.
        #expect(try MoodleQuestionXML.write(bank) == MoodleQuestionXML.write(bank))
    }
}
