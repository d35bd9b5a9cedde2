import Foundation
import TestSupport

/// Reads CSV the way PHP's `fgetcsv` does with its defaults (comma, `"` enclosure, `\` escape):
/// what Moodle's `csv_import_reader` uses. A quote right after a backslash inside quotes is
/// kept as it is and does not end the field. Enough for the files Ladder writes; a test of the
/// real reader runs `php` when it is installed (`PHPReader`).
enum MoodleCSVReader {
    static func records(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var inQuotes = false
        var escaped = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if inQuotes {
                if escaped {
                    escaped = false
                    field.unicodeScalars.append(c)
                } else if c == "\\" {
                    escaped = true
                    field.unicodeScalars.append(c)
                } else if c == "\"" {
                    if chars.first == "\"" {
                        chars.removeFirst()
                        field.append("\"")
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" && field.isEmpty && !quoted {
                inQuotes = true
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
                quoted = false
            } else if c == "\n" {
                fields.append(field)
                records.append(fields)
                fields = []
                field = ""
                quoted = false
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append(fields)
        }
        return records
    }
}

/// PHP's own `fgetcsv`, when `php` is on the PATH: the reader Moodle's import uses.
enum PHPReader {
    static var php: String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(dir)/php"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// The records of `file` as `fgetcsv` returns them, through JSON.
    static func records(_ file: URL) throws -> [[String]]? {
        guard let php else { return nil }
        let run = try Tool.run(php, [
            "-r", #"$f = fopen($argv[1], "r"); $out = []; while (($r = fgetcsv($f)) !== false) { $out[] = $r; } echo json_encode($out);"#,
            file.path,
        ])
        let data = Data(run.stdout.utf8)
        return try JSONDecoder().decode([[String?]].self, from: data).map { $0.map { $0 ?? "" } }
    }
}
