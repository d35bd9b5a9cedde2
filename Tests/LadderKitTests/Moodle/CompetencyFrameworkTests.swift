import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderMoodle

/// `ladder export moodle-competencies`: the file Moodle's *Import competency framework* reads
/// (admin/tool/lpimportcsv), checked column by column, read back as PHP reads it.
@Suite("Moodle competency framework CSV")
struct CompetencyFrameworkTests {
    /// The header line of a framework exported by Moodle 4.5.6 itself (framework_exporter,
    /// lang/en/tool_lpimportcsv.php), byte for byte.
    static let moodleHeaderLine =
        #""Parent ID number","ID number","Short name",Description,"Description format","Scale values","Scale configuration","Rule type (optional)","Rule outcome (optional)","Rule config (optional)","Cross-referenced competency ID numbers","Exported ID (optional)","Is framework",Taxonomy"#
        + "\n"

    static func sample() throws -> (Curriculum, String) {
        let folder = TestSupport.sample.path
        let result = CurriculumLoader.load(folder: folder)
        let c = try #require(result.curriculum, "\(result.diagnostics.sorted)")
        return (c, folder)
    }

    @Test func theHeaderIsTheOneMoodleWrites() throws {
        let (c, folder) = try Self.sample()
        let text = try #require(MoodleCompetencyFramework.csv(c, folder: folder).text)
        #expect(String(text.prefix { $0 != "\n" }) + "\n" == Self.moodleHeaderLine)
        #expect(MoodleCompetencyFramework.header.count == 14)
    }

    /// With a Moodle source tree (`LADDER_MOODLE_ROOT`, e.g. /work/moodle/www), the column order
    /// is read from the importer's own `list_required_headers()` and its English strings.
    @Test func theColumnsAreTheImportersInItsOrder() throws {
        guard let root = ProcessInfo.processInfo.environment["LADDER_MOODLE_ROOT"] else {
            print("skipped: set LADDER_MOODLE_ROOT to a Moodle source tree to compare with its importer")
            return
        }
        let tool = URL(fileURLWithPath: root).appendingPathComponent("admin/tool/lpimportcsv")
        let importer = try String(contentsOf: tool.appendingPathComponent("classes/framework_importer.php"), encoding: .utf8)
        let lang = try String(contentsOf: tool.appendingPathComponent("lang/en/tool_lpimportcsv.php"), encoding: .utf8)
        let body = try #require(importer.range(of: "function list_required_headers()").map { importer[$0.upperBound...] })
        let end = try #require(body.range(of: ");"))
        let keys = body[..<end.lowerBound].matches(of: /get_string\('([a-z]+)', 'tool_lpimportcsv'\)/).map { String($0.1) }
        #expect(keys.count == 14)
        let strings = keys.map { key -> String in
            let m = lang.firstMatch(of: try! Regex("\\$string\\['\(key)'\\] = '([^']*)';"))
            return m.map { String($0.output[1].substring ?? "") } ?? "?"
        }
        #expect(strings == MoodleCompetencyFramework.header)
    }

    @Test func theTreeRulesAndScaleReadBackAsPHPReadsThem() throws {
        let (c, folder) = try Self.sample()
        let text = try #require(MoodleCompetencyFramework.csv(c, folder: folder).text)
        var records = MoodleCSVReader.records(text)
        let dir = try TestSupport.temporaryFolder("moodle-csv")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("framework.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        if let php = try PHPReader.records(file) {
            #expect(php == records, "PHP's fgetcsv reads the same fields")
        } else {
            print("note: php not installed; read with the PHP-dialect reader in the test only")
        }
        #expect(records.removeFirst() == MoodleCompetencyFramework.header)
        #expect(records.allSatisfy { $0.count == 14 })
        // The framework row.
        let framework = records.removeFirst()
        #expect(framework[0] == "" && framework[1] == "ladder.customer-service" && framework[2] == c.title)
        #expect(framework[12] == "1", "Is framework")
        #expect(framework[5] == "Not yet competent,Competent")
        #expect(framework[13] == "level,competency")
        let config = try JSONSerialization.jsonObject(with: Data(framework[6].utf8)) as? [[String: Any]]
        #expect(config?.count == 2)
        #expect(config?[0]["scaleid"] as? String == "2")
        #expect(config?[1]["id"] as? Int == 2 && config?[1]["scaledefault"] as? Int == 1 && config?[1]["proficient"] as? Int == 1)
        // Levels at the top, each with its responsibilities below it.
        #expect(records.count == c.levels.count + c.responsibilities.count)
        #expect(records.allSatisfy { $0[12] == "" && $0[4] == "1" && $0[5] == "" && $0[6] == "" })
        let ids = Set(records.map { $0[1] })
        #expect(ids.count == records.count, "id numbers are unique")
        for level in c.levels {
            let row = try #require(records.first { $0[1] == "customer-service.\(level.id)" })
            #expect(row[0] == "")
            #expect(row[2] == "\(level.id): \(level.title)")
            #expect(row[7] == #"core_competency\competency_rule_all"#)
            #expect(row[8] == "2", "OUTCOME_COMPLETE")
            #expect(row[9] == "null", "competency_rule_all takes no config")
            let children = records.filter { $0[0] == row[1] }.map { $0[1] }
            #expect(children == level.responsibilities.map { "customer-service.\(level.id).\($0.id)" })
        }
        for r in c.responsibilities {
            let row = try #require(records.first { $0[1] == "customer-service.\(r.level).\(r.id)" })
            #expect(row[7] == "" && row[8] == "0" && row[9] == "null")
            #expect(row[2] == r.module?.title)
            #expect(row[3].hasPrefix("<p>") && row[3].contains("Skills: "))
            #expect(row[1].count <= 100 && row[2].count <= 100)
        }
    }

    @Test func twoRunsGiveTheSameBytes() throws {
        let (c, folder) = try Self.sample()
        let a = MoodleCompetencyFramework.csv(c, folder: folder).text
        let again = CurriculumLoader.load(folder: folder).curriculum!
        let b = MoodleCompetencyFramework.csv(again, folder: folder).text
        #expect(a != nil && a == b)
    }

    @Test func theSampleHasNothingMoodleWouldChange() throws {
        let (c, folder) = try Self.sample()
        #expect(MoodleCompetencyFramework.check(c, folder: folder).all.isEmpty)
    }

    @Test func anIDNumberOver100CharactersIsNamedWithItsFileLineAndField() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let long = "inform-customers-by-phone-and-face-to-face-about-products-and-se"  // 64 characters
        #expect(long.count == 64)
        edit(root, "curriculum.yaml", replace: "id: customer-service", with: "id: customer-service-representatives-north")
        edit(root, "levels/P1.yaml", replace: "after: [inform-customers]", with: "after: [\(long)]")
        edit(root, "levels/P1.yaml", replace: "after: [inform-customers, ", with: "after: [\(long), ")
        let place = try #require(edit(root, "levels/P1.yaml", replace: "id: inform-customers", with: "id: \(long)"))
        let c = try #require(load(root).curriculum)
        let d = MoodleCompetencyFramework.check(c, folder: root.path)
        let text = d.sorted.map(\.description)
        #expect(
            text == [
                "\(root.path)/levels/P1.yaml:\(place.line):\(place.column + 4): error: field 'id': the Moodle id number 'customer-service-representatives-north.P1.\(long)' has 106 characters; Moodle keeps 100 (shorten the curriculum, level or responsibility id)"
            ], "\(text)")
        #expect(MoodleCompetencyFramework.csv(c, folder: root.path).text == nil, "nothing to write")
    }

    @Test func aShortNameOverMoodlesLimitOrWithATagIsRefused() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let title = String(repeating: "Informing customers ", count: 6) + "!"  // 121 characters
        let module = try #require(
            edit(root, "levels/P1.yaml", replace: "title: Informing customers about products and services", with: "title: \(title)"))
        let level = try #require(edit(root, "levels/P2.yaml", replace: "title: Customer Service Representative II\n", with: "title: <b>Senior</b> Customer Service Representative II\n"))
        let c = try #require(load(root).curriculum)
        let text = MoodleCompetencyFramework.check(c, folder: root.path).sorted.map(\.description)
        #expect(text.count == 2, "\(text)")
        #expect(
            text.first
                == "\(root.path)/levels/P1.yaml:\(module.line):\(module.column + 7): error: field 'training.module.title': the Moodle short name '\(title)' has 121 characters; Moodle keeps 100 and cuts the rest"
        )
        #expect(text.last?.hasPrefix("\(root.path)/levels/P2.yaml:\(level.line):\(level.column + 7): error: field 'title': the Moodle short name 'P2: <b>Senior</b>") == true)
        #expect(text.last?.hasSuffix("holds '<', which Moodle's import strips as HTML") == true)
    }

    @Test func phpQuotingMatchesFputcsv() {
        #expect(CSVField.phpLine(["a", "b c", "", "x,y", #"say "hi""#, #"core\rule"#, "=1", "-2"]) == #"a,"b c",,"x,y","say ""hi""","core\rule",=1,-2"# + "\n")
        // A quote right after a backslash is not doubled (PHP's escape character).
        #expect(CSVField.phpLine([#"a\"b"#]) == #""a\"b""# + "\n")
    }
}
