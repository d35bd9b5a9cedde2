import Foundation
import LadderCore

// Page rendering speed: cmark-gfm (what Ladder renders with) beside the hand-written renderer
// it replaced (OldMarkdown.swift, from history), on the same pages. Each renderer renders
// every page once to warm up, then whole rounds of all pages until `--seconds` of CPU time
// have passed; figures are per CPU second of this process (getrusage), which a loaded machine
// disturbs far less than wall time (printed beside them).
//
//   swift run -c release markdown-bench [folder] [--seconds N]
//
// `folder` (default curricula/customer-service) is searched for *.md files.

func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
}

var arguments = Array(CommandLine.arguments.dropFirst())
var seconds = 5.0
if let i = arguments.firstIndex(of: "--seconds"), i + 1 < arguments.count, let s = Double(arguments[i + 1]) {
    seconds = s
    arguments.removeSubrange(i...(i + 1))
}
let folder = arguments.first ?? "curricula/customer-service"
guard let walker = FileManager.default.enumerator(atPath: folder) else {
    FileHandle.standardError.write(Data("\(folder): cannot list the folder\n".utf8))
    exit(66)
}
var pages: [String] = []
for case let name as String in walker where name.hasSuffix(".md") {
    let path = folder + "/" + name
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
        FileHandle.standardError.write(Data("\(path): cannot read the page as UTF-8 text\n".utf8))
        exit(66)
    }
    pages.append(text)
}
pages.sort()
guard !pages.isEmpty else {
    FileHandle.standardError.write(Data("\(folder): no .md pages\n".utf8))
    exit(66)
}
let bytes = pages.reduce(0) { $0 + $1.utf8.count }
print("markdown-bench: \(pages.count) pages, \(bytes) bytes from \(folder); at least \(seconds) CPU s per renderer")

/// Renders all pages with `render` round after round for `seconds` of CPU time and prints the figures.
@MainActor func measure(_ name: String, _ render: (String) -> Int) {
    var out = 0
    for p in pages { out += render(p) }
    var rounds = 0
    let cpu0 = cpuSeconds()
    let wall0 = Date()
    while cpuSeconds() - cpu0 < seconds {
        for p in pages { _ = render(p) }
        rounds += 1
    }
    let cpu = cpuSeconds() - cpu0
    let wall = Date().timeIntervalSince(wall0)
    let rendered = Double(rounds * pages.count)
    print(String(format: "%@: %d rounds, %.0f pages/s, %.2f MB/s (input, per CPU second); %.1f CPU s in %.1f wall s; %d bytes of HTML a round",
                 name, rounds, rendered / cpu, Double(rounds * bytes) / cpu / 1e6, cpu, wall, out))
}

// The options SCO pages use: headings under the page title, ids prefixed, images rewritten.
measure("cmark-gfm") { Markdown.render($0, headingOffset: 1, idPrefix: "s-", imageSource: { "media/" + $0 }).html.utf8.count }
measure("old renderer") { OldMarkdown.render($0, headingOffset: 1, idPrefix: "s-", imageSource: { "media/" + $0 }).html.utf8.count }
