import Foundation
import GRDB
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// Fixtures, a fresh store per test, and the sample curriculum's plan.
enum ProgressFixtures {
    static let root = TestSupport.repoRoot.appendingPathComponent("Tests/LadderKitTests/Fixtures/progress")
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static let plan: Plan = {
        let result = CurriculumLoader.load(folder: TestSupport.sample.path)
        return Planner.plan(result.curriculum!)
    }()

    /// 2026-03-20, the reports' "today".
    static let asOf = ISO8601DateFormatter().date(from: "2026-03-20T00:00:00Z")!
}

/// A store in a fresh temporary folder; remove it with `removeStore`.
func freshStore() throws -> ProgressStore {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-progress-\(UUID().uuidString)")
    return try ProgressStore(path: dir.appendingPathComponent("nested/progress.sqlite").path)
}

func removeStore(_ s: ProgressStore) {
    try? FileManager.default.removeItem(at: URL(fileURLWithPath: s.path).deletingLastPathComponent().deletingLastPathComponent())
}

/// Every table's rows as text, in key order: equal snapshots mean nothing changed.
func snapshot(_ s: ProgressStore) throws -> String { try s.snapshotText() }

func count(_ s: ProgressStore, _ sql: String) throws -> Int { try s.scalarInt(sql) }

/// A store written by an older version: migrated up to `version`, filled by `sql`, then
/// opened (and so migrated to the current version). Remove it with `removeStore`.
func oldStore(upTo version: String, _ sql: String) throws -> ProgressStore {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-\(version)-\(UUID().uuidString)/nested")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("old.sqlite").path
    let queue = try DatabaseQueue(path: path)
    try ProgressSchema.migrator.migrate(queue, upTo: version)
    try queue.write { db in try db.execute(sql: sql) }
    try queue.close()
    return try ProgressStore(path: path)
}

/// Imports the complete fixture set (Moodle, TalentLMS, generic CSV) into `s`.
func importAllFixtures(_ s: ProgressStore) throws -> [ImportSummary] {
    let plan = ProgressFixtures.plan
    return [
        try s.importFiles([ProgressFixtures.path("moodle/basic-report.txt"), ProgressFixtures.path("moodle/interactions-report.txt")],
                          options: ImportOptions(source: .moodle, plan: plan)),
        try s.importFiles([ProgressFixtures.path("talentlms/course-progress.csv"), ProgressFixtures.path("talentlms/unit-matrix.csv")],
                          options: ImportOptions(source: .talentlms, plan: plan)),
        try s.importFiles([ProgressFixtures.path("csv/signoffs.csv")], options: ImportOptions(source: .csv, plan: plan)),
    ]
}


/// One text value from a query.
func text(_ s: ProgressStore, _ sql: String) throws -> String {
    try s.pool.read { db in try String.fetchOne(db, sql: sql) ?? "" }
}
