import Foundation

/// A cohort's analysed learners, handed out one at a time so that a report is written as it
/// is computed. `pass` may run more than once (the HTML page reads the cohort twice); each run
/// gives the learners in the same order and, at the end, the tracks they share.
///
/// Memory per pass: one learner's analysis at a time, plus the track of every distinct item
/// set and the learner ids (for the tracks summary); never every learner's analysis.
public struct GapStream {
    /// What a pass gathers besides the learners: the shared tracks and who is on them.
    public struct Summary {
        public var tracks: [Track]
        /// Track id → its learners, sorted.
        public var learnersByTrack: [String: [String]]
        /// Learners with nothing to train, in order.
        public var withoutTrack: [String]

        /// Every learner of the pass.
        public var learners: Set<String> { Set(withoutTrack).union(learnersByTrack.values.joined()) }

        /// The tracks section of a report: nothing when there are no tracks; else `header`,
        /// one `row` per track (given the track and its learners joined by ", ") and `footer`.
        func tracksSection(header: String, footer: String = "", row: (Track, String) -> String) -> String {
            guard !tracks.isEmpty else { return "" }
            return header + tracks.map { row($0, learnersByTrack[$0.id, default: []].joined(separator: ", ")) }.joined() + footer
        }
    }

    public let curriculum: Curriculum
    let curriculumID: String
    let title: String
    /// How many learners a pass gives.
    public let count: Int
    /// How much of each learner's analysis a pass fills in.
    enum Detail {
        /// Only the skills (items, decisions and track empty): enough for a heatmap.
        case skills
        /// Skills, items and track, without the decisions and their reasons.
        case items
        /// Everything, the decisions' reasons included.
        case reasons
    }

    /// One pass over the learners. The summary is the same whatever the detail (but empty with
    /// `.skills`, which computes no tracks).
    let pass: (_ detail: Detail, _ body: (LearnerGaps) throws -> Void) throws -> Summary

    /// The learners of a report already computed.
    public init(report: GapReport, curriculum: Curriculum) {
        self.curriculum = curriculum
        curriculumID = report.curriculum
        title = report.title
        count = report.learners.count
        pass = { _, body in
            for l in report.learners { try body(l) }
            return Summary(
                tracks: report.tracks, learnersByTrack: report.learnersByTrack,
                withoutTrack: report.learners.filter { $0.track == nil }.map(\.learner))
        }
    }

    /// The learners of a cohort file, read and analysed one at a time on each pass. `count` is
    /// the number of learners a checking pass found (`CohortFile.forEach` with an empty body);
    /// the file must have no errors.
    public init(cohort: CohortFile, count: Int, curriculum: Curriculum, plan: Plan) {
        self.init(count: count, curriculum: curriculum, plan: plan) { body in try cohort.forEach(body) }
    }

    /// The learners of profiles already in memory (derived from the progress store).
    public init(profiles: [LearnerProfile], curriculum: Curriculum, plan: Plan) {
        self.init(count: profiles.count, curriculum: curriculum, plan: plan) { body in try profiles.forEach(body) }
    }

    init(count: Int, curriculum: Curriculum, plan: Plan, profiles: @escaping ((LearnerProfile) throws -> Void) throws -> Void) {
        self.curriculum = curriculum
        curriculumID = curriculum.id
        title = curriculum.title
        self.count = count
        let context = GapAnalyzer.Context(curriculum, plan: plan)
        pass = { detail, body in
            var collector = GapTrackCollector()
            try profiles { p in
                if detail == .skills {
                    try body(GapAnalyzer.skillGaps(context, learner: p))
                } else {
                    let l = GapAnalyzer.analyze(context, learner: p, reasons: detail == .reasons)
                    collector.add(l)
                    try body(l)
                }
            }
            return Summary(tracks: collector.tracks(context), learnersByTrack: collector.learnersByTrack, withoutTrack: collector.withoutTrack)
        }
    }

    /// One pass that appends each learner's record of a report to the sink, in cohort order
    /// (`record` gets the learner, its index in the cohort and the buffer), a record at a time.
    func records(_ detail: Detail, _ sink: GapsSink, _ record: (LearnerGaps, Int, inout GapsBuffer) -> Void) throws -> Summary {
        var i = 0
        return try pass(detail) { l in
            try sink.write { record(l, i, &$0) }
            i += 1
        }
    }

    /// One pass for a build: the tracks, who is on each and who has nothing to train, without
    /// keeping any learner's analysis (`body` sees each as it goes by, decisions left out).
    public func tracks(_ body: (LearnerGaps) throws -> Void) throws -> Summary {
        try pass(.items, body)
    }

    /// The learner ids, in order (a cheap pass).
    public func learnerIDs() throws -> [String] {
        var ids: [String] = []
        _ = try pass(.skills) { ids.append($0.learner) }
        return ids
    }

    /// One full pass that keeps the learner `id` (for `--explain`), with the tracks of the cohort.
    public func learner(_ id: String) throws -> (learner: LearnerGaps?, report: GapReport) {
        var found: LearnerGaps?
        let summary = try pass(.reasons) { l in if found == nil, l.learner == id { found = l } }
        let report = GapReport(curriculum: curriculumID, title: title, learners: found.map { [$0] } ?? [], tracks: summary.tracks)
        return (found, report)
    }
}

/// A report's UTF-8 bytes as they are made. Writers append a learner's record to it whole
/// (`GapsSink.write { ... }`), so the buffer is reached once per record, not once per piece.
package struct GapsBuffer {
    private(set) var bytes: [UInt8]

    init(bytes: [UInt8] = []) { self.bytes = bytes }

    /// The bytes, leaving the buffer empty.
    mutating func take() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }

    /// Everything appended, as text.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil { bytes.append(contentsOf: s.utf8) }
    }

    /// A number in decimal.
    mutating func append(_ n: Int) {
        if (0..<10).contains(n) {
            bytes.append(0x30 + UInt8(n))
        } else {
            append(String(n))
        }
    }

    /// A JSON string as `JSONEncoder` writes it (slashes and non-ASCII as they are).
    mutating func append(json s: String) {
        guard s.utf8.withContiguousStorageIfAvailable(Self.isPlainJSON) == true else { return append(GapsJSON.string(s)) }
        bytes.append(0x22)
        append(s)
        bytes.append(0x22)
    }

    /// `key` (the punctuation, the quoted key and the colon, as the encoder lays them out), then
    /// a JSON string.
    mutating func field(_ key: String, json s: String) {
        append(key)
        append(json: s)
    }

    /// `key`, then a number.
    mutating func field(_ key: String, _ n: Int) {
        append(key)
        append(n)
    }

    /// True when a JSON string needs no escapes (no quote, backslash or control character). A
    /// loop without an early exit, which the compiler vectorises: it reads gigabytes of text.
    static func isPlainJSON(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var escapes: UInt8 = 0
        for x in b { escapes |= (x < 0x20 ? 1 : 0) | (x == 0x22 ? 1 : 0) | (x == 0x5C ? 1 : 0) }
        return escapes == 0
    }

    mutating func reserve(_ n: Int) { bytes.reserveCapacity(n) }

    /// The text `render` appends to a buffer of its own.
    static func string(_ render: (inout GapsBuffer) throws -> Void) rethrows -> String {
        var b = GapsBuffer()
        try render(&b)
        return b.text
    }
}

/// Where a streamed report goes: an open file, written in blocks of about 1 MiB on a thread
/// of its own (`GapsBlockWriter`), or a string.
public final class GapsSink {
    private let writer: GapsBlockWriter?
    private var buffer = GapsBuffer()
    private static let block = 1 << 20

    /// Writes to the open file `descriptor` (an `AtomicFile`'s, or standard output's), which
    /// failures name as `name`; `flush` when done.
    public init(descriptor: Int32, name: String) {
        writer = GapsBlockWriter(descriptor: descriptor, name: name)
        buffer.reserve(Self.block + (Self.block >> 2))
    }

    /// Collects the text (`text` after writing).
    init() { writer = nil }

    deinit { writer?.close() }

    /// Everything written, for a sink made without a handle.
    var text: String { buffer.text }

    public func write(_ s: String) throws {
        try write { $0.append(s) }
    }

    /// Appends one piece of the report (a learner's record, say) and hands a block to the
    /// writer when one is full.
    func write(_ piece: (inout GapsBuffer) throws -> Void) throws {
        try piece(&buffer)
        if writer != nil, buffer.bytes.count >= Self.block { try handOver() }
    }

    /// Writes everything written so far, and waits until it is written.
    public func flush() throws {
        guard let writer else { return }
        if !buffer.bytes.isEmpty { try handOver() }
        try writer.drain()
    }

    private func handOver() throws {
        guard let writer else { return }
        var next = try writer.submit(buffer.take())
        next.reserveCapacity(Self.block + (Self.block >> 2))
        buffer = GapsBuffer(bytes: next)
    }

    /// Renders into a string with a sink of its own.
    static func string(_ render: (GapsSink) throws -> Void) rethrows -> String {
        let sink = GapsSink()
        try render(sink)
        return sink.text
    }

    /// A report held in memory written by `write` (one of the formats') to a string. Nothing
    /// there can fail: no file is read or written, and the report's learners are all at hand.
    static func render(_ report: GapReport, _ c: Curriculum, with write: (GapStream, GapsSink) throws -> Void) -> String {
        do {
            return try string { try write(GapStream(report: report, curriculum: c), $0) }
        } catch {
            preconditionFailure("a gap report in memory could not be written to a string: \(error)")
        }
    }
}
