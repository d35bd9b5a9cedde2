import Foundation
import LadderCore
import LadderProgress

/// The preview server's side of the benchmark, in this process while `ladder progress import`
/// runs in another: a runtime commit every 50 ms (timed), and a reader counting the imported attempts every second.
final class Probe: Sendable {
    private let store: ProgressStore
    /// What the two threads saw so far, and whether they go on.
    private struct Seen {
        var waits: [Double] = []
        var failures: [String] = []
        var counts: [Int] = []
        var readFailures: [String] = []
        var running = true
    }
    private let seen = Locked(Seen())
    private let done = DispatchGroup()

    init(store: ProgressStore) {
        self.store = store
        done.enter()
        Thread.detachNewThread { self.commits() }
        done.enter()
        Thread.detachNewThread { self.reads() }
    }

    private var isRunning: Bool { seen.withLock { $0.running } }

    private func commits() {
        var n = 0
        while isRunning {
            n += 1
            let key = SCOKey(learner: "probe-\(n % 20)", package: "bench", sco: "ITEM-probe-assessment")
            let state = CMIState(
                attempt: 1, values: ["cmi.core.lesson_status": n % 2 == 0 ? "passed" : "incomplete", "cmi.core.score.raw": "\(n % 100)"],
                interactions: [])
            let t0 = DispatchTime.now().uptimeNanoseconds
            do { try store.commitRuntime(key, state: state, learnerName: nil, curriculum: "bench") } catch {
                seen.withLock { $0.failures.append("\(error)") }
            }
            let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
            seen.withLock { $0.waits.append(ms) }
            usleep(50_000)
        }
        done.leave()
    }

    private func reads() {
        while isRunning {
            do {
                let n = try store.attemptCount()
                seen.withLock { if $0.counts.last != n { $0.counts.append(n) } }
            } catch {
                seen.withLock { $0.readFailures.append("\(error)") }
            }
            usleep(1_000_000)
        }
        done.leave()
    }

    /// Stops both threads and describes what they saw.
    func stop() -> String {
        seen.withLock { $0.running = false }
        done.wait()
        let seen = self.seen.withLock { $0 }
        let sorted = seen.waits.sorted()
        guard !sorted.isEmpty else { return "commits: none" }
        let p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
        var s = String(format: "commits during the imports: %d, %d failed; wait max %.1f ms, p99 %.1f ms, median %.1f ms",
                       sorted.count, seen.failures.count, sorted.last!, p99, sorted[sorted.count / 2])
        if let f = seen.failures.first { s += "; first failure: \(f)" }
        s += "\nreader: attempt counts seen, in order: " + seen.counts.map(String.init).joined(separator: ", ")
            + "; \(seen.readFailures.count) failed reads" + (seen.readFailures.first.map { " (first: \($0))" } ?? "")
        return s
    }
}
