import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// Every kind of bad input gives a clear diagnostic at file:line:column, never a crash, and
/// all of them come back from one load. Each test breaks a private copy of the sample
/// curriculum with one precise edit and computes the expected line from the edited text.
@Suite("Bad input")
struct BadInputTests {
    /// The copy loads cleanly before any edit, so every error below comes from the edit.
    @Test func sampleCopyIsClean() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let result = load(root)
        #expect(result.curriculum != nil)
        #expect(result.diagnostics.all.isEmpty, "\(result.diagnostics.sorted.map(\.description))")
    }

    // MARK: One edit, one error: the table

    /// Each row breaks one file of a sample copy with one precise edit; the load must fail
    /// with an error in that file, at the line and column given, containing the message.
    @Test(arguments: BadEdit.table)
    func oneBadEditGivesOneClearError(_ bad: BadEdit) throws {
        let root = try copySample()
        defer { removeCopy(root) }
        var expected: EditPlace?
        if case .text(let needle, let anchors) = bad.at {
            expected = try #require(place(of: needle, in: root, bad.file, after: anchors))
        }
        let at = try #require(edit(root, bad.file, after: bad.anchors, replace: bad.replace, with: bad.with))
        switch bad.at {
        case .edit(let columns): expected = EditPlace(line: at.line, column: at.column + columns)
        case .nextLine: expected = EditPlace(line: at.line + 1, column: 1)
        case .text: break
        }
        let spot = try #require(expected)
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(result, in: root, bad.file, line: spot.line, column: spot.column, contains: bad.message)
    }

    // MARK: Syntax, encoding, types, keys

    @Test func fileThatIsNotUTF8() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let text = try read(root, "levels/P3.yaml")
        let at = try #require(place(of: "title: ", in: root, "levels/P3.yaml"))
        var bytes = [UInt8](text.utf8)
        let offset = try #require(text.range(of: "title: ")).upperBound.utf16Offset(in: text)
        #expect(text.utf8.count == text.utf16.count, "the sample level file is expected to be ASCII")
        bytes.insert(contentsOf: [0xFF, 0xFE], at: offset)
        try write(root, "levels/P3.yaml", bytes: Data(bytes))
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(
            result, in: root, "levels/P3.yaml", line: at.line, column: at.column + "title: ".count,
            contains: "not UTF-8 text (byte 0xFF")
    }

    @Test func missingRequiredStatement() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let statement = try #require(
            yamlBlock(root, "levels/P1.yaml", after: ["- id: confirm-resolution"], key: "    statement:"))
        let entry = try #require(place(of: "id: confirm-resolution", in: root, "levels/P1.yaml"))
        try #require(
            edit(root, "levels/P1.yaml", after: ["- id: confirm-resolution"], replace: statement, with: "") != nil)
        let result = load(root)
        #expect(result.curriculum == nil)
        // Reported at the responsibility's mapping, which starts at its first key.
        let d = expectDiagnostic(
            result, in: root, "levels/P1.yaml", line: entry.line, column: entry.column,
            contains: "missing required key 'responsibilities[4].statement'")
        #expect(d.map { !$0.description.contains("Fatal") } ?? true)
    }

    @Test func unknownNestedKeyTypoNamesThePath() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let question = try #require(place(of: "id: opening-order", in: root, "assessments/inform-customers.yaml"))
        let at = try #require(
            edit(root, "assessments/inform-customers.yaml", after: ["- id: opening-order"], replace: "prompt:", with: "promt:"))
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(
            result, in: root, "assessments/inform-customers.yaml", line: at.line, column: at.column,
            contains: "unknown key 'questions[0].promt' (did you mean 'prompt'?)")
        expectDiagnostic(
            result, in: root, "assessments/inform-customers.yaml", line: question.line, column: question.column,
            contains: "missing required key 'questions[0].prompt'")
    }

    // MARK: Repeated keys

    @Test func repeatedKeyIsReportedAtTheRepeatAndTheFileIsStillChecked() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let first = try #require(place(of: "title: Customer Service Representative II\n", in: root, "levels/P2.yaml"))
        let at = try #require(edit(root, "levels/P2.yaml", replace: "\nguidelines:\n", with: "\ntitle: Representative II\nguidelines:\n"))
        // A second problem in the same file: the repeat does not stop the other checks.
        let rank = try #require(edit(root, "levels/P2.yaml", replace: "rank: 2\n", with: "rank: two\n"))
        let result = load(root)
        #expect(result.curriculum == nil)
        let file = "\(root.path)/levels/P2.yaml"
        #expect(
            result.diagnostics.sorted.map(\.description) == [
                "\(file):\(rank.line):\(rank.column + "rank: ".count): error: 'rank' must be a whole number, not 'two'",
                "\(file):\(at.line + 1):1: error: duplicate key 'title' (first at line \(first.line))",
            ])
    }

    @Test func sameSkillTwiceInALevelsSkills() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        // The first one quoted: to the loader it is the same key.
        let first = try #require(
            edit(root, "levels/P1.yaml", after: ["\nskills:\n"], replace: "  empathy: 2\n", with: "  \"empathy\": 2\n"))
        let at = try #require(
            edit(
                root, "levels/P1.yaml", after: ["\nskills:\n"], replace: "  training-development: none\n",
                with: "  training-development: none\n  empathy: 3\n"))
        let result = load(root)
        #expect(result.curriculum == nil)
        let file = "\(root.path)/levels/P1.yaml"
        #expect(
            result.diagnostics.sorted.map(\.description) == [
                "\(file):\(at.line + 1):3: error: duplicate key 'empathy' (first at line \(first.line))"
            ])
    }

    @Test func repeatedKeyInAMappingInsideAList() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        // responsibilities[0].training.module.title
        let at = try #require(
            edit(
                root, "levels/P1.yaml", after: ["- id: inform-customers", "      module:\n"], replace: "        title: ",
                with: "        title: Informing customers\n        title: "))
        let result = load(root)
        #expect(result.curriculum == nil)
        let file = "\(root.path)/levels/P1.yaml"
        #expect(
            result.diagnostics.sorted.map(\.description) == [
                "\(file):\(at.line + 1):9: error: duplicate key 'title' (first at line \(at.line))"
            ])
    }

    @Test func everyRepeatInPageFrontMatterIsReportedAtItsFileLine() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let page = "modules/inform-customers/01-opening-the-contact.md"
        let first = try #require(place(of: "title: Opening the contact\n", in: root, page))
        let at = try #require(
            edit(
                root, page, after: ["title: Opening the contact\n"], replace: "minutes: 6\n",
                with: "minutes: 6\ntitle: Again\ntitle: Once more\n"))
        let result = load(root)
        #expect(result.curriculum == nil)
        let file = "\(root.path)/\(page)"
        #expect(
            result.diagnostics.sorted.map(\.description) == [
                "\(file):\(at.line + 1):1: error: duplicate key 'title' (first at line \(first.line))",
                "\(file):\(at.line + 2):1: error: duplicate key 'title' (first at line \(first.line))",
            ])
    }

    @Test func keysAreComparedByTheirText() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        // `1` (an integer to YAML) and `"1"` (a string) are read as the same text; `01` is not.
        let at = try #require(
            edit(
                root, "levels/P1.yaml", after: ["\nskills:\n"], replace: "  training-development: none\n",
                with: "  training-development: none\n  1: 2\n  \"1\": 2\n  01: 2\n"))
        let result = load(root)
        #expect(result.curriculum == nil)
        let file = "\(root.path)/levels/P1.yaml"
        let (one, quoted, zeroOne) = (at.line + 1, at.line + 2, at.line + 3)
        #expect(
            result.diagnostics.sorted.map(\.description) == [
                "\(file):\(one):3: error: unknown skill '1'",
                "\(file):\(quoted):3: error: duplicate key '1' (first at line \(one))",
                "\(file):\(quoted):3: error: unknown skill '1'",
                "\(file):\(zeroOne):3: error: unknown skill '01'",
            ])
    }

    @Test func repeatedTaggedKeyMakesTheFileUnreadableWithoutFollowOnErrors() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        // A tagged key cannot be set aside, so the file is not read; its error points at the
        // first occurrence, and P3's and P4's references to P2's responsibilities stay quiet.
        let at = try #require(
            edit(
                root, "levels/P2.yaml", replace: "title: Customer Service Representative II\n",
                with: "!!str title: Representative II\ntitle: Customer Service Representative II\n"))
        let result = load(root)
        #expect(result.curriculum == nil)
        #expect(
            result.diagnostics.sorted.map(\.description) == [
                "\(root.path)/levels/P2.yaml:\(at.line):1: error: duplicate key 'title': it appears again later in the same mapping"
            ])
    }

    // MARK: A level file that does not load

    @Test func levelWithASyntaxErrorReportsOnlyTheRootCause() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        // Higher levels refer to P2's responsibilities.
        #expect(try read(root, "levels/P3.yaml").contains("after: [handle-escalated-tickets, handle-sensitive-interactions]"))
        #expect(try read(root, "levels/P4.yaml").contains("handle-sensitive-interactions]"))
        let at = try #require(
            edit(
                root, "levels/P2.yaml", replace: "title: Customer Service Representative II",
                with: "title: Customer: Service Representative II"))
        let result = load(root)
        #expect(result.curriculum == nil)
        let colon = at.column + "title: Customer".unicodeScalars.count
        #expect(
            result.diagnostics.sorted.map(\.description) == [
                "\(root.path)/levels/P2.yaml:\(at.line):\(colon): error: YAML syntax error: mapping values are not allowed in this context; hint: a value that contains ': ' must be quoted (title: \"Customer: Service Representative II\")"
            ])
    }

    @Test func levelWithASyntaxErrorStillLetsGenuineReferenceErrorsThrough() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let syntax = try #require(
            edit(
                root, "levels/P2.yaml", replace: "title: Customer Service Representative II",
                with: "title: Customer: Service Representative II"))
        // A typo of one of P2's ids, and an id defined nowhere.
        let at = try #require(
            edit(
                root, "levels/P3.yaml", replace: "after: [document-complex-cases, mentor-junior-staff]",
                with: "after: [document-complex-case, mentor-junior-staff, no-such-responsibility]"))
        let result = load(root)
        #expect(result.curriculum == nil)
        let p3 = "\(root.path)/levels/P3.yaml"
        let typo = at.column + "after: [".count
        let nowhere = typo + "document-complex-case, mentor-junior-staff, ".count
        #expect(
            result.diagnostics.sorted.map(\.description) == [
                "\(root.path)/levels/P2.yaml:\(syntax.line):\(syntax.column + "title: Customer".count): error: YAML syntax error: mapping values are not allowed in this context; hint: a value that contains ': ' must be quoted (title: \"Customer: Service Representative II\")",
                "\(p3):\(at.line):\(typo): error: unknown responsibility 'document-complex-case' in 'after' (did you mean 'document-complex-cases'?)",
                "\(p3):\(at.line):\(nowhere): error: unknown responsibility 'no-such-responsibility' in 'after'",
            ])
    }

    @Test func missingLevelFileIsNamedInUnknownReferences() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let listed = try #require(place(of: "P2", in: root, "curriculum.yaml", after: ["levels: [P1, "]))
        let ref = try #require(
            place(of: "handle-escalated-tickets", in: root, "levels/P3.yaml", after: ["- id: resolve-complex-issues", "after: ["]))
        try FileManager.default.removeItem(at: root.appendingPathComponent("levels/P2.yaml"))
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(
            result, in: root, "curriculum.yaml", line: listed.line, column: listed.column, contains: "'levels/P2.yaml' does not exist")
        // Nothing shows what the missing file would define: still an error, one that says why.
        expectDiagnostic(
            result, in: root, "levels/P3.yaml", line: ref.line, column: ref.column,
            contains: "unknown responsibility 'handle-escalated-tickets' in 'after' (levels/P2.yaml did not load; it may define it)")
    }

    // MARK: Ids and references

    @Test func duplicateResponsibilityIdInOneLevelPointsAtTheRepeat() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let first = try #require(place(of: "inform-customers", in: root, "levels/P1.yaml", after: ["- id: "]))
        let at = try #require(
            edit(root, "levels/P1.yaml", replace: "- id: confirm-resolution\n", with: "- id: inform-customers\n"))
        let result = load(root)
        #expect(result.curriculum == nil)
        #expect(first.line < at.line)
        expectDiagnostic(
            result, in: root, "levels/P1.yaml", line: at.line, column: at.column + "- id: ".count,
            contains: "duplicate responsibility id 'inform-customers' (first defined at line \(first.line))")
    }

    @Test func duplicateQuestionIdInAnAssessment() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let first = try #require(place(of: "- id: opening-order", in: root, "assessments/inform-customers.yaml"))
        let at = try #require(
            edit(root, "assessments/inform-customers.yaml", replace: "- id: verify-when\n", with: "- id: opening-order\n"))
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(
            result, in: root, "assessments/inform-customers.yaml", line: at.line, column: at.column + "- id: ".count,
            contains: "duplicate question id 'opening-order' (first defined at line \(first.line))")
    }

    @Test func missingMarkdownPage() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let page = "modules/inform-customers/02-explaining-clearly.md"
        let at = try #require(place(of: page, in: root, "levels/P1.yaml"))
        try FileManager.default.removeItem(at: root.appendingPathComponent(page))
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(
            result, in: root, "levels/P1.yaml", line: at.line, column: at.column, contains: "page '\(page)' does not exist")
    }

    // MARK: Levels and scale

    @Test func levelsOutOfOrder() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        try #require(
            edit(root, "curriculum.yaml", replace: "levels: [P1, P2, P3, P4, P5]", with: "levels: [P2, P1, P3, P4, P5]") != nil)
        let p1 = try #require(place(of: "rank: 1", in: root, "levels/P1.yaml"))
        let p2 = try #require(place(of: "rank: 2", in: root, "levels/P2.yaml"))
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(
            result, in: root, "levels/P2.yaml", line: p2.line, column: p2.column + "rank: ".count,
            contains: "levels out of order: 'P2' has rank 2 but is listed 1st in curriculum.yaml")
        expectDiagnostic(
            result, in: root, "levels/P1.yaml", line: p1.line, column: p1.column + "rank: ".count,
            contains: "levels out of order: 'P1' has rank 1 but is listed 2nd in curriculum.yaml")
    }

    @Test func emptyLevel() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let text = try read(root, "levels/P5.yaml")
        let start = try #require(text.range(of: "\nresponsibilities:\n"))
        let rest = text[start.upperBound...].split(separator: "\n")
        #expect(
            rest.allSatisfy { $0.hasPrefix(" ") || $0.hasPrefix("#") }, "responsibilities is expected to be the last key of P5.yaml")
        let block = String(text[text.index(after: start.lowerBound)...])
        let at = try #require(edit(root, "levels/P5.yaml", replace: block, with: "responsibilities: []\n"))
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(
            result, in: root, "levels/P5.yaml", line: at.line, column: at.column + "responsibilities: ".count,
            contains: "'responsibilities' needs at least 1 entry")
    }

    // MARK: Assessments

    @Test func scenarioWithoutScenario() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let file = "assessments/inform-customers.yaml"
        let question = try #require(place(of: "id: unknown-answer", in: root, file))
        let scenario = try #require(yamlBlock(root, file, after: ["- id: unknown-answer"], key: "    scenario:"))
        try #require(edit(root, file, after: ["- id: unknown-answer"], replace: scenario, with: "") != nil)
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(
            result, in: root, file, line: question.line, column: question.column,
            contains: "scenario question 'unknown-answer' needs a 'scenario'")
    }

    // MARK: Prerequisites

    @Test func prerequisiteCycleAcrossTwoResponsibilities() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        // record-orders-complaints already comes after inform-customers; close the loop.
        #expect(try read(root, "levels/P1.yaml").contains("after: [inform-customers]\n"))
        let skills = try #require(yamlBlock(root, "levels/P1.yaml", after: ["- id: inform-customers"], key: "    skills:"))
        let at = try #require(
            edit(
                root, "levels/P1.yaml", after: ["- id: inform-customers"], replace: skills,
                with: skills + "    after: [record-orders-complaints]\n"))
        let result = load(root)
        #expect(result.curriculum == nil)
        let line = at.line + skills.filter { $0 == "\n" }.count
        expectDiagnostic(
            result, in: root, "levels/P1.yaml", line: line, column: "    after: ".count + 1,
            contains: "prerequisite cycle: inform-customers -> record-orders-complaints -> inform-customers")
    }

    // MARK: Draft modules

    @Test func responsibilityWithoutModuleIsADraftWarning() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let module = try #require(yamlBlock(root, "levels/P1.yaml", after: ["- id: inform-customers"], key: "      module:"))
        #expect(module.contains("pages:"))
        let entry = try #require(place(of: "inform-customers", in: root, "levels/P1.yaml", after: ["- id: "]))
        try #require(edit(root, "levels/P1.yaml", after: ["- id: inform-customers"], replace: module, with: "") != nil)
        let result = load(root)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.sorted.map(\.description))")
        #expect(result.diagnostics.warningCount == 1)
        expectDiagnostic(
            result, .warning, in: root, "levels/P1.yaml", line: entry.line, column: entry.column,
            contains: "responsibility 'inform-customers' has no authored module")
        let curriculum = try #require(result.curriculum)
        let plan = Planner.plan(curriculum)
        let item = try #require(plan.item("inform-customers.module"))
        #expect(item.draft)
        #expect(item.title == curriculum.responsibility("inform-customers")?.statement)
        #expect(item.sources == ["levels/P1.yaml"])
        // Only that one item is a draft; the rest of the responsibility is still planned.
        #expect(plan.items.filter(\.draft).map(\.id) == ["inform-customers.module"])
        #expect(plan.item("inform-customers.assessment")?.prerequisites == ["inform-customers.module"])
    }

    // MARK: All at once

    @Test func manyBreakagesAreAllReportedInOneLoad() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        struct Expected {
            var file: String
            var line: Int
            var column: Int
            var message: String
        }
        var expected: [Expected] = []

        // 1. Proficiency outside the scale (P1).
        var at = try #require(
            edit(root, "levels/P1.yaml", after: ["\nskills:\n"], replace: "  speaking: 2\n", with: "  speaking: 9\n"))
        expected.append(.init(file: "levels/P1.yaml", line: at.line, column: 13, message: "proficiency '9' for skill 'speaking'"))
        // 2. Missing page (P1).
        let page = "modules/record-orders-complaints/03-writing-crm-notes.md"
        at = try #require(place(of: page, in: root, "levels/P1.yaml"))
        try FileManager.default.removeItem(at: root.appendingPathComponent(page))
        expected.append(.init(file: "levels/P1.yaml", line: at.line, column: at.column, message: "page '\(page)' does not exist"))
        // 3. Unknown skill (P2).
        at = try #require(
            edit(
                root, "levels/P2.yaml", after: ["- id: handle-sensitive-interactions", "skills: ["], replace: "empathy,",
                with: "empathie,"))
        expected.append(
            .init(file: "levels/P2.yaml", line: at.line, column: at.column, message: "unknown skill 'empathie' (did you mean 'empathy'?)"))
        // 4. Wrong type (P3).
        at = try #require(edit(root, "levels/P3.yaml", replace: "rank: 3\n", with: "rank: three\n"))
        expected.append(.init(file: "levels/P3.yaml", line: at.line, column: 7, message: "'rank' must be a whole number, not 'three'"))
        // 5. Mastery score outside 0-100.
        at = try #require(
            edit(root, "assessments/inform-customers.yaml", replace: "mastery_score: 80\n", with: "mastery_score: 101\n"))
        expected.append(
            .init(file: "assessments/inform-customers.yaml", line: at.line, column: 16, message: "'mastery_score' is 101"))
        // 6. Unknown key typo in a shadowing task.
        at = try #require(edit(root, "shadowing/inform-customers.yaml", replace: "\nsetting: ", with: "\nseting: "))
        expected.append(
            .init(
                file: "shadowing/inform-customers.yaml", line: at.line + 1, column: 1,
                message: "unknown key 'seting' (did you mean 'setting'?)"))
        // 7. YAML syntax error in another shadowing task.
        at = try #require(
            edit(root, "shadowing/record-orders-complaints.yaml", after: ["title: "], replace: " ", with: ": "))
        expected.append(
            .init(
                file: "shadowing/record-orders-complaints.yaml", line: at.line, column: at.column,
                message: "YAML syntax error"))
        // 8. Not UTF-8: a module page.
        let badPage = "modules/inform-customers/01-opening-the-contact.md"
        var bytes = [UInt8](try read(root, badPage).utf8)
        bytes.append(contentsOf: [0xFF, 0xFE])
        let lastLine = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        try write(root, badPage, bytes: Data(bytes))
        expected.append(
            .init(
                file: badPage, line: lastLine.count, column: (lastLine.last?.count ?? 0) - 1, message: "not UTF-8 text"))
        // 9. A question without a correct answer.
        let question = try #require(place(of: "id: verify-when", in: root, "assessments/inform-customers.yaml"))
        try #require(
            edit(root, "assessments/inform-customers.yaml", after: ["- id: verify-when"], replace: "        correct: true\n", with: "")
                != nil)
        expected.append(
            .init(
                file: "assessments/inform-customers.yaml", line: question.line, column: question.column,
                message: "question 'verify-when' has no correct answer"))

        #expect(expected.count == 9)
        let result = load(root)
        #expect(result.curriculum == nil)
        for e in expected {
            expectDiagnostic(result, in: root, e.file, line: e.line, column: e.column, contains: e.message)
        }
        // Distinct diagnostics, one per breakage.
        let matched = Set(
            expected.compactMap { e in
                result.diagnostics.all.firstIndex { $0.file == "\(root.path)/\(e.file)" && $0.message.contains(e.message) }
            })
        #expect(matched.count == expected.count)
        #expect(result.diagnostics.errorCount >= expected.count)
        // Sorted output is grouped by file and ordered by position.
        let sorted = result.diagnostics.sorted
        #expect(sorted.count == result.diagnostics.all.count)
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.file == b.file {
            #expect(a.line < b.line || (a.line == b.line && a.column <= b.column))
        }
    }

    // MARK: Never a crash

    @Test func unreadableFolderIsADiagnostic() throws {
        let result = CurriculumLoader.load(folder: "/nonexistent/ladder-tests/\(UUID().uuidString)")
        #expect(result.curriculum == nil)
        #expect(result.diagnostics.all.count == 1)
        #expect(result.diagnostics.all.first?.message == "no such curriculum folder")
    }

    @Test func missingScaleWithNumericTargetsIsNotACrash() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let scale = try #require(yamlBlock(root, "curriculum.yaml", key: "scale:"))
        let at = try #require(edit(root, "curriculum.yaml", replace: scale, with: "scale: follow\n"))
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(
            result, in: root, "curriculum.yaml", line: at.line, column: 8, contains: "'scale' must be a list, not a scalar")
        // Numeric targets cannot be resolved against an empty scale: reported, not a trap.
        let target = try #require(place(of: "  active-listening: 3\n", in: root, "levels/P1.yaml"))
        expectDiagnostic(
            result, in: root, "levels/P1.yaml", line: target.line, column: target.column + "  active-listening: ".count,
            contains: "proficiency '3' for skill 'active-listening' is not on the scale")
    }
}

/// One bad input for `BadInputTests.oneBadEditGivesOneClearError`: replace `replace` (the
/// first one after `anchors`, or the only one) with `with` in `file` of a sample copy.
struct BadEdit: Sendable, CustomTestStringConvertible {
    /// Where the error must point.
    enum Place: Sendable {
        /// On the edit's line, `columns` after its first character.
        case edit(columns: Int)
        /// Column 1 of the line after the edit's first character (an edit that starts with "\n").
        case nextLine
        /// At the first `needle` after `anchors`, found before the edit.
        case text(String, after: [String])
    }

    var name: String
    var file: String
    var anchors: [String] = []
    var replace: String
    var with: String
    var at: Place
    var message: String
    var testDescription: String { name }

    static let quiz = "assessments/inform-customers.yaml"

    static let table: [BadEdit] = [
        // Syntax and types
        BadEdit(
            name: "YAML syntax error", file: "levels/P2.yaml", replace: "title: Customer Service Representative II",
            with: "title: Customer: Service Representative II", at: .edit(columns: "title: Customer".count),
            message: "YAML syntax error: mapping values are not allowed"),
        BadEdit(
            name: "rank is text", file: "levels/P2.yaml", replace: "rank: 2\n", with: "rank: \"two\"\n",
            at: .edit(columns: "rank: ".count), message: "'rank' must be a whole number, not 'two'"),
        BadEdit(
            name: "skills is text, not a list", file: "levels/P2.yaml", anchors: ["- id: handle-sensitive-interactions"],
            replace: "skills: [empathy, active-listening, speaking, problem-solving]", with: "skills: empathy",
            at: .edit(columns: "skills: ".count), message: "'responsibilities[0].skills' must be a list, not a scalar"),
        BadEdit(
            name: "mastery score is text", file: quiz, replace: "mastery_score: 80\n", with: "mastery_score: high\n",
            at: .edit(columns: "mastery_score: ".count), message: "'mastery_score' must be a whole number, not 'high'"),
        BadEdit(
            name: "a draw bigger than the bank", file: quiz, replace: "draw: 5\n", with: "draw: 12\n",
            at: .edit(columns: "draw: ".count), message: "'draw: 12' asks for more questions than the bank has (10)"),
        BadEdit(
            name: "image link that is only a fragment", file: "modules/inform-customers/02-explaining-clearly.md",
            replace: "# Explaining products and services clearly\n", with: "![A diagram](#)\n# Explaining products and services clearly\n",
            at: .edit(columns: 0), message: "image: the path is empty"),
        BadEdit(
            name: "image link that is only a query", file: "modules/inform-customers/02-explaining-clearly.md",
            replace: "# Explaining products and services clearly\n", with: "![A diagram](?v=2)\n# Explaining products and services clearly\n",
            at: .edit(columns: 0), message: "image: the path is empty"),
        BadEdit(
            name: "page minutes is text", file: "modules/inform-customers/01-opening-the-contact.md", replace: "minutes: 6\n",
            with: "minutes: six\n", at: .edit(columns: "minutes: ".count), message: "'minutes' must be a whole number, not 'six'"),
        // Keys
        BadEdit(
            name: "unknown key, typo of a level key", file: "levels/P1.yaml", replace: "\nsummary: ", with: "\nsumary: ",
            at: .nextLine, message: "unknown key 'sumary' (did you mean 'summary'?)"),
        BadEdit(
            name: "unknown key, typo of a shadowing key", file: "shadowing/inform-customers.yaml", replace: "\nsetting: ",
            with: "\nseting: ", at: .nextLine, message: "unknown key 'seting' (did you mean 'setting'?)"),
        BadEdit(
            name: "question type not one of the four", file: quiz, anchors: ["- id: opening-order"], replace: "type: single",
            with: "type: singel", at: .edit(columns: "type: ".count),
            message: "'questions[0].type' is 'singel'; expected one of: single, multiple, true-false, scenario (did you mean 'single'?)"),
        // Ids and references
        BadEdit(
            name: "responsibility id repeated across levels", file: "levels/P2.yaml",
            replace: "- id: handle-sensitive-interactions\n", with: "- id: inform-customers\n", at: .edit(columns: "- id: ".count),
            message: "duplicate responsibility id 'inform-customers' (first defined at level P1)"),
        BadEdit(
            name: "unknown skill, typo", file: "levels/P2.yaml", anchors: ["- id: handle-sensitive-interactions", "skills: ["],
            replace: "empathy,", with: "empathie,", at: .edit(columns: 0), message: "unknown skill 'empathie' (did you mean 'empathy'?)"),
        BadEdit(
            name: "unknown level in frameworks", file: "frameworks.yaml", anchors: ["- id: account-lookups"], replace: "level: P1\n",
            with: "level: P7\n", at: .edit(columns: "level: ".count), message: "unknown level 'P7'"),
        BadEdit(
            name: "unknown responsibility in after, typo", file: "levels/P1.yaml", anchors: ["- id: record-orders-complaints"],
            replace: "after: [inform-customers]", with: "after: [inform-customer]", at: .edit(columns: "after: [".count),
            message: "unknown responsibility 'inform-customer' in 'after' (did you mean 'inform-customers'?)"),
        BadEdit(
            name: "level listed without its file", file: "curriculum.yaml", replace: "levels: [P1, P2, P3, P4, P5]",
            with: "levels: [P1, P2, P3, P4, P5, P6]", at: .edit(columns: "levels: [P1, P2, P3, P4, P5, ".count),
            message: "'levels/P6.yaml' does not exist"),
        // Levels and scale
        BadEdit(
            name: "ranks out of order", file: "levels/P3.yaml", replace: "rank: 3\n", with: "rank: 4\n",
            at: .edit(columns: "rank: ".count), message: "levels out of order: 'P3' has rank 4 but is listed 3rd"),
    ]
        + ["7", "expert"].map { step in
            BadEdit(
                name: "proficiency '\(step)' outside the scale", file: "levels/P1.yaml", anchors: ["\nskills:\n"],
                replace: "  active-listening: 3\n", with: "  active-listening: \(step)\n", at: .edit(columns: "  active-listening: ".count),
                message: "proficiency '\(step)' for skill 'active-listening' is not on the scale (0=none, 1=follow")
        }
        // Assessments
        + ["101", "-1"].map { score in
            BadEdit(
                name: "mastery score \(score)", file: quiz, replace: "mastery_score: 80\n", with: "mastery_score: \(score)\n",
                at: .edit(columns: "mastery_score: ".count), message: "'mastery_score' is \(score); it must be between 0 and 100")
        }
        + [
            BadEdit(
                name: "question without a correct answer", file: quiz, anchors: ["- id: opening-order"],
                replace: "        correct: true\n", with: "", at: .text("id: opening-order", after: []),
                message: "question 'opening-order' has no correct answer"),
            BadEdit(
                name: "single choice with two correct options", file: quiz, anchors: ["- id: opening-order", "- text:", "- text:"],
                replace: "\n", with: "\n        correct: true\n", at: .text("id: opening-order", after: []),
                message: "question 'opening-order' is type 'single' but has 2 correct options"),
            BadEdit(
                name: "true-false with other options", file: quiz, anchors: ["- id: verify-when"], replace: "- text: \"True\"",
                with: "- text: \"Yes\"", at: .text("id: verify-when", after: []),
                message: "true-false question 'verify-when' needs exactly two options, \"True\" and \"False\""),
        ]
}
