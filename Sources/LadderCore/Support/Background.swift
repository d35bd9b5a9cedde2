import Foundation

/// A value worked out on another thread while the caller goes on with something else; `value`
/// waits for it. For work that does not depend on what the caller does meanwhile: the result
/// is the same as calling `work` in place, only sooner.
package final class Background<Value: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Locked<Value?>(nil)

    /// `work` runs on a thread of its own, not on a dispatch queue: the caller may be one of the
    /// few threads of Dispatch's global queues (Swift concurrency runs `ladder`'s commands
    /// there), and a queued block that waits for a thread the caller is blocking never runs.
    package init(_ work: @escaping @Sendable () -> Value) {
        let thread = Thread { [done, result] in
            let value = work()
            result.withLock { $0 = value }
            done.signal()
        }
        thread.start()
    }

    /// The value, once worked out.
    package var value: Value {
        done.wait()
        // Signalled again, so that a second look does not wait for ever.
        defer { done.signal() }
        return result.withLock { $0! }
    }
}
