import Foundation
import TestSupport
import Testing

/// WCAG 2.2 AA of the HTML reports (issue 14 point 12): `ladder progress report --format
/// html` of the report snapshots' fixture store and `ladder gaps --format html` of the sample
/// cohort, written by the built binary, opened in headless Chromium and checked with axe-core.
/// Zero serious or critical violations; every violation found is printed.
@Suite(
    "Accessibility: HTML reports", .serialized, .timeLimit(.minutes(5)),
    .enabled(if: WebDriver.available, "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"),
    .enabled(if: Axe.available, Comment(rawValue: Axe.skipReason)))
struct ReportAccessibilityTests {
    init() {
        if !Axe.available { print("ReportAccessibilityTests skipped: \(Axe.skipReason)") }
    }

    func check(_ html: String, _ what: String, in dir: URL, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let file = dir.appendingPathComponent("\(what.replacingOccurrences(of: " ", with: "-")).html")
        try html.write(to: file, atomically: true, encoding: .utf8)
        let driver = try await WebDriver.start()
        defer { driver.quit() }
        try await driver.navigate(file.absoluteString)
        try await driver.waitForScript("the page", "return document.readyState === 'complete' && !!document.querySelector('h1')")
        try await Axe.check(driver, what, sourceLocation: sourceLocation)
        // The narrow layout too: a phone's width reflows tables and the heat map.
        try await driver.command("POST", "/window/rect", ["width": 400, "height": 800])
        try await Axe.check(driver, "\(what) (400 px wide)", sourceLocation: sourceLocation)
    }

    @Test func progressReport() async throws {
        let dir = try TestSupport.temporaryFolder("ladder-report-axe")
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("progress.sqlite").path
        _ = try ReportSnapshotTests.importFixtures(into: db)
        let run = try Ladder.run([
            "progress", "report", "--db", db, "--curriculum", "curricula/customer-service", "--as-of", "2026-03-20", "--format", "html",
        ])
        try #require(run.status == 0, "\(run.stderr)")
        try await check(run.stdout, "progress report", in: dir)
    }

    @Test func gapsReport() async throws {
        let dir = try TestSupport.temporaryFolder("ladder-gaps-axe")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try Ladder.run([
            "gaps", "curricula/customer-service", "--learners", "curricula/customer-service/learners/cohort.csv", "--format", "html",
        ])
        try #require(run.status == 0, "\(run.stderr)")
        try await check(run.stdout, "gaps report", in: dir)
    }
}
