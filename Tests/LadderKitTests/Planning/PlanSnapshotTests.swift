import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// The whole plan of the small warehouse fixture as JSON and as text, compared with the files
/// in __Snapshots__/PlanSnapshotTests (the sample's plan through `ladder plan` is pinned by the
/// CLI snapshots). A plan holds no date, path or version: nothing is normalised.
/// Re-record with `LADDER_RECORD_SNAPSHOTS=1 swift test --filter PlanSnapshotTests`.
@Suite("Snapshots: plan")
struct PlanSnapshotTests {
    static let warehouse = TestSupport.fixtures.appendingPathComponent("warehouse-associate")

    @Test func warehousePlanJSON() throws {
        let (_, plan) = try TestSupport.loadSample(Self.warehouse)
        Snapshot.expect(try PlanJSON.encode(plan) + "\n", named: "warehouse-plan.json")
    }

    @Test func warehousePlanText() throws {
        let (c, plan) = try TestSupport.loadSample(Self.warehouse)
        Snapshot.expect(PlanText.render(plan, curriculum: c), named: "warehouse-plan.txt")
    }
}
