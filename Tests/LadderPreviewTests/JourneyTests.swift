import Foundation
import LadderCore
import LadderRendering
import LadderPackaging
import LadderProgress
import TestSupport
import Testing

@testable import LadderPreview

/// Learner journeys in a real headless Chromium (Debian's chromium + chromium-driver) against
/// the preview server, for the onboarding-P1 package built from the sample. Every assertion
/// reads the progress store the server wrote from the browser's own API calls.
@Suite(
    .serialized, .timeLimit(.minutes(5)),
    .enabled(if: WebDriver.available, "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"))
struct JourneyTests {
    static var enabled: Bool { WebDriver.available }

    @Test func passAQuiz() async throws {
        try await Journey.run("pass-a-quiz", learner: "pat") { j in
            try await j.completeModule()
            try await j.launch(PreviewFixture.assessment)
            let qs = try await j.questions()
            try #require(!qs.isEmpty)
            // The sample's assessment draws 5 of its 9 questions: only those show, numbered 1-5
            // in the order drawn; the page source has no key and no feedback text.
            #expect(qs.count == 5)
            let shown = try await j.driver.execute("""
                return Array.from(document.querySelectorAll('.ladder-question')).filter(function (f) { return !f.hidden; })
                  .map(function (f) { return f.getAttribute('data-question') + ' ' + f.querySelector('.ladder-qnum').textContent; })
                """) as? [String] ?? []
            #expect(shown == qs.enumerated().map { "\($0.element.id) \($0.offset + 1)." })
            #expect(try await j.driver.execute("return document.getElementById('ladder-sco').textContent.indexOf('correct') < 0") as? Bool == true)
            #expect(try await j.driver.execute("return Array.from(document.querySelectorAll('.ladder-feedback')).every(function (p) { return p.textContent === ''; })") as? Bool == true)
            var chosen: [String: [String]] = [:]
            for q in qs { chosen[q.id] = try await j.answer(q, correctly: true) }
            #expect(try await j.submitQuiz())
            // After marking, each chosen option's feedback is filled in and shown.
            #expect(try await j.driver.execute("""
                return Array.from(document.querySelectorAll('#ladder-quiz input:checked')).every(function (i) {
                  var p = document.getElementById(i.id + '-feedback'); return !p.hidden && /^(Correct|Yes|Right)\\./.test(p.textContent); })
                """) as? Bool == true)
            try await j.exitToContents()

            let s = try await j.waitStored(PreviewFixture.assessment, "quiz finished") { isTimespan($0.values["cmi.core.session_time"]) && $0.values["cmi.core.total_time"] != "0000:00:00.00" }
            #expect(s.values["cmi.core.lesson_status"] == "passed")
            #expect(s.values["cmi.core.score.raw"] == "100")
            #expect(s.values["cmi.core.score.min"] == "0")
            #expect(s.values["cmi.core.score.max"] == "100")
            #expect(s.values["cmi.core.lesson_location"] == "quiz")
            #expect(s.values["cmi.core.exit"] == "")
            #expect(s.attempt == 1)
            #expect(s.interactions.count == qs.count)
            for (q, i) in zip(qs, s.interactions) {
                #expect(i["id"] == q.id)
                #expect(i["type"] == "choice" || i["type"] == "true-false")
                #expect(i["result"] == "correct")
                #expect(i["student_response"] == chosen[q.id]!.joined(separator: ","))
                #expect(i["correct_responses.0.pattern"] == q.correct.joined(separator: ","))
                #expect(isTimespan(i["latency"]))
                #expect(i["time"]?.range(of: #"^\d\d:\d\d:\d\d"#, options: .regularExpression) != nil)
            }
            let sd = try #require(s.values["cmi.suspend_data"])
            #expect(sd.hasPrefix(#"{"v":1,"q":["#) && sd.contains(#""r":["#) && sd.contains(#""a":["#) && sd.hasSuffix(#""t":1}"#))
            // The table of contents shows what the LMS recorded.
            try await j.driver.switchToTop()
            try await j.driver.waitForScript(
                "the contents to show passed",
                "var b = document.querySelector('button[data-sco=\"\(PreviewFixture.assessment)\"] .toc-status'); return !!b && b.getAttribute('data-status') === 'passed'")
        }
    }

    @Test func failRetryAndPass() async throws {
        try await Journey.run("fail-retry-pass", learner: "fay") { j in
            try await j.completeModule()
            try await j.launch(PreviewFixture.assessment)
            let qs = try await j.questions()
            for q in qs { _ = try await j.answer(q, correctly: false) }
            #expect(try await j.submitQuiz() == false)
            let failed = try await j.waitStored(PreviewFixture.assessment, "a failed attempt") { $0.values["cmi.core.lesson_status"] == "failed" }
            #expect(failed.values["cmi.core.score.raw"] == "0")
            #expect(failed.interactions.count == qs.count)
            #expect(failed.interactions.allSatisfy { $0["result"] == "wrong" })

            try await j.driver.click("button[data-action=retry]")
            try await j.driver.waitForScript("answers cleared", "return document.querySelectorAll('#ladder-quiz input:checked').length === 0")
            // Try again draws the next try from the pool.
            let qs2 = try await j.questions()
            #expect(qs2.count == qs.count)
            for q in qs2 { _ = try await j.answer(q, correctly: true) }
            #expect(try await j.submitQuiz())
            let passed = try await j.waitStored(PreviewFixture.assessment, "the pass") { $0.values["cmi.core.lesson_status"] == "passed" }
            #expect(passed.values["cmi.core.score.raw"] == "100")
            #expect(passed.interactions.count == qs.count + qs2.count, "the journal keeps both tries")
            #expect(passed.interactions.prefix(qs.count).map { $0["id"] ?? "" } == qs.map(\.id))
            #expect(passed.interactions.suffix(qs2.count).map { $0["id"] ?? "" } == qs2.map(\.id))
            #expect(passed.interactions.prefix(qs.count).allSatisfy { $0["result"] == "wrong" })
            #expect(passed.interactions.suffix(qs2.count).allSatisfy { $0["result"] == "correct" })
            #expect(passed.values["cmi.suspend_data"]?.hasSuffix(#""t":2}"#) == true)
        }
    }

    @Test func quitMidModuleResumeAtTheBookmarkAndSurviveAServerKill() async throws {
        try await Journey.run("quit-and-resume", learner: "quinn") { j in
            try await j.launch(PreviewFixture.module)
            let pages = try await j.config()["pages"] as? Int ?? 0
            try #require(pages >= 3, "the sample module has at least 3 pages")
            try await j.goToPage(2)
            try await j.exitToContents()
            let quit = try await j.waitStored(PreviewFixture.module, "the suspended session") { $0.values["cmi.core.exit"] == "suspend" }
            #expect(quit.values["cmi.core.lesson_location"] == "page-2")
            #expect(quit.values["cmi.suspend_data"] == #"{"v":1,"p":2}"#)
            #expect(quit.values["cmi.core.lesson_status"] == "incomplete")
            #expect(isTimespan(quit.values["cmi.core.session_time"]))

            try await j.launch(PreviewFixture.module)
            #expect(try await j.driver.execute("return parent.API.LMSGetValue('cmi.core.entry')") as? String == "resume")
            #expect(try await j.driver.execute("return !document.getElementById('page-2').hidden && document.getElementById('page-1').hidden") as? Bool == true)
            try await j.goToPage(3)
            try await j.waitStored(PreviewFixture.module, "page 3 committed") { $0.values["cmi.core.lesson_location"] == "page-3" }

            // Kill the server mid-module (no LMSFinish reaches it), start another on the same store.
            try await j.restartServer()
            try await j.launch(PreviewFixture.module)
            #expect(try await j.driver.execute("return LadderRuntime.instance.session.view().page") as? Int == 3)
            #expect(try await j.driver.execute("return !document.getElementById('page-3').hidden") as? Bool == true)
            let after = try #require(try j.stored(PreviewFixture.module))
            #expect(after.values["cmi.suspend_data"] == #"{"v":1,"p":3}"#)
        }
    }

    @Test func hideTheTabMidQuizAndLoseNothing() async throws {
        try await Journey.run("hide-mid-quiz", learner: "hal") { j in
            try await j.completeModule()
            try await j.launch(PreviewFixture.assessment)
            let qs = try await j.questions()
            try #require(qs.count >= 2)
            let half = qs.count / 2
            for q in qs.prefix(half) { _ = try await j.answer(q, correctly: true) }

            try await j.setHidden(true)
            let hidden = try await j.waitStored(PreviewFixture.assessment, "the commit on hide") { $0.values["cmi.core.exit"] == "suspend" }
            #expect(isTimespan(hidden.values["cmi.core.session_time"]))
            #expect(hidden.values["cmi.core.lesson_status"] == "incomplete")
            #expect(hidden.values["cmi.core.lesson_location"] == "quiz")
            try await j.setHidden(false)

            // The answers given before hiding are still there; the session goes on.
            try await j.driver.switchToFrame("#player-frame")
            let checked = try await j.driver.execute("return document.querySelectorAll('#ladder-quiz input:checked').length") as? Int ?? 0
            #expect(checked == qs.prefix(half).reduce(0) { $0 + $1.correct.count })
            for q in qs.dropFirst(half) { _ = try await j.answer(q, correctly: true) }
            #expect(try await j.submitQuiz())
            let s = try await j.waitStored(PreviewFixture.assessment, "the pass") { $0.values["cmi.core.lesson_status"] == "passed" }
            #expect(s.interactions.count == qs.count)
            #expect(s.interactions.map { $0["id"] ?? "" } == qs.map(\.id))
            #expect(s.interactions.allSatisfy { $0["result"] == "correct" })
        }
    }

    @Test func completeAShadowingSignOff() async throws {
        try await Journey.run("shadowing-sign-off", learner: "sam") { j in
            try await j.completeModule()
            try await j.launch(PreviewFixture.assessment)
            for q in try await j.questions() { _ = try await j.answer(q, correctly: true) }
            #expect(try await j.submitQuiz())
            try await j.exitToContents()

            try await j.launch(PreviewFixture.shadowing)
            let behaviours = try await j.config()["behaviours"] as? [String] ?? []
            try #require(!behaviours.isEmpty)
            for b in behaviours { try await j.driver.click("#b-\(b)") }
            try await j.driver.type("#ladder-observer", "Sam Lee")
            try await j.typeDate("#ladder-date", year: "2026", month: "01", day: "15")
            try await j.driver.click("#ladder-signoff button.ladder-primary")
            try await j.driver.waitForScript("the sign-off result", "var r = document.getElementById('ladder-result'); return !r.hidden && r.textContent.length > 0")

            let s = try await j.waitStored(PreviewFixture.shadowing, "the sign-off") { $0.values["cmi.core.lesson_status"] == "completed" }
            #expect(s.values["cmi.comments"] == "Signed off by Sam Lee on 2026-01-15: \(behaviours.count) of \(behaviours.count) behaviours")
            #expect(s.values["cmi.suspend_data"] == #"{"v":1,"s":"\#(String(repeating: "1", count: behaviours.count))","o":"Sam Lee","d":"2026-01-15"}"#)
            #expect(s.values["cmi.core.lesson_location"] == "signoff")
            #expect(s.interactions.map { $0["id"] ?? "" } == behaviours)
            #expect(s.interactions.allSatisfy { $0["type"] == "performance" && $0["student_response"] == "signed" && $0["result"] == "correct" })
        }
    }

    @Test func passThenStartANewAttempt() async throws {
        try await Journey.run("new-attempt", learner: "nia") { j in
            try await j.completeModule()
            try await j.launch(PreviewFixture.assessment)
            let qs = try await j.questions()
            for q in qs { _ = try await j.answer(q, correctly: true) }
            #expect(try await j.submitQuiz())
            try await j.exitToContents()
            let first = try await j.waitStored(PreviewFixture.assessment, "the pass, finished") {
                $0.values["cmi.core.lesson_status"] == "passed" && $0.values["cmi.core.total_time"] != "0000:00:00.00"
            }
            #expect(first.attempt == 1)

            // The contents show the attempt and offer a new one, labelled and reached by the keyboard.
            let assessment = "button[data-sco=\"\(PreviewFixture.assessment)\"]"
            let newAttempt = "button[data-new-attempt=\"\(PreviewFixture.assessment)\"]"
            try await j.driver.switchToTop()
            try await j.driver.waitForScript(
                "attempt 1 in the contents", "var a = document.querySelector('\(assessment) .toc-attempt'); return !!a && a.textContent === 'Attempt 1'")
            let label = try await j.driver.execute("return document.querySelector('\(newAttempt)').getAttribute('aria-label')") as? String
            #expect(label?.hasPrefix("Start a new attempt of ") == true)
            let enter = "\u{E007}"
            try await j.driver.type(newAttempt, enter)
            try await j.driver.waitForScript("the confirmation", "return document.getElementById('player-confirm').open === true")
            let question = try await j.driver.execute("return document.getElementById('player-confirm-text').textContent") as? String ?? ""
            #expect(question.contains("as attempt 2") && question.contains("Attempt 1 (passed, 100%) stays recorded"), "\(question)")
            // Cancelling changes nothing and gives the focus back.
            try await j.driver.click("#player-confirm-cancel")
            try await j.driver.waitForScript(
                "the focus back on the button",
                "return !document.getElementById('player-confirm').open && document.activeElement.getAttribute('data-new-attempt') === '\(PreviewFixture.assessment)'")
            #expect(try j.attempts(PreviewFixture.assessment) == [first])

            try await j.driver.type(newAttempt, enter)
            try await j.driver.waitForScript("the confirmation", "return document.getElementById('player-confirm').open === true")
            try await j.driver.click("#player-confirm-start")
            try await j.waitForLaunch(PreviewFixture.assessment)

            // The SCO got a fresh start: entry ab-initio, nothing restored, the quiz empty.
            #expect(try await j.driver.execute("return LadderRuntime.instance.session.entry") as? String == "ab-initio")
            #expect(try await j.driver.execute("return parent.API.LMSGetValue('cmi.core.entry')") as? String == "ab-initio")
            // Nothing restored: the pooled quiz has only drawn its first try (no answers, t 0).
            let fresh = try await j.driver.execute("return parent.API.LMSGetValue('cmi.suspend_data')") as? String ?? ""
            #expect(fresh.hasPrefix(#"{"v":1,"q":["#) && fresh.hasSuffix(#""t":0}"#) && !fresh.contains(#""a":"#), "\(fresh)")
            #expect(try await j.driver.execute("return document.querySelectorAll('#ladder-quiz input:checked').length") as? Int == 0)
            #expect(try await j.driver.execute("return document.getElementById('ladder-result').hidden") as? Bool == true)

            // The server stored attempt 2 as the SCO reported it; attempt 1 is as it was.
            let second = try await j.waitStored(PreviewFixture.assessment, "attempt 2 begun") {
                $0.attempt == 2 && $0.values["cmi.core.lesson_status"] == "incomplete"
            }
            #expect(second.values["cmi.core.lesson_location"] == "quiz")
            #expect((second.values["cmi.core.score.raw"] ?? "").isEmpty)
            #expect(second.interactions.isEmpty)
            let all = try j.attempts(PreviewFixture.assessment)
            #expect(all.map(\.attempt) == [1, 2])
            #expect(all.first == first, "attempt 1 unchanged")
            try await j.driver.switchToTop()
            try await j.driver.waitForScript(
                "attempt 2 in the contents",
                """
                var a = document.querySelector('\(assessment) .toc-attempt'), s = document.querySelector('\(assessment) .toc-status');
                return !!a && a.textContent === 'Attempt 2' && s.getAttribute('data-status') === 'incomplete'
                """)

            // Once more while attempt 2 runs in the frame: the SCO leaves first and commits its
            // exit (were the attempt opened before, its last calls would be refused), then attempt 3.
            try await j.driver.type(newAttempt, enter)
            try await j.driver.waitForScript("the confirmation", "return document.getElementById('player-confirm').open === true")
            try await j.driver.click("#player-confirm-start")
            try await j.waitForLaunch(PreviewFixture.assessment)
            #expect(try await j.driver.execute("return LadderRuntime.instance.session.entry") as? String == "ab-initio")
            try await j.waitStored(PreviewFixture.assessment, "attempt 3 begun") { $0.attempt == 3 && $0.values["cmi.core.lesson_status"] == "incomplete" }
            let three = try j.attempts(PreviewFixture.assessment)
            #expect(three.map(\.attempt) == [1, 2, 3])
            #expect(three.first == first, "attempt 1 still unchanged")
            #expect(isTimespan(three[1].values["cmi.core.session_time"]), "attempt 2 got its SCO's exit")
            #expect(three[1].values["cmi.core.lesson_status"] == "incomplete")
        }
    }

    @Test func aSCOWhosePrerequisiteIsNotMetDoesNotOpen() async throws {
        try await Journey.run("prerequisite-not-met", learner: "pia") { j in
            try await j.driver.switchToTop()
            let locked = try await j.driver.execute(
                "return document.querySelector('button[data-sco=\"\(PreviewFixture.assessment)\"]').getAttribute('data-locked')") as? String
            #expect(locked?.contains(PreviewFixture.module) == true)
            try await j.driver.click("button[data-sco=\"\(PreviewFixture.assessment)\"]")
            try await j.driver.waitForScript("the locked message", "var m = document.getElementById('player-message'); return !m.hidden && m.textContent.indexOf('locked') >= 0")
            #expect(try await j.driver.execute("return document.getElementById('player-frame').hidden") as? Bool == true)
            #expect(try j.stored(PreviewFixture.assessment) == nil)
            // Even a SCO that calls the API by itself is refused.
            let r = try await j.driver.execute(
                """
                var x = new XMLHttpRequest(); x.open('POST', '/api/call', false); x.setRequestHeader('Content-Type', 'application/json');
                x.send(JSON.stringify({learner: 'pia', sco: '\(PreviewFixture.assessment)', fn: 'LMSInitialize', args: ['']}));
                return JSON.parse(x.responseText).result
                """) as? String
            #expect(r == "false")
            #expect(try j.stored(PreviewFixture.assessment) == nil)
        }
    }
}

extension Journey {
    /// Every attempt the server stored for `sco`, oldest first.
    func attempts(_ sco: String) throws -> [CMIState] {
        try ProgressStore(path: db).allRuntimeStates().filter { $0.key.learner == learner && $0.key.sco == sco }.map(\.state)
    }

    /// Types a date into `<input type=date>` the way a person does in an en-US browser
    /// (month, day, year), and checks the value the page got.
    func typeDate(_ css: String, year: String, month: String, day: String) async throws {
        try await driver.type(css, month + day + year)
        let value = try await driver.execute("return document.querySelector('\(css)').value") as? String
        try #require(value == "\(year)-\(month)-\(day)", "the date input reads \(value ?? "nil")")
    }

    /// Hides the page by minimizing the browser window, and shows it again by restoring the
    /// window's size: the frame's document gets `visibilitychange` from the browser itself.
    func setHidden(_ hidden: Bool) async throws {
        try await driver.switchToTop()
        if hidden {
            try await driver.command("POST", "/window/minimize")
            try await driver.waitForScript("the page to be hidden", "return document.visibilityState === 'hidden'")
        } else {
            try await driver.command("POST", "/window/rect", ["width": 1280, "height": 860])
            try await driver.waitForScript("the page to be visible", "return document.visibilityState === 'visible'")
        }
    }
}
