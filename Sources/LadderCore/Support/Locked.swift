import Foundation

/// A value only reachable under its lock: Ladder's one lock type. Shaped like Swift 6's
/// `Synchronization.Mutex` (`withLock` with the value `inout`), which needs macOS 15 while
/// the package supports macOS 13; moving to it changes this file only.
///
/// Sendable because the value is `Sendable` and every read and write of it holds the lock;
/// this is the one `@unchecked Sendable` that rests on a lock.
package final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) { self.value = value }

    /// Runs `body` with the value, alone: keep it short, and never wait in it for anything
    /// slow (a store write, the network).
    package func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
