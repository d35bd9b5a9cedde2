import Foundation
import LadderCore
import TestSupport
import Testing

@testable import LadderPreview

/// A learner who uses only the keyboard (issue 14 point 12): the module, the quiz and the
/// shadowing sign-off are completed with Tab, Shift+Tab, Enter, Space, arrow keys and typed
/// text sent through WebDriver's Actions API, which go to whatever has the focus; nothing is
/// clicked. Every stop of the focus must show a focus indicator, and the focus must land where
/// the learner needs it (in the content after a launch, on the page heading after Next, on the
/// result after submitting, back on the item after leaving). The outcome is read from the
/// progress store, as in the other journeys.
@Suite(
    .serialized, .timeLimit(.minutes(5)),
    .enabled(if: WebDriver.available, "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"))
struct KeyboardJourneyTests {
    typealias Key = WebDriver.Key

    @Test func moduleQuizAndSignOffWithTheKeyboardAlone() async throws {
        try await Journey.run("keyboard-only", learner: "kai") { j in
            let d = j.driver
            try await d.switchToTop()

            // The module: launched from the contents with Enter, paged with Next, finished.
            try await j.launchWithKeyboard(PreviewFixture.module)
            let pages = try await j.focusedScript("return el.ownerDocument.getElementById('ladder-sco') ? JSON.parse(el.ownerDocument.getElementById('ladder-sco').textContent).pages : 0") as? Int ?? 0
            try #require(pages >= 2)
            for page in 2...pages {
                try await j.tab(to: "el.getAttribute('data-action') === 'next'", "the Next button")
                try await d.press(Key.enter)
                try await j.waitFocus("el.id === 'page-\(page)-title'", "the heading of page \(page)")
            }
            try await j.tab(to: "el.getAttribute('data-action') === 'finish'", "the Finish button")
            try await d.press(Key.enter)
            try await j.waitFocus("el.classList.contains('ladder-progress') && el.textContent.indexOf('You have finished') >= 0", "the finish message")
            try await j.waitStored(PreviewFixture.module, "module completed") { $0.values["cmi.core.lesson_status"] == "completed" }
            try await j.exitWithKeyboard(PreviewFixture.module)

            // The quiz: arrow keys choose a radio answer, Space ticks a checkbox, Enter submits;
            // the focus goes to the result.
            try await j.launchWithKeyboard(PreviewFixture.assessment)
            try await d.switchToFrame("#player-frame")
            let qs = try await j.questions()
            try await d.switchToTop()
            try #require(!qs.isEmpty)
            for q in qs { try await j.answerWithKeyboard(q) }
            try await j.tab(to: "el.type === 'submit' && el.form && el.form.id === 'ladder-quiz'", "the Submit button")
            try await d.press(Key.enter)
            try await j.waitFocus("el.id === 'ladder-result' && !el.hidden && el.classList.contains('ladder-passed')", "the quiz result")
            let quiz = try await j.waitStored(PreviewFixture.assessment, "the pass") { $0.values["cmi.core.lesson_status"] == "passed" }
            #expect(quiz.values["cmi.core.score.raw"] == "100")
            #expect(quiz.interactions.map { $0["id"] ?? "" } == qs.map(\.id))
            #expect(quiz.interactions.allSatisfy { $0["result"] == "correct" })
            try await j.exitWithKeyboard(PreviewFixture.assessment)

            // The sign-off: Space ticks each behaviour, the observer and the date are typed,
            // Shift+Tab goes back a field, Enter records it; the focus goes to the result.
            try await j.launchWithKeyboard(PreviewFixture.shadowing)
            try await d.switchToFrame("#player-frame")
            let behaviours = try await j.config()["behaviours"] as? [String] ?? []
            try await d.switchToTop()
            try #require(!behaviours.isEmpty)
            for b in behaviours {
                try await j.tab(to: "el.id === 'b-\(b)'", "the behaviour \(b)")
                try await d.press(Key.space)
                try await j.waitFocus("el.id === 'b-\(b)' && el.checked", "\(b) ticked")
            }
            try await j.tab(to: "el.id === 'ladder-observer'", "the observer's name")
            try await d.typeKeys("Kai Moss")
            try await j.tab(to: "el.id === 'ladder-date'", "the date")
            try await d.press(Key.tab, holding: Key.shift)
            try await j.waitFocus("el.id === 'ladder-observer' && el.value === 'Kai Moss'", "Shift+Tab back on the observer's name")
            try await d.press(Key.tab)
            try await j.waitFocus("el.id === 'ladder-date'", "the date again")
            try await d.typeKeys("01152026")  // an en-US date field: month, day, year
            try await j.waitFocus("el.id === 'ladder-date' && el.value === '2026-01-15'", "the typed date")
            try await j.tab(to: "el.type === 'submit' && el.form && el.form.id === 'ladder-signoff'", "Record sign-off")
            try await d.press(Key.enter)
            try await j.waitFocus("el.id === 'ladder-result' && !el.hidden && el.textContent.length > 0", "the sign-off result")
            let s = try await j.waitStored(PreviewFixture.shadowing, "the sign-off") { $0.values["cmi.core.lesson_status"] == "completed" }
            #expect(s.values["cmi.comments"] == "Signed off by Kai Moss on 2026-01-15: \(behaviours.count) of \(behaviours.count) behaviours")
            #expect(s.interactions.map { $0["id"] ?? "" } == behaviours)
            try await j.exitWithKeyboard(PreviewFixture.shadowing)
        }
    }
}

extension Journey {
    /// A script run at the top with `el`, the element that has the focus, looked for inside
    /// the player's frame when the frame has it.
    func focusedScript(_ body: String) async throws -> Any? {
        try await driver.switchToTop()
        return try await driver.execute(
            """
            var el = document.activeElement;
            while (el && el.tagName === 'IFRAME' && el.contentDocument) el = el.contentDocument.activeElement;
            if (!el) return null;
            \(body)
            """)
    }

    /// What has the focus, for failure messages.
    func focusDescription() async throws -> String {
        try await focusedScript("return el.tagName + (el.id ? '#' + el.id : '') + ' ' + (el.textContent || '').trim().slice(0, 40)") as? String ?? "nothing"
    }

    /// True when the focused element shows a focus indicator: an outline or a box shadow.
    static let focusVisible = """
        var cs = el.ownerDocument.defaultView.getComputedStyle(el);
        var ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || (cs.boxShadow && cs.boxShadow !== 'none');
        """

    /// Presses Tab (or Shift+Tab) until `condition` (on `el`) holds for the focused element,
    /// checking that every interactive stop on the way shows that it has the focus.
    func tab(to condition: String, _ what: String, backwards: Bool = false, max: Int = 60) async throws {
        for _ in 0..<max {
            try await driver.press(Key.tab, holding: backwards ? Key.shift : nil)
            let r = try await focusedScript(
                """
                \(Self.focusVisible)
                var interactive = /^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(el.tagName);
                return JSON.stringify({hit: !!(\(condition)), visible: !interactive || ring,
                  name: el.tagName + (el.id ? '#' + el.id : '') + ' ' + (el.textContent || el.value || '').trim().slice(0, 40) +
                    ' (outline ' + cs.outlineStyle + ' ' + cs.outlineWidth + ', :focus ' + el.matches(':focus') + ', :focus-visible ' + el.matches(':focus-visible') + ')'});
                """) as? String ?? "{}"
            let o = try JSONSerialization.jsonObject(with: Data(r.utf8)) as? [String: Any] ?? [:]
            #expect(o["visible"] as? Bool == true, "no visible focus on \(o["name"] ?? "?") (on the way to \(what))")
            if o["hit"] as? Bool == true { return }
        }
        throw TestFailure("\(max) presses of \(backwards ? "Shift+" : "")Tab did not reach \(what); the focus is on \(try await focusDescription())")
    }

    typealias Key = WebDriver.Key

    /// Waits until the focused element satisfies `condition`.
    func waitFocus(_ condition: String, _ what: String) async throws {
        do {
            try await driver.wait("the focus on \(what)", timeout: 15) { try await focusedScript("return !!(\(condition))") as? Bool == true }
        } catch {
            throw TestFailure("\(error); the focus is on \(try await focusDescription())")
        }
    }

    /// Tabs to the item in the contents, presses Enter, and checks that the focus went into
    /// the launched content.
    func launchWithKeyboard(_ sco: String) async throws {
        try await tab(to: "el.getAttribute('data-sco') === '\(sco)'", "\(sco) in the contents")
        try await driver.press(Key.enter)
        try await waitForLaunch(sco)
        try await waitFocus("el.id === 'ladder-main'", "the content of \(sco)")
    }

    /// Shift+Tabs out of the content to "Exit to contents", presses Enter, and checks that the
    /// focus is back on the item in the contents.
    func exitWithKeyboard(_ sco: String) async throws {
        try await tab(to: "el.id === 'player-exit'", "Exit to contents", backwards: true)
        try await driver.press(Key.enter)
        try await driver.waitForScript("the frame to close", "return document.getElementById('player-frame').hidden === true")
        try await waitFocus("el.getAttribute('data-sco') === '\(sco)'", "\(sco) in the contents")
    }

    /// Answers one question correctly: a radio group is entered with Tab and its answer chosen
    /// with the arrow keys; checkboxes are each a Tab stop, ticked with Space.
    func answerWithKeyboard(_ q: Question) async throws {
        let targets = q.correct.map { "q-\(q.id)-\($0)" }
        let inQuestion = "el.name === 'q-\(q.id)'"
        try await tab(to: inQuestion, "question \(q.id)")
        if q.multiple {
            // Every checkbox of the question in page order; Space on the correct ones.
            while try await focusedScript("return \(inQuestion)") as? Bool == true {
                if let id = try await focusedScript("return el.id") as? String, targets.contains(id) {
                    try await driver.press(Key.space)
                    try await waitFocus("el.id === '\(id)' && el.checked", "\(id) ticked")
                }
                try await driver.press(Key.tab)
            }
            try await driver.press(Key.tab, holding: Key.shift)
        } else {
            let target = targets[0]
            try await driver.press(Key.space)
            for _ in 0..<q.options.count {
                if try await focusedScript("return el.id === '\(target)' && el.checked") as? Bool == true { break }
                try await driver.press(Key.down)
            }
            try await waitFocus("el.id === '\(target)' && el.checked", "\(target) chosen")
        }
    }
}
