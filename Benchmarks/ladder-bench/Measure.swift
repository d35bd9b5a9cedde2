import Foundation

/// Clocks and memory figures.
enum Measure {
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// getrusage's ru_maxrss: the process's peak resident set, in KiB on Linux.
    static func maxRSSKiB() -> Int {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Int(u.ru_maxrss)
    }

    /// User + system CPU seconds of this process so far (all threads).
    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(u.ru_utime) + s(u.ru_stime)
    }

    /// A field of /proc/self/status in KiB (VmRSS, VmHWM), or nil off Linux.
    static func status(_ key: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            return Int(line.dropFirst(key.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
        }
        return nil
    }

    /// Resets VmHWM to the current RSS (Linux 4.0+: write 5 to /proc/self/clear_refs), so
    /// the next VmHWM is the peak of what follows. Returns false when that is not possible.
    static func resetPeak() -> Bool {
        guard let f = fopen("/proc/self/clear_refs", "w") else { return false }
        defer { fclose(f) }
        return fputs("5", f) >= 0
    }

    static func mb(_ bytes: Int) -> Double { Double(bytes) / 1_000_000 }
    static func mib(kib: Int) -> Double { Double(kib) / 1024 }
}

/// Runs this executable again with `arguments` and returns its `RESULT key=value …` line.
func runChild(_ arguments: [String]) throws -> [String: String] {
    let p = Process()
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let out = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let text = String(decoding: out, as: UTF8.self)
    guard p.terminationStatus == 0, let line = text.split(separator: "\n").last(where: { $0.hasPrefix("RESULT ") }) else {
        throw BenchError("child \(arguments.prefix(2).joined(separator: " ")) failed (status \(p.terminationStatus)):\n\(text)")
    }
    var fields: [String: String] = [:]
    for pair in line.dropFirst(7).split(separator: " ") {
        let kv = pair.split(separator: "=", maxSplits: 1)
        if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
    }
    return fields
}

/// Prints one child result line.
func emit(_ fields: [(String, String)]) {
    print("RESULT " + fields.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
}
