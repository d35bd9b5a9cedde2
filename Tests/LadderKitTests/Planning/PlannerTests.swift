import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// The plan derived from the sample curriculum: item ids, prerequisite order, tracks, JSON.
@Suite("Planner")
struct PlannerTests {
    /// Loads the sample in the repository (read only) and requires a clean load.
    func sample() throws -> (Curriculum, Plan) {
        let result = load(TestSupport.sample)
        let curriculum = try #require(result.curriculum, "\(result.diagnostics.sorted.map(\.description))")
        return (curriculum, Planner.plan(curriculum))
    }

    @Test func sampleLoadsWithZeroDiagnostics() throws {
        let result = load(TestSupport.sample)
        #expect(result.curriculum != nil)
        #expect(result.diagnostics.all.isEmpty, "\(result.diagnostics.sorted.map(\.description))")
        let c = try #require(result.curriculum)
        #expect(c.id == "customer-service")
        #expect(c.levels.map(\.id) == ["P1", "P2", "P3", "P4", "P5"])
        #expect(c.levels.map(\.rank) == [1, 2, 3, 4, 5])
    }

    @Test func planOrderRespectsPrerequisites() throws {
        let (_, plan) = try sample()
        #expect(plan.items.count > 0)
        let position = Dictionary(uniqueKeysWithValues: plan.items.enumerated().map { ($1.id, $0) })
        #expect(position.count == plan.items.count, "item ids are unique")
        var checked = 0
        for (i, item) in plan.items.enumerated() {
            for p in item.prerequisites {
                let j = try #require(position[p], "\(item.id) needs unknown item \(p)")
                #expect(j < i, "\(p) must come before \(item.id)")
                checked += 1
            }
        }
        // Everything but the very first module has a prerequisite.
        #expect(plan.items.filter(\.prerequisites.isEmpty).map(\.id) == [plan.items[0].id])
        #expect(checked >= plan.items.count - 1)
    }

    @Test func everyTrackRespectsPrerequisites() throws {
        let (c, plan) = try sample()
        // One onboarding track per level, one promotion track per step up.
        #expect(plan.tracks.count == 2 * c.levels.count - 1)
        #expect(plan.tracks.filter { $0.kind == .onboarding }.count == c.levels.count)
        #expect(plan.tracks.filter { $0.kind == .promotion }.count == c.levels.count - 1)
        var checked = 0
        for track in plan.tracks {
            #expect(!track.items.isEmpty, "\(track.id) is empty")
            let position = Dictionary(uniqueKeysWithValues: track.items.enumerated().map { ($1, $0) })
            #expect(position.count == track.items.count, "\(track.id) lists an item twice")
            let trackLevel = try #require(c.levelIndex(track.level))
            for (i, id) in track.items.enumerated() {
                let item = try #require(plan.item(id))
                for p in item.prerequisites {
                    if let j = position[p] {
                        #expect(j < i, "\(track.id): \(p) must come before \(id)")
                        checked += 1
                    } else {
                        // Outside the track only when it belongs to a level the learner already holds.
                        #expect(track.kind == .promotion, "\(track.id) lacks \(p), needed by \(id)")
                        let pLevel = try #require(plan.item(p).flatMap { c.levelIndex($0.level) })
                        #expect(pLevel < trackLevel)
                    }
                }
            }
            // items(of:) keeps the order and drops only prerequisites outside the track.
            let shown = plan.items(of: track)
            #expect(shown.map(\.id) == track.items)
            #expect(shown.allSatisfy { $0.prerequisites.allSatisfy { position[$0] != nil } })
        }
        #expect(checked > plan.items.count)
    }

    @Test func onboardingP1() throws {
        let (c, plan) = try sample()
        let track = try #require(plan.track("onboarding-P1"))
        #expect(track.kind == .onboarding)
        #expect(track.level == "P1")
        #expect(track.from == nil)
        #expect(track.items.count == 15)
        let items = plan.items(of: track)
        #expect(Set(items.map(\.kind)) == Set(PlanItem.Kind.allCases))
        #expect(items.first?.kind == .module)
        #expect(items.first?.prerequisites == [])
        #expect(items.allSatisfy { $0.level == "P1" })
        #expect(Set(items.map(\.responsibility)) == Set(try #require(c.level("P1")).responsibilities.map(\.id)))
        #expect(items.allSatisfy { !$0.draft })
        #expect(track.minutes == items.reduce(0) { $0 + $1.minutes })
    }

    @Test func onboardingTracksGrowLevelByLevel() throws {
        let (c, plan) = try sample()
        #expect(c.levels.count == 5)
        #expect(!plan.items.isEmpty)
        var previous: [String] = []
        for level in c.levels {
            let track = try #require(plan.track("onboarding-\(level.id)"))
            #expect(Set(previous).isSubset(of: Set(track.items)))
            let expected = plan.items.filter { c.levelIndex($0.level)! <= c.levelIndex(level.id)! }.map(\.id)
            #expect(track.items == expected)
            previous = track.items
        }
        #expect(previous.count == plan.items.count)
    }

    @Test func promotionTracksHoldOnlyTheUpperLevel() throws {
        let (c, plan) = try sample()
        let promotions = plan.tracks.filter { $0.kind == .promotion }
        #expect(promotions.count == 4)
        for (lower, upper) in zip(c.levels, c.levels.dropFirst()) {
            let track = try #require(plan.track("promotion-\(lower.id)-\(upper.id)"))
            #expect(track.from == lower.id)
            #expect(track.level == upper.id)
            #expect(!track.items.isEmpty)
            #expect(track.items.allSatisfy { plan.item($0)?.level == upper.id })
            #expect(track.items == plan.items.filter { $0.level == upper.id }.map(\.id))
        }
    }

    @Test func itemIdsAreResponsibilityDotKind() throws {
        let (c, plan) = try sample()
        #expect(!plan.items.isEmpty)
        #expect(plan.items.count == 3 * c.responsibilities.count)
        for item in plan.items {
            #expect(item.id == "\(item.responsibility).\(item.kind.rawValue)")
        }
        #expect(Set(plan.items.map(\.id)).count == plan.items.count)
    }

    @Test func idsStayWhenTitlesChange() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let before = Planner.plan(try #require(load(root).curriculum))

        let newTitles = [
            "inform-customers.module": "Renamed module",
            "inform-customers.assessment": "Renamed check",
            "inform-customers.shadowing": "Renamed shadowing",
        ]
        try #require(
            edit(
                root, "levels/P1.yaml", after: ["- id: inform-customers", "module:"],
                replace: "title: \(try #require(before.item("inform-customers.module")).title)\n",
                with: "title: Renamed module\n") != nil)
        let renames: [(String, String)] = [
            ("assessments/inform-customers.yaml", "Renamed check"), ("shadowing/inform-customers.yaml", "Renamed shadowing"),
        ]
        for (file, title) in renames {
            let line = try #require(try read(root, file).split(separator: "\n").first { $0.hasPrefix("title: ") })
            try #require(edit(root, file, replace: "\(line)\n", with: "title: \(title)\n") != nil)
        }
        try #require(
            edit(root, "levels/P1.yaml", replace: "\ntitle: Customer Service Representative I\n", with: "\ntitle: Renamed level\n")
                != nil)
        try #require(
            edit(root, "curriculum.yaml", replace: "\ntitle: Customer Service Representative\n", with: "\ntitle: Renamed role\n")
                != nil)

        let result = load(root)
        #expect(result.diagnostics.all.isEmpty, "\(result.diagnostics.sorted.map(\.description))")
        let after = Planner.plan(try #require(result.curriculum))
        #expect(after.title == "Renamed role")
        #expect(after.levels.first?.title == "Renamed level")
        for (id, title) in newTitles {
            #expect(before.item(id)?.title != title)
            #expect(after.item(id)?.title == title)
        }
        #expect(after.items.map(\.id) == before.items.map(\.id))
        #expect(after.tracks.map(\.id) == before.tracks.map(\.id))
        #expect(after.tracks.map(\.items) == before.tracks.map(\.items))
        #expect(after.items.map(\.prerequisites) == before.items.map(\.prerequisites))
    }

    @Test func minutesArePositive() throws {
        let (_, plan) = try sample()
        #expect(!plan.items.isEmpty)
        #expect(plan.tracks.count == 9 && plan.levels.count == 5)
        for item in plan.items { #expect(item.minutes > 0, "\(item.id) has \(item.minutes) minutes") }
        for track in plan.tracks {
            #expect(track.minutes == track.items.compactMap { plan.item($0)?.minutes }.reduce(0, +))
        }
        for level in plan.levels {
            #expect(level.minutes == level.items.compactMap { plan.item($0)?.minutes }.reduce(0, +))
        }
        // Assessments carry their mastery score; nothing else does.
        #expect(plan.items.allSatisfy { ($0.kind == .assessment) == ($0.masteryScore != nil) })
    }

    @Test func excludedStatementsAreListed() throws {
        let (c, plan) = try sample()
        let excluded = c.frameworks.flatMap { f in f.statements.filter { $0.level == nil }.map { (f.id, $0) } }
        #expect(excluded.count > 0, "the sample excludes some framework statements")
        #expect(plan.excludedStatements.count == excluded.count)
        #expect(plan.excludedStatements.map(\.statement) == excluded.map(\.1.id))
        #expect(plan.excludedStatements.map(\.framework) == excluded.map(\.0))
        #expect(plan.excludedStatements.allSatisfy { !($0.reason ?? "").isEmpty })
        // Placed statements are level objectives instead.
        let placed = c.frameworks.flatMap(\.statements).filter { $0.level != nil }.count
        #expect(plan.levels.map(\.objectives.count).reduce(0, +) == placed)
        let json = try PlanJSON.encode(plan)
        #expect(json.contains("\"excluded_statements\""))
        #expect(json.contains(try #require(plan.excludedStatements.first?.text)))
    }

    // MARK: JSON

    @Test func jsonRoundTrips() throws {
        let (_, plan) = try sample()
        let json = try PlanJSON.encode(plan)
        let decoded = try PlanJSON.decode(json)
        #expect(decoded == plan)
        #expect(decoded.items.count == plan.items.count)
        #expect(try PlanJSON.encode(decoded) == json)
    }

    @Test func jsonIsStableAndSorted() throws {
        let (_, first) = try sample()
        let (_, second) = try sample()
        let a = try PlanJSON.encode(first)
        let b = try PlanJSON.encode(second)
        #expect(Data(a.utf8) == Data(b.utf8))
        let objects = try objectKeyLists(a)
        #expect(objects.count > first.items.count, "every item is an object")
        for keys in objects { #expect(keys == keys.sorted(), "keys out of order: \(keys)") }
        #expect(try JSONSerialization.jsonObject(with: Data(a.utf8)) is [String: Any])
    }
}

/// The keys of every JSON object in `json`, in the order they are written. A small scanner:
/// Foundation's parser forgets the order, which is the thing under test.
func objectKeyLists(_ json: String) throws -> [[String]] {
    struct Frame {
        var isObject: Bool
        var keys: [String] = []
        var expectingKey: Bool
    }
    struct Malformed: Error {}
    var stack: [Frame] = []
    var done: [[String]] = []
    var chars = json.unicodeScalars.makeIterator()
    while let ch = chars.next() {
        switch ch {
        case "{": stack.append(Frame(isObject: true, expectingKey: true))
        case "[": stack.append(Frame(isObject: false, expectingKey: false))
        case "}", "]":
            guard let f = stack.popLast() else { throw Malformed() }
            if f.isObject { done.append(f.keys) }
        case ",":
            if stack.last?.isObject == true { stack[stack.count - 1].expectingKey = true }
        case "\"":
            var s = ""
            while let c = chars.next(), c != "\"" {
                if c == "\\" {
                    guard let escaped = chars.next() else { throw Malformed() }
                    s.unicodeScalars.append(escaped)
                } else {
                    s.unicodeScalars.append(c)
                }
            }
            if stack.last?.isObject == true, stack[stack.count - 1].expectingKey {
                stack[stack.count - 1].keys.append(s)
                stack[stack.count - 1].expectingKey = false
            }
        default: break
        }
    }
    guard stack.isEmpty else { throw Malformed() }
    return done
}
