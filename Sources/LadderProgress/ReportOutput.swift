import Foundation
import LadderCore

#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Where a report goes as it is written: a file descriptor, in 1 MiB chunks, or memory (for
/// `ReportRenderer.render`). Text and HTML put the cohort before the learners, so they write
/// the learners to a spool (an unlinked temporary file, or memory) and copy it in at the end:
/// memory stays flat whatever the number of learners.
package final class ReportOutput {
    private var buffer: [UInt8] = []
    private let fd: Int32?
    private let ownsFD: Bool
    /// Names the output in messages.
    let name: String
    private(set) var memory: [UInt8] = []
    private static let chunk = 1 << 20

    private init(fd: Int32?, ownsFD: Bool, name: String) {
        self.fd = fd
        self.ownsFD = ownsFD
        self.name = name
        buffer.reserveCapacity(fd == nil ? 0 : Self.chunk + 65536)
    }

    deinit { if ownsFD, let fd { _ = close(fd) } }

    static func inMemory() -> ReportOutput { ReportOutput(fd: nil, ownsFD: false, name: "memory") }

    /// Writes to `fd`, which the caller keeps and closes.
    static func descriptor(_ fd: Int32, name: String) -> ReportOutput { ReportOutput(fd: fd, ownsFD: false, name: name) }

    func write(_ s: String) throws {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= Self.chunk { try flush() }
    }

    /// Lets `body` append bytes to the output's buffer directly (no intermediate strings: a
    /// report at 100,000 learners writes hundreds of megabytes).
    func bytes(_ body: (inout [UInt8]) -> Void) throws {
        body(&buffer)
        if buffer.count >= Self.chunk { try flush() }
    }

    func flush() throws {
        guard let fd else {
            memory.append(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
            return
        }
        try buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ReportError(message: "\(name): cannot write the report: \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// A scratch output for a part written now but placed later: memory beside a memory
    /// output, else a temporary file unlinked at once (nothing is left behind, even on a kill).
    func spool() throws -> ReportOutput {
        guard fd != nil else { return .inMemory() }
        var template = Array((NSTemporaryDirectory() + "/ladder-report-XXXXXX").utf8CString)
        let spoolFD = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard spoolFD >= 0 else {
            throw ReportError(message: "cannot create a temporary file in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))")
        }
        unlink(String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
        return ReportOutput(fd: spoolFD, ownsFD: true, name: "a temporary file in \(NSTemporaryDirectory())")
    }

    /// Copies everything written to `spool` here.
    func append(_ spool: ReportOutput) throws {
        try spool.flush()
        guard let sfd = spool.fd else {
            try flush()
            buffer = spool.memory
            try flush()
            return
        }
        try flush()
        lseek(sfd, 0, SEEK_SET)
        buffer = [UInt8](repeating: 0, count: Self.chunk)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(sfd, $0.baseAddress!, Self.chunk) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw ReportError(message: "\(spool.name): cannot read back: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            buffer.removeLast(buffer.count - n)
            try flush()
            buffer = [UInt8](repeating: 0, count: Self.chunk)
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Appending report text to a byte buffer.
extension Array where Element == UInt8 {
    mutating func add(_ s: String) { append(contentsOf: s.utf8) }
    mutating func add(_ n: Int) { append(contentsOf: String(n).utf8) }
    mutating func add(_ b: Bool) { add(b ? "true" : "false") }
    /// Static ASCII text, copied without a string.
    mutating func raw(_ s: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }
    /// `true` or `false`.
    mutating func raw(_ b: Bool) { raw(b ? "true" : "false") }
    /// A JSON string literal (`JSONText`), or `null`.
    mutating func json(_ s: String?, _ style: JSONText.Style = .plain) {
        if let s { JSONText.write(s, style, into: &self) } else { add("null") }
    }
    mutating func json(_ n: Int?) { if let n { add(n) } else { add("null") } }
    /// `key` (static text: the separator, the quoted key and the colon), then the value as JSON.
    mutating func field(_ key: StaticString, _ s: String?) {
        raw(key)
        json(s)
    }
    mutating func field(_ key: StaticString, _ n: Int?) {
        raw(key)
        json(n)
    }
    mutating func field(_ key: StaticString, _ b: Bool) {
        raw(key)
        raw(b)
    }
    /// `xs` written by `body`, `separator` between them.
    mutating func list<C: Collection>(_ xs: C, _ separator: String, _ body: (inout [UInt8], C.Element) -> Void) {
        var first = true
        for x in xs {
            if !first { add(separator) }
            first = false
            body(&self, x)
        }
    }
}
