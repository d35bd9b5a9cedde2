import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

@testable import LadderPreview

/// The preview server over real HTTP on 127.0.0.1: files, safety, the API and persistence.
@Suite(.serialized)
struct ServerTests {
    @Test func servesThePlayerTheTableOfContentsAndPackageFilesWithSecurityHeaders() async throws {
        let db = PreviewFixture.tempDB()
        let s = try await RunningServer.start(package: try PreviewFixture.packagePath(), db: db)
        defer { Task { await s.stop() } }

        let page = try await HTTP.request("GET", s.url + "/?learner=ana")
        #expect(page.status == 200)
        #expect(page.text.contains("data-learner=\"ana\""))
        #expect(page.headers["content-security-policy"]?.contains("frame-ancestors 'self'") == true)
        #expect(page.headers["x-content-type-options"] == "nosniff")
        #expect(page.headers["x-frame-options"] == "SAMEORIGIN")
        #expect(page.headers["referrer-policy"] == "no-referrer")

        let toc = try await HTTP.request("GET", s.url + "/api/toc?learner=ana").json
        let items = try #require(toc["items"] as? [[String: Any]])
        #expect(items.count == 16, "the root folder and 15 SCOs")
        let module = try #require(items.first { $0["id"] as? String == PreviewFixture.module })
        #expect(module["status"] as? String == "not attempted")
        #expect(module["locked"] == nil)
        let quiz = try #require(items.first { $0["id"] as? String == PreviewFixture.assessment })
        #expect((quiz["locked"] as? String)?.contains(PreviewFixture.module) == true)

        let launch = try await HTTP.request(
            "POST", s.url + "/api/launch", body: Data(#"{"learner":"ana","sco":"ITEM-inform-customers-module"}"#.utf8)
        ).json
        let href = try #require(launch["url"] as? String)
        let sco = try await HTTP.request("GET", s.url + href)
        #expect(sco.status == 200)
        #expect(sco.headers["content-type"] == "text/html; charset=utf-8")
        #expect(sco.text.contains("ladder.js"))
        let js = try await HTTP.request("GET", s.url + "/content/ladder/ladder.js")
        #expect(js.status == 200 && js.headers["content-type"]?.hasPrefix("text/javascript") == true)
    }

    @Test func refusesPathsOutsideThePackageOversizedBodiesForeignOriginsAndHosts() async throws {
        let s = try await RunningServer.start(package: try PreviewFixture.packagePath(), db: PreviewFixture.tempDB())
        defer { Task { await s.stop() } }
        for path in [
            "/content/../Package.swift", "/content/%2e%2e/%2e%2e/etc/passwd", "/content/ladder/..%2f..%2fimsmanifest.xml",
            "/content//etc/passwd", "/content/ladder%5c..%5cladder.js", "/content/nope.html", "/etc/passwd",
        ] {
            let r = try await HTTP.request("GET", s.url + path)
            #expect(r.status == 404, "\(path) → \(r.status)")
            #expect(!r.text.contains("root:"))
        }
        let big = Data(repeating: UInt8(ascii: "x"), count: 100_000)
        #expect(try await HTTP.request("POST", s.url + "/api/call", body: big).status == 413)
        let foreign = try await HTTP.request(
            "POST", s.url + "/api/launch", body: Data(#"{"learner":"ana","sco":"ITEM-inform-customers-module"}"#.utf8),
            headers: ["Origin": "http://evil.example"])
        #expect(foreign.status == 403)
        let rebinding = try await HTTP.request("GET", s.url + "/", headers: ["Host": "evil.example"])
        #expect(rebinding.status == 421)
        let badLearner = try await HTTP.request("GET", s.url + "/api/toc?learner=%3Cscript%3E")
        #expect(badLearner.status == 400)
    }

    @Test func theAPIValidatesEveryWriteAndGatesPrerequisites() async throws {
        let db = PreviewFixture.tempDB()
        let s = try await RunningServer.start(package: try PreviewFixture.packagePath(), db: db)
        defer { Task { await s.stop() } }
        let gated = try await HTTP.call(s.url, ["learner": "bo", "sco": PreviewFixture.assessment, "fn": "LMSInitialize", "args": [""]])
        #expect(gated["result"] as? String == "false")
        #expect((gated["diagnostic"] as? String)?.contains("prerequisites") == true)
        let gatedLaunch = try await HTTP.request(
            "POST", s.url + "/api/launch", body: Data(#"{"learner":"bo","sco":"ITEM-inform-customers-assessment"}"#.utf8))
        #expect(gatedLaunch.status == 403)

        let start = try await HTTP.call(s.url, ["learner": "bo", "sco": PreviewFixture.module, "fn": "LMSInitialize", "args": [""]])
        let session = try #require(start["session"] as? String)
        func call(_ fn: String, _ args: [Any]) async throws -> [String: Any] {
            try await HTTP.call(s.url, ["learner": "bo", "sco": PreviewFixture.module, "session": session, "fn": fn, "args": args])
        }
        #expect(try await call("LMSSetValue", ["cmi.core.lesson_status", "bogus"])["error"] as? String == "405")
        #expect(try await call("LMSSetValue", ["cmi.core.student_name", "x"])["error"] as? String == "403")
        #expect(try await call("LMSGetValue", ["cmi.core.session_time"])["error"] as? String == "404")
        #expect(try await call("LMSSetValue", ["cmi.core.score.raw", 50])["error"] as? String == "405")
        #expect(try await call("LMSSetValue", ["cmi.core.lesson_location", "page-2"])["result"] as? String == "true")
        #expect(try await call("LMSCommit", [""])["result"] as? String == "true")
        #expect(try PreviewFixture.state(db, learner: "bo", sco: PreviewFixture.module)?.values["cmi.core.lesson_location"] == "page-2")
        // A write that is not committed is not stored.
        #expect(try await call("LMSSetValue", ["cmi.core.lesson_location", "page-3"])["result"] as? String == "true")
        #expect(try PreviewFixture.state(db, learner: "bo", sco: PreviewFixture.module)?.values["cmi.core.lesson_location"] == "page-2")
        // Other learners on the same server are apart.
        #expect(try PreviewFixture.state(db, learner: "cy", sco: PreviewFixture.module) == nil)
    }

    /// A store the server cannot read is an error on every path that gates prerequisites,
    /// never "not attempted" (which would read as a locked item, or worse, an open one).
    @Test func aStoreThatCannotBeReadIsAnErrorNotNotAttempted() async throws {
        let db = PreviewFixture.tempDB()
        let s = try await RunningServer.start(package: try PreviewFixture.packagePath(), db: db)
        defer { Task { await s.stop() } }
        #expect(try await HTTP.request("GET", s.url + "/api/toc?learner=bo").status == 200)
        // Another process breaks the store under the running server.
        let python = try Tool.run(
            "/usr/bin/env", ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('ALTER TABLE runtime RENAME TO runtime_gone'); c.commit()", db])
        try #require(python.status == 0, "python3 could not alter the store: \(python.stderr)")
        let initialize = try await HTTP.call(s.url, ["learner": "bo", "sco": PreviewFixture.assessment, "fn": "LMSInitialize", "args": [""]])
        #expect(initialize["result"] as? String == "false")
        #expect((initialize["diagnostic"] as? String)?.contains("the progress store cannot be read") == true, "\(initialize)")
        let launch = try await HTTP.request(
            "POST", s.url + "/api/launch", body: Data(#"{"learner":"bo","sco":"ITEM-inform-customers-assessment"}"#.utf8))
        #expect(launch.status == 500)
        #expect(try await HTTP.request("GET", s.url + "/api/toc?learner=bo").status != 200)
    }

    @Test func committedDataSurvivesAServerThatIsStoppedMidSession() async throws {
        let db = PreviewFixture.tempDB()
        let package = try PreviewFixture.packagePath()
        let first = try await RunningServer.start(package: package, db: db)
        let start = try await HTTP.call(first.url, ["learner": "di", "sco": PreviewFixture.module, "fn": "LMSInitialize", "args": [""]])
        let session = try #require(start["session"] as? String)
        for (e, v) in [("cmi.core.lesson_location", "page-3"), ("cmi.suspend_data", #"{"v":1,"p":3}"#), ("cmi.core.lesson_status", "incomplete")] {
            _ = try await HTTP.call(first.url, ["session": session, "fn": "LMSSetValue", "args": [e, v]])
        }
        _ = try await HTTP.call(first.url, ["session": session, "fn": "LMSCommit", "args": [""]])
        await first.stop()

        let second = try await RunningServer.start(package: package, db: db)
        defer { Task { await second.stop() } }
        // The old session is gone with the old server: a conformant 301, nothing invented.
        let stale = try await HTTP.call(second.url, ["session": session, "fn": "LMSGetValue", "args": ["cmi.core.lesson_location"]])
        #expect(stale["error"] as? String == "301")
        let again = try await HTTP.call(second.url, ["learner": "di", "sco": PreviewFixture.module, "fn": "LMSInitialize", "args": [""]])
        let s2 = try #require(again["session"] as? String)
        let loc = try await HTTP.call(second.url, ["session": s2, "fn": "LMSGetValue", "args": ["cmi.core.lesson_location"]])
        #expect(loc["result"] as? String == "page-3")
        let sd = try await HTTP.call(second.url, ["session": s2, "fn": "LMSGetValue", "args": ["cmi.suspend_data"]])
        #expect(sd["result"] as? String == #"{"v":1,"p":3}"#)
    }

    /// The calls a SCO makes while its frame is dismissed reach the server as one batch from
    /// the player; each is checked and committed as if it came alone.
    @Test func aBatchOfQueuedCallsIsAppliedInOrder() async throws {
        let db = PreviewFixture.tempDB()
        let s = try await RunningServer.start(package: try PreviewFixture.packagePath(), db: db)
        defer { Task { await s.stop() } }
        let start = try await HTTP.call(s.url, ["learner": "bo", "sco": PreviewFixture.module, "fn": "LMSInitialize", "args": [""]])
        let session = try #require(start["session"] as? String)
        let calls: [[String: Any]] = [
            ["fn": "LMSSetValue", "args": ["cmi.core.lesson_location", "page-2"]],
            ["fn": "LMSSetValue", "args": ["cmi.core.session_time", "0000:01:30.00"]],
            ["fn": "LMSSetValue", "args": ["cmi.core.exit", "suspend"]],
            ["fn": "LMSCommit", "args": [""]],
            ["fn": "LMSFinish", "args": [""]],
        ]
        let body = try JSONSerialization.data(withJSONObject: ["learner": "bo", "sco": PreviewFixture.module, "session": session, "calls": calls])
        let r = try await HTTP.request("POST", s.url + "/api/batch", body: body, headers: ["Content-Type": "application/json"])
        #expect(r.status == 200)
        let stored = try #require(try PreviewFixture.state(db, learner: "bo", sco: PreviewFixture.module))
        #expect(stored.values["cmi.core.lesson_location"] == "page-2")
        #expect(stored.values["cmi.core.exit"] == "suspend")
        #expect(stored.values["cmi.core.total_time"] == "0000:01:30.00")
        // The session is finished: a second batch is refused whole (422, naming the call), nothing changes.
        let again = try await HTTP.request("POST", s.url + "/api/batch", body: body, headers: ["Content-Type": "application/json"])
        #expect(again.status == 422)
        #expect(again.text.contains("call 1 of 5") && again.text.contains("nothing in this batch was recorded"))
        #expect(try PreviewFixture.state(db, learner: "bo", sco: PreviewFixture.module)?.values["cmi.core.total_time"] == "0000:01:30.00")
        let noSession = try await HTTP.request(
            "POST", s.url + "/api/batch", body: try JSONSerialization.data(withJSONObject: ["session": "nope", "calls": calls]))
        #expect(noSession.status == 400)
        let initialize = try await HTTP.request(
            "POST", s.url + "/api/batch",
            body: try JSONSerialization.data(withJSONObject: ["session": session, "calls": [["fn": "LMSInitialize", "args": [""]]]]))
        #expect(initialize.status == 400)
    }

    /// `POST /api/attempt`: a new attempt opens only over one that recorded something, under the
    /// same Host/Origin/size checks as every POST; an open session is finished on its own
    /// attempt first; the next launch starts afresh and earlier attempts stay as they were.
    @Test func aNewAttemptStartsAfreshAndKeepsTheEarlierOnes() async throws {
        let db = PreviewFixture.tempDB()
        let s = try await RunningServer.start(package: try PreviewFixture.packagePath(), db: db)
        defer { Task { await s.stop() } }
        func attempt(_ body: [String: Any], headers: [String: String] = [:]) async throws -> HTTP.Reply {
            try await HTTP.request(
                "POST", s.url + "/api/attempt", body: try JSONSerialization.data(withJSONObject: body),
                headers: ["Content-Type": "application/json"].merging(headers) { $1 })
        }
        let module: [String: Any] = ["learner": "eve", "sco": PreviewFixture.module]
        func store() throws -> [CMIState] {
            try ProgressStore(path: db).allRuntimeStates().filter { $0.key.learner == "eve" && $0.key.sco == PreviewFixture.module }.map(\.state)
        }

        let none = try await attempt(module)
        #expect(none.status == 409)
        #expect((none.json["reason"] as? String)?.contains("has no attempt yet") == true)

        // Attempt 1: session `first` commits page 2, then sets page 3 without committing and is
        // left open (a page reloaded mid-SCO); session `later` resumes and commits page 5.
        func call(_ session: String, _ fn: String, _ args: [Any]) async throws -> [String: Any] {
            try await HTTP.call(s.url, ["session": session, "fn": fn, "args": args])
        }
        func initialize() async throws -> String {
            try #require(try await HTTP.call(s.url, ["learner": "eve", "sco": PreviewFixture.module, "fn": "LMSInitialize", "args": [""]])["session"] as? String)
        }
        let first = try await initialize()
        _ = try await call(first, "LMSSetValue", ["cmi.core.lesson_status", "incomplete"])
        _ = try await call(first, "LMSSetValue", ["cmi.core.lesson_location", "page-2"])
        #expect(try await call(first, "LMSCommit", [""])["result"] as? String == "true")
        _ = try await call(first, "LMSSetValue", ["cmi.core.lesson_location", "page-3"])
        let later = try await initialize()
        _ = try await call(later, "LMSSetValue", ["cmi.core.lesson_location", "page-5"])
        _ = try await call(later, "LMSSetValue", ["cmi.core.session_time", "0000:02:00.00"])
        #expect(try await call(later, "LMSCommit", [""])["result"] as? String == "true")
        let committed = try #require(try store().first)

        // The protections of every POST, and the item checks.
        #expect(try await attempt(module, headers: ["Origin": "http://evil.example"]).status == 403)
        #expect(try await attempt(module, headers: ["Host": "evil.example"]).status == 421)
        let big = try await HTTP.request("POST", s.url + "/api/attempt", body: Data(repeating: UInt8(ascii: "x"), count: 100_000))
        #expect(big.status == 413)
        #expect(try await HTTP.request("POST", s.url + "/api/attempt", body: Data("[1]".utf8)).status == 400)
        #expect(try await attempt(["learner": "<eve>", "sco": PreviewFixture.module]).status == 400)
        #expect(try await attempt(["learner": "eve", "sco": "ITEM-nope"]).status == 404)
        let locked = try await attempt(["learner": "eve", "sco": PreviewFixture.assessment])
        #expect(locked.status == 403)
        #expect((locked.json["reason"] as? String)?.contains("is locked: first complete") == true)
        #expect(try store().map(\.attempt) == [1], "nothing refused changed the store")

        let started = try await attempt(module)
        #expect(started.status == 200)
        #expect(started.json["ok"] as? Bool == true)
        #expect(started.json["attempt"] as? Int == 2)
        #expect(started.json["previous"] as? Int == 1)
        // Attempt 1 is as it was committed: the sessions left open were ended without writing
        // (the stale one would have put page 3 back over page 5), and they answer 301.
        let states = try store()
        #expect(states.map(\.attempt) == [1, 2])
        let one = try #require(states.first)
        #expect(one == committed)
        #expect(one.values["cmi.core.lesson_location"] == "page-5")
        #expect(states[1].values.isEmpty && states[1].interactions.isEmpty)
        for session in [first, later] {
            let stale = try await call(session, "LMSSetValue", ["cmi.core.lesson_location", "page-4"])
            #expect(stale["error"] as? String == "301")
            #expect((stale["diagnostic"] as? String)?.contains("a new attempt was started") == true)
        }
        #expect(try await call(first, "LMSFinish", [""])["error"] as? String == "101")
        let toc = try await HTTP.request("GET", s.url + "/api/toc?learner=eve").json
        let row = try #require((toc["items"] as? [[String: Any]])?.first { $0["id"] as? String == PreviewFixture.module })
        #expect(row["attempt"] as? Int == 2)
        #expect(row["status"] as? String == "not attempted")
        #expect(row["newAttempt"] as? Bool == false)
        // Nothing recorded in attempt 2 yet: no attempt 3 over an empty one.
        let again = try await attempt(module)
        #expect(again.status == 409)
        #expect((again.json["reason"] as? String)?.contains("attempt 2 of") == true)

        // The launch of attempt 2 starts from nothing.
        let second = try #require(try await HTTP.call(s.url, ["learner": "eve", "sco": PreviewFixture.module, "fn": "LMSInitialize", "args": [""]])["session"] as? String)
        #expect(try await call(second, "LMSGetValue", ["cmi.core.entry"])["result"] as? String == "ab-initio")
        #expect(try await call(second, "LMSGetValue", ["cmi.core.lesson_status"])["result"] as? String == "not attempted")
        #expect(try await call(second, "LMSGetValue", ["cmi.core.lesson_location"])["result"] as? String == "")
        #expect(try await call(second, "LMSGetValue", ["cmi.suspend_data"])["result"] as? String == "")
        #expect(try await call(second, "LMSGetValue", ["cmi.core.total_time"])["result"] as? String == "0000:00:00.00")
        _ = try await call(second, "LMSSetValue", ["cmi.core.lesson_status", "incomplete"])
        #expect(try await call(second, "LMSFinish", [""])["result"] as? String == "true")
        let after = try store()
        #expect(after.map(\.attempt) == [1, 2])
        #expect(after[0] == one, "attempt 1 is untouched")
        #expect(after[1].values["cmi.core.lesson_status"] == "incomplete")
        // The reports' attempt rows: one per attempt.
        #expect(try ProgressStore(path: db).scalarInt("SELECT COUNT(*) FROM attempts WHERE learner_id = 'eve'") == 2)
        #expect(try ProgressStore(path: db).scalarInt("SELECT MAX(attempt) FROM attempts WHERE learner_id = 'eve'") == 2)
        let row2 = try #require((try await HTTP.request("GET", s.url + "/api/toc?learner=eve").json["items"] as? [[String: Any]])?.first { $0["id"] as? String == PreviewFixture.module })
        #expect(row2["newAttempt"] as? Bool == true)
        #expect(try await attempt(module).json["attempt"] as? Int == 3)
    }

    @Test func refusesAPackageThatValidateRejects() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-preview-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("<manifest><broken>".utf8).write(to: folder.appendingPathComponent("imsmanifest.xml"))
        #expect(throws: PreviewError.self) { try PackageSource(path: folder.path) }
        #expect(throws: PreviewError.self) { try PackageSource(path: folder.appendingPathComponent("missing.zip").path) }
    }

    /// The ledger two folders up names the curriculum; a corrupt one is reported, never taken
    /// for an absent one (issue 12, point 4).
    @Test func aCorruptLedgerBesideThePackageIsReported() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-preview-ledger-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let track = root.appendingPathComponent("customer-service/onboarding-P1")
        try FileManager.default.createDirectory(at: track, withIntermediateDirectories: true)
        let zip = track.appendingPathComponent("package.zip")
        try FileManager.default.copyItem(atPath: try PreviewFixture.packagePath(), toPath: zip.path)
        let ledger = root.appendingPathComponent("customer-service/ledger.json")
        try Data(#"{"format": 1, "curriculum": "customer-service", "packages": []}"#.utf8).write(to: ledger)
        #expect(try PackageSource(path: zip.path).curriculum == "customer-service")
        try Data(#"{"format": 1, "curriculum": "#.utf8).write(to: ledger)
        let error = #expect(throws: PackagingError.self) { try PackageSource(path: zip.path) }
        #expect(error?.path == ledger.path)
        #expect(error?.description.contains("cannot read the ledger of earlier builds: it is not valid JSON") == true)
    }

    @Test func aPackageFolderServesNoSymlinkOut() throws {
        // Unpack the built zip into a folder, add a symlink pointing outside, and serve it.
        let zip = try PreviewFixture.packagePath()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-preview-dir-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let contents = try PackageContents(zipPath: zip)
        for e in contents.entries where !e.name.hasSuffix("/") {
            let url = folder.appendingPathComponent(e.name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try #require(try contents.read(e.name)).write(to: url)
        }
        let source = try PackageSource(path: folder.path)
        #expect(try source.data(at: "ladder/ladder.js") != nil)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("ladder/passwd").path, withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("up").path, withDestinationPath: "/etc")
        #expect(try source.data(at: "ladder/passwd") == nil)
        #expect(try source.data(at: "up/passwd") == nil)
        #expect(try source.data(at: "../imsmanifest.xml") == nil)
        #expect(try source.data(at: "ladder") == nil, "a folder is not a file")
    }
}
