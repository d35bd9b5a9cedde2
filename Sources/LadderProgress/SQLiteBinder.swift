import GRDB
import GRDBSQLite
import LadderCore

/// Binds values to a prepared GRDB statement and runs it through SQLite's C API, for the
/// import's per-row statements. Values are copied by SQLite (`SQLITE_TRANSIENT`); the
/// statement is reset after running, leaving it ready for the next row. Every bind's return
/// code is checked: a failure throws with SQLite's own message.
package struct SQLiteBinder {
    private let statement: GRDB.Statement
    private var handle: SQLiteStatement { statement.sqliteStatement }
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: GRDB.Statement) { self.statement = statement }

    func text(_ index: Int32, _ value: String?) throws {
        guard var value else { return try check(sqlite3_bind_null(handle, index), index) }
        let code = value.withUTF8 { bytes -> Int32 in
            if let base = bytes.baseAddress, bytes.count > 0 {
                return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text(handle, index, $0, Int32(bytes.count), Self.transient)
                }
            }
            return sqlite3_bind_text(handle, index, "", 0, Self.transient)
        }
        try check(code, index)
    }

    func int(_ index: Int32, _ value: Int?) throws {
        try check(value.map { sqlite3_bind_int64(handle, index, sqlite3_int64($0)) } ?? sqlite3_bind_null(handle, index), index)
    }

    func double(_ index: Int32, _ value: Double?) throws {
        try check(value.map { sqlite3_bind_double(handle, index, $0) } ?? sqlite3_bind_null(handle, index), index)
    }

    /// A bind's return code: anything but `SQLITE_OK` is an error carrying SQLite's message.
    private func check(_ code: Int32, _ index: Int32) throws {
        guard code != SQLITE_OK else { return }
        let message = sqlite3_db_handle(handle).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "error \(code)"
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "binding parameter \(index): \(message)", sql: statement.sql)
    }

    /// Binds `texts` without copying them (`SQLITE_STATIC`: SQLite reads the Swift strings'
    /// own bytes) and runs the statement while they are in reach; the caller binds every
    /// other parameter of the statement first. The import binds millions of rows: a copy of
    /// each text into SQLite's memory, under its allocator's mutex, cost a tenth of the
    /// writing thread's time.
    func run(_ db: Database, texts: [(Int32, String?)]) throws {
        try withTexts(texts[...]) { try run(db) }
        // Nothing may point at the strings once they are out of reach.
        sqlite3_clear_bindings(handle)
    }

    private func withTexts(_ texts: ArraySlice<(Int32, String?)>, _ body: () throws -> Void) throws {
        guard let (index, value) = texts.first else { return try body() }
        guard var value, !value.isEmpty else {
            try text(index, value)
            return try withTexts(texts.dropFirst(), body)
        }
        try value.withUTF8 { bytes in
            let code = bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(handle, index, $0, Int32(bytes.count), nil)
            }
            try check(code, index)
            try withTexts(texts.dropFirst(), body)
        }
    }

    /// Steps the statement to its end, then resets it.
    func run(_ db: Database) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            if code == SQLITE_ROW { continue }
            let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }
}
