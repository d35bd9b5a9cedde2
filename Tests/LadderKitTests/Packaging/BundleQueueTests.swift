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
        // Each step: the track the queue should hand out next, then the tracks that finish.
        // P5 first, then beside it the biggest that fits in 2,000 items: P2, not P4 or P3.
        // Ties go in track order (P1 before the promotions of 800 items). Once P5 is done, P4
        // goes beside the promotion being written, then P3 beside P4 (5,600 items).
        let steps: [(next: Int?, finished: [Int])] = [
            (4, []), (1, [1]), (0, [0]), (5, [5]), (6, [4]), (3, [6]), (2, [2]), (7, [7]), (8, [3, 8]), (nil, []),
        ]
        var order: [Int] = []
        for (n, step) in steps.enumerated() {
            let i = queue.next()
            #expect(i == step.next, "step \(n + 1)")
            if let i { order.append(i) }
            for f in step.finished { queue.finish(f, failed: false) }
        }
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
