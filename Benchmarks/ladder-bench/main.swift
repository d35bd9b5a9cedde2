// ladder-bench: the packaging benchmark (docs/benchmark.md).
//
//   swift run --scratch-path … -c release ladder-bench [--modules N] [--jobs J] [--keep DIR]
//       [--lms talentlms|generic|moodle] [--schemas DIR] [--profile]
//
// Generates a synthetic curriculum of N modules, packages it with Ladder (one zip per plan
// item, `--package module`) on one core and on J cores, then zips the very files Ladder put
// into each package with a bare libzip loop, on one core and on J cores, and prints wall
// time, packages per second, input MB/s and peak memory for each, with the ratios. Each
// measured run is a separate process, so its peak RSS is its own.
import Foundation
import LadderCore
import LadderPackaging

struct Options {
    var modules = 2000
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    var keep: String?
    var lms = LMSProfile.talentlms
    var schemas: String?
    var profile = false
    var commands = true
    // Child mode (internal): `--child ladder|bare`.
    var child: String?
    var curriculum = ""
    var out = ""
    var staging = ""
    var track = ""

    init(_ args: [String]) throws {
        var i = 0
        func value() throws -> String {
            i += 1
            guard i < args.count else { throw BenchError("\(args[i - 1]) needs a value") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--modules":
                guard let n = Int(try value()), n >= 5 else { throw BenchError("--modules takes a number >= 5") }
                modules = n
            case "--jobs", "-j":
                guard let n = Int(try value()), n >= 1 else { throw BenchError("--jobs takes a number >= 1") }
                jobs = n
            case "--keep": keep = try value()
            case "--lms":
                guard let l = LMSProfile(rawValue: try value()) else { throw BenchError("--lms is generic, moodle or talentlms") }
                lms = l
            case "--schemas": schemas = try value()
            case "--profile": profile = true
            case "--no-commands": commands = false
            case "--child": child = try value()
            case "--curriculum": curriculum = try value()
            case "--out": out = try value()
            case "--staging": staging = try value()
            case "--track": track = try value()
            case "-h", "--help":
                print(
                    """
                    usage: ladder-bench [--modules N] [--jobs J] [--keep DIR] [--lms PROFILE] [--schemas DIR] [--profile]
                      --modules N   modules in the synthetic curriculum (default 2000); packages = 2N zips
                      --jobs J      workers for the all-cores runs (default: all cores)
                      --keep DIR    generate into DIR and keep it (default: a temporary folder, removed)
                      --lms P       talentlms (default), generic or moodle
                      --schemas DIR SCORM schemas folder: schema-validate manifests, add control documents
                      --profile     also time each stage of Ladder's packaging on one thread
                      --no-commands skip the whole-command runs (ladder check, full builds per LMS, rebuilds)
                    Build it in release mode: swift build -c release --product ladder-bench
                    """)
                exit(0)
            default: throw BenchError("unknown argument '\(args[i])' (see --help)")
            }
            i += 1
        }
    }
}

// MARK: - Child processes: one measured run each

/// Loads and plans; exits on errors.
func loadAndPlan(_ folder: String) -> (Curriculum, Plan, load: Double, plan: Double) {
    let t0 = Measure.now()
    let result = CurriculumLoader.load(folder: folder)
    guard let c = result.curriculum else {
        for d in result.diagnostics.sorted { FileHandle.standardError.write(Data((d.description + "\n").utf8)) }
        FileHandle.standardError.write(Data("ladder-bench: the generated curriculum does not load (a benchmark bug)\n".utf8))
        exit(1)
    }
    let t1 = Measure.now()
    let plan = Planner.plan(c)
    return (c, plan, t1 - t0, Measure.now() - t1)
}

func request(_ o: Options, plan: Plan, track: String, out: String) throws -> BuildRequest {
    guard let t = plan.track(track) else { throw BenchError("no track \(track)") }
    return BuildRequest(
        tracks: [t], lms: o.lms, mode: .module, outputFolder: URL(fileURLWithPath: out),
        schemasFolder: o.schemas.map { URL(fileURLWithPath: $0) }, jobs: o.jobs)
}

func ladderChild(_ o: Options) throws {
    let (c, plan, load, planTime) = loadAndPlan(o.curriculum)
    let req = try request(o, plan: plan, track: o.track, out: o.out)
    let base = Measure.status("VmRSS") ?? 0
    let canReset = Measure.resetPeak()
    let c0 = Measure.cpuSeconds()
    let t0 = Measure.now()
    let ledger = try PackageBuilder(curriculum: c, plan: plan).build(req)
    let wall = Measure.now() - t0
    let cpu = Measure.cpuSeconds() - c0
    let hwm = canReset ? (Measure.status("VmHWM") ?? 0) : 0
    emit([
        ("wall", String(wall)), ("cpu", String(cpu)), ("packages", String(ledger.packages.count)), ("bytes", String(ledger.packages.reduce(0) { $0 + $1.size })),
        ("maxrss", String(Measure.maxRSSKiB())), ("base", String(base)), ("hwm", String(hwm)), ("load", String(load)), ("plan", String(planTime)),
    ])
}

func bareChild(_ o: Options) throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: o.staging).sorted()
    let folders = names.map { o.staging + "/" + $0 }
    try FileManager.default.createDirectory(atPath: o.out, withIntermediateDirectories: true)
    let outputs = names.map { o.out + "/" + $0 + ".zip" }
    let base = Measure.status("VmRSS") ?? 0
    let canReset = Measure.resetPeak()
    let c0 = Measure.cpuSeconds()
    let t0 = Measure.now()
    let errors = BareZip.run(folders: folders, outputs: outputs, jobs: o.jobs)
    let wall = Measure.now() - t0
    let cpu = Measure.cpuSeconds() - c0
    let hwm = canReset ? (Measure.status("VmHWM") ?? 0) : 0
    if let e = errors.first { throw BenchError("bare loop: \(errors.count) failures, first: \(e)") }
    emit([("wall", String(wall)), ("cpu", String(cpu)), ("packages", String(outputs.count)), ("maxrss", String(Measure.maxRSSKiB())), ("base", String(base)), ("hwm", String(hwm))])
}

// MARK: - The benchmark

struct Row {
    var name: String
    var fields: [String: String]
    var wall: Double { Double(fields["wall"]!)! }
    var cpu: Double { Double(fields["cpu"]!)! }
    var packages: Int { Int(fields["packages"]!)! }
    var maxRSS: Int { Int(fields["maxrss"]!)! }
    var delta: Int? {
        guard let h = Int(fields["hwm"] ?? ""), h > 0, let b = Int(fields["base"] ?? "") else { return nil }
        return max(0, h - b)
    }
}

func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
    s.count >= n ? s : (right ? String(repeating: " ", count: n - s.count) + s : s + String(repeating: " ", count: n - s.count))
}

func f(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

/// Files under `root` ending in `.zip`, relative, sorted.
func zips(under root: String) -> [String] {
    guard let e = FileManager.default.enumerator(atPath: root) else { return [] }
    var out: [String] = []
    while let p = e.nextObject() as? String { if p.hasSuffix(".zip") { out.append(p) } }
    return out.sorted()
}

func benchmark(_ o: Options) throws {
    let fm = FileManager.default
    let work: String
    if let keep = o.keep {
        work = (keep as NSString).standardizingPath
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
    } else {
        var template = Array((NSTemporaryDirectory() + "/ladder-bench-XXXXXX").utf8CString)
        guard let p = mkdtemp(&template) else { throw BenchError("cannot create a temporary folder") }
        work = String(cString: p)
    }
    defer { if o.keep == nil { try? fm.removeItem(atPath: work) } }
    let curriculum = work + "/curriculum/bench"
    let top = CurriculumGenerator.levels.last!
    let track = "onboarding-\(top)"
    let cores = ProcessInfo.processInfo.activeProcessorCount
    print("ladder-bench: \(o.modules) modules, jobs 1 and \(o.jobs) (\(cores) cores), LMS \(o.lms.rawValue), --package module, schemas \(o.schemas ?? "none")")
    print("work folder: \(work)\n")

    // 1. Generate.
    var t0 = Measure.now()
    try? fm.removeItem(atPath: curriculum)
    let generated = try CurriculumGenerator(modules: o.modules).write(to: URL(fileURLWithPath: curriculum))
    print("generate     \(f(Measure.now() - t0)) s   \(f(Measure.mb(generated), 1)) MB of sources (\(o.modules) modules × 3 pages, 2 images, 6-question assessment)")

    // 2. Load and plan (not part of the packaging figures).
    let (_, plan, load, planTime) = loadAndPlan(curriculum)
    let items = plan.track(track)?.items.count ?? 0
    print("load         \(f(load)) s")
    print("plan         \(f(planTime)) s   \(plan.items.count) items; track \(track) has \(items) → \(items) packages\n")

    func ladder(_ jobs: Int, out: String, track: String = track) throws -> [String: String] {
        try? fm.removeItem(atPath: out)
        var args = ["--child", "ladder", "--curriculum", curriculum, "--out", out, "--jobs", String(jobs), "--track", track, "--lms", o.lms.rawValue]
        if let s = o.schemas { args += ["--schemas", s] }
        return try runChild(args)
    }
    func bare(_ jobs: Int, staging: String, out: String) throws -> [String: String] {
        try? fm.removeItem(atPath: out)
        return try runChild(["--child", "bare", "--staging", staging, "--out", out, "--jobs", String(jobs)])
    }

    // 3. Ladder, one core. Its zips are the reference files for the bare loop.
    let ladderOut1 = work + "/out-ladder-1"
    let l1 = Row(name: "Ladder, 1 core", fields: try ladder(1, out: ladderOut1))

    // 4. Staging: the files of every package Ladder wrote, one folder per package.
    t0 = Measure.now()
    let staging = work + "/staging"
    try? fm.removeItem(atPath: staging)
    let packageRoot = ladderOut1 + "/bench"
    let ladderZips = zips(under: packageRoot)
    var inputBytes = 0
    var stagedNames: [String] = []
    for (n, z) in ladderZips.enumerated() {
        let name = String(format: "%06d", n)
        stagedNames.append(name)
        inputBytes += try BareZip.extract(packageRoot + "/" + z, to: staging + "/" + name)
    }
    print("staging      \(f(Measure.now() - t0)) s   \(ladderZips.count) packages, \(f(Measure.mb(inputBytes), 1)) MB of input files (what goes into the zips)\n")

    let bareOut1 = work + "/out-bare-1"
    let b1 = Row(name: "bare libzip, 1 core", fields: try bare(1, staging: staging, out: bareOut1))

    // Same inputs, same choices: the archives should be byte-identical.
    var identical = 0
    var outputBytes = 0
    for (z, name) in zip(ladderZips, stagedNames) {
        let a = fm.contents(atPath: packageRoot + "/" + z)
        let b = fm.contents(atPath: bareOut1 + "/" + name + ".zip")
        if let a, a == b { identical += 1 }
        outputBytes += a?.count ?? 0
    }
    try? fm.removeItem(atPath: ladderOut1)
    try? fm.removeItem(atPath: bareOut1)

    let ladderOutN = work + "/out-ladder-n"
    let ln = Row(name: "Ladder, \(o.jobs) cores", fields: try ladder(o.jobs, out: ladderOutN))
    try? fm.removeItem(atPath: ladderOutN)
    let bareOutN = work + "/out-bare-n"
    let bn = Row(name: "bare libzip, \(o.jobs) cores", fields: try bare(o.jobs, staging: staging, out: bareOutN))
    try? fm.removeItem(atPath: bareOutN)

    // Memory check in the same run: the same curriculum, a fifth of the packages.
    let smallTrack = "onboarding-\(CurriculumGenerator.levels[0])"
    let smallOut = work + "/out-ladder-small"
    let ls = Row(name: "Ladder, \(o.jobs) cores, \(smallTrack)", fields: try ladder(o.jobs, out: smallOut, track: smallTrack))
    try? fm.removeItem(atPath: smallOut)

    // 5. The table.
    let header = [pad("run", 30), pad("wall s", 8, right: true), pad("CPU s", 8, right: true), pad("pkg/s", 8, right: true), pad("in MB/s", 8, right: true),
                  pad("peak RSS MiB", 13, right: true), pad("packaging peak over baseline MiB", 33, right: true)]
    print(header.joined(separator: " "))
    for r in [l1, ln, b1, bn] {
        let mbs = Measure.mb(inputBytes) / r.wall
        print(
            [pad(r.name, 30), pad(f(r.wall), 8, right: true), pad(f(r.cpu), 8, right: true), pad(f(Double(r.packages) / r.wall, 0), 8, right: true), pad(f(mbs, 1), 8, right: true),
             pad(f(Measure.mib(kib: r.maxRSS), 1), 13, right: true), pad(r.delta.map { f(Measure.mib(kib: $0), 1) } ?? "n/a", 33, right: true)]
                .joined(separator: " "))
    }
    print("")
    print("packages: \(l1.packages) zips (\(o.modules) module SCOs with 2 images each + \(o.modules) assessment SCOs), \(f(Measure.mb(outputBytes), 1)) MB written per run")
    print("bare loop output byte-identical to Ladder's: \(identical) of \(ladderZips.count)")
    let r1 = l1.wall / b1.wall
    let rAll = ln.wall / b1.wall
    print("Ladder / bare, 1 core:                  \(f(r1))x   (goal <= 1.25x: \(r1 <= 1.25 ? "met" : "NOT met"))")
    print("Ladder \(o.jobs) cores / bare 1 core:         \(f(rAll))x   (goal < 1.00x: \(rAll < 1 ? "met" : "NOT met"))")
    print("Ladder / bare, \(o.jobs) cores:                 \(f(ln.wall / bn.wall))x")
    print("CPU seconds, Ladder / bare, 1 core:     \(f(l1.cpu / b1.cpu))x   (less sensitive than wall time to other load on the machine)")
    print("speed-up 1 → \(o.jobs) cores: Ladder \(f(l1.wall / ln.wall))x, bare \(f(b1.wall / bn.wall))x")
    print("Ladder child load + plan: \(f(Double(l1.fields["load"]!)! + Double(l1.fields["plan"]!)!)) s (not in the figures above)")
    if let big = ln.delta, let small = ls.delta {
        print(
            "memory: packaging peak over baseline \(f(Measure.mib(kib: small), 1)) MiB for \(ls.packages) packages (\(smallTrack)) vs \(f(Measure.mib(kib: big), 1)) MiB for \(ln.packages) (\(track)); "
                + "baseline (curriculum loaded and planned) \(f(Measure.mib(kib: Int(ln.fields["base"]!)!), 1)) MiB")
    }

    // 6. What users run: whole `ladder` commands, each its own process.
    if o.commands {
        let runs = try WholeCommands.runAll(curriculum: curriculum, work: work, jobs: o.jobs)
        print("\nwhole commands (each a separate process; wall includes start and loading; bare 1-core loop over onboarding-\(top)'s files: \(f(b1.wall)) s wall, \(f(b1.cpu)) s CPU)")
        print([pad("run", 40), pad("wall s", 8, right: true), pad("CPU s", 8, right: true), pad("peak RSS MiB", 13, right: true)].joined(separator: " "))
        for r in runs {
            print([pad(r.name, 40), pad(f(r.wall), 8, right: true), pad(f(r.cpu), 8, right: true), pad(f(Measure.mib(kib: r.maxRSSKiB), 1), 13, right: true)].joined(separator: " ") + "   " + r.summary)
        }
        if let one = runs.first(where: { $0.name.hasSuffix("1 core") }), let all = runs.first(where: { $0.name == "build --lms talentlms, every track" }) {
            print("full talentlms build: speed-up 1 → \(o.jobs) cores \(f(one.wall / all.wall))x wall; CPU \(f(all.cpu)) s vs the bare loop's \(f(b1.cpu)) s for onboarding-\(top)")
        }
        print("commands: " + runs.map(\.command).joined(separator: "; "))
    }

    // 7. Where Ladder's time goes, one thread.
    if o.profile {
        let (c, plan2, _, _) = loadAndPlan(curriculum)
        let req = try request(o, plan: plan2, track: track, out: work + "/unused")
        let stages = try PackagingStageProfile.run(curriculum: c, plan: plan2, request: req, scratch: URL(fileURLWithPath: work + "/profile"))
        try? fm.removeItem(atPath: work + "/profile")
        let total = stages.reduce(0) { $0 + $1.seconds }
        print("\nLadder's packaging by stage (one thread, \(items) packages; bare 1-core loop for comparison: \(f(b1.wall)) s)")
        for s in stages {
            print("  " + pad(s.name, 44) + pad(f(s.seconds, 3), 9, right: true) + " s " + pad(f(100 * s.seconds / total, 1), 6, right: true) + " %")
        }
        print("  " + pad("total", 44) + pad(f(total, 3), 9, right: true) + " s")
    }
    try? fm.removeItem(atPath: staging)
}

/// `ladder-bench --sha256 FILE…`: SHA256Hasher's digest of each file, fed whole and in odd
/// chunk sizes (the chunked digests must agree); compare with `sha256sum`.
func shaCheck(_ files: [String]) -> Int32 {
    var status: Int32 = 0
    for path in files {
        guard let data = FileManager.default.contents(atPath: path) else { print("cannot read \(path)"); status = 1; continue }
        let whole = SHA256Hasher.hex(data)
        for chunk in [1, 7, 63, 64, 65, 1000, 65_537] {
            let h = SHA256Hasher()
            var i = 0
            while i < data.count {
                h.update(data[i..<min(i + chunk, data.count)])
                i += chunk
            }
            if h.finalize() != whole { print("chunked (\(chunk)) digest differs for \(path)"); status = 1 }
        }
        print("\(whole)  \(path)")
    }
    return status
}

if CommandLine.arguments.dropFirst().first == "--sha256" { exit(shaCheck(Array(CommandLine.arguments.dropFirst(2)))) }

do {
    let o = try Options(Array(CommandLine.arguments.dropFirst()))
    switch o.child {
    case "ladder": try ladderChild(o)
    case "bare": try bareChild(o)
    case nil: try benchmark(o)
    default: throw BenchError("unknown child mode")
    }
} catch {
    FileHandle.standardError.write(Data("ladder-bench: \(error)\n".utf8))
    exit(1)
}
