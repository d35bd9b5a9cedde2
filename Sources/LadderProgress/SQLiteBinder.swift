import GRDB
import GRDBSQLite
import LadderCore

/// Binds values to a prepared GRDB statement and runs it through SQLite's C API, for the
/// import's per-row statements. Values are copied by SQLite (`SQLITE_TRANSIENT`); the
/// statement is reset after running, leaving it ready for the next row.
package struct SQLiteBinder {
    private let statement: GRDB.Statement
    private var handle: SQLiteStatement { statement.sqliteStatement }
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: GRDB.Statement) { self.statement = statement }

    func text(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { bytes in
            if let base = bytes.baseAddress, bytes.count > 0 {
                _ = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text(handle, index, $0, Int32(bytes.count), Self.transient)
                }
            } else {
                sqlite3_bind_text(handle, index, "", 0, Self.transient)
            }
        }
    }

    func int(_ index: Int32, _ value: Int?) {
        if let value { sqlite3_bind_int64(handle, index, sqlite3_int64(value)) } else { sqlite3_bind_null(handle, index) }
    }

    func double(_ index: Int32, _ value: Double?) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
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
