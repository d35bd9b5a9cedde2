import Foundation

/// Synthetic progress data for the scale benchmark (Benchmarks/progress-bench): a
/// deterministic generic CSV. `package`: a benchmark hook, not part of Ladder's API.
package enum BenchmarkData {
    /// Writes `learners x items x attempts` rows to `path`, streaming; returns the row count.
    /// Items `resp-NNN.<kind>` spread evenly over levels P1..P5 (column `item_level`, as
    /// there is no curriculum); statuses, scores and dates
    /// come from a fixed-seed generator, so every run writes the same bytes.
    @discardableResult
    package static func writeCSV(path: String, learners: Int, items: Int, attempts: Int) throws -> Int {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw ImportError(path: path, message: "cannot write the benchmark file")
        }
        defer { try? h.close() }
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func rnd(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        let kinds = ["module", "assessment", "shadowing"]
        let itemIDs = (0..<items).map { String(format: "resp-%03d.", $0) + kinds[$0 % 3] }
        let levels = (0..<items).map { "P\(1 + $0 * 5 / max(1, items))" }
        var buf = "learner,name,item_level,item,attempt,status,score,score_max,started,last,seconds,observer\n"
        buf.reserveCapacity(1 << 21)
        var rows = 0
        for l in 0..<learners {
            let learner = String(format: "learner-%05d", l)
            let name = "Learner \(l)"
            // Each learner has reached a depth into the item list; later items have fewer attempts.
            let reach = rnd(items + 1)
            for i in 0..<items {
                for a in 1...attempts {
                    let kind = i % 3
                    let status: String
                    var score = ""
                    if i >= reach { status = a == 1 ? "incomplete" : "not attempted" } else if kind == 1 {
                        let s = 50 + rnd(51)
                        score = String(s)
                        status = s >= 80 ? "passed" : "failed"
                    } else {
                        status = a == attempts ? "completed" : "incomplete"
                    }
                    let day = 1 + (l + i + a) % 28
                    let d = day < 10 ? "2026-01-0\(day)" : "2026-01-\(day)"
                    let observer = kind == 2 && status == "completed" ? "Observer \(l % 50)" : ""
                    buf += "\(learner),\(name),\(levels[i]),\(itemIDs[i]),\(a),\(status),\(score),\(score.isEmpty ? "" : "100"),\(d),\(d),\(60 + rnd(600)),\(observer)\n"
                    rows += 1
                    if buf.utf8.count > 1 << 20 {
                        h.write(Data(buf.utf8))
                        buf.removeAll(keepingCapacity: true)
                    }
                }
            }
        }
        h.write(Data(buf.utf8))
        return rows
    }
}
