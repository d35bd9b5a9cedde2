import Foundation
import Yams

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

    mutating func check(_ node: Node, _ shape: Shape, at path: String) {
        if case .alias = node { return }
        switch shape {
        case .text(let maxLength):
            guard let s = scalar(node, path, "text") else { return }
            if TextScan.isBlank(s) {
                diags.error(loc(node), "'\(path)' must not be empty")
            } else if let maxLength, s.count > maxLength {
                diags.error(loc(node), "'\(path)' is \(s.count) characters long; at most \(maxLength) are allowed")
            }
        case .identifier:
            guard let s = scalar(node, path, "an id") else { return }
            if !Shape.isIdentifier(s) {
                diags.error(
                    loc(node),
                    "'\(path)' is '\(s)', which is not a valid id: use a letter, then letters, digits, '-' or '_' (at most 64 characters)")
            }
        case .path(let exts):
            guard let s = scalar(node, path, "a relative path") else { return }
            if let problem = RelativePath.problem(s) {
                diags.error(loc(node), "'\(path)': \(problem)")
            } else if !exts.isEmpty, !exts.contains(where: { s.lowercased().hasSuffix("." + $0) }) {
                diags.error(loc(node), "'\(path)' must name a .\(exts.joined(separator: " or ."))file".replacingOccurrences(of: "file", with: " file"))
            }
        case .integer(let lo, let hi):
            guard let s = scalar(node, path, "a whole number") else { return }
            guard let v = Int(s) else {
                diags.error(loc(node), "'\(path)' must be a whole number, not '\(s)'")
                return
            }
            if v < lo || v > hi { diags.error(loc(node), "'\(path)' is \(v); it must be between \(lo) and \(hi)") }
        case .boolean:
            guard let s = scalar(node, path, "true or false") else { return }
            if Self.bool(s) == nil { diags.error(loc(node), "'\(path)' must be true or false, not '\(s)'") }
        case .oneOf(let values):
            guard let s = scalar(node, path, values.joined(separator: ", ")) else { return }
            if !values.contains(s) {
                diags.error(loc(node), "'\(path)' is '\(s)'; expected one of: \(values.joined(separator: ", "))\(Suggest.hint(s, values))")
            }
        case .step:
            _ = scalar(node, path, "a proficiency step")
        case .list(let element, let minItems):
            guard case .sequence(let seq) = node else {
                diags.error(loc(node), "'\(path)' must be a list, not \(node.kindName)")
                return
            }
            if seq.count < minItems {
                diags.error(loc(node), "'\(path)' needs at least \(Plural.count(minItems, "entry", "entries"))")
            }
            for (i, item) in seq.enumerated() { check(item, element, at: "\(path)[\(i)]") }
        case .map(let value):
            guard case .mapping = node else {
                diags.error(loc(node), "'\(path)' must be a mapping, not \(node.kindName)")
                return
            }
            for (k, v) in node.pairs { check(v, value, at: "\(path).\(k.text ?? "?")") }
        case .object(let obj):
            checkObject(node, obj, at: path)
        }
    }

    private mutating func checkObject(_ node: Node, _ obj: ObjectShape, at path: String) {
        guard case .mapping = node else {
            diags.error(loc(node), "\(path.isEmpty ? "the file" : "'\(path)'") must be a mapping of keys to values, not \(node.kindName)")
            return
        }
        let known = obj.fields.map(\.name)
        var seen = Set<String>()
        for (k, v) in node.pairs {
            guard let key = k.text else {
                diags.error(loc(k), "keys must be plain names")
                continue
            }
            seen.insert(key)
            let sub = path.isEmpty ? key : "\(path).\(key)"
            guard let field = obj.fields.first(where: { $0.name == key }) else {
                diags.error(loc(k), "unknown key '\(sub)'\(Suggest.hint(key, known))")
                continue
            }
            if case .scalar(let s) = v, s.tag.rawValue == Tag.Name.implicit.rawValue, s.string.isEmpty || s.string == "~" || s.string == "null",
                s.style == .plain
            {
                if field.required { diags.error(loc(v), "'\(sub)' is required but has no value") }
                continue
            }
            check(v, field.shape, at: sub)
        }
        for f in obj.fields where f.required && !seen.contains(f.name) {
            let sub = path.isEmpty ? f.name : "\(path).\(f.name)"
            diags.error(loc(node), "missing required key '\(sub)'")
        }
        if !obj.exactlyOneOf.isEmpty {
            let present = obj.exactlyOneOf.filter(seen.contains)
            if present.count != 1 {
                let names = obj.exactlyOneOf.map { "'\($0)'" }.joined(separator: " or ")
                diags.error(loc(node), "\(path.isEmpty ? "entry" : "'\(path)'") needs exactly one of \(names)")
            }
        }
    }

    private mutating func scalar(_ node: Node, _ path: String, _ expected: String) -> String? {
        guard case .scalar(let s) = node else {
            diags.error(loc(node), "'\(path)' must be \(expected), not \(node.kindName)")
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
    static func problem(_ s: String) -> String? {
        if s.isEmpty { return "the path is empty" }
        if s.hasPrefix("/") || s.hasPrefix("~") { return "'\(s)' is absolute; write it relative to the curriculum folder" }
        if s.contains("\\") { return "'\(s)' contains a backslash; separate folders with '/'" }
        if s.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
            return "'\(s)' leaves the curriculum folder"
        }
        if s.contains(":") { return "'\(s)' is not a relative path" }
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
