import Foundation
import Testing

@testable import LadderKit

private let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }
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
        #expect(json.contains("\"ready_for\" : \"P2\""))
    }

    @Test func csvHasOneRowPerLearnerAndLevel() throws {
        let r = try fixtureReport()
        let text = ReportRenderer.render(r, as: .csv, detail: false)
        let p = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-report-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        defer { try? FileManager.default.removeItem(atPath: p) }
        let reader = try DelimitedReader(path: p)
        var rows: [[String]] = []
        while let rec = try reader.next() { rows.append(rec.fields) }
        #expect(rows.first?.prefix(5) == ["learner", "name", "email", "current_level", "level"])
        #expect(rows.count == 1 + r.learners.count * r.levels.count)
        let ana = try #require(rows.first { $0[0] == "ana.silva@example.com" && $0[4] == "P1" })
        #expect(ana[7] == "100" && ana[8] == "yes" && ana[9] == "P2")
        let dana = try #require(rows.first { $0[0] == "dana.reyes@example.com" && $0[4] == "P1" })
        #expect(dana[14] == "confirm-resolution.shadowing")
    }

    @Test func textNamesVerdictsMissingItemsAndSignOffs() throws {
        let r = try fixtureReport(learner: "ana.silva@example.com")
        let text = ReportRenderer.render(r, as: .text, detail: true)
        #expect(text.contains("ana.silva@example.com (Ana Silva): P1 100%, ready for P2"))
        #expect(text.contains("assessment inform-customers.assessment: passed, best 90% (mastery 80%), 2 attempts"))
        #expect(text.contains("shadowing inform-customers.shadowing: signed off by Maria \"Mo\" Costa, team lead on 2026-03-03"))
        let all = ReportRenderer.render(try fixtureReport(), as: .text, detail: true)
        #expect(all.contains("missing: confirm-resolution.shadowing"))
        #expect(all.contains("Stalled (no activity for 30 days): 1"))
        #expect(all.contains("inform-customers.assessment fixed-lines: 2 wrong of 3 (67%)"))
    }

    @Test func htmlIsSelfContainedAndEscaped() throws {
        let r = try fixtureReport()
        let html = ReportRenderer.render(r, as: .html, detail: true)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("http://") || !html.contains("src=\"http"))
        #expect(!html.contains("<link") && !html.contains("<script") && !html.contains("@import") && !html.contains("url("))
        #expect(html.contains("<svg id=\"at-level\"") && html.contains("<svg id=\"funnel\""))
        #expect(html.contains("Maria &quot;Mo&quot; Costa, team lead"))
        #expect(!html.contains("Maria \"Mo\""))
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
        let p = Process()
        p.executableURL = URL(fileURLWithPath: chromium!)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(dir.path)/profile",
                       "--screenshot=\(png.path)", "--window-size=1200,1000", html.absoluteString]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
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
            let q = Process()
            q.executableURL = URL(fileURLWithPath: python)
            q.arguments = ["-c", script, png.path]
            let out = Pipe()
            q.standardOutput = out
            try q.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            q.waitUntilExit()
            let counts = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
            #expect(counts.count == 2)
            #expect(counts.first ?? 0 > 2000, "dark bars: \(counts)")
            #expect(counts.last ?? 0 > 2000, "light bars: \(counts)")
        } else {
            print("python3 absent: checked the PNG's size only, not its colours")
        }
    }
}
