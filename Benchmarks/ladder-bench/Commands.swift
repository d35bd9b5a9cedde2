import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Whole-command runs: the `ladder` executable built beside this one, each run a separate
/// process, with its wall time, CPU time (user + system, all threads) and peak RSS from
/// `wait4`'s resource usage. What a user waits for, process start and loading included.
enum WholeCommands {
    struct Run {
        var name: String
        var command: String
        var wall: Double
        var cpu: Double
        var maxRSSKiB: Int
        var summary: String
    }

    /// `ladder` beside this executable.
    static func ladderExecutable() throws -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let path = (me as NSString).deletingLastPathComponent + "/ladder"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchError("no ladder executable at \(path): build it too (swift build -c release --product ladder)")
        }
        return path
    }

    /// Runs `ladder arguments…`, its output into `log`; throws when it fails.
    static func run(_ name: String, _ arguments: [String], log: String) throws -> Run {
        let exe = try ladderExecutable()
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([exe] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let t0 = Measure.now()
        let rc = posix_spawn(&pid, exe, &actions, nil, argv, environ)
        guard rc == 0 else { throw BenchError("cannot start \(exe): errno \(rc)") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError("wait4 failed: errno \(errno)") }
        }
        let wall = Measure.now() - t0
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard status == 0 else { throw BenchError("ladder \(arguments.joined(separator: " ")) failed (status \(status)):\n\(text.suffix(2000))") }
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        let summary = text.split(separator: "\n").filter { $0.hasPrefix("built ") || $0.hasPrefix("changes: ") }
            .map { String($0.prefix(110)) }.joined(separator: " | ")
        return Run(
            name: name, command: "ladder " + arguments.joined(separator: " "), wall: wall, cpu: s(usage.ru_utime) + s(usage.ru_stime),
            maxRSSKiB: Int(usage.ru_maxrss), summary: summary)
    }

    /// check; a full build of every track per LMS (clean); the talentlms build again on one
    /// core (for the speed-up); a no-op rebuild; a rebuild after editing one page.
    static func runAll(curriculum: String, work: String, jobs: Int) throws -> [Run] {
        var runs: [Run] = []
        let log = work + "/command.log"
        func out(_ lms: String) -> String { work + "/out-command-\(lms)" }
        runs.append(try run("ladder check", ["check", curriculum], log: log))
        for lms in ["generic", "moodle", "talentlms"] {
            try? FileManager.default.removeItem(atPath: out(lms))
            runs.append(try run("build --lms \(lms), every track", ["build", curriculum, "--lms", lms, "--out", out(lms), "-j", String(jobs)], log: log))
            if lms != "talentlms" { try? FileManager.default.removeItem(atPath: out(lms)) }
        }
        let one = work + "/out-command-j1"
        runs.append(try run("build --lms talentlms, 1 core", ["build", curriculum, "--lms", "talentlms", "--out", one, "-j", "1"], log: log))
        try? FileManager.default.removeItem(atPath: one)
        runs.append(try run("no-op rebuild (talentlms)", ["build", curriculum, "--lms", "talentlms", "--out", out("talentlms"), "-j", String(jobs)], log: log))
        // One page edited: a line appended to the first page of the first module.
        let levels = try FileManager.default.contentsOfDirectory(atPath: curriculum + "/modules").sorted()
        let folder = curriculum + "/modules/" + levels[0]
        let page = folder + "/" + (try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".md") }.sorted()[0])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: page))
        handle.seekToEndOfFile()
        handle.write(Data("\nOne more sentence, edited for the rebuild benchmark.\n".utf8))
        try handle.close()
        runs.append(try run("rebuild after editing one page", ["build", curriculum, "--lms", "talentlms", "--out", out("talentlms"), "-j", String(jobs)], log: log))
        try? FileManager.default.removeItem(atPath: out("talentlms"))
        return runs
    }
}
