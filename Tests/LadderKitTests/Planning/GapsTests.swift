import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// Skill-gap analysis of the sample cohort (curricula/customer-service/learners/cohort.csv):
/// the gaps, the items chosen and why, the shared packages, and every kind of bad input.
struct GapsTests {
    static let cohort = TestSupport.sample.appendingPathComponent("learners/cohort.csv").path
    static let fixtures = TestSupport.repoRoot.appendingPathComponent("Tests/LadderKitTests/Fixtures/learners")

    static func sample() throws -> (Curriculum, Plan) {
        let result = CurriculumLoader.load(folder: TestSupport.sample.path)
        let c = try #require(result.curriculum, "the sample must load: \(result.diagnostics.sorted)")
        return (c, Planner.plan(c))
    }

    static func report(_ path: String = cohort) throws -> (Curriculum, Plan, GapReport) {
        let (c, plan) = try sample()
        let loaded = LearnerProfileLoader.load(path: path, curriculum: c)
        #expect(!loaded.diagnostics.hasErrors, "\(loaded.diagnostics.sorted)")
        return (c, plan, GapAnalyzer.analyze(c, plan: plan, learners: loaded.profiles))
    }

    static func learner(_ r: GapReport, _ id: String) throws -> LearnerGaps {
        try #require(r.learner(id), "learner \(id) is in the report")
    }

    // MARK: Gaps

    @Test func sampleCohortLoadsWithEveryLearnerInFileOrder() throws {
        let (_, _, r) = try Self.report()
        #expect(r.learners.map(\.learner) == ["amara", "bruno", "chen", "dana", "eli", "femi", "gwen", "hana", "ines"])
        let femi = try Self.learner(r, "femi")
        #expect(femi.name == "Okafor, Femi", "a quoted CSV field keeps its comma")
        #expect(femi.currentLevel == "P1" && femi.targetLevel == "P3")
    }

    @Test func sampleCohortGivesTheExpectedGaps() throws {
        let (_, _, r) = try Self.report()
        func gaps(_ id: String) throws -> [String: Int] {
            Dictionary(uniqueKeysWithValues: try Self.learner(r, id).skills.filter { $0.gap > 0 }.map { ($0.skill, $0.gap) })
        }
        #expect(try gaps("amara") == ["speaking": 1, "empathy": 1])
        #expect(try gaps("bruno") == ["speaking": 1, "empathy": 1], "steps given by id and name ('assist', 'Assist')")
        #expect(try gaps("chen") == ["analytical-skills": 1, "metrics-fluency": 1])
        #expect(try gaps("dana") == [:])
        #expect(try gaps("eli") == ["technological-fluency": 1])
        #expect(try gaps("femi") == ["problem-solving": 2])
        #expect(try gaps("gwen") == ["crm-proficiency": 1], "a gap against the learner's own level")
        #expect(try gaps("hana") == ["training-development": 1], "'Ensure/advise' is step 5, P5 requires 6")
        #expect(try gaps("ines") == ["customer-advocacy": 2, "training-development": 3])

        // Required and current steps, as the report gives them.
        let amara = try Self.learner(r, "amara")
        let empathy = try #require(amara.skills.first { $0.skill == "empathy" })
        #expect(empathy.required == 3 && empathy.current == 2 && empathy.assessed)
        // A blank cell is not assessed: taken as the current level's target (P4 empathy: advise = 5).
        let hana = try Self.learner(r, "hana")
        let hanaEmpathy = try #require(hana.skills.first { $0.skill == "empathy" })
        #expect(!hanaEmpathy.assessed && hanaEmpathy.current == 5 && hanaEmpathy.gap == 0)
        #expect(hana.skills.map(\.skill).count == 12, "every skill of the curriculum, gap or not")
    }

    @Test func sampleCohortChoosesTheExpectedItems() throws {
        let (_, _, r) = try Self.report()
        func all(_ resps: [String]) -> Set<String> {
            Set(resps.flatMap { ["\($0).module", "\($0).assessment", "\($0).shadowing"] })
        }
        // Amara: the P2 responsibilities that develop speaking or empathy, and the module
        // they wait for (handle-escalated-tickets is at P2, above her current level).
        let amara = try Self.learner(r, "amara")
        #expect(Set(amara.items) == all(["handle-sensitive-interactions", "mentor-junior-staff", "document-complex-cases"]).union(["handle-escalated-tickets.module"]))
        #expect(Set(try Self.learner(r, "amara").skills.first { $0.skill == "speaking" }!.responsibilities)
            == ["handle-sensitive-interactions", "mentor-junior-staff", "document-complex-cases"])
        // Chen: one P3 responsibility; its P2 prerequisite is his own level, taken as done.
        let chen = try Self.learner(r, "chen")
        #expect(chen.items == ["analyze-service-metrics.module", "analyze-service-metrics.assessment", "analyze-service-metrics.shadowing"])
        let feedback = try #require(chen.decisions.first { $0.item == "analyze-feedback-patterns.module" })
        #expect(!feedback.chosen && feedback.reason.contains("taken as done"))
        // Eli: the P4 responsibility for technological fluency plus the P4 module it follows.
        let eli = try Self.learner(r, "eli")
        #expect(eli.items == ["inform-service-strategy.module", "evaluate-service-tools.module", "evaluate-service-tools.assessment", "evaluate-service-tools.shadowing"])
        let pre = try #require(eli.decisions.first { $0.item == "inform-service-strategy.module" })
        #expect(pre.chosen && pre.reason == "prerequisite of evaluate-service-tools.module")
        let develops = try #require(eli.decisions.first { $0.item == "evaluate-service-tools.module" })
        #expect(develops.reason.contains("Technological Fluency (P4 requires Enable (4), the learner is at Apply (3))"))
        // Gwen: below her own level in CRM; P2's other prerequisites are her level, taken as done.
        let gwen = try Self.learner(r, "gwen")
        #expect(Set(gwen.items) == all(["handle-escalated-tickets", "mentor-junior-staff", "document-complex-cases"]))
        // Hana: P5's responsibility for training development and its chain of P5 modules.
        let hana = try Self.learner(r, "hana")
        #expect(Set(hana.items) == all(["represent-service-practice"]).union(["champion-customer-voice.module", "lead-service-quality.module"]))
        // Nothing above the target level; every level above it is left out with that reason.
        for l in r.learners {
            for d in l.decisions where !d.chosen && d.reason.contains("above the target level") {
                #expect(!l.items.contains(d.item))
            }
        }
    }

    @Test func everyTrackIsInPlanOrderWithItsPrerequisitesInsideOrTakenAsDone() throws {
        let (c, plan, r) = try Self.report()
        for l in r.learners {
            let position = Dictionary(uniqueKeysWithValues: l.items.enumerated().map { ($1, $0) })
            let planOrder = plan.items.map(\.id).filter { position[$0] != nil }
            #expect(planOrder == l.items, "\(l.learner): plan order")
            let current = try #require(c.levelIndex(l.currentLevel))
            let target = try #require(c.levelIndex(l.targetLevel))
            for id in l.items {
                let item = try #require(plan.item(id))
                let itemLevel = try #require(c.levelIndex(item.level))
                #expect(itemLevel <= target, "\(l.learner): \(id) is not above the target level")
                for p in item.prerequisites {
                    if let before = position[p] {
                        #expect(before < position[id]!, "\(l.learner): \(p) comes before \(id)")
                    } else {
                        let pre = try #require(plan.item(p))
                        let level = try #require(c.levelIndex(pre.level))
                        #expect(level <= current, "\(l.learner): \(p), left out, is at or below the current level")
                    }
                }
            }
            #expect(l.decisions.count == plan.items.count, "one decision per plan item")
            #expect(l.decisions.filter(\.chosen).map(\.item) == l.items)
        }
    }

    // MARK: Tracks and packages

    @Test func learnersWithTheSameGapSetShareOneTrackAndNoGapLearnerGetsNone() throws {
        let (_, _, r) = try Self.report()
        let amara = try Self.learner(r, "amara")
        let bruno = try Self.learner(r, "bruno")
        #expect(amara.track != nil && amara.track == bruno.track)
        #expect(try Self.learner(r, "dana").track == nil)
        #expect(r.tracks.count == 7, "9 learners, one without gaps, amara and bruno sharing")
        #expect(r.tracks.map(\.id) == r.tracks.map(\.id).sorted())
        let by = r.learnersByTrack
        #expect(by[try #require(amara.track)] == ["amara", "bruno"])
        #expect(!by.values.joined().contains("dana"))
        for t in r.tracks {
            #expect(t.kind == .gaps && !t.items.isEmpty)
            #expect(t.id.range(of: "^gaps-[0-9a-f]{10}$", options: .regularExpression) != nil, "\(t.id)")
            #expect(t.id == GapAnalyzer.trackID(t.items))
            #expect(t.title.hasPrefix("Skill-gap track: "))
        }
        #expect(r.tracks.first { $0.id == amara.track }?.title == "Skill-gap track: Speaking, Empathy")
        // The id depends on the items only: the known digest of Chen's three items.
        let h = SHA256Hasher()
        h.update(["analyze-service-metrics.assessment", "analyze-service-metrics.module", "analyze-service-metrics.shadowing"].joined(separator: "\n"))
        #expect(try Self.learner(r, "chen").track == "gaps-" + h.finalize().prefix(10))
    }

    @Test func aLaterCohortBuildSupersedesItsLearnersEarlierGapPackages() throws {
        let (c, plan, first) = try Self.report()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-gaps-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        func build(_ r: GapReport) throws -> Ledger {
            let request = BuildRequest(tracks: r.tracks, lms: .moodle, mode: .track, outputFolder: out, schemasFolder: nil, jobs: 1)
            return try PackageBuilder(curriculum: c, plan: plan)
                .build(request, learnersByTrack: r.learnersByTrack, cohort: Set(r.learners.map(\.learner)))
        }
        _ = try build(first)
        let chenBefore = try #require(try Self.learner(first, "chen").track)
        let amaraBefore = try #require(try Self.learner(first, "amara").track)

        // A second, smaller cohort: Chen has closed her gaps, Amara's changed; the other
        // learners are not in it and keep their packages.
        let text = try String(contentsOfFile: Self.cohort, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = text[0].split(separator: ",").map(String.init)
        func row(_ id: String) -> [String] { text.first { $0.hasPrefix(id + ",") }!.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        var chen = row("chen")
        var amara = row("amara")
        for (i, h) in header.enumerated() {
            if h == "analytical-skills" || h == "metrics-fluency" { chen[i] = "6" }
            if h == "speaking" { amara[i] = "6" }
        }
        let second = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-cohort-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: second) }
        try ([text[0], chen.joined(separator: ","), amara.joined(separator: ",")].joined(separator: "\n") + "\n").write(to: second, atomically: true, encoding: .utf8)
        let (_, _, later) = try Self.report(second.path)
        #expect(try Self.learner(later, "chen").track == nil, "Chen has no gaps left")
        let amaraAfter = try #require(try Self.learner(later, "amara").track)
        #expect(amaraAfter != amaraBefore)

        let ledger = try build(later)
        let root = out.appendingPathComponent("customer-service")
        var packageOf: [String: String] = [:]
        for p in ledger.packages {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(p.path).path), "\(p.path) is on disk")
            for l in p.learners ?? [] {
                #expect(packageOf[l] == nil, "\(l) is in one package only")
                packageOf[l] = p.track
            }
        }
        #expect(packageOf["chen"] == nil)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(chenBefore).path), "Chen's old package and folder are gone")
        #expect(packageOf["amara"] == amaraAfter)
        // Bruno shared Amara's old gap set; he is not in the second cohort, so that package stays, now for him alone.
        #expect(packageOf["bruno"] == amaraBefore)
        #expect(ledger.packages.first { $0.track == amaraBefore }?.learners == ["bruno"])
        #expect(Set(packageOf.keys) == ["amara", "bruno", "eli", "femi", "gwen", "hana", "ines"])
        let onDisk = try JSONDecoder().decode(Ledger.self, from: Data(contentsOf: root.appendingPathComponent("ledger.json")))
        #expect(onDisk == ledger)
    }

    @Test func analysisIsDeterministicAndIndependentOfRowOrder() throws {
        let (c, plan, r) = try Self.report()
        let again = try Self.report().2
        #expect(try GapsJSON.encode(r) == GapsJSON.encode(again))
        #expect(GapsHTML.render(r, curriculum: c) == GapsHTML.render(again, curriculum: c))
        #expect(GapsCSV.render(r, curriculum: c) == GapsCSV.render(again, curriculum: c))

        let text = try String(contentsOfFile: Self.cohort, encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        let reversed = ([header] + lines.reversed()).joined(separator: "\n") + "\n"
        let loaded = LearnerProfileLoader.parse(text: reversed, format: .csv, displayPath: "reversed.csv", curriculum: c)
        let other = GapAnalyzer.analyze(c, plan: plan, learners: loaded.profiles)
        #expect(other.tracks == r.tracks, "the same tracks, ids and titles whatever the row order")
        #expect(other.learnersByTrack == r.learnersByTrack)
    }

    @Test func buildWritesOnePackagePerDistinctGapSetAndTheLedgerMapsLearners() throws {
        let (c, plan, r) = try Self.report()
        func build(jobs: Int) throws -> (URL, Ledger) {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-gaps-\(UUID().uuidString)")
            let request = BuildRequest(tracks: r.tracks, lms: .moodle, mode: .track, outputFolder: out, schemasFolder: nil, jobs: jobs)
            return (out, try PackageBuilder(curriculum: c, plan: plan).build(request, learnersByTrack: r.learnersByTrack))
        }
        let (out, ledger) = try build(jobs: 2)
        let (again, ledger2) = try build(jobs: 1)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: again)
        }
        #expect(ledger.packages.count == 7)
        #expect(ledger == ledger2, "same cohort, same bytes")

        // The ledger on disk maps every learner with gaps to exactly one package.
        let onDisk = try JSONDecoder().decode(Ledger.self, from: Data(contentsOf: out.appendingPathComponent("customer-service/ledger.json")))
        var packageOf: [String: String] = [:]
        for p in onDisk.packages {
            for l in try #require(p.learners, "\(p.path) lists its learners") {
                #expect(packageOf[l] == nil, "\(l) is in one package only")
                packageOf[l] = p.path
            }
        }
        #expect(Set(packageOf.keys) == ["amara", "bruno", "chen", "eli", "femi", "gwen", "hana", "ines"])
        #expect(packageOf["amara"] == packageOf["bruno"])
        #expect(packageOf["dana"] == nil)

        let validator = try PackageValidator(schemasFolder: nil, lms: .moodle)
        for p in onDisk.packages {
            let path = out.appendingPathComponent("customer-service/\(p.path)").path
            let report = validator.validate(path: path)
            #expect(report.valid, "\(p.path): \(report.errors.map(\.message))")
            let track = try #require(r.tracks.first { $0.id == p.track })
            #expect(p.path == "\(track.id)/customer-service-\(track.id)-moodle.zip")
            #expect(p.items == track.items)
            // The SCO identifiers come from the item ids (stable LMS tracking).
            let zip = try ZipReader(path: path)
            let manifest = try XMLDocument(data: try #require(try zip.read("imsmanifest.xml")), name: p.path)
            let ids = manifest.root.descendants.filter { $0.name == "item" }.compactMap { $0.attribute("identifier") }
            for item in track.items {
                let (resp, kind) = (item.split(separator: ".")[0], item.split(separator: ".")[1])
                #expect(ids.contains("ITEM-\(resp)-\(kind)"), "\(p.path) has ITEM-\(resp)-\(kind)")
            }
            #expect(manifest.root.attribute("identifier")?.contains(track.id) == true)
        }
    }

    @Test(.enabled(if: BuildTests.schemas != nil, "no SCORM schemas at ../shared/conformance/schemas or $LADDER_SCHEMAS: schema validation skipped"))
    func gapPackagesAreSchemaValid() throws {
        let (c, plan, r) = try Self.report()
        let schemas = try #require(BuildTests.schemas)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-gaps-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let request = BuildRequest(tracks: r.tracks, lms: .generic, mode: .track, outputFolder: out, schemasFolder: schemas, jobs: 2)
        let ledger = try PackageBuilder(curriculum: c, plan: plan).build(request, learnersByTrack: r.learnersByTrack)
        #expect(ledger.packages.count == 7)
        let validator = try PackageValidator(schemasFolder: schemas, lms: .generic)
        for p in ledger.packages {
            let report = validator.validate(path: out.appendingPathComponent("customer-service/\(p.path)").path)
            #expect(report.valid && report.schemaValidated, "\(p.path): \(report.errors.map(\.message))")
        }
    }

    // MARK: Output

    @Test func htmlHasAnAccessibleHeatmapAndEscapesText() throws {
        let (c, plan, r) = try Self.report()
        let html = GapsHTML.render(r, curriculum: c)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg ").count == 2, "one inline SVG")
        #expect(html.components(separatedBy: "<rect ").count - 1 == 9 * 12, "one cell per learner and skill")
        #expect(html.contains("<title id=\"heatmap-title\">") && html.contains("aria-labelledby=\"heatmap-title heatmap-desc\""))
        #expect(html.contains("<table aria-describedby=\"heatmap-heading\">"), "the table fallback")
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("<link") && !html.contains("url("), "self-contained")
        // Ines's training-development gap is 3: the darkest band, in SVG and table.
        #expect(html.contains("Inês Duarte (ines), Training Material Development: P3 requires Enable (4), has Follow (1), gap 3"))

        let hostile = "learner_id,name,current_level,target_level,empathy\nx<y,\"<script>alert(1)</script> & co\",P1,P2,1\n"
        let loaded = LearnerProfileLoader.parse(text: hostile, format: .csv, displayPath: "h.csv", curriculum: c)
        #expect(!loaded.diagnostics.hasErrors)
        let page = GapsHTML.render(GapAnalyzer.analyze(c, plan: plan, learners: loaded.profiles), curriculum: c)
        #expect(!page.contains("<script>") && page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"))
        #expect(!page.contains("x<y") && page.contains("x&lt;y"))
    }

    @Test func textCSVAndExplainSayWhat() throws {
        let (c, plan, r) = try Self.report()
        let text = GapsText.render(r, curriculum: c)
        #expect(text.contains("dana  Dana Levi  P2 → P2\n  no gaps: every skill meets P2; no track"))
        #expect(text.contains("No track (nothing to train): dana"))
        let csv = GapsCSV.render(r, curriculum: c)
        let rows = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count == 1 + 9 * 12)
        #expect(rows.contains { $0.hasPrefix("femi,\"Okafor, Femi\",P1,P3,problem-solving,4,Enable,2,Assist,yes,2,") })

        let eli = try Self.learner(r, "eli")
        let explain = GapsText.explain(eli, report: r, plan: plan, curriculum: c)
        #expect(explain.contains("inform-service-strategy.module: prerequisite of evaluate-service-tools.module"))
        #expect(explain.contains("analyze-service-metrics.module: "))
        #expect(explain.contains("taken as done"))
        #expect(explain.contains("P5: 15 items, above the target level P4"))
        let dana = GapsText.explain(try Self.learner(r, "dana"), report: r, plan: plan, curriculum: c)
        #expect(dana.contains("No gaps"))
    }

    // MARK: Input formats

    @Test func yamlCohortGivesTheSameProfilesAsCSV() throws {
        let (c, _) = try Self.sample()
        let yaml = LearnerProfileLoader.load(path: Self.fixtures.appendingPathComponent("cohort.yaml").path, curriculum: c)
        #expect(!yaml.diagnostics.hasErrors, "\(yaml.diagnostics.sorted)")
        let csv = LearnerProfileLoader.load(path: Self.cohort, curriculum: c)
        func strip(_ p: LearnerProfile) -> LearnerProfile { var q = p; q.line = 0; return q }
        #expect(yaml.profiles.map(strip) == csv.profiles.prefix(3).map(strip))
        #expect(yaml.profiles.map(\.line) == [3, 20, 37])
    }

    @Test func profilesDerivedFromAProgressReport() throws {
        let (c, plan) = try Self.sample()
        func report(level: String) throws -> ProgressReport {
            let json = """
                {"format": 1, "curriculum": "customer-service", "title": "t", "as_of": "1970-01-01", "stalled_days": 30, "levels": ["P1", "P2"],
                 "learners": [{"id": "kim", "name": "Kim Lee", "level": "\(level)", "ready": false, "verdict": "in progress", "stalled": false, "seconds": 0,
                   "levels": [
                     {"level": "P1", "required": 15, "done": 2, "percent": 13, "complete": false, "started": true, "missing": [], "shadowing": [], "seconds": 0,
                      "assessments": [{"item": "inform-customers.assessment", "best_score": 90, "mastery": 80, "attempts": 1, "passed": true},
                                      {"item": "record-orders-complaints.assessment", "mastery": 80, "attempts": 0, "passed": false}]},
                     {"level": "P2", "required": 15, "done": 0, "percent": 0, "complete": false, "started": true, "missing": [], "shadowing": [], "seconds": 0,
                      "assessments": [{"item": "handle-sensitive-interactions.assessment", "best_score": 40, "mastery": 80, "attempts": 2, "passed": false}]}]}],
                 "cohort": {"learners": 1, "at_level": [], "funnel": [], "stalled": [], "hardest": []}}
                """
            return try JSONDecoder().decode(ProgressReport.self, from: Data(json.utf8))
        }
        let r = LearnerProfileLoader.profiles(from: try report(level: "P1"), curriculum: c, plan: plan, source: "store.sqlite")
        #expect(!r.diagnostics.hasErrors)
        let kim = try #require(r.profiles.first)
        #expect(kim.currentLevel == "P1" && kim.targetLevel == "P2" && kim.name == "Kim Lee")
        let p1 = try #require(c.level("P1"))
        let p2 = try #require(c.level("P2"))
        let passed = try #require(plan.item("inform-customers.assessment")).skills
        let failed = try #require(plan.item("handle-sensitive-interactions.assessment")).skills
        #expect(!passed.isEmpty && !failed.isEmpty)
        var expected: [String: Int] = [:]
        for s in failed { expected[s] = max(1, (p2.target(for: s) ?? 1) - 1) }
        for s in passed { expected[s] = p1.target(for: s) }
        #expect(kim.proficiency == expected, "passed: the level's target; only failed: one step below; no attempt: not assessed")

        let bad = LearnerProfileLoader.profiles(from: try report(level: "P7"), curriculum: c, plan: plan, source: "store.sqlite")
        #expect(bad.profiles.isEmpty)
        #expect(bad.diagnostics.sorted.first?.description.hasPrefix("store.sqlite: error: learner 'kim' is at level 'P7'") == true)
    }

    @Test func csvReaderKeepsLinesAcrossQuotedNewlinesAndCRLF() throws {
        var diags = Diagnostics()
        let records = CohortCSVReader.records("a,b\r\n\"x\ny\",\"say \"\"hi\"\"\"\r\n\r\nlast,1", path: "t.csv", into: &diags)
        #expect(!diags.hasErrors)
        #expect(records.map(\.line) == [1, 2, 5])
        #expect(records[1].fields.map(\.text) == ["x\ny", "say \"hi\""])
        #expect(records[1].fields.map(\.line) == [2, 3] && records[1].fields.map(\.column) == [1, 4])
        _ = CohortCSVReader.records("a,b\n1,\"open", path: "t.csv", into: &diags)
        #expect(diags.all.map(\.description) == ["t.csv:2:3: error: this quoted field is never closed"])
    }

    // MARK: Bad input

    @Test func badCSVReportsEveryProblemWithItsLineAtOnce() throws {
        let (c, _) = try Self.sample()
        let path = Self.fixtures.appendingPathComponent("bad-cohort.csv").path
        let r = LearnerProfileLoader.load(path: path, curriculum: c)
        #expect(r.profiles.isEmpty, "nothing is used from a file with errors")
        let got = r.diagnostics.sorted.map { $0.description.replacingOccurrences(of: path, with: "F") }
        #expect(
            got == [
                "F:1:52: error: unknown skill column 'speling' (did you mean 'speaking'?); the skills are active-listening, speaking, service-orientation, empathy, problem-solving, troubleshooting, crm-proficiency, analytical-skills, metrics-fluency, technological-fluency, customer-advocacy, training-development",
                "F:2:29: error: speaking: proficiency 7 is outside the scale 1–6 (Follow, Assist, Apply, Enable, Ensure/advise, Initiate/influence)",
                "F:3:22: error: unknown target level 'P9'; the levels are P1, P2, P3, P4, P5",
                "F:4:18: error: target level P2 is below the current level P3",
                "F:5:1: error: duplicate learner id 'amara' (first on line 2)",
                "F:6:22: error: empathy: 'expert' is not a step of the scale; use 1–6 or one of follow, assist, apply, enable, advise, initiate",
            ])
    }

    @Test func emptyAndHeaderOnlyFilesAreErrors() throws {
        let (c, _) = try Self.sample()
        for (name, message) in [
            ("empty.csv", ":1:1: error: the learners file is empty"),
            ("header-only.csv", ":1:1: error: the learners file has a header but no learners"),
            ("empty.yaml", ":1:1: error: the learners file is empty"),
        ] {
            let path = Self.fixtures.appendingPathComponent(name).path
            let r = LearnerProfileLoader.load(path: path, curriculum: c)
            #expect(r.diagnostics.errorCount == 1, "\(name): \(r.diagnostics.sorted)")
            #expect(r.diagnostics.sorted.first?.description.hasPrefix(path + message) == true, "\(name): \(r.diagnostics.sorted)")
        }
        let missing = LearnerProfileLoader.parse(text: "learner_id,name,empathy\na,A,2\n", format: .csv, displayPath: "m.csv", curriculum: c)
        #expect(missing.diagnostics.sorted.map(\.description) == [
            "m.csv:1:1: error: the header has no 'current_level' column", "m.csv:1:1: error: the header has no 'target_level' column",
            "m.csv:2:1: error: the learner has no current level", "m.csv:2:1: error: the learner has no target level",
        ])
        let short = LearnerProfileLoader.parse(text: "learner_id,name,current_level,target_level\na,A,P1\n", format: .csv, displayPath: "s.csv", curriculum: c)
        #expect(short.diagnostics.sorted.map(\.description) == ["s.csv:2:1: error: this row has 3 fields; the header has 4"])
    }

    @Test func badYAMLReportsEveryProblemWithItsLine() throws {
        let (c, _) = try Self.sample()
        let path = Self.fixtures.appendingPathComponent("bad-cohort.yaml").path
        let r = LearnerProfileLoader.load(path: path, curriculum: c)
        #expect(r.profiles.isEmpty)
        let got = r.diagnostics.sorted.map { $0.description.replacingOccurrences(of: path, with: "F") }
        #expect(got.count == 5, "\(got)")
        #expect(got.contains { $0.hasPrefix("F:7:16: error: empathy: proficiency 0 is outside the scale 1–6") })
        #expect(got.contains { $0.hasPrefix("F:8:7: error: unknown skill 'speling' (did you mean 'speaking'?)") })
        #expect(got.contains("F:9:9: error: duplicate learner id 'amara' (first on line 2)"))
        #expect(got.contains("F:12:19: error: target level P2 is below the current level P4"))
        #expect(got.contains { $0.hasPrefix("F:13:5: error: unknown key 'grade'") })
    }

    @Test func unknownFileKindIsAnError() throws {
        let (c, _) = try Self.sample()
        let r = LearnerProfileLoader.load(path: "cohort.xlsx", curriculum: c)
        #expect(r.diagnostics.sorted.map(\.description) == ["cohort.xlsx: error: a learners file must end in .csv, .yaml or .yml (got 'xlsx')"])
    }
}
