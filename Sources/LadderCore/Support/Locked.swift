import Foundation

/// A value only reachable under its lock: Ladder's one lock type. Shaped like Swift 6's
/// `Synchronization.Mutex` (`withLock` with the value `inout sending`), which needs macOS 15
/// while the package supports macOS 13; moving to it changes this file only.
///
/// The value need not be `Sendable` (a C handle, a zip stream): as with `Mutex`, it goes in
/// as `sending` and never leaves except through `withLock`, whose result is `sending`, so the
/// compiler keeps every use of it under the lock. This is the one `@unchecked Sendable` that
/// rests on a lock.
package final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    package init(_ value: consuming sending Value) { self.value = value }

    /// Runs `body` with the value, alone: keep it short, and never wait in it for anything
    /// slow (a store write, the network).
    package func withLock<T>(_ body: (inout sending Value) throws -> sending T) rethrows -> sending T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
