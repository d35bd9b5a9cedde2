import Foundation

extension PackageManifest {
    /// Parses `imsmanifest.xml` with libxml2 (no network, no entities) and reads the model.
    /// Throws `XMLError` when it is not well-formed.
    package init(data: Data, name: String = "imsmanifest.xml") throws {
        self.init(root: try XMLTreeReader.root(of: data, name: name) ?? XMLDocument(data: data, name: name).root)
    }

    /// Reads the model from the document's root element. Elements are matched in the IMS CP
    /// namespace of the root (1.2's or 2004's), item extensions in the matching adlcp
    /// namespace; anything else is left for the validator to report from the tree.
    init(root: XMLNode) {
        let reader = Reader(root: root)
        identifierAttribute = root.plainAttribute("identifier")
        line = root.line
        standard = reader.standard
        let metadata = root.children.first { $0.name == "metadata" }
        metadataLine = metadata?.line
        schema = metadata?.children.first { $0.name == "schema" }.map { Text(value: Self.trimmed($0.text), line: $0.line) }
        schemaVersion = metadata?.children.first { $0.name == "schemaversion" }.map { Text(value: Self.trimmed($0.text), line: $0.line) }
        let organizationsNode = reader.child(root, "organizations")
        organizationsLine = organizationsNode?.line
        defaultAttribute = organizationsNode?.plainAttribute("default")
        organizations = (organizationsNode.map { reader.children($0, "organization") } ?? []).map(reader.organization)
        let resourcesNode = reader.child(root, "resources")
        resourcesLine = resourcesNode?.line
        let outer = [Reader.xmlBase(root), resourcesNode.flatMap(Reader.xmlBase)].compactMap { $0 }
        resources = (resourcesNode.map { reader.children($0, "resource") } ?? []).map { reader.resource($0, bases: outer) }
        declarations = reader.declarations(root)
        language = metadata.flatMap(Self.language)
        metadataLocations = root.elements.filter { $0.name == "location" && $0.namespace == reader.adlcp }.map {
            Reader.reference($0.text, bases: [], line: $0.line)
        }
    }

    static func language(_ metadata: XMLNode) -> String? {
        if let general = metadata.elements.first(where: { $0.name == "language" }), !trimmed(general.text).isEmpty {
            return trimmed(general.text)
        }
        for node in metadata.elements where node.name == "langstring" {
            if let lang = node.attributes.first(where: { $0.name == "lang" && $0.namespace == PackageValidator.xmlNamespace })?.value {
                return trimmed(lang)
            }
        }
        return nil
    }

    /// The namespaces in force while one manifest is read.
    private struct Reader {
        let cp: String?
        let adlcp: String
        let standard: Standard?

        init(root: XMLNode) {
            switch root.namespace {
            case PackageValidator.imscp12?: standard = .scorm12
            case PackageValidator.imscp2004?: standard = .scorm2004
            default: standard = nil
            }
            cp = root.namespace
            adlcp = standard == .scorm2004 ? PackageValidator.adlcp2004 : PackageValidator.adlcp12
        }

        func children(_ n: XMLNode, _ name: String) -> [XMLNode] { n.children.filter { $0.name == name && $0.namespace == cp } }
        func child(_ n: XMLNode, _ name: String) -> XMLNode? { n.children.first { $0.name == name && $0.namespace == cp } }
        func title(_ n: XMLNode) -> String? { child(n, "title").map { PackageManifest.trimmed($0.text) } }

        static func xmlBase(_ n: XMLNode) -> String? {
            n.attributes.first { $0.name == "base" && $0.namespace == PackageValidator.xmlNamespace }?.value
        }

        func organization(_ n: XMLNode) -> Organization {
            Organization(identifierAttribute: n.plainAttribute("identifier"), title: title(n), items: children(n, "item").map(item), line: n.line)
        }

        func item(_ n: XMLNode) -> Item {
            let extensions = n.children.filter { $0.namespace == adlcp }.map {
                Extension(name: $0.name, text: PackageManifest.trimmed($0.text), rawText: $0.text, type: $0.plainAttribute("type"), line: $0.line)
            }
            return Item(
                identifierAttribute: n.plainAttribute("identifier"), identifierrefAttribute: n.plainAttribute("identifierref"),
                title: title(n), isVisible: n.plainAttribute("isvisible"), parameters: n.plainAttribute("parameters"),
                extensions: extensions, children: children(n, "item").map(item), line: n.line)
        }

        func resource(_ n: XMLNode, bases outer: [String]) -> Resource {
            let base = Self.xmlBase(n)
            let bases = outer + [base].compactMap { $0 }
            let typeName = standard == .scorm2004 ? "scormType" : "scormtype"
            let scormType = n.attributes.first { $0.namespace == adlcp && $0.name == typeName }?.value
            let lookalike = scormType == nil ? n.attributes.first { $0.name.lowercased() == "scormtype" } : nil
            let href = n.plainAttribute("href")
            let trimmedHref = href.map(PackageManifest.trimmed) ?? ""
            return Resource(
                identifierAttribute: n.plainAttribute("identifier"), type: n.plainAttribute("type"), scormType: scormType,
                scormTypeLookalike: lookalike.map { Lookalike(name: $0.name, namespace: $0.namespace) }, href: href,
                launch: trimmedHref.isEmpty ? nil : ResolvedHref.resolve(trimmedHref, bases: bases), xmlBase: base,
                files: children(n, "file").compactMap { f in f.plainAttribute("href").map { Self.reference($0, bases: bases, line: f.line) } },
                dependencies: children(n, "dependency").map { Text(value: $0.plainAttribute("identifierref") ?? "", line: $0.line) },
                line: n.line)
        }

        static func reference(_ href: String, bases: [String], line: Int) -> FileReference {
            let trimmed = PackageManifest.trimmed(href)
            return FileReference(href: trimmed, target: trimmed.isEmpty ? nil : ResolvedHref.resolve(trimmed, bases: bases), line: line)
        }

        /// Identifier-bearing elements of the IMS CP namespace, depth first; an element in
        /// another namespace is not descended into.
        func declarations(_ node: XMLNode) -> [Declaration] {
            guard node.namespace == cp else { return [] }
            var out: [Declaration] = []
            if let kind = Declaration.Kind(rawValue: node.name) {
                out.append(Declaration(kind: kind, attribute: node.plainAttribute("identifier"), line: node.line))
            }
            for c in node.children { out += declarations(c) }
            return out
        }
    }
}
