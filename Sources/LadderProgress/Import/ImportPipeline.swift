import Foundation
import LadderCore

/// What the reading thread hands the writing one: a record's parse, or a problem reading it.
package enum ReadRow {
    /// A record that was read (it counts as a row) and what the layout's parser made of it.
    case parsed(line: Int, ParsedRow)
    /// A record with another number of fields than the header (it counts as a row).
    case ragged(ImportIssue)
    /// The reader could not read a record; `stop` when nothing after it can be read.
    case unreadable(ImportIssue, stop: Bool)
}

/// Reads and parses a file's records on a thread of its own while the caller writes the
/// previous ones into the store: parsing (bytes to fields, dates, scores) and SQLite's work
/// take about as long as each other, so the two overlap on a machine with two cores.
/// Records arrive in file order, in batches; at most `depth` batches wait, so memory stays
/// bounded whatever the file's size.
package final class ImportPipeline: Sendable {
    private let queue = HandOff<[ReadRow]>(depth: 8)
    private let done = DispatchSemaphore(value: 0)
    private let ended = Locked(false)

    /// Starts reading the records after the header from `reader` and parsing them with `parser`.
    init(reader: any RecordReader, parser: any RowParser, file: String) {
        let box = Box(reader: reader, parser: parser, file: file)
        let work = Thread { [unowned self] in
            self.produce(box)
            self.done.signal()
        }
        work.stackSize = 4 << 20
        work.name = "ladder import reader"
        work.start()
    }

    /// The reader and the parser, used by the reading thread only from here on.
    // @unchecked: handed to the reading thread at its start and never touched by the caller after.
    private final class Box: @unchecked Sendable {
        let reader: any RecordReader
        let parser: any RowParser
        let file: String
        init(reader: any RecordReader, parser: any RowParser, file: String) {
            self.reader = reader
            self.parser = parser
            self.file = file
        }
    }

    private func produce(_ box: Box) {
        var batch: [ReadRow] = []
        batch.reserveCapacity(1024)
        do {
            reading: while true {
                let record: DelimitedRecord?
                do { record = try box.reader.next() } catch let e as DelimitedFileError {
                    batch.append(.unreadable(ImportIssue(file: box.file, line: e.line, field: nil, message: e.message), stop: !e.recoverable))
                    if !e.recoverable { break reading }
                    continue
                }
                guard let r = record else { break }
                if let n = box.parser.expectedFields, r.fields.count != n {
                    batch.append(.ragged(ImportIssue(file: box.file, line: r.line, field: nil, message: FieldCheck.ragged(r, expected: n))))
                } else {
                    batch.append(.parsed(line: r.line, box.parser.parse(r)))
                }
                if batch.count >= 1024 {
                    guard hand(batch) else { return }
                    batch.removeAll(keepingCapacity: true)
                }
            }
            _ = hand(batch)
            finish(nil)
        } catch {
            finish(error)
        }
    }

    /// Queues a batch, waiting while 8 batches wait; false when the writer gave up.
    private func hand(_ batch: [ReadRow]) -> Bool { queue.hand(batch) }

    private func finish(_ error: (any Error)?) { queue.finish(error) }

    /// The next batch in file order; nil once the file is read. Rethrows what the reader
    /// threw other than a record's problem.
    func next() throws -> [ReadRow]? { try queue.next() }

    /// Waits for the reading thread to end, stopping it first if it is still reading (the
    /// writer failed), so nothing reads the file after the import returned. After the last
    /// batch the reader's digest is complete.
    func end() {
        queue.cancel()
        let wait = ended.withLock { ended in
            defer { ended = true }
            return !ended
        }
        if wait { done.wait() }
    }
}
