import Foundation

extension PackageManifest {
    /// Parses `imsmanifest.xml` with libxml2 (no network, no entities) and reads the model.
    /// Throws `XMLError` when it is not well-formed.
    package init(data: Data, name: String = "imsmanifest.xml") throws {
        self = try Self.read(data, name: name).manifest
    }

    /// Reads the model from the document's root element. Elements are matched in the IMS CP
    /// namespace of the root (1.2's or 2004's), item extensions in the matching adlcp
    /// namespace; anything else is left for the validator to report.
    init(root: XMLNode) {
        self = Self.read(root).manifest
    }

    /// The model and the markup of a manifest's bytes, read as they stream past
    /// (`XMLTreeReader.read`): no tree of the document is built, unless the stream gives up
    /// (then from `XMLDocument`'s tree, whose error is thrown when it is not well-formed).
    static func read(_ data: Data, name: String) throws -> (manifest: PackageManifest, markup: ManifestMarkup) {
        var reader = ManifestReader()
        if XMLTreeReader.read(data, name: name, into: &reader), let read = reader.result { return read }
        return read(try XMLDocument(data: data, name: name).root)
    }

    /// The model and the markup of a tree (`XMLDocument`'s).
    static func read(_ root: XMLNode) -> (manifest: PackageManifest, markup: ManifestMarkup) {
        var reader = ManifestReader()
        root.visit(&reader)
        return reader.result!
    }
}

/// How the manifest's XML is written, where the checks look at that rather than at the model
/// (`ManifestContentChecker.checkXMLBase`, `checkAdlcpPrefix`): read with the model, so that
/// no tree of the document needs to be kept for them.
package struct ManifestMarkup: Equatable {
    /// The root element's local and qualified names and namespace (its line is the model's).
    var rootName = ""
    var rootQualifiedName = ""
    var rootNamespace: String?
    /// An element with an `xml:base`, in document order.
    struct Base: Equatable {
        var qualifiedName: String
        var name: String
        var namespace: String?
        var value: String
        var line: Int
    }
    var xmlBases: [Base] = []
    /// The prefix of each element, then each attribute, in the adlcp namespace of the
    /// manifest's standard whose prefix is not `adlcp` in any case, in document order, with the
    /// element's line.
    var otherAdlcpPrefixes: [PrefixUse] = []
    struct PrefixUse: Equatable {
        var prefix: String?
        var line: Int
    }
}

/// Reads the model (and the markup) element by element, in document order, keeping only the
/// elements still open: what `PackageManifest` holds is taken from each element as it ends.
/// The rules are the model's: the first `<metadata>` child of the root (any namespace), its
/// first `<schema>` and `<schemaversion>` children; the first `<organizations>` and
/// `<resources>` of the IMS CP namespace; their organizations, items and resources, and the
/// items' first `<title>` and adlcp children, in that namespace; every identifier-bearing
/// element reached through IMS CP elements only; `adlcp:location` anywhere.
private struct ManifestReader: XMLElementVisitor {
    typealias Item = PackageManifest.Item
    typealias Resource = PackageManifest.Resource
    typealias Text = PackageManifest.Text

    /// What an open element is to the model.
    enum Role { case root, metadata, organizations, organization, item, resources, resource, other }

    struct Open {
        var element: XMLNode
        var role: Role
        var text = ""
        /// This element and all its ancestors are in the IMS CP namespace.
        var inCP: Bool
        /// Inside the model's `<metadata>` (or it).
        var inMetadata: Bool
        /// The first `language` element of the metadata (its text is the language).
        var isLanguage = false
        /// Where its `adlcp:location` goes in `metadataLocations`.
        var location: Int?
        // Gathered from the children.
        var title: String?
        var items: [Item] = []
        var extensions: [PackageManifest.Extension] = []
        var organizations: [PackageManifest.Organization] = []
        var resources: [Resource] = []
        var files: [PackageManifest.FileReference] = []
        var dependencies: [Text] = []
        var schema: Text?
        var schemaVersion: Text?
        /// A resource's xml:base values, outermost first.
        var bases: [String] = []
    }

    var open: [Open] = []
    var manifest = PackageManifest(line: 0, organizations: [], resources: [], declarations: [], metadataLocations: [])
    var markup = ManifestMarkup()
    var cp: String?
    var adlcp = PackageValidator.adlcp12
    /// The xml:base of the root and of the model's `<resources>`.
    var outerBases: [String] = []
    var sawMetadata = false
    var sawOrganizations = false
    var sawResources = false
    var sawLanguage = false
    var language: String?
    var langstring: String?
    var done = false

    var result: (manifest: PackageManifest, markup: ManifestMarkup)? {
        guard done else { return nil }
        var m = manifest
        m.language = language.flatMap { $0.isEmpty ? nil : $0 } ?? langstring
        return (m, markup)
    }

    static func xmlBase(_ n: XMLNode) -> String? {
        n.attributes.first { $0.name == "base" && $0.namespace == PackageValidator.xmlNamespace }?.value
    }

    static func reference(_ href: String, bases: [String], line: Int) -> PackageManifest.FileReference {
        let trimmed = PackageManifest.trimmed(href)
        return PackageManifest.FileReference(href: trimmed, target: trimmed.isEmpty ? nil : ResolvedHref.resolve(trimmed, bases: bases), line: line)
    }

    mutating func start(_ e: XMLNode) {
        let parent = open.last
        var role = Role.other
        if parent == nil {
            role = .root
            cp = e.namespace
            switch e.namespace {
            case PackageValidator.imscp12?: manifest.standard = .scorm12
            case PackageValidator.imscp2004?: manifest.standard = .scorm2004
            default: manifest.standard = nil
            }
            adlcp = manifest.standard == .scorm2004 ? PackageValidator.adlcp2004 : PackageValidator.adlcp12
            manifest.identifierAttribute = e.plainAttribute("identifier")
            manifest.line = e.line
            markup.rootName = e.name
            markup.rootQualifiedName = e.qualifiedName
            markup.rootNamespace = e.namespace
            if let base = Self.xmlBase(e) { outerBases.append(base) }
        }
        let inCP = (parent?.inCP ?? true) && e.namespace == cp
        switch parent?.role {
        case .root?:
            if e.name == "metadata", !sawMetadata {
                sawMetadata = true
                role = .metadata
                manifest.metadataLine = e.line
            } else if e.name == "organizations", e.namespace == cp, !sawOrganizations {
                sawOrganizations = true
                role = .organizations
                manifest.organizationsLine = e.line
                manifest.defaultAttribute = e.plainAttribute("default")
            } else if e.name == "resources", e.namespace == cp, !sawResources {
                sawResources = true
                role = .resources
                manifest.resourcesLine = e.line
                if let base = Self.xmlBase(e) { outerBases.append(base) }
            }
        case .organizations?:
            if e.name == "organization", e.namespace == cp { role = .organization }
        case .organization?, .item?:
            if e.name == "item", e.namespace == cp { role = .item }
        case .resources?:
            if e.name == "resource", e.namespace == cp { role = .resource }
        default:
            break
        }
        var o = Open(element: e, role: role, inCP: inCP, inMetadata: role == .metadata || parent?.inMetadata == true)
        if role == .resource { o.bases = outerBases + [Self.xmlBase(e)].compactMap { $0 } }

        // What the model takes from every element, in document order.
        if inCP, let kind = PackageManifest.Declaration.Kind(rawValue: e.name) {
            manifest.declarations.append(PackageManifest.Declaration(kind: kind, attribute: e.plainAttribute("identifier"), line: e.line))
        }
        if e.name == "location", e.namespace == adlcp {
            o.location = manifest.metadataLocations.count
            manifest.metadataLocations.append(PackageManifest.FileReference(href: "", target: nil, line: e.line))
        }
        if o.inMetadata {
            if e.name == "language", !sawLanguage {
                sawLanguage = true
                o.isLanguage = true
            }
            if e.name == "langstring", langstring == nil,
                let lang = e.attributes.first(where: { $0.name == "lang" && $0.namespace == PackageValidator.xmlNamespace })?.value
            {
                langstring = PackageManifest.trimmed(lang)
            }
        }
        // And the markup.
        if let base = Self.xmlBase(e) {
            markup.xmlBases.append(ManifestMarkup.Base(qualifiedName: e.qualifiedName, name: e.name, namespace: e.namespace, value: base, line: e.line))
        }
        if e.namespace == adlcp, e.prefix?.lowercased() != "adlcp" { markup.otherAdlcpPrefixes.append(ManifestMarkup.PrefixUse(prefix: e.prefix, line: e.line)) }
        for a in e.attributes where a.namespace == adlcp && a.prefix?.lowercased() != "adlcp" {
            markup.otherAdlcpPrefixes.append(ManifestMarkup.PrefixUse(prefix: a.prefix, line: e.line))
        }
        open.append(o)
    }

    mutating func text(_ text: String) { open[open.count - 1].text += text }

    mutating func end() {
        let o = open.removeLast()
        let e = o.element
        if let n = o.location { manifest.metadataLocations[n] = Self.reference(o.text, bases: [], line: e.line) }
        if o.isLanguage { language = PackageManifest.trimmed(o.text) }
        switch o.role {
        case .root:
            done = true
        case .metadata:
            manifest.schema = o.schema
            manifest.schemaVersion = o.schemaVersion
        case .organizations:
            manifest.organizations = o.organizations
        case .resources:
            manifest.resources = o.resources
        case .organization:
            open[open.count - 1].organizations.append(
                PackageManifest.Organization(identifierAttribute: e.plainAttribute("identifier"), title: o.title, items: o.items, line: e.line))
        case .item:
            open[open.count - 1].items.append(
                Item(
                    identifierAttribute: e.plainAttribute("identifier"), identifierrefAttribute: e.plainAttribute("identifierref"),
                    title: o.title, isVisible: e.plainAttribute("isvisible"), parameters: e.plainAttribute("parameters"),
                    extensions: o.extensions, children: o.items, line: e.line))
        case .resource:
            let typeName = manifest.standard == .scorm2004 ? "scormType" : "scormtype"
            let scormType = e.attributes.first { $0.namespace == adlcp && $0.name == typeName }?.value
            let lookalike = scormType == nil ? e.attributes.first { $0.name.lowercased() == "scormtype" } : nil
            let href = e.plainAttribute("href")
            let trimmedHref = href.map(PackageManifest.trimmed) ?? ""
            open[open.count - 1].resources.append(
                Resource(
                    identifierAttribute: e.plainAttribute("identifier"), type: e.plainAttribute("type"), scormType: scormType,
                    scormTypeLookalike: lookalike.map { PackageManifest.Lookalike(name: $0.name, namespace: $0.namespace) }, href: href,
                    launch: trimmedHref.isEmpty ? nil : ResolvedHref.resolve(trimmedHref, bases: o.bases), xmlBase: Self.xmlBase(e),
                    files: o.files, dependencies: o.dependencies, line: e.line))
        case .other:
            break
        }
        // What the element is to its parent, whatever its own role.
        guard let parent = open.last?.role else { return }
        switch parent {
        case .organization, .item:
            if e.name == "title", e.namespace == cp, open[open.count - 1].title == nil {
                open[open.count - 1].title = PackageManifest.trimmed(o.text)
            }
            if parent == .item, e.namespace == adlcp {
                open[open.count - 1].extensions.append(
                    PackageManifest.Extension(
                        name: e.name, text: PackageManifest.trimmed(o.text), rawText: o.text, type: e.plainAttribute("type"), line: e.line))
            }
        case .resource:
            if e.namespace == cp, e.name == "file", let href = e.plainAttribute("href") {
                open[open.count - 1].files.append(Self.reference(href, bases: open[open.count - 1].bases, line: e.line))
            } else if e.namespace == cp, e.name == "dependency" {
                open[open.count - 1].dependencies.append(Text(value: e.plainAttribute("identifierref") ?? "", line: e.line))
            }
        case .metadata:
            if e.name == "schema", open[open.count - 1].schema == nil {
                open[open.count - 1].schema = Text(value: PackageManifest.trimmed(o.text), line: e.line)
            } else if e.name == "schemaversion", open[open.count - 1].schemaVersion == nil {
                open[open.count - 1].schemaVersion = Text(value: PackageManifest.trimmed(o.text), line: e.line)
            }
        default:
            break
        }
    }
}
