import Foundation

/// Writes a report's blocks to an open file on a thread of its own, so that the kernel's
/// copying of a large report (gigabytes of JSON) goes on while the next block is made; on two
/// cores that is most of the difference between the sum of the two and the larger.
///
/// Memory stays bounded: at most `depth` blocks wait, and written blocks are handed back for
/// reuse (`submit` returns an empty buffer with the capacity of a written one). A failed write
/// is reported by the next `submit` or `drain`, and nothing more is written after it.
// @unchecked: the vars below are only touched holding `condition`, which `Locked` cannot wait on.
package final class GapsBlockWriter: @unchecked Sendable {
    private let descriptor: Int32
    private let name: String
    private let depth: Int
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var waiting: [[UInt8]] = []
    private var spare: [[UInt8]] = []
    private var busy = false
    private var closed = false
    private var failure: Error?

    /// Writes to `descriptor`; a failed write is a `FileSystemError` naming `name`.
    init(descriptor: Int32, name: String, depth: Int = 2) {
        self.descriptor = descriptor
        self.name = name
        self.depth = depth
        let thread = Thread { [self] in run() }
        thread.name = "ladder gaps writer"
        thread.start()
    }

    /// Queues a block (waiting while `depth` blocks are queued) and returns an empty buffer to
    /// fill next. Throws the error of an earlier write that failed.
    func submit(_ block: [UInt8]) throws -> [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= depth, failure == nil { condition.wait() }
        if let failure { throw failure }
        waiting.append(block)
        condition.broadcast()
        return spare.popLast() ?? []
    }

    /// Waits until every queued block is written; throws the error of a write that failed.
    func drain() throws {
        condition.lock()
        defer { condition.unlock() }
        while !waiting.isEmpty || busy, failure == nil { condition.wait() }
        if let failure { throw failure }
    }

    /// Ends the thread once the queue is empty (blocks still queued are written first). The
    /// thread holds the writer until then: its owner calls this when it is done with it.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        condition.lock()
        while true {
            while waiting.isEmpty, !closed { condition.wait() }
            if waiting.isEmpty { break }
            var block = waiting.removeFirst()
            busy = true
            condition.unlock()
            var error: Error?
            do { try FileSystem.writeAll(block, to: descriptor, path: name, action: "write the file") } catch let e { error = e }
            block.removeAll(keepingCapacity: true)
            condition.lock()
            busy = false
            if let error {
                failure = error
                waiting.removeAll()
            } else if spare.count < depth {
                spare.append(block)
            }
            condition.broadcast()
        }
        condition.unlock()
    }
}
