import Foundation
import GRDB

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// Feeds one input as a whole file through `ProgressStore.importFiles` (DelimitedReader, the
/// layout's row parser, the writers) into a real SQLite store, then empties the store so every
/// input starts from the same state. The plan is the sample curriculum's, as in the tests.
public final class ImportHarness {
    let source: ImportSource
    let store: ProgressStore
    let file: URL
    let plan: Plan
    let tables: [String]

    public init(source: ImportSource, fileName: String) {
        self.source = source
        let folder = Fuzz.scratch.appendingPathComponent("import")
        store = try! ProgressStore(path: folder.appendingPathComponent("progress.sqlite").path)
        file = folder.appendingPathComponent(fileName)
        let loaded = CurriculumLoader.load(folder: Fuzz.repoRoot.appendingPathComponent("curricula/customer-service").path)
        guard let curriculum = loaded.curriculum else { fatalError("fuzz harness: the sample curriculum does not load") }
        plan = Planner.plan(curriculum)
        tables = try! store.pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'")
        }
    }

    /// Returns 0, libFuzzer's "keep going".
    @discardableResult public func run(_ bytes: [UInt8]) -> CInt {
        Fuzz.write(bytes, to: file)
        do {
            _ = try store.importFiles([file.path], options: ImportOptions(source: source, plan: plan))
        } catch is ImportError {
            // A file that cannot be read at all: the documented refusal.
        } catch {
            // Anything else (a SQLite constraint, a store error) means a row got past the parser
            // that the store cannot hold: a finding.
            fatalError("fuzz finding: import failed with \(error)")
        }
        try! store.pool.write { db in
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            for t in tables { try db.execute(sql: "DELETE FROM \(t)") }
        }
        return 0
    }
}
