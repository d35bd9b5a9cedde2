import Foundation

/// The shape of a YAML file kind, declared once and used twice: to check an author's file
/// (types, required and unknown keys, with positions) and to publish the JSON Schema an
/// editor validates against (`ladder schema`). One declaration keeps the two from drifting.
package indirect enum Shape: Sendable {
    /// Plain text, non-empty.
    case text(maxLength: Int? = nil)
    /// An id: a letter, then letters, digits, `-` or `_`; at most 64 characters.
    case identifier
    /// A path relative to the curriculum folder.
    case path(extensions: [String])
    case integer(min: Int, max: Int)
    case boolean
    case oneOf([String])
    /// A proficiency step: an id, a name or a 1-based number.
    case step
    case list(Shape, minItems: Int)
    case object(ObjectShape)
    /// A mapping from ids to values (skill targets).
    case map(Shape)

    /// An object with these fields (nested in a file kind's shape).
    static func object(fields: [Field]) -> Shape { .object(ObjectShape(fields: fields)) }

    /// A list of objects with these fields (and exactly one of `exactlyOneOf`, when given), at
    /// least `minItems` of them.
    static func objects(_ fields: [Field], exactlyOneOf: [String] = [], minItems: Int) -> Shape {
        .list(.object(ObjectShape(fields: fields, exactlyOneOf: exactlyOneOf)), minItems: minItems)
    }

    static let idPattern = "^[A-Za-z][A-Za-z0-9_-]*$"

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, s.unicodeScalars.count <= 64, f.isASCIILetter else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }
}

package struct Field: Sendable {
    var name: String
    var shape: Shape
    var required: Bool
    var doc: String
    init(_ name: String, _ shape: Shape, required: Bool = false, _ doc: String) {
        self.name = name
        self.shape = shape
        self.required = required
        self.doc = doc
    }
}

package struct ObjectShape: Sendable {
    var fields: [Field]
    var doc: String = ""
    /// Exactly one of these keys must be present (a framework statement's `level`/`excluded`).
    var exactlyOneOf: [String] = []
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}

// MARK: - Checking a node against a shape

package struct ShapeChecker {
    let file: String
    var lineOffset = 0
    var diags: Diagnostics

    init(file: String, lineOffset: Int = 0, diags: Diagnostics) {
        self.file = file
        self.lineOffset = lineOffset
        self.diags = diags
    }

    private func loc(_ node: Node) -> SourceLocation { node.location(in: file, lineOffset: lineOffset) }

    mutating func check(_ node: Node, _ shape: Shape, at path: String) { check(node, shape, path: { path }) }

    /// `path` is only spelled out for a message: most values have none.
    private mutating func check(_ node: Node, _ shape: Shape, path: () -> String) {
        switch shape {
        case .text(let maxLength):
            guard let s = scalar(node, path, "text") else { return }
            if TextScan.isBlank(s) {
                diags.error(loc(node), "'\(path())' must not be empty")
            } else if let maxLength, s.utf8.count > maxLength, s.count > maxLength {  // a character is at least a byte
                diags.error(loc(node), "'\(path())' is \(s.count) characters long; at most \(maxLength) are allowed")
            }
        case .identifier:
            guard let s = scalar(node, path, "an id") else { return }
            if !Shape.isIdentifier(s) {
                diags.error(
                    loc(node),
                    "'\(path())' is '\(s)', which is not a valid id: use a letter, then letters, digits, '-' or '_' (at most 64 characters)")
            }
        case .path(let exts):
            guard let s = scalar(node, path, "a relative path") else { return }
            if let problem = RelativePath.problem(s) {
                diags.error(loc(node), "'\(path())': \(problem)")
            } else if !exts.isEmpty, case let lower = s.lowercased(), !exts.contains(where: { lower.hasSuffix("." + $0) }) {
                diags.error(loc(node), "'\(path())' must name a .\(exts.joined(separator: " or ."))file".replacingOccurrences(of: "file", with: " file"))
            }
        case .integer(let lo, let hi):
            guard let s = scalar(node, path, "a whole number") else { return }
            guard let v = Int(s) else {
                diags.error(loc(node), "'\(path())' must be a whole number, not '\(s)'")
                return
            }
            if v < lo || v > hi { diags.error(loc(node), "'\(path())' is \(v); it must be between \(lo) and \(hi)") }
        case .boolean:
            guard let s = scalar(node, path, "true or false") else { return }
            if Self.bool(s) == nil { diags.error(loc(node), "'\(path())' must be true or false, not '\(s)'") }
        case .oneOf(let values):
            guard let s = scalar(node, path, values.joined(separator: ", ")) else { return }
            if !values.contains(s) {
                diags.error(loc(node), "'\(path())' is '\(s)'; expected one of: \(values.joined(separator: ", "))\(Suggest.hint(s, values))")
            }
        case .step:
            _ = scalar(node, path, "a proficiency step")
        case .list(let element, let minItems):
            guard case .sequence(let seq, _) = node else {
                diags.error(loc(node), "'\(path())' must be a list, not \(node.kindName)")
                return
            }
            if seq.count < minItems {
                diags.error(loc(node), "'\(path())' needs at least \(Plural.count(minItems, "entry", "entries"))")
            }
            for (i, item) in seq.enumerated() { check(item, element, path: { "\(path())[\(i)]" }) }
        case .map(let value):
            guard case .mapping = node else {
                diags.error(loc(node), "'\(path())' must be a mapping, not \(node.kindName)")
                return
            }
            for (k, v) in node.pairs { check(v, value, path: { "\(path()).\(k.text ?? "?")" }) }
        case .object(let obj):
            checkObject(node, obj, path: path)
        }
    }

    private mutating func checkObject(_ node: Node, _ obj: ObjectShape, path: () -> String) {
        guard case .mapping(let pairs, _) = node else {
            let p = path()
            diags.error(loc(node), "\(p.isEmpty ? "the file" : "'\(p)'") must be a mapping of keys to values, not \(node.kindName)")
            return
        }
        func sub(_ key: String) -> String {
            let p = path()
            return p.isEmpty ? key : "\(p).\(key)"
        }
        // Which fields are written, by index (cheaper than a set of the keys' texts).
        var seen = [Bool](repeating: false, count: obj.fields.count)
        for (k, v) in pairs {
            guard let key = k.text else {
                diags.error(loc(k), "keys must be plain names")
                continue
            }
            guard let index = obj.fields.firstIndex(where: { $0.name == key }) else {
                diags.error(loc(k), "unknown key '\(sub(key))'\(Suggest.hint(key, obj.fields.map(\.name)))")
                continue
            }
            seen[index] = true
            let field = obj.fields[index]
            if case .scalar(let s) = v, s.isPlainNull {
                if field.required { diags.error(loc(v), "'\(sub(key))' is required but has no value") }
                continue
            }
            check(v, field.shape, path: { sub(key) })
        }
        for (f, written) in zip(obj.fields, seen) where f.required && !written {
            diags.error(loc(node), "missing required key '\(sub(f.name))'")
        }
        if !obj.exactlyOneOf.isEmpty {
            let present = obj.exactlyOneOf.filter { name in pairs.contains { $0.key.text == name } }
            if present.count != 1 {
                let names = obj.exactlyOneOf.map { "'\($0)'" }.joined(separator: " or ")
                let p = path()
                diags.error(loc(node), "\(p.isEmpty ? "entry" : "'\(p)'") needs exactly one of \(names)")
            }
        }
    }

    private mutating func scalar(_ node: Node, _ path: () -> String, _ expected: @autoclosure () -> String) -> String? {
        guard case .scalar(let s) = node else {
            diags.error(loc(node), "'\(path())' must be \(expected()), not \(node.kindName)")
            return nil
        }
        return s.string
    }

    static func bool(_ s: String) -> Bool? {
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }
}

/// Checks for relative paths inside the curriculum folder.
package enum RelativePath {
    /// Whether a `/`-separated segment of an ASCII path is `..`.
    static func hasParentSegment(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { b in
            var start = 0
            for i in 0...b.count where i == b.count || b[i] == UInt8(ascii: "/") {
                if i - start == 2, b[start] == UInt8(ascii: "."), b[start + 1] == UInt8(ascii: ".") { return true }
                start = i + 1
            }
            return false
        }
    }

    static func problem(_ s: String) -> String? {
        if s.isEmpty { return "the path is empty" }
        if s.hasPrefix("/") || s.hasPrefix("~") { return "'\(s)' is absolute; write it relative to the curriculum folder" }
        // An ASCII path (almost every one) is checked byte by byte; others as they always were.
        let ascii = TextScan.isASCII(s)
        if ascii ? TextScan.containsByte(s, UInt8(ascii: "\\")) : s.contains("\\") {
            return "'\(s)' contains a backslash; separate folders with '/'"
        }
        if ascii ? hasParentSegment(s) : s.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
            return "'\(s)' leaves the curriculum folder"
        }
        if ascii ? TextScan.containsByte(s, UInt8(ascii: ":")) : s.contains(":") { return "'\(s)' is not a relative path" }
        return nil
    }
}

// MARK: - JSON Schema

extension Shape {
    /// The JSON Schema (draft 2020-12) fragment for this shape, as plain JSON values.
    func jsonSchema() -> [String: Any] {
        switch self {
        case .text(let maxLength):
            var s: [String: Any] = ["type": "string", "minLength": 1]
            if let maxLength { s["maxLength"] = maxLength }
            return s
        case .identifier:
            return ["type": "string", "pattern": Shape.idPattern, "maxLength": 64]
        case .path(let exts):
            var s: [String: Any] = ["type": "string", "pattern": "^[^/\\\\~:][^\\\\:]*$"]
            if !exts.isEmpty { s["pattern"] = "^[^/\\\\~:][^\\\\:]*\\.(\(exts.joined(separator: "|")))$" }
            return s
        case .integer(let lo, let hi):
            return ["type": "integer", "minimum": lo, "maximum": hi]
        case .boolean:
            return ["type": "boolean"]
        case .oneOf(let values):
            return ["enum": values]
        case .step:
            return ["oneOf": [["type": "string", "minLength": 1], ["type": "integer", "minimum": 0]]]
        case .list(let element, let minItems):
            var s: [String: Any] = ["type": "array", "items": element.jsonSchema()]
            if minItems > 0 { s["minItems"] = minItems }
            return s
        case .map(let value):
            return [
                "type": "object", "propertyNames": ["pattern": Shape.idPattern],
                "additionalProperties": value.jsonSchema(),
            ]
        case .object(let obj):
            var props: [String: Any] = [:]
            for f in obj.fields {
                var p = f.shape.jsonSchema()
                p["description"] = f.doc
                props[f.name] = p
            }
            var s: [String: Any] = ["type": "object", "properties": props, "additionalProperties": false]
            let req = obj.fields.filter(\.required).map(\.name)
            if !req.isEmpty { s["required"] = req }
            if !obj.doc.isEmpty { s["description"] = obj.doc }
            if !obj.exactlyOneOf.isEmpty {
                s["oneOf"] = obj.exactlyOneOf.map { ["required": [$0]] }
            }
            return s
        }
    }
}
