import Foundation
import Testing

/// Output pinned in plain files, as swift-argument-parser pins its help and completion
/// scripts: `Tests/<target>/__Snapshots__/<test file>/<name>`, compared byte for byte.
///
/// Record with `LADDER_RECORD_SNAPSHOTS=1 swift test --filter …`: every snapshot reached is
/// written and its test fails ("recorded …; re-run without the switch"), so a run that records
/// can never pass by accident. Read each recorded file before committing it.
public enum Snapshot {
    /// The switch that records instead of comparing.
    public static let recordVariable = "LADDER_RECORD_SNAPSHOTS"

    static var recording: Bool {
        let value = ProcessInfo.processInfo.environment[recordVariable] ?? ""
        return !value.isEmpty && value != "0"
    }

    /// Where the snapshot `name` of the test file `filePath` lives: under the test target's
    /// folder (the one directly inside `Tests/`), in `__Snapshots__/<file name>/`.
    public static func url(_ name: String, filePath: String) -> URL {
        let file = URL(fileURLWithPath: filePath)
        var target = file.deletingLastPathComponent()
        while target.deletingLastPathComponent().lastPathComponent != "Tests", target.pathComponents.count > 2 {
            target = target.deletingLastPathComponent()
        }
        return target.appendingPathComponent("__Snapshots__")
            .appendingPathComponent(file.deletingPathExtension().lastPathComponent)
            .appendingPathComponent(name)
    }

    /// Compares `actual` with the snapshot `name`; on a difference the test fails with the
    /// file's path and a short unified diff (`-` the snapshot, `+` this run).
    public static func expect(
        _ actual: String, named name: String, filePath: String = #filePath,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let url = url(name, filePath: filePath)
        let relative = url.path.replacingOccurrences(of: TestSupport.repoRoot.path + "/", with: "")
        if recording {
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: url, options: .atomic)
                Issue.record("recorded \(relative); re-run without \(recordVariable) to compare", sourceLocation: sourceLocation)
            } catch {
                Issue.record("cannot record \(relative): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record(
                "no snapshot \(relative): run with \(recordVariable)=1 to record it, then read it", sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        guard expected != actual else { return }
        Issue.record(
            """
            output differs from \(relative) (- snapshot, + this run; \(recordVariable)=1 re-records):
            \(LineDiff.unified(expected, actual))
            """, sourceLocation: sourceLocation)
    }
}

/// A unified diff of two texts by lines, short enough for a test failure.
public enum LineDiff {
    /// Hunks with `context` lines around each change, cut after `limit` lines of output.
    public static func unified(_ old: String, _ new: String, context: Int = 3, limit: Int = 60) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let ops = edits(a, b)
        // Indexes of changed operations, grouped into hunks that share their context.
        let changed = ops.indices.filter { ops[$0].mark != " " }
        guard !changed.isEmpty else { return "(the texts differ only in line endings or encoding)" }
        var out: [String] = []
        var i = 0
        while i < changed.count {
            var j = i
            while j + 1 < changed.count, changed[j + 1] - changed[j] <= 2 * context + 1 { j += 1 }
            let start = max(0, changed[i] - context)
            let end = min(ops.count - 1, changed[j] + context)
            let hunk = ops[start...end]
            let oldStart = (hunk.first { $0.mark != "+" }?.oldLine ?? 0) + 1
            let newStart = (hunk.first { $0.mark != "-" }?.newLine ?? 0) + 1
            let oldCount = hunk.filter { $0.mark != "+" }.count
            let newCount = hunk.filter { $0.mark != "-" }.count
            out.append("@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@")
            out += hunk.map { "\($0.mark)\($0.text)" }
            i = j + 1
        }
        if out.count > limit { out = Array(out.prefix(limit)) + ["… (\(out.count - limit) more diff lines)"] }
        return out.joined(separator: "\n")
    }

    struct Op {
        var mark: Character
        var text: String
        var oldLine: Int
        var newLine: Int
    }

    /// The shortest edit script by longest common subsequence, after setting aside the common
    /// head and tail (so a small change in a long file costs little).
    static func edits(_ a: [String], _ b: [String]) -> [Op] {
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let x = Array(a[head..<(a.count - tail)])
        let y = Array(b[head..<(b.count - tail)])
        // lcs[i][j]: the longest common subsequence of x[i...] and y[j...].
        var lcs = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in stride(from: x.count - 1, through: 0, by: -1) {
            for j in stride(from: y.count - 1, through: 0, by: -1) {
                lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var ops = (0..<head).map { Op(mark: " ", text: a[$0], oldLine: $0, newLine: $0) }
        var i = 0
        var j = 0
        while i < x.count || j < y.count {
            if i < x.count, j < y.count, x[i] == y[j] {
                ops.append(Op(mark: " ", text: x[i], oldLine: head + i, newLine: head + j))
                i += 1
                j += 1
            } else if i < x.count, j == y.count || lcs[i + 1][j] >= lcs[i][j + 1] {
                ops.append(Op(mark: "-", text: x[i], oldLine: head + i, newLine: head + j))
                i += 1
            } else {
                ops.append(Op(mark: "+", text: y[j], oldLine: head + i, newLine: head + j))
                j += 1
            }
        }
        for k in 0..<tail {
            ops.append(Op(mark: " ", text: a[a.count - tail + k], oldLine: a.count - tail + k, newLine: b.count - tail + k))
        }
        return ops
    }
}
