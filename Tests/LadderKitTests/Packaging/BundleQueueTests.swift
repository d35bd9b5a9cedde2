import Testing

@testable import LadderPackaging

/// The order in which a build writes its tracks' bundles (course backups), and how many items
/// are bundled at once. One thread takes and finishes tracks in turn, so nothing waits.
struct BundleQueueTests {
    /// The benchmark ladder's tracks in track order: onboarding-P1 to P5, four promotions.
    static let benchmark = [800, 1600, 2400, 3200, 4000, 800, 800, 800, 800]

    @Test func theBiggestTrackGoesFirstAndNeverBesideTheNextBiggest() {
        let queue = BundleQueue(items: Self.benchmark)
        #expect(queue.budget == BundleQueue.itemsAtOnce)
        var order: [Int] = []
        func take() -> Int? {
            let i = queue.next()
            if let i { order.append(i) }
            return i
        }
        // P5, then beside it the biggest that fits in 2,000 items: P2, not P4 or P3.
        #expect(take() == 4)
        #expect(take() == 1)
        queue.finish(1, failed: false)
        // Ties go in track order: P1 before the promotions of 800 items.
        #expect(take() == 0)
        queue.finish(0, failed: false)
        #expect(take() == 5)
        queue.finish(5, failed: false)
        #expect(take() == 6)
        queue.finish(4, failed: false)
        // P5 done: P4 goes beside the promotion being written, then P3 beside P4 (5,600 items).
        #expect(take() == 3)
        queue.finish(6, failed: false)
        #expect(take() == 2)
        queue.finish(2, failed: false)
        #expect(take() == 7)
        queue.finish(7, failed: false)
        #expect(take() == 8)
        queue.finish(3, failed: false)
        queue.finish(8, failed: false)
        #expect(take() == nil)
        #expect(order.sorted() == Array(Self.benchmark.indices), "every track once")
    }

    @Test func aTrackOverTheBudgetSetsItAndTheNextBiggestWaitsForRoom() {
        let queue = BundleQueue(items: [1_000, 9_000, 4_000, 6_000])
        #expect(queue.budget == 9_000)
        #expect(queue.next() == 1)
        queue.finish(1, failed: false)
        // 6,000 and 4,000 do not fit together; 6,000 and 1,000 do.
        #expect(queue.next() == 3)
        #expect(queue.next() == 0)
        queue.finish(0, failed: false)
        queue.finish(3, failed: false)
        #expect(queue.next() == 2)
        queue.finish(2, failed: false)
        #expect(queue.next() == nil)
    }

    @Test func aTrackAloneAlwaysGoesAndAFailureStopsTheRest() {
        // Nothing being bundled: the next track goes whatever its size.
        let queue = BundleQueue(items: [10, 3, 0])
        #expect(queue.next() == 0)
        queue.finish(0, failed: false)
        #expect(queue.next() == 1)
        queue.finish(1, failed: true)
        #expect(queue.next() == nil, "no track starts once one failed")
    }
}
