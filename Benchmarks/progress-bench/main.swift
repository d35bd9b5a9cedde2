// progress-bench: the scale benchmark of `ladder progress` (README.md beside this file).
//
//   progress-bench --ladder PATH [--learners N] [--items N] [--attempts N] [--work DIR]
//       [--reimport] [--probe] [--report]
//
// Writes a deterministic generic CSV of learners x items x attempts (`BenchmarkData`), then
// runs the public commands as a user would, each a process of its own: `ladder progress
// import` into a fresh store (and, with --reimport, the same file again), and with --report
// `ladder progress report`. It prints wall time and peak RSS per command. With --probe,
// while the imports run, this process plays the preview server: a learner's runtime commit
// through `ProgressStore.commitRuntime` (what the preview's LMSCommit calls) every 50 ms on
// one thread, and a reader counting the imported attempts every second on another; it prints
// the commits' longest, p99 and median waits, failures, and every count the reader saw.
// Not a test: nothing asserts a time.
import Foundation
import LadderCore
import LadderProgress

struct BenchError: Error, CustomStringConvertible {
    var description: String
}

struct Options {
    var ladder = ""
    var learners = 10_000
    var items = 100
    var attempts = 3
    var work = "/tmp/ladder-progress-bench"
    var reimport = false
    var probe = false
    var report = false

    init(_ args: [String]) throws {
        var i = 0
        func value() throws -> String {
            i += 1
            guard i < args.count else { throw BenchError(description: "\(args[i - 1]) needs a value") }
            return args[i]
        }
        func number() throws -> Int {
            let v = try value()
            guard let n = Int(v), n >= 1 else { throw BenchError(description: "\(args[i - 1]) takes a number >= 1, not '\(v)'") }
            return n
        }
        while i < args.count {
            switch args[i] {
            case "--ladder": ladder = try value()
            case "--learners": learners = try number()
            case "--items": items = try number()
            case "--attempts": attempts = try number()
            case "--work": work = try value()
            case "--reimport": reimport = true
            case "--probe": probe = true
            case "--report": report = true
            default: throw BenchError(description: "unknown argument '\(args[i])' (see the comment at the top of main.swift)")
            }
            i += 1
        }
        if ladder.isEmpty { throw BenchError(description: "--ladder PATH (the built ladder executable) is required") }
    }
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Runs `ladder` with `args`; its wall time, peak RSS (KiB) and last line of output.
func run(_ ladder: String, _ args: [String]) throws -> (seconds: Double, rssKiB: Int, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: ladder)
    p.arguments = args
    let out = Pipe()
    p.standardOutput = out
    let t0 = now()
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let t = now() - t0
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard p.terminationStatus == 0 else { throw BenchError(description: "ladder \(args.joined(separator: " ")) exited \(p.terminationStatus): \(text)") }
    return (t, Int(usage.ru_maxrss), text)
}

let options: Options
do { options = try Options(Array(CommandLine.arguments.dropFirst())) } catch {
    FileHandle.standardError.write(Data("progress-bench: \(error)\n".utf8))
    exit(64)
}
try FileManager.default.createDirectory(atPath: options.work, withIntermediateDirectories: true)
let csv = options.work + "/attempts.csv"
let db = options.work + "/progress.sqlite"
for suffix in ["", "-wal", "-shm", "-inbox", "-inbox-wal", "-inbox-shm", "-import.lock"] {
    try? FileManager.default.removeItem(atPath: db + suffix)
}
let t0 = now()
let rows = try BenchmarkData.writeCSV(path: csv, learners: options.learners, items: options.items, attempts: options.attempts)
let size = (try FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0
print(String(format: "generate: %d rows, %.1f MiB, %.1f s", rows, Double(size) / 1_048_576, now() - t0))

// The store exists before the import starts, as the preview server's would.
let store = try ProgressStore(path: db)
let probe = options.probe ? Probe(store: store) : nil
let importArgs = ["progress", "import", "--from", "csv", "--db", db, csv]
let first = try run(options.ladder, importArgs)
print(String(format: "import: %.1f s, peak RSS %.0f MiB: %@", first.seconds, Double(first.rssKiB) / 1024, first.output))
if options.reimport {
    let again = try run(options.ladder, importArgs)
    print(String(format: "re-import: %.1f s, peak RSS %.0f MiB: %@", again.seconds, Double(again.rssKiB) / 1024, again.output))
}
if let probe { print(probe.stop()) }
if options.report {
    let r = try run(options.ladder, ["progress", "report", "--db", db, "--as-of", "2026-03-31", "--format", "text", "--out", options.work + "/report.txt"])
    print(String(format: "cohort report (text): %.2f s, peak RSS %.0f MiB", r.seconds, Double(r.rssKiB) / 1024))
}
