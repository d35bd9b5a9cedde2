import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress
@testable import LadderPreview

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The request checks that guard the preview server's state: exact origins (port included),
/// one Host per request and absolute-form targets judged by the host they name, and batches
/// that are applied whole or not at all.
@Suite(.serialized)
struct PreviewSecurityTests {
    /// An origin on the same host but another port is another site: its POSTs are refused
    /// before they reach the session or the store; the server's own origin gets through.
    @Test func anOriginOnTheSameHostButAnotherPortIsRefused() async throws {
        let db = PreviewFixture.tempDB()
        let s = try await RunningServer.start(package: try PreviewFixture.packagePath(), db: db)
        defer { Task { await s.stop() } }
        let start = try await HTTP.call(s.url, ["learner": "fay", "sco": PreviewFixture.module, "fn": "LMSInitialize", "args": [""]])
        let session = try #require(start["session"] as? String)
        func post(_ fn: String, _ args: [String], origin: String) async throws -> HTTP.Reply {
            let body = try JSONSerialization.data(withJSONObject: ["session": session, "fn": fn, "args": args])
            return try await HTTP.request(
                "POST", s.url + "/api/call", body: body, headers: ["Content-Type": "application/json", "Origin": origin])
        }
        let otherPort = s.port == 65535 ? s.port - 1 : s.port + 1
        for origin in ["http://localhost:\(otherPort)", "http://127.0.0.1:\(otherPort)", "http://localhost"] {
            let set = try await post("LMSSetValue", ["cmi.core.lesson_location", "from-\(origin)"], origin: origin)
            #expect(set.status == 403, "\(origin) → \(set.status)")
            let commit = try await post("LMSCommit", [""], origin: origin)
            #expect(commit.status == 403, "\(origin) → \(commit.status)")
        }
        #expect(try PreviewFixture.state(db, learner: "fay", sco: PreviewFixture.module) == nil, "a refused POST stored something")
        let unchanged = try await HTTP.call(s.url, ["session": session, "fn": "LMSGetValue", "args": ["cmi.core.lesson_location"]])
        #expect(unchanged["result"] as? String == "", "a refused POST reached the session")

        // The server's own origin, under either of its names, is accepted and does change things.
        let own = try await post("LMSSetValue", ["cmi.core.lesson_location", "page-4"], origin: "http://localhost:\(s.port)")
        #expect(own.status == 200)
        #expect(own.json["result"] as? String == "true")
        let ownCommit = try await post("LMSCommit", [""], origin: "http://127.0.0.1:\(s.port)")
        #expect(ownCommit.status == 200)
        #expect(try PreviewFixture.state(db, learner: "fay", sco: PreviewFixture.module)?.values["cmi.core.lesson_location"] == "page-4")
    }

    /// Requests a URL client cannot send (two Host headers, absolute-form targets), written
    /// byte by byte on a TCP socket.
    @Test func hostHeadersAndAbsoluteFormTargetsAreJudgedOnTheWire() async throws {
        let s = try await RunningServer.start(package: try PreviewFixture.packagePath(), db: PreviewFixture.tempDB())
        defer { Task { await s.stop() } }
        let own = "127.0.0.1:\(s.port)"

        let plain = try await RawHTTP.status(port: s.port, "GET / HTTP/1.1\r\nHost: \(own)\r\nConnection: close\r\n\r\n")
        #expect(plain == 200, "the baseline request must pass for the others to mean anything")
        let twoHosts = try await RawHTTP.status(
            port: s.port, "GET / HTTP/1.1\r\nHost: \(own)\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
        #expect(twoHosts == 400)
        let twoOwnHosts = try await RawHTTP.status(port: s.port, "GET / HTTP/1.1\r\nHost: \(own)\r\nHost: \(own)\r\nConnection: close\r\n\r\n")
        #expect(twoOwnHosts == 400)
        let foreignTarget = try await RawHTTP.status(
            port: s.port, "GET http://evil.example/ HTTP/1.1\r\nHost: \(own)\r\nConnection: close\r\n\r\n")
        #expect(foreignTarget == 421)
        let foreignPort = try await RawHTTP.status(
            port: s.port, "GET http://127.0.0.1:\(s.port == 65535 ? 1 : s.port + 1)/ HTTP/1.1\r\nHost: \(own)\r\nConnection: close\r\n\r\n")
        #expect(foreignPort == 421)
        let ownTarget = try await RawHTTP.status(port: s.port, "GET http://\(own)/ HTTP/1.1\r\nHost: \(own)\r\nConnection: close\r\n\r\n")
        #expect(ownTarget == 200)
        let ownTargetOtherHost = try await RawHTTP.status(
            port: s.port, "GET http://\(own)/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
        #expect(ownTargetOtherHost == 200, "with an absolute-form target the Host header is ignored (RFC 9112 §3.2.2)")
    }

    /// A batch whose third of five calls fails is refused whole: 422 naming that call, and
    /// neither the store nor the session keeps anything from calls 1 and 2, not even the
    /// commit in call 2.
    @Test func aBatchWithAFailingCallChangesNothing() async throws {
        let db = PreviewFixture.tempDB()
        let s = try await RunningServer.start(package: try PreviewFixture.packagePath(), db: db)
        defer { Task { await s.stop() } }
        let start = try await HTTP.call(s.url, ["learner": "gus", "sco": PreviewFixture.module, "fn": "LMSInitialize", "args": [""]])
        let session = try #require(start["session"] as? String)
        func call(_ fn: String, _ args: [String]) async throws -> [String: Any] {
            try await HTTP.call(s.url, ["session": session, "fn": fn, "args": args])
        }
        #expect(try await call("LMSSetValue", ["cmi.core.lesson_location", "page-1"])["result"] as? String == "true")
        #expect(try await call("LMSCommit", [""])["result"] as? String == "true")

        let calls: [[String: Any]] = [
            ["fn": "LMSSetValue", "args": ["cmi.core.lesson_location", "page-9"]],
            ["fn": "LMSCommit", "args": [""]],
            ["fn": "LMSSetValue", "args": ["cmi.core.student_name", "Mallory"]],
            ["fn": "LMSSetValue", "args": ["cmi.suspend_data", "after"]],
            ["fn": "LMSFinish", "args": [""]],
        ]
        let body = try JSONSerialization.data(withJSONObject: ["learner": "gus", "sco": PreviewFixture.module, "session": session, "calls": calls])
        let r = try await HTTP.request("POST", s.url + "/api/batch", body: body, headers: ["Content-Type": "application/json"])
        #expect(r.status == 422)
        #expect(r.text.contains("call 3 of 5") && r.text.contains("LMSSetValue") && r.text.contains("cmi.core.student_name"), "\(r.text)")
        #expect(r.text.contains("403"), "the SCORM error of the failing call: \(r.text)")

        let stored = try #require(try PreviewFixture.state(db, learner: "gus", sco: PreviewFixture.module))
        #expect(stored.values["cmi.core.lesson_location"] == "page-1")
        #expect(stored.values["cmi.suspend_data"] == nil || stored.values["cmi.suspend_data"] == "")
        // The session is as it was: still open, still on page 1.
        let location = try await call("LMSGetValue", ["cmi.core.lesson_location"])
        #expect(location["result"] as? String == "page-1")
        #expect(location["error"] as? String == "0")
        #expect(try await call("LMSGetValue", ["cmi.core.student_name"])["result"] as? String != "Mallory")

        // The same batch without the bad call goes through, so the refusal was the bad call's.
        let good = try JSONSerialization.data(withJSONObject: ["session": session, "calls": calls.enumerated().filter { $0.offset != 2 }.map(\.element)])
        #expect(try await HTTP.request("POST", s.url + "/api/batch", body: good, headers: ["Content-Type": "application/json"]).status == 200)
        let after = try #require(try PreviewFixture.state(db, learner: "gus", sco: PreviewFixture.module))
        #expect(after.values["cmi.core.lesson_location"] == "page-9")
        #expect(after.values["cmi.suspend_data"] == "after")
    }

    @Test func aBatchOverTheSizeLimitSaysTheLimit() async throws {
        let db = PreviewFixture.tempDB()
        let s = try await RunningServer.start(package: try PreviewFixture.packagePath(), db: db)
        defer { Task { await s.stop() } }
        let start = try await HTTP.call(s.url, ["learner": "hal", "sco": PreviewFixture.module, "fn": "LMSInitialize", "args": [""]])
        let session = try #require(start["session"] as? String)
        let set: [String: Any] = ["fn": "LMSSetValue", "args": ["cmi.core.lesson_location", "x"]]
        let calls = [set] + Array(repeating: ["fn": "LMSCommit", "args": [] as [String]] as [String: Any], count: PreviewServer.maxBatchCalls)
        #expect(calls.count == 1001)
        let body = try JSONSerialization.data(withJSONObject: ["session": session, "calls": calls])
        #expect(body.count < 64 << 10, "the body must stay under the size limit so the call count is what is judged")
        let r = try await HTTP.request("POST", s.url + "/api/batch", body: body, headers: ["Content-Type": "application/json"])
        #expect(r.status == 400)
        #expect(r.text.contains("1 to 1000 calls") && r.text.contains("1001"), "\(r.text)")
        #expect(try PreviewFixture.state(db, learner: "hal", sco: PreviewFixture.module) == nil)

        let empty = try await HTTP.request(
            "POST", s.url + "/api/batch", body: try JSONSerialization.data(withJSONObject: ["session": session, "calls": [] as [Any]]),
            headers: ["Content-Type": "application/json"])
        #expect(empty.status == 400)
        #expect(empty.text.contains("1 to 1000 calls"))
    }
}

/// One HTTP/1.1 request written as raw bytes on a blocking TCP socket to 127.0.0.1.
enum RawHTTP {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// The status code of the reply (the first line), read until the server closes or 30 s pass.
    static func status(port: Int, _ request: String) async throws -> Int {
        // The blocking socket calls run on a thread of their own. On Swift's cooperative pool
        // (two threads on a 2-core machine, shared with the other tests running in parallel)
        // they could starve the in-process server whose reply they wait for: seen in a full
        // run, where a request got no reply in 10 s.
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Int, any Error>) in
            Thread { c.resume(with: Result { try exchange(port: port, request) }) }.start()
        }
    }

    static func exchange(port: Int, _ request: String) throws -> Int {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket() failed: \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect() to port \(port) failed: \(errno)") }
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw Failure(description: "send() failed: \(errno)") }
            sent += n
        }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            reply += buffer[..<n]
            if reply.count > 1 << 20 { break }
        }
        let text = String(decoding: reply, as: UTF8.self)
        let first = text.split(separator: "\r\n", maxSplits: 1).first ?? ""
        let parts = first.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]) else {
            throw Failure(description: "no HTTP status line in the reply: \(text.prefix(200))")
        }
        return code
    }
}

