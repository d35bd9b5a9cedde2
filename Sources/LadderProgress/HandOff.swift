import Foundation

/// A bounded queue from one producing thread to one consuming thread: the producer waits
/// while `depth` items wait, so memory stays bounded whatever the input's size. The consumer
/// may stop early (`cancel`); the producer then sees `hand` return false and ends.
// @unchecked: every var is touched only holding `condition`.
package final class HandOff<Item>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Item] = []
    private var finished = false
    private var cancelled = false
    private var failure: (any Error)?
    private let depth: Int

    package init(depth: Int) { self.depth = depth }

    /// Queues `item`, waiting while `depth` items wait; false when the consumer gave up.
    package func hand(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= depth && !cancelled { condition.wait() }
        if cancelled { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The producer is done: `error` is what stopped it, nil at the input's end.
    package func finish(_ error: (any Error)?) {
        condition.lock()
        failure = error
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next item in order; nil once the producer finished. Rethrows the producer's error
    /// after the items it handed before it.
    package func next() throws -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !finished { condition.wait() }
        if !items.isEmpty {
            let item = items.removeFirst()
            condition.broadcast()
            return item
        }
        if let failure { throw failure }
        return nil
    }

    /// The consumer stops taking items: a waiting or later `hand` returns false.
    package func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
