import Foundation
import Yams

/// A YAML file read into a node tree that keeps every value's line and column.
struct YAMLDocument {
    /// The path shown in diagnostics.
    let path: String
    let root: Node?

    /// Reads and parses one file. Problems (unreadable, not UTF-8, YAML syntax) become
    /// diagnostics and a `nil` result; nothing is thrown.
    static func read(url: URL, displayPath: String, into diags: inout Diagnostics) -> YAMLDocument? {
        guard let data = try? Data(contentsOf: url) else {
            diags.error(SourceLocation(file: displayPath), "cannot read the file")
            return nil
        }
        guard let text = SourceText.decodeUTF8(data, path: displayPath, into: &diags) else { return nil }
        do {
            return YAMLDocument(path: displayPath, root: try Yams.compose(yaml: text))
        } catch let error as YamlError {
            diags.append(contentsOf: [Self.diagnostic(for: error, path: displayPath)])
            return nil
        } catch {
            diags.error(SourceLocation(file: displayPath), "cannot parse YAML: \(error)")
            return nil
        }
    }

    static func parse(text: String, displayPath: String, lineOffset: Int, into diags: inout Diagnostics) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            var d = Self.diagnostic(for: error, path: displayPath)
            if d.line > 0 { d.line += lineOffset }
            diags.append(contentsOf: [d])
            return nil
        } catch {
            diags.error(SourceLocation(file: displayPath), "cannot parse YAML: \(error)")
            return nil
        }
    }

    private static func diagnostic(for error: YamlError, path: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let ctx = context.map { " \($0.text)" } ?? ""
            return Diagnostic(.error, path, line: mark.line, column: mark.column, "YAML syntax error: \(problem)\(ctx)")
        case .reader(let problem, _, _, _):
            return Diagnostic(.error, path, "cannot read YAML: \(problem)")
        default:
            return Diagnostic(.error, path, "cannot parse YAML: \(error)")
        }
    }
}

enum SourceText {
    /// Decodes strict UTF-8, reporting the line of the first bad byte.
    static func decodeUTF8(_ data: Data, path: String, into diags: inout Diagnostics) -> String? {
        if let s = String(validating: data, as: UTF8.self) {
            return s.hasPrefix("\u{FEFF}") ? String(s.dropFirst()) : s
        }
        // Find the first invalid sequence to point at it.
        var line = 1
        var lineStart = 0
        var i = 0
        let bytes = [UInt8](data)
        while i < bytes.count {
            let b = bytes[i]
            let len: Int
            switch b {
            case 0..<0x80: len = 1
            case 0xC2...0xDF: len = 2
            case 0xE0...0xEF: len = 3
            case 0xF0...0xF4: len = 4
            default: len = 0
            }
            var ok = len > 0 && i + len <= bytes.count
            if ok { for k in 1..<max(len, 1) where bytes[i + k] & 0xC0 != 0x80 { ok = false } }
            if !ok {
                diags.error(
                    SourceLocation(file: path, line: line, column: i - lineStart + 1),
                    "the file is not UTF-8 text (byte 0x\(String(b, radix: 16, uppercase: true)) at offset \(i)); save it as UTF-8")
                return nil
            }
            if b == 0x0A { line += 1; lineStart = i + 1 }
            i += len
        }
        diags.error(SourceLocation(file: path), "the file is not UTF-8 text; save it as UTF-8")
        return nil
    }
}

extension Node {
    func location(in file: String, lineOffset: Int = 0) -> SourceLocation {
        guard let mark else { return SourceLocation(file: file) }
        return SourceLocation(file: file, line: mark.line + lineOffset, column: mark.column)
    }

    /// The scalar's text, or nil for mappings and sequences.
    var text: String? { scalar?.string }

    /// Pairs of a mapping in file order.
    var pairs: [(key: Node, value: Node)] {
        guard let mapping else { return [] }
        return mapping.map { ($0.key, $0.value) }
    }

    subscript(field name: String) -> Node? {
        mapping?.first { $0.key.scalar?.string == name }?.value
    }

    var items: [Node] { sequence.map { Array($0) } ?? [] }

    var kindName: String {
        switch self {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}
