import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderMoodle

/// `ladder export talentlms-users`: TalentLMS's user import file, each learner enrolled in the
/// courses of their track.
@Suite("TalentLMS users CSV")
struct TalentLMSUsersTests {
    static let cohort = """
        learner_id,name,email,first_name,last_name,current_level,target_level,empathy
        amara,Amara Nwosu,amara@example.com,Amara,Nwosu,P1,P2,1
        dana,Dana Levi,dana@example.com,Dana,Levi,P2,P2,
        ines,Inês Duarte,ines@example.com,Inês,"Duarte, da Silva",P1,P3,

        """

    static func setUp(_ text: String = cohort) throws -> (Curriculum, Plan, LearnerProfilesResult) {
        let c = try #require(CurriculumLoader.load(folder: TestSupport.sample.path).curriculum)
        let plan = Planner.plan(c)
        return (c, plan, LearnerProfileLoader.parse(text: text, format: .csv, displayPath: "learners.csv", curriculum: c))
    }

    @Test func eachLearnerGetsTheCoursesOfTheirLevelTrack() throws {
        let (c, plan, read) = try Self.setUp()
        #expect(!read.diagnostics.hasErrors, "\(read.diagnostics.sorted)")
        let text = try #require(
            TalentLMSUsers.csv(learners: read.profiles, source: "learners.csv", curriculum: c, plan: plan, enrolment: .levels).text)
        let rows = MoodleCSVReader.records(text.replacingOccurrences(of: "\r\n", with: "\n"))
        #expect(rows[0] == ["Login", "Firstname", "Lastname", "Email", "Course", "Course"])
        let title = { (id: String) in try #require(plan.track(id)).title }
        #expect(rows[1] == ["amara", "Amara", "Nwosu", "amara@example.com", try title("promotion-P1-P2"), ""])
        #expect(rows[2] == ["dana", "Dana", "Levi", "dana@example.com", try title("onboarding-P2"), ""])
        #expect(rows[3] == ["ines", "Inês", "Duarte, da Silva", "ines@example.com", try title("promotion-P1-P2"), try title("promotion-P2-P3")])
        #expect(text.hasSuffix("\r\n") && rows.count == 4)
        let again = TalentLMSUsers.csv(learners: read.profiles, source: "learners.csv", curriculum: c, plan: plan, enrolment: .levels).text
        #expect(again == text, "the same bytes twice")
    }

    @Test func withGapTracksALearnerGetsTheirPersonalCourse() throws {
        let (c, plan, read) = try Self.setUp()
        let report = GapAnalyzer.analyze(c, plan: plan, learners: read.profiles)
        let text = try #require(
            TalentLMSUsers.csv(learners: read.profiles, source: "learners.csv", curriculum: c, plan: plan, enrolment: .gaps, gaps: report).text)
        let rows = MoodleCSVReader.records(text.replacingOccurrences(of: "\r\n", with: "\n"))
        let amara = try #require(report.learner("amara")?.track)
        let track = try #require(report.tracks.first { $0.id == amara })
        #expect(rows[1].last == "\(track.title) (\(track.id))")
        #expect(rows[1].last?.hasPrefix("Skill-gap track: ") == true)
        #expect(rows.allSatisfy { $0.count == rows[0].count })
    }

    @Test func aMissingOrBadFieldIsNamedWithTheLearnersLine() throws {
        let (c, plan, read) = try Self.setUp(
            """
            learner_id,name,email,first_name,current_level,target_level
            amara,Amara Nwosu,amara@example.com,Amara,P1,P2
            bruno,Bruno Costa,bruno-at-example.com,=HYPERLINK(1),P1,P2

            """)
        #expect(!read.diagnostics.hasErrors)
        let result = TalentLMSUsers.csv(learners: read.profiles, source: "learners.csv", curriculum: c, plan: plan, enrolment: .levels)
        #expect(result.text == nil)
        #expect(
            result.diagnostics.sorted.map(\.description) == [
                "learners.csv:2:1: error: learner 'amara': field 'last_name' is missing; TalentLMS needs a login, first name, last name and e-mail for every user (add the column; see docs/moodle.md)",
                "learners.csv:3:1: error: learner 'bruno': field 'first_name' starts with '=', which a spreadsheet runs as a formula; TalentLMS would keep any guard character",
                "learners.csv:3:1: error: learner 'bruno': field 'last_name' is missing; TalentLMS needs a login, first name, last name and e-mail for every user (add the column; see docs/moodle.md)",
                "learners.csv:3:1: error: learner 'bruno': field 'email' 'bruno-at-example.com' is not an e-mail address",
            ])
    }

    @Test func theYAMLCohortTakesTheSameContactKeys() throws {
        let c = try #require(CurriculumLoader.load(folder: TestSupport.sample.path).curriculum)
        let read = LearnerProfileLoader.parse(
            text: """
                learners:
                  - id: amara
                    email: amara@example.com
                    first_name: Amara
                    last_name: Nwosu
                    current_level: P1
                    target_level: P2
                """, format: .yaml, displayPath: "l.yaml", curriculum: c)
        #expect(!read.diagnostics.hasErrors, "\(read.diagnostics.sorted)")
        #expect(read.profiles.first?.email == "amara@example.com" && read.profiles.first?.lastName == "Nwosu")
    }
}
