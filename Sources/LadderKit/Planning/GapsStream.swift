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
struct GapsBuffer {
    private(set) var bytes: [UInt8] = []

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
        let plain = s.utf8.withContiguousStorageIfAvailable { b in !b.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C } }
        guard plain == true else { return append(GapsJSON.string(s)) }
        bytes.append(0x22)
        append(s)
        bytes.append(0x22)
    }

    mutating func reserve(_ n: Int) { bytes.reserveCapacity(n) }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// The text `render` appends to a buffer of its own.
    static func string(_ render: (inout GapsBuffer) throws -> Void) rethrows -> String {
        var b = GapsBuffer()
        try render(&b)
        return b.text
    }
}

/// Where a streamed report goes: a file handle (written in blocks of about 1 MiB) or a string.
public final class GapsSink {
    private let handle: FileHandle?
    private var buffer = GapsBuffer()
    private static let block = 1 << 20

    /// Writes to `handle` (an `AtomicOutputFile`'s, or standard output).
    public init(handle: FileHandle) {
        self.handle = handle
        buffer.reserve(Self.block + (Self.block >> 2))
    }

    /// Collects the text (`text` after writing).
    init() { handle = nil }

    /// Everything written, for a sink made without a handle.
    var text: String { buffer.text }

    public func write(_ s: String) throws {
        try write { $0.append(s) }
    }

    /// Appends one piece of the report (a learner's record, say) and writes a block when one is full.
    func write(_ piece: (inout GapsBuffer) throws -> Void) throws {
        try piece(&buffer)
        if handle != nil, buffer.bytes.count >= Self.block { try flush() }
    }

    /// Writes what is buffered.
    public func flush() throws {
        guard let handle, !buffer.bytes.isEmpty else { return }
        try handle.write(contentsOf: buffer.bytes)
        buffer.removeAll()
    }

    /// Renders into a string with a sink of its own.
    static func string(_ render: (GapsSink) throws -> Void) rethrows -> String {
        let sink = GapsSink()
        try render(sink)
        return sink.text
    }
}
