import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

private let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }
/// Every record of a CSV text, through the project's reader.
func parseCSV(_ text: String) throws -> [[String]] {
    let p = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-report-\(UUID().uuidString).csv").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: p))
    defer { try? FileManager.default.removeItem(atPath: p) }
    let reader = try DelimitedReader(path: p)
    var rows: [[String]] = []
    while let rec = try reader.next() { rows.append(rec.fields) }
    return rows
}

/// The HTML report's learner rows, parsed back from the page's JSON.
func htmlRows(_ html: String) throws -> [[Any]] {
    let start = try #require(html.range(of: "<script type=\"application/json\" id=\"ladder-rows\">"))
    let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
    let json = String(html[start.upperBound..<end.lowerBound])
    return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]])
}

private let python: String? = ["/usr/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }

@Suite("Progress: report formats")
struct ProgressReportTests {
    func fixtureReport(detail: Bool = false, learner: String? = nil) throws -> ProgressReport {
        let s = try freshStore()
        defer { removeStore(s) }
        _ = try importAllFixtures(s)
        return try s.report(ReportOptions(plan: ProgressFixtures.plan, learner: learner, asOf: ProgressFixtures.asOf))
    }

    @Test func jsonRoundTripsAndIsDeterministic() throws {
        let r = try fixtureReport()
        let json = ReportRenderer.render(r, as: .json, detail: false)
        let back = try JSONDecoder().decode(ProgressReport.self, from: Data(json.utf8))
        #expect(back == r)
        #expect(json == ReportRenderer.render(try fixtureReport(), as: .json, detail: false))
        let ana = try #require(back.learners.first { $0.id == "ana.silva@example.com" })
        #expect(ana.reached == "P1" && ana.currentLevel == "P1" && ana.readyFor == nil)
        #expect(back.titles?["inform-customers.assessment"] == ProgressFixtures.plan.item("inform-customers.assessment")?.title)
    }

    /// The store's streamed JSON (what `progress report --format json` writes) parses back into
    /// the same report as the one built in memory.
    @Test func streamedJSONEqualsTheReportInMemory() throws {
        let s = try freshStore()
        defer { removeStore(s) }
        _ = try importAllFixtures(s)
        let options = ReportOptions(plan: ProgressFixtures.plan, asOf: ProgressFixtures.asOf)
        let out = ReportOutput.inMemory()
        try s.withReport(options) { try ReportRenderer.write($0, format: .json, detail: false, to: out) }
        let back = try JSONDecoder().decode(ProgressReport.self, from: Data(out.memory))
        #expect(back == (try s.report(options)))
        #expect(back.learners.count == 5)
    }

    @Test func csvHasOneRowPerLearnerAndLevelWithTitles() throws {
        let r = try fixtureReport()
        let rows = try parseCSV(ReportRenderer.render(r, as: .csv, detail: false))
        #expect(rows.first == CSVReportWriter.columns)
        #expect(rows.count == 1 + r.learners.count * r.levels.count)
        let col = Dictionary(uniqueKeysWithValues: CSVReportWriter.columns.enumerated().map { ($1, $0) })
        let ana = try #require(rows.first { $0[0] == "ana.silva@example.com" && $0[col["level"]!] == "P1" })
        #expect(ana[col["percent"]!] == "100" && ana[col["complete"]!] == "yes" && ana[col["reached"]!] == "P1")
        let dana = try #require(rows.first { $0[0] == "dana.reyes@example.com" && $0[col["level"]!] == "P1" })
        let title = try #require(ProgressFixtures.plan.item("confirm-resolution.shadowing")?.title)
        #expect(dana[col["missing"]!] == title && dana[col["missing_ids"]!] == "confirm-resolution.shadowing")
        // 14 of 15 is 93.3%: rounded, 93.
        #expect(dana[col["percent"]!] == "93")
    }

    @Test func textNamesVerdictsMissingItemsByTitleAndSignOffs() throws {
        let plan = ProgressFixtures.plan
        func t(_ id: String) -> String { plan.item(id)?.title ?? "?" }
        let r = try fixtureReport(learner: "ana.silva@example.com")
        let text = ReportRenderer.render(r, as: .text, detail: true)
        #expect(text.contains("Ana Silva (ana.silva@example.com): current P1, reached P1; working on P2: 15 of 15 missing"))
        #expect(text.contains("assessment \(t("inform-customers.assessment")): passed, best 90% (mastery 80%), 2 attempts"))
        #expect(text.contains("shadowing \(t("inform-customers.shadowing")): signed off by Maria \"Mo\" Costa, team lead on 2026-03-03"))
        let all = ReportRenderer.render(try fixtureReport(), as: .text, detail: true)
        #expect(all.contains("missing for P1: \(t("confirm-resolution.shadowing"))\n"))
        #expect(!all.contains("confirm-resolution.shadowing"), "ids are not shown when the plan gives titles")
        #expect(all.contains("Stalled (no activity for 30 days): 1"))
        #expect(all.contains("\(t("inform-customers.assessment")), question fixed-lines: 2 wrong of 3 tries (67%)"))
        #expect(all.contains("Ready for promotion: nobody"))
    }

    @Test func htmlIsSelfContainedAndEscapedOnce() throws {
        let r = try fixtureReport()
        let html = ReportRenderer.render(r, as: .html, detail: true)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("src=") && !html.contains("<link") && !html.contains("@import") && !html.contains("url("))
        #expect(html.contains("<svg id=\"at-level\"") && html.contains("<svg id=\"funnel\""))
        // The observer's name travels in the rows' JSON: parse it back, it is the text itself.
        let rows = try htmlRows(html)
        #expect(rows.count == r.learners.count)
        #expect(html.contains("Maria \\\"Mo\\\" Costa, team lead"))
        #expect(!html.contains("&amp;quot;") && !html.contains("&quot;Mo"))
    }

    /// The page's script draws the learner table: every learner, escaped once, filtered and
    /// sorted from the address (`#q=…`, `#sort=…`), dates on one line.
    @Test(.enabled(if: chromium != nil, "chromium is not installed (apt-get install chromium)"))
    func htmlTableFiltersAndSortsInChromium() throws {
        let r = try fixtureReport()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-dom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("report.html")
        try Data(ReportRenderer.render(r, as: .html, detail: false).utf8).write(to: html)
        func dom(_ hash: String) throws -> String {
            let text = try Tool.run(
                chromium!, ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(dir.path)/profile", "--dump-dom", html.absoluteString + hash]
            ).stdout
            let table = try #require(text.range(of: "<table id=\"learners\">")).upperBound
            let body = try #require(text.range(of: "<tbody>", range: table..<text.endIndex)).upperBound
            return String(text[body..<(try #require(text.range(of: "</tbody>", range: body..<text.endIndex))).lowerBound])
        }
        let all = try dom("")
        #expect(all.components(separatedBy: "<tr>").count - 1 == r.learners.count)
        #expect(all.contains("<tr><td>Ana Silva (ana.silva@example.com)<div class=\"miss\">Missing for P2: "))
        #expect(all.contains("<td class=\"nw\">2026-03-10</td>"))
        let title = try #require(ProgressFixtures.plan.item("confirm-resolution.shadowing")?.title)
        #expect(all.contains("<div class=\"miss\">Missing for P1: \(HTML.escape(title))</div>"))
        let one = try dom("#q=dana")
        #expect(one.components(separatedBy: "<tr>").count - 1 == 1 && one.contains("Dana"))
        let byLast = try dom("#sort=last&dir=down")
        let names = r.learners.filter { $0.lastActivity != nil }.sorted { $0.lastActivity! > $1.lastActivity! }
        let first = try #require(names.first)
        #expect(byLast.hasPrefix("<tr><td>\(HTML.escape(ReportRenderer.label(first.id, first.name)))"))
    }

    /// Renders the HTML report in headless Chromium and checks the screenshot shows the charts:
    /// enough pixels in the charts' two bar colours.
    @Test(.enabled(if: chromium != nil, "chromium is not installed (apt-get install chromium)"))
    func htmlRendersInChromiumWithCharts() throws {
        let r = try fixtureReport()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { if ProcessInfo.processInfo.environment["LADDER_KEEP_PNG"] == nil { try? FileManager.default.removeItem(at: dir) } }
        let html = dir.appendingPathComponent("report.html")
        try Data(ReportRenderer.render(r, as: .html, detail: false).utf8).write(to: html)
        let png = dir.appendingPathComponent("report.png")
        _ = try Tool.run(
            chromium!, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(dir.path)/profile",
                        "--screenshot=\(png.path)", "--window-size=1200,1000", html.absoluteString])
        let data = try Data(contentsOf: png)
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = data[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1200 && height == 1000)
        if let python {
            // Count pixels of the dark (#2f6fdb) and light (#9db7e8) bar colours.
            let script = """
                import sys, zlib, struct
                d = open(sys.argv[1], 'rb').read(); i = 8; w = h = 0; idat = b''; ct = 0
                while i < len(d):
                    n, t = struct.unpack('>I4s', d[i:i+8]); c = d[i+8:i+8+n]; i += 12 + n
                    if t == b'IHDR': w, h, bd, ct = struct.unpack('>IIBB', c[:10])
                    elif t == b'IDAT': idat += c
                raw = zlib.decompress(idat); bpp = 4 if ct == 6 else 3; stride = w * bpp
                prev = bytearray(stride); rows = []; p = 0
                for y in range(h):
                    f = raw[p]; line = bytearray(raw[p+1:p+1+stride]); p += 1 + stride
                    for x in range(stride):
                        a = line[x-bpp] if x >= bpp else 0; b = prev[x]; c = prev[x-bpp] if x >= bpp else 0
                        if f == 1: line[x] = (line[x] + a) & 255
                        elif f == 2: line[x] = (line[x] + b) & 255
                        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
                        elif f == 4:
                            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                            line[x] = (line[x] + (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 255
                    rows.append(line); prev = line
                def count(rgb):
                    return sum(1 for line in rows for x in range(0, stride, bpp) if all(abs(line[x+k] - rgb[k]) <= 6 for k in range(3)))
                print(count((0x2f, 0x6f, 0xdb)), count((0x9d, 0xb7, 0xe8)))
                """
            let text = try Tool.run(python, ["-c", script, png.path]).stdout
            let counts = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
            #expect(counts.count == 2)
            #expect(counts.first ?? 0 > 2000, "dark bars: \(counts)")
            #expect(counts.last ?? 0 > 2000, "light bars: \(counts)")
        } else {
            print("python3 absent: checked the PNG's size only, not its colours")
        }
    }
}
