import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// The checks that concern the ladder as a whole (issue 14, "Ladder checks" 1–7), on a small
/// two-level curriculum written here: `none` targets, coverage, unset targets and what gaps
/// does with them, level gating, mastery scores, suggestions, module summaries and objectives.
@Suite("Ladder checks")
struct LadderChecksTests {
    /// A clean two-level ladder: P1 trains greeting and logging (each with an assessment), P2
    /// trains coaching and escalating; coaching is not required at P1 (`none`).
    static let files: [String: String] = [
        "curriculum.yaml": """
            id: desk
            title: Service desk
            summary: Answers calls.
            track: professional
            scale:
              - {id: follow, name: Follow}
              - {id: assist, name: Assist}
              - {id: apply, name: Apply}
            skills:
              - {id: listening, name: Listening}
              - {id: coaching, name: Coaching}
            levels: [P1, P2]

            """,
        "levels/P1.yaml": """
            id: P1
            rank: 1
            title: Associate
            skills:
              listening: follow
              coaching: none
            responsibilities:
              - id: greet
                statement: Greets callers.
                skills: [listening]
                training:
                  module:
                    title: Greeting callers
                    summary: How to open a call.
                    objectives:
                      - Open a call with the house greeting.
                      - Confirm who is calling.
                    pages: [modules/greet/01-opening.md]
                  assessment: assessments/greet.yaml
              - id: log-calls
                statement: Logs calls.
                skills: [listening]
                training:
                  module:
                    title: Logging calls
                    pages: [modules/log-calls/01-logging.md]
                  assessment: assessments/log-calls.yaml

            """,
        "levels/P2.yaml": """
            id: P2
            rank: 2
            title: Specialist
            skills:
              listening: assist
              coaching: assist
            responsibilities:
              - id: coach
                statement: Coaches new colleagues.
                skills: [coaching, listening]
                training:
                  module:
                    title: Coaching
                    pages: [modules/coach/01-coaching.md]
              - id: escalate
                statement: Escalates hard calls.
                skills: [listening]
                after: [coach]
                training:
                  module:
                    title: Escalating
                    pages: [modules/escalate/01-escalating.md]

            """,
        "modules/greet/01-opening.md": "---\ntitle: Opening\n---\nSay the house greeting.\n",
        "modules/log-calls/01-logging.md": "---\ntitle: Logging\n---\nLog every call.\n",
        "modules/coach/01-coaching.md": "---\ntitle: Coaching\n---\nPair with a new colleague.\n",
        "modules/escalate/01-escalating.md": "---\ntitle: Escalating\n---\nHand over with a summary.\n",
        "assessments/greet.yaml": quiz(title: "Greeting check", mastery: 80, questions: 5),
        "assessments/log-calls.yaml": quiz(title: "Logging check", mastery: 75, questions: 4),
    ]

    static func quiz(title: String, mastery: Int, questions: Int) -> String {
        var s = "title: \(title)\nmastery_score: \(mastery)\nquestions:\n"
        for q in 1...questions {
            s += """
                  - id: q\(q)
                    type: true-false
                    prompt: Statement \(q) holds.
                    options:
                      - {text: "True", correct: true, feedback: Yes.}
                      - {text: "False", feedback: No.}

                """
        }
        return s
    }

    /// Writes the ladder (with `changes` applied: path → new text) into a new folder named
    /// `desk`; remove it with `removeCopy`.
    static func write(_ changes: [String: String] = [:]) throws -> URL {
        let root = try TestSupport.temporaryFolder("ladder-checks").appendingPathComponent("desk", isDirectory: true)
        for (path, text) in files.merging(changes, uniquingKeysWith: { _, new in new }) {
            try TestSupport_write(root, path, text)
        }
        return root
    }

    static func replacing(_ path: String, _ old: String, _ new: String) -> [String: String] {
        let text = files[path]!
        precondition(text.contains(old), "\(old) is not in \(path)")
        return [path: text.replacingOccurrences(of: old, with: new)]
    }

    static func lineOf(_ needle: String, in path: String, _ changes: [String: String] = [:]) -> Int {
        let text = changes[path] ?? files[path]!
        let lines = text.components(separatedBy: "\n")
        return (lines.firstIndex { $0.contains(needle) } ?? -1) + 1
    }

    func messages(_ r: LoadResult) -> String { r.diagnostics.sorted.map(\.description).joined(separator: "\n") }

    // MARK: 1. Not required at this level

    @Test func noneTargetGivesAFullyCleanCheck() throws {
        let root = try Self.write()
        defer { removeCopy(root) }
        let r = load(root)
        #expect(r.diagnostics.all.isEmpty, "\(messages(r))")
        let c = try #require(r.curriculum)
        #expect(c.level("P1")?.target(for: "coaching") == 0)
        #expect(c.level("P1")?.unsetSkills == [])
        let plan = Planner.plan(c)
        #expect(plan.levels[0].targets.first { $0.skill == "coaching" } == PlanTarget(skill: "coaching", step: 0, name: "none"))
    }

    @Test(arguments: ["0", "None", "NONE"])
    func noneIsAlsoWrittenAsZeroOrInAnyCase(_ spelling: String) throws {
        let root = try Self.write(Self.replacing("levels/P1.yaml", "coaching: none", "coaching: \(spelling)"))
        defer { removeCopy(root) }
        let r = load(root)
        #expect(r.diagnostics.all.isEmpty, "\(messages(r))")
        #expect(r.curriculum?.level("P1")?.target(for: "coaching") == 0)
    }

    @Test func aStepOutsideTheScaleNamesNoneAmongTheChoices() throws {
        let root = try Self.write(Self.replacing("levels/P1.yaml", "coaching: none", "coaching: nope"))
        defer { removeCopy(root) }
        expectDiagnostic(
            load(root), in: root, "levels/P1.yaml", line: Self.lineOf("coaching:", in: "levels/P1.yaml"),
            contains: "proficiency 'nope' for skill 'coaching' is not on the scale (0=none, 1=follow, 2=assist, 3=apply)")
    }

    // MARK: 2. Coverage

    @Test func aRaisedTargetThatNoResponsibilityDevelopsIsAWarningAtItsLine() throws {
        let changes = Self.replacing("levels/P2.yaml", "skills: [coaching, listening]", "skills: [listening]")
        let root = try Self.write(changes)
        defer { removeCopy(root) }
        let r = load(root)
        #expect(r.curriculum != nil)
        expectDiagnostic(
            r, .warning, in: root, "levels/P2.yaml", line: Self.lineOf("coaching: assist", in: "levels/P2.yaml", changes), column: 3,
            contains: "level P2 raises skill 'coaching' to Assist but no responsibility at P1–P2 develops it")
        #expect(r.diagnostics.warningCount == 1, "\(messages(r))")
    }

    @Test func aFirstLevelTargetAboveNoneNeedsAResponsibilityToo() throws {
        let changes = Self.replacing("levels/P1.yaml", "coaching: none", "coaching: follow")
        let root = try Self.write(changes)
        defer { removeCopy(root) }
        expectDiagnostic(
            load(root), .warning, in: root, "levels/P1.yaml", line: Self.lineOf("coaching: follow", in: "levels/P1.yaml", changes),
            contains: "level P1 raises skill 'coaching' to Follow but no responsibility at P1 develops it, so no training closes a gap in it (list it in the 'skills' of a responsibility that trains it, or write 'coaching: none' if P1 does not require it)")
    }

    @Test func gapTrackTitlesNameOnlySkillsSomethingDevelops() throws {
        let root = try Self.write(Self.replacing("levels/P2.yaml", "skills: [coaching, listening]", "skills: [listening]"))
        defer { removeCopy(root) }
        let c = try #require(load(root).curriculum)
        let plan = Planner.plan(c)
        let learner = LearnerProfile(id: "a1", name: "Ana", currentLevel: "P1", targetLevel: "P2", proficiency: ["listening": 1, "coaching": 0])
        let report = GapAnalyzer.analyze(c, plan: plan, learners: [learner])
        let l = try #require(report.learners.first)
        #expect(l.gapSkills == ["listening", "coaching"])
        #expect(l.skills.first { $0.skill == "coaching" }?.responsibilities == [])
        let track = try #require(report.tracks.first)
        #expect(track.title == "Skill-gap track: Listening")
    }

    // MARK: 3. Missing targets

    @Test func aMissingTargetSaysWhatGapsDropsAndExplainShowsIt() throws {
        let changes = Self.replacing("levels/P2.yaml", "  coaching: assist\n", "")
        let root = try Self.write(changes)
        defer { removeCopy(root) }
        let r = load(root)
        expectDiagnostic(
            r, .warning, in: root, "levels/P2.yaml", line: Self.lineOf("listening: assist", in: "levels/P2.yaml", changes), column: 3,
            contains: "no proficiency target at level P2 for skill 'coaching': gaps treats it as none and drops coach.module from skill-gap tracks for it (write 'coaching: none' if the level does not require it)")
        let c = try #require(r.curriculum)
        #expect(c.level("P2")?.unsetSkills == ["coaching"])
        let plan = Planner.plan(c)
        let learner = LearnerProfile(id: "a1", name: "Ana", currentLevel: "P1", targetLevel: "P2", proficiency: ["listening": 1])
        let report = GapAnalyzer.analyze(c, plan: plan, learners: [learner])
        let text = GapsText.explain(try #require(report.learners.first), report: report, plan: plan, curriculum: c)
        #expect(text.contains("No target set (taken as none):\n  Coaching at P2: drops coach.module from skill-gap tracks for it\n"), "\(text)")
    }

    @Test func oneWarningPerMissingSkill() throws {
        let changes = Self.replacing("levels/P1.yaml", "  listening: follow\n  coaching: none\n", "  listening: follow\n")
        let root = try Self.write(changes.merging(Self.replacing("levels/P2.yaml", "  listening: assist\n  coaching: assist\n", "  coaching: assist\n"), uniquingKeysWith: { a, _ in a }))
        defer { removeCopy(root) }
        let r = load(root)
        let unset = r.diagnostics.all.filter { $0.message.hasPrefix("no proficiency target") }.map(\.message)
        #expect(unset.count == 2, "\(messages(r))")
        #expect(unset.contains { $0.contains("level P1 for skill 'coaching'") && $0.contains("drops no item (no responsibility at P1 exercises it)") })
        #expect(unset.contains { $0.contains("level P2 for skill 'listening'") && $0.contains("drops coach.module, escalate.module from") })
    }

    // MARK: 4. Level gating

    func prerequisites(_ gating: String?) throws -> [String: [String]] {
        let changes = gating.map { Self.replacing("curriculum.yaml", "levels: [P1, P2]\n", "levels: [P1, P2]\ngating: \($0)\n") } ?? [:]
        let root = try Self.write(changes)
        defer { removeCopy(root) }
        let r = load(root)
        let c = try #require(r.curriculum, "\(messages(r))")
        #expect(r.diagnostics.all.isEmpty, "\(messages(r))")
        return Dictionary(uniqueKeysWithValues: Planner.plan(c).items.map { ($0.id, $0.prerequisites) })
    }

    @Test func byDefaultALevelOpensWhenEveryAssessmentBelowIsPassedAndAfterAddsToIt() throws {
        for gating in [nil, "assessments"] {
            let p = try prerequisites(gating)
            #expect(p["greet.module"] == [])
            #expect(p["log-calls.module"] == [])
            #expect(p["coach.module"] == ["greet.assessment", "log-calls.assessment"])
            #expect(p["escalate.module"] == ["greet.assessment", "log-calls.assessment", "coach.module"])
        }
    }

    @Test func lastItemGatingKeepsTheOldChainButAfterStillAdds() throws {
        let p = try prerequisites("last-item")
        #expect(p["coach.module"] == ["log-calls.assessment"])
        #expect(p["escalate.module"] == ["log-calls.assessment", "coach.module"])
    }

    @Test func noGatingLeavesOnlyAfter() throws {
        let p = try prerequisites("none")
        #expect(p["coach.module"] == [])
        #expect(p["escalate.module"] == ["coach.module"])
    }

    @Test func anUnknownGatingIsAnErrorWithASuggestion() throws {
        let root = try Self.write(Self.replacing("curriculum.yaml", "levels: [P1, P2]\n", "levels: [P1, P2]\ngating: assesments\n"))
        defer { removeCopy(root) }
        expectDiagnostic(
            load(root), in: root, "curriculum.yaml", line: 13, column: 9,
            contains: "'gating' is 'assesments'; expected one of: assessments, last-item, none (did you mean 'assessments'?)")
    }

    @Test func theGateIsInThePackageAndTheValidatorAndPlayerReadIt() throws {
        let root = try Self.write()
        defer { removeCopy(root) }
        let c = try #require(load(root).curriculum)
        let plan = Planner.plan(c)
        let (out, ledger) = try TestSupport.build(
            c, plan, tracks: ["onboarding-P2"], lms: .generic, mode: .track, schemas: TestSupport.schemas)
        defer { try? FileManager.default.removeItem(at: out) }
        let entry = try #require(ledger.packages.first)
        let path = out.appendingPathComponent(c.id).appendingPathComponent(entry.path).path
        let zip = try ZipReader(path: path)
        let manifest = try PackageManifest(data: try #require(try zip.read("imsmanifest.xml")))
        let items = manifest.organizations.flatMap(\.allItems).map(\.item)
        let coach = try #require(items.first { $0.identifier == "ITEM-coach-module" })
        #expect(coach.prerequisites == "ITEM-greet-assessment & ITEM-log-calls-assessment")
        let escalate = try #require(items.first { $0.identifier == "ITEM-escalate-module" })
        #expect(escalate.prerequisites == "ITEM-greet-assessment & ITEM-log-calls-assessment & ITEM-coach-module")
        // The validator parses every prerequisite script (with the schemas when they are there).
        let report = try PackageValidator(schemasFolder: TestSupport.schemas, lms: .generic).validate(path: path)
        #expect(report.errors.isEmpty, "\(report.errors)")

    }

    // MARK: 5. Mastery scores

    @Test(arguments: [
        (70, 3, 3, 100), (90, 3, 3, 100), (67, 3, 2, 67), (80, 7, 6, 86), (75, 8, 6, 75), (80, 5, 4, 80), (0, 4, 0, 0), (100, 6, 6, 100),
        (50, 8, 4, 50), (13, 8, 1, 13),
    ])
    func theEffectivePassMarkIsTheSmallestScoreAtOrAboveMastery(_ c: (Int, Int, Int, Int)) {
        let e = MasteryScore.effective(mastery: c.0, questions: c.1)
        #expect(e?.correct == c.2 && e?.percent == c.3, "\(c)")
    }

    @Test func aMasteryScoreNoAttemptCanScoreIsAWarningNamingThePassMark() throws {
        let root = try Self.write(["assessments/greet.yaml": Self.quiz(title: "Greeting check", mastery: 70, questions: 3)])
        defer { removeCopy(root) }
        let r = load(root)
        #expect(r.curriculum != nil)
        expectDiagnostic(
            r, .warning, in: root, "assessments/greet.yaml", line: 2, column: 16,
            contains: "mastery_score 70 cannot be met exactly with 3 scored questions: passing takes 3 of 3 correct, an effective pass mark of 100% (write 100 to say so, or 67 to pass at 2 of 3)")
    }

    // MARK: 6. Suggestions

    @Test func aPagePathOneEditAwayFromAFileBesideItIsSuggested() throws {
        let root = try Self.write(Self.replacing("levels/P1.yaml", "modules/greet/01-opening.md", "modules/greet/01-opning.md"))
        defer { removeCopy(root) }
        expectDiagnostic(
            load(root), in: root, "levels/P1.yaml", line: Self.lineOf("pages: [modules/greet", in: "levels/P1.yaml"),
            contains: "page 'modules/greet/01-opning.md' does not exist (did you mean 'modules/greet/01-opening.md'?)")
    }

    @Test func aPagePathTwoEditsAwayGetsNoGuess() throws {
        let root = try Self.write(Self.replacing("levels/P1.yaml", "modules/greet/01-opening.md", "modules/greet/01-opnin.md"))
        defer { removeCopy(root) }
        let r = load(root)
        let d = try #require(r.diagnostics.all.first { $0.message.hasPrefix("page ") })
        #expect(d.message == "page 'modules/greet/01-opnin.md' does not exist")
    }

    @Test func anAssessmentPathOneEditAwayIsSuggested() throws {
        let root = try Self.write(Self.replacing("levels/P1.yaml", "assessments/greet.yaml", "assessments/gret.yaml"))
        defer { removeCopy(root) }
        let r = load(root)
        #expect(r.diagnostics.all.contains { $0.message == "'assessments/gret.yaml' does not exist (did you mean 'assessments/greet.yaml'?)" }, "\(messages(r))")
    }

    @Test func anUnquotedColonInAValueGetsAQuotingHint() throws {
        let root = try Self.write(Self.replacing("levels/P1.yaml", "statement: Greets callers.", "statement: Greets callers: phone and desk."))
        defer { removeCopy(root) }
        let r = load(root)
        let d = try #require(r.diagnostics.all.first { $0.message.hasPrefix("YAML syntax error") }, "\(messages(r))")
        #expect(d.line == Self.lineOf("statement: Greets callers.", in: "levels/P1.yaml"))
        #expect(d.message.hasSuffix("; hint: a value that contains ': ' must be quoted (statement: \"Greets callers: phone and desk.\")"), "\(d)")
    }

    @Test func aMisindentedLineGetsAnIndentationHint() throws {
        let root = try Self.write(Self.replacing("levels/P1.yaml", "    skills: [listening]\n    training:\n      module:\n        title: Greeting", "   skills: [listening]\n    training:\n      module:\n        title: Greeting"))
        defer { removeCopy(root) }
        let r = load(root)
        let d = try #require(r.diagnostics.all.first { $0.message.hasPrefix("YAML syntax error") }, "\(messages(r))")
        #expect(d.message.contains("; hint: check the indentation of this line and the lines above it"), "\(d)")
        // A line indented further than its neighbours reads as a value that goes on: the hint says both.
        let deeper = try Self.write(Self.replacing("levels/P1.yaml", "  coaching: none\n", "   coaching: none\n"))
        defer { removeCopy(deeper) }
        let e = try #require(load(deeper).diagnostics.all.first { $0.message.hasPrefix("YAML syntax error") })
        #expect(e.message.hasSuffix("; hint: a value that contains ': ' must be quoted, and a key must line up with the keys above it"), "\(e)")
    }

    @Test func anImportedItemIdOneSlipAwayIsSuggested() throws {
        let root = try Self.write()
        defer { removeCopy(root) }
        let c = try #require(load(root).curriculum)
        let resolver = ItemResolver(plan: Planner.plan(c))
        #expect(resolver.hint("greet.modul") == " (did you mean 'greet.module'?)")
        #expect(resolver.hint("ITEM-greet-assesment") == " (did you mean 'greet.assessment'?)")
        #expect(resolver.hint("Greting callers") == " (did you mean 'Greeting callers'?)")
        #expect(resolver.hint("something else entirely") == "")
        #expect(ItemResolver(plan: nil).hint("x") == " (pass --curriculum to match item titles)")
    }

    // MARK: 7. Module summary and objectives

    @Test func summaryAndObjectivesAreShownCarriedAndDescribed() throws {
        let root = try Self.write()
        defer { removeCopy(root) }
        let c = try #require(load(root).curriculum)
        let plan = Planner.plan(c)
        let item = try #require(plan.item("greet.module"))
        #expect(item.summary == "How to open a call.")
        #expect(item.learningObjectives == ["Open a call with the house greeting.", "Confirm who is calling."])
        #expect(plan.item("log-calls.module")?.learningObjectives == nil)
        let json = try PlanJSON.encode(plan)
        #expect(json.contains("\"learning_objectives\" : [\n        \"Open a call with the house greeting.\""), "\(json)")
        #expect(json.contains("\"summary\" : \"How to open a call.\""))
        #expect(json.contains("\"gating\" : \"assessments\""))

        let html = String(decoding: SCORenderer(curriculum: c, courseTitle: "Desk").render(item).html, as: UTF8.self)
        let firstPage = try #require(html.range(of: "id=\"page-1\""))
        let summary = try #require(html.range(of: "<p class=\"ladder-summary\">How to open a call.</p>"))
        #expect(summary.lowerBound > firstPage.lowerBound)
        #expect(html.contains("<li>Open a call with the house greeting.</li>\n<li>Confirm who is calling.</li>"))

        let (out, ledger) = try TestSupport.build(c, plan, tracks: ["onboarding-P1"], lms: .moodle, mode: .track, schemas: TestSupport.schemas)
        defer { try? FileManager.default.removeItem(at: out) }
        let entry = try #require(ledger.packages.first)
        let path = out.appendingPathComponent(c.id).appendingPathComponent(entry.path).path
        let xml = String(decoding: try #require(try ZipReader(path: path).read("imsmanifest.xml")), as: UTF8.self)
        let flat = xml.replacingOccurrences(of: "\n *", with: "", options: .regularExpression)
        #expect(
            flat.contains(
                "<title>Greeting callers</title><metadata><imsmd:lom><imsmd:general><imsmd:description><imsmd:langstring xml:lang=\"en\">How to open a call.</imsmd:langstring></imsmd:description></imsmd:general></imsmd:lom></metadata></item>"),
            "\(xml)")
        // An item without a summary has no metadata.
        #expect(flat.contains("<title>Logging calls</title></item>"))
        let report = try PackageValidator(schemasFolder: TestSupport.schemas, lms: .moodle).validate(path: path)
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(report.schemaValidated == (TestSupport.schemas != nil))
    }
}

/// Writes text into a folder, creating the folders on the way.
func TestSupport_write(_ root: URL, _ relative: String, _ text: String) throws {
    try write(root, relative, text)
}
