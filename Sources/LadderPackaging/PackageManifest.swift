import Foundation

/// `imsmanifest.xml` read once, from libxml2's tree, into what every reader of a package needs:
/// `ladder validate` checks it, the preview plays from it, and a course backup takes its SCO
/// rows from it. Nothing here judges the package: values are kept as written (identifiers and
/// text trimmed, attributes raw where a message quotes them), each with its manifest line, and
/// every href is resolved once (xml:base per IMS CP, RFC 3986, percent-decoded once, checked
/// to stay inside the package: see `ResolvedHref`).
///
/// What it follows: IMS Content Packaging 1.1.2/1.1.4 (organizations of items, resources of
/// files and dependencies, xml:base on `<manifest>`, `<resources>` and `<resource>`), the SCORM
/// 1.2 CAM item extensions (adlcp:prerequisites, masteryscore, maxtimeallowed,
/// timelimitaction, datafromlms) and Moodle's reading of them (mod/scorm/datamodels/
/// scormlib.php, `scorm_get_manifest`: see `Resource.moodleLaunch`).
package struct PackageManifest: Sendable, Equatable {
    package enum Standard: String, Sendable { case scorm12 = "SCORM 1.2", scorm2004 = "SCORM 2004" }

    /// `<manifest identifier>` as written.
    package var identifierAttribute: String?
    package var line: Int
    /// From the root element's namespace; nil when it is neither IMS CP namespace.
    package var standard: Standard?
    /// `<metadata>/<schema>` and `<metadata>/<schemaversion>`, trimmed, with their lines.
    package var schema: Text?
    package var schemaVersion: Text?
    package var metadataLine: Int?
    /// `<organizations>`: absent, or its `default` attribute as written and its line.
    package var organizationsLine: Int?
    package var defaultAttribute: String?
    package var organizations: [Organization]
    package var resourcesLine: Int?
    package var resources: [Resource]
    /// Every element that declares an identifier (manifests, sub-manifests included,
    /// organizations, items, resources) in document order: identifiers are one xs:ID space.
    package var declarations: [Declaration]
    /// `adlcp:location` (metadata kept in a separate file) anywhere in the manifest.
    package var metadataLocations: [FileReference]
    /// The package's language as its inline metadata states it: LOM `general/language`, else
    /// the `xml:lang` of the first `langstring` (Ladder writes the curriculum's language there).
    package var language: String?

    package var identifier: String? { identifierAttribute.map(Self.trimmed) }
    package var defaultOrganizationID: String? { defaultAttribute.map(Self.trimmed) }

    /// Element text, trimmed, and where it is.
    package struct Text: Sendable, Equatable {
        package var value: String
        package var line: Int
    }

    package struct Declaration: Sendable, Equatable {
        package enum Kind: String, Sendable { case manifest, organization, item, resource }
        package var kind: Kind
        /// The identifier attribute as written; nil when the element has none.
        package var attribute: String?
        package var line: Int
    }

    package struct Organization: Sendable, Equatable {
        package var identifierAttribute: String?
        package var title: String?
        /// Top-level items; each holds its own children.
        package var items: [Item]
        package var line: Int
        package var identifier: String? { identifierAttribute.map(PackageManifest.trimmed) }

        /// Every item, depth first in document order, with its depth (0 for top-level items).
        package var allItems: [(item: Item, depth: Int)] {
            var out: [(Item, Int)] = []
            func walk(_ items: [Item], _ depth: Int) {
                for i in items {
                    out.append((i, depth))
                    walk(i.children, depth + 1)
                }
            }
            walk(items, 0)
            return out
        }
    }

    package struct Item: Sendable, Equatable {
        package var identifierAttribute: String?
        package var identifierrefAttribute: String?
        /// `<title>`, trimmed; nil when there is none.
        package var title: String?
        /// `isvisible` as written (IMS CP: true when absent).
        package var isVisible: String?
        /// `parameters` as written: the query or fragment added to the launch URL.
        package var parameters: String?
        /// The adlcp elements of the item in document order (SCORM 1.2 CAM 2.3.2.5).
        package var extensions: [Extension]
        package var children: [Item]
        package var line: Int

        package var identifier: String? { identifierAttribute.map(PackageManifest.trimmed) }
        package var identifierref: String? { identifierrefAttribute.map(PackageManifest.trimmed) }

        /// The first adlcp extension of that (local) name.
        package func extensionText(_ name: String) -> String? { extensions.first { $0.name == name }?.text }
        /// `adlcp:prerequisites` of type aicc_script, trimmed (Moodle, too, reads only that type).
        package var prerequisites: String? {
            extensions.first { $0.name == "prerequisites" && $0.type == "aicc_script" }?.text
        }
        /// `adlcp:masteryscore`: a number from 0 to 100, nil when absent or not such a number.
        package var masteryScore: Double? { extensionText("masteryscore").flatMap(PackageManifest.masteryScore) }
        package var maxTimeAllowed: String? { extensionText("maxtimeallowed") }
        package var timeLimitAction: String? { extensionText("timelimitaction") }
        package var dataFromLMS: String? { extensionText("datafromlms") }
    }

    /// An adlcp child element of an item (`masteryscore`, `prerequisites`, ...).
    package struct Extension: Sendable, Equatable {
        /// Local name, as written (`masteryscore`).
        package var name: String
        /// Text, trimmed.
        package var text: String
        /// Text as written (an aicc_script keeps its own spacing).
        package var rawText: String
        /// The `type` attribute (prerequisites), as written.
        package var type: String?
        package var line: Int
    }

    package struct Resource: Sendable, Equatable {
        package var identifierAttribute: String?
        package var type: String?
        /// `adlcp:scormtype` (1.2) or `adlcp:scormType` (2004), in the adlcp namespace, as written.
        package var scormType: String?
        /// When `scormType` is nil: another attribute whose local name is "scormtype" in any
        /// case or namespace (a misspelling the validator explains).
        package var scormTypeLookalike: Lookalike?
        /// `href` as written, and where it leads (nil when there is no href or it is blank).
        package var href: String?
        package var launch: ResolvedHref?
        /// `xml:base` on this `<resource>`, as written.
        package var xmlBase: String?
        package var files: [FileReference]
        /// `<dependency identifierref>` values as written, with their lines.
        package var dependencies: [Text]
        package var line: Int

        package var identifier: String? { identifierAttribute.map(PackageManifest.trimmed) }
        package var isSCO: Bool { scormType == "sco" }
        /// The launch as Moodle stores it (scorm_get_manifest): this resource's xml:base
        /// concatenated with its href as strings; Moodle ignores xml:base anywhere else.
        package var moodleLaunch: String { (xmlBase ?? "") + (href ?? "") }
    }

    /// An attribute named like scormtype that is not `adlcp:scormtype`: its local name and namespace.
    package struct Lookalike: Sendable, Equatable {
        package var name: String
        package var namespace: String?
    }

    /// A `<file href>` (or an `adlcp:location`): trimmed, and where it leads (nil when blank).
    package struct FileReference: Sendable, Equatable {
        package var href: String
        package var target: ResolvedHref?
        package var line: Int
    }

    // MARK: Lookups

    package func resource(_ id: String) -> Resource? { resources.first { $0.identifier == id } }

    /// The organization a conforming LMS shows: the one `default` names, else the first.
    package var defaultOrganization: Organization? {
        organizations.first { $0.identifier != nil && $0.identifier == defaultOrganizationID } ?? organizations.first
    }

    /// The resource an item launches and its resolved href, when the item references a
    /// resource that has an href.
    package func launch(of item: Item) -> (resource: Resource, href: ResolvedHref)? {
        guard let ref = item.identifierref, let r = resource(ref), let href = r.launch else { return nil }
        return (r, href)
    }

    // MARK: Values

    static func trimmed(_ s: String) -> String {
        // Almost every value starts and ends with a visible ASCII character: no copy needed.
        if let first = s.utf8.first, let last = s.utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) { return s }
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A mastery score as SCORM 1.2 allows it: a decimal number from 0 to 100.
    static func masteryScore(_ text: String) -> Double? {
        guard let v = Double(text), v.isFinite, (0...100).contains(v), !text.contains(where: { $0.isLetter }) else { return nil }
        return v
    }
}
