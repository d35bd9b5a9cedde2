import Foundation
import TestSupport
import Testing

/// `ladder export …` end to end: the binary, its files, its errors and exit codes.
@Suite("ladder export")
struct ExportCLITests {
    @Test func moodleCompetenciesIsWrittenWholeAndTheSameTwice() throws {
        let root = try Ladder.copySample()
        let parent = root.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: parent) }
        let a = parent.appendingPathComponent("a.csv")
        let b = parent.appendingPathComponent("b.csv")
        for out in [a, b] {
            let run = try Ladder.run(["export", "moodle-competencies", root.path, "--out", out.path])
            #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        }
        let bytes = try Data(contentsOf: a)
        #expect(bytes == (try Data(contentsOf: b)))
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("\"Parent ID number\",\"ID number\",\"Short name\",Description,"))
        let stdout = try Ladder.run(["export", "moodle-competencies", root.path])
        #expect(Data(stdout.stdout.utf8) == bytes, "standard output holds the same file")
    }

    @Test func badInputWritesNothingAndNamesTheField() throws {
        let root = try Ladder.copySample()
        let parent = root.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: parent) }
        let place = try #require(
            edit(root, "levels/P3.yaml", replace: "title: Senior Customer Service Representative", with: "title: " + String(repeating: "x", count: 97)))
        let out = parent.appendingPathComponent("framework.csv")
        let run = try Ladder.run(["export", "moodle-competencies", root.path, "-o", out.path])
        #expect(run.status == 1)
        #expect(
            run.stderr
                == "\(root.path)/levels/P3.yaml:\(place.line):\(place.column + 7): error: field 'title': the Moodle short name 'P3: \(String(repeating: "x", count: 97))' has 101 characters; Moodle keeps 100 and cuts the rest\n1 error, 0 warnings\n",
            "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["customer-service"], "no temporary file left")
    }

    @Test func talentLMSUsersNeedsContactColumnsAndWritesTheCourses() throws {
        let root = try Ladder.copySample()
        let parent = root.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: parent) }
        // The sample cohort has no e-mail addresses: refused, learner by learner.
        let cohort = root.appendingPathComponent("learners/cohort.csv").path
        let refused = try Ladder.run(["export", "talentlms-users", root.path, "--learners", cohort])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("\(cohort):2:1: error: learner 'amara': field 'first_name' is missing;"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
        let learners = parent.appendingPathComponent("people.csv")
        try """
            learner_id,name,email,first_name,last_name,current_level,target_level
            amara,Amara Nwosu,amara@example.com,Amara,Nwosu,P1,P2

            """.write(to: learners, atomically: true, encoding: .utf8)
        let out = parent.appendingPathComponent("users.csv")
        let run = try Ladder.run(["export", "talentlms-users", root.path, "--learners", learners.path, "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            try String(contentsOf: out, encoding: .utf8)
                == "Login,Firstname,Lastname,Email,Course\r\namara,Amara,Nwosu,amara@example.com,Promotion from P1 to P2: Customer Service Representative II\r\n")
        let onto = try Ladder.run(["export", "talentlms-users", root.path, "--learners", learners.path, "--out", learners.path])
        #expect(onto.status == 73, "never over an input")
    }
}
