import Foundation

// MARK: - 3-5. Content model, files, LMS profile

/// The checks on the manifest's organizations and resources: they read the `PackageManifest`;
/// the checks on how the XML itself is written (xml:base placement, the adlcp prefix) read
/// the `ManifestMarkup` gathered with it.
package struct ManifestContentChecker {
    let markup: ManifestMarkup
    let manifest: PackageManifest
    let files: Set<String>
    let is2004: Bool
    let lms: LMSProfile
    let cp: String
    let adlcp: String

    init(markup: ManifestMarkup, manifest: PackageManifest, files: Set<String>, lms: LMSProfile) {
        self.markup = markup
        self.manifest = manifest
        self.files = files
        self.is2004 = manifest.standard == .scorm2004
        self.lms = lms
        cp = is2004 ? PackageValidator.imscp2004 : PackageValidator.imscp12
        adlcp = is2004 ? PackageValidator.adlcp2004 : PackageValidator.adlcp12
    }

    typealias Kind = PackageManifest.Declaration.Kind
    typealias Item = PackageManifest.Item
    typealias Resource = PackageManifest.Resource
    static func trimmed(_ s: String) -> String { PackageManifest.trimmed(s) }

    func check(_ run: inout ValidationRun) {
        let organizations = manifest.organizations
        let resources = manifest.resources
        run.resources = resources.count

        // Identifiers are xs:ID: unique in the document, NCNames, compared without surrounding space.
        var ids: [String: (kind: Kind, line: Int)] = [:]
        for d in manifest.declarations {
            guard let raw = d.attribute else {
                run.error("missing-identifier", "<\(d.kind.rawValue)> has no identifier", line: d.line)
                continue
            }
            let id = Self.trimmed(raw)
            if !Self.isNCName(id) {
                run.error(
                    "invalid-identifier",
                    "<\(d.kind.rawValue) identifier=\"\(raw)\">: an identifier is an XML name (letters, digits, '.', '-', '_'; not starting with a digit; no spaces or ':')",
                    line: d.line)
            }
            if let first = ids[id] {
                run.error(
                    "duplicate-identifier", "identifier '\(id)' on this <\(d.kind.rawValue)> is already used by the <\(first.kind.rawValue)> on line \(first.line)",
                    line: d.line)
            } else {
                ids[id] = (d.kind, d.line)
            }
        }
        let resourceIDs = Set(ids.filter { $0.value.kind == .resource }.keys)
        let subManifestIDs = Set(ids.filter { $0.value.kind == .manifest }.keys).subtracting([manifest.identifier ?? ""])

        // organizations/@default
        if let line = manifest.organizationsLine, let raw = manifest.defaultAttribute {
            let d = Self.trimmed(raw)
            if ids[d]?.kind != .organization {
                let what = ids[d].map { "a <\($0.kind.rawValue)>, not an <organization>" } ?? "no <organization>"
                run.error("unknown-default-organization", "<organizations default=\"\(raw)\"> names \(what)", line: line)
            } else if let first = organizations.first, first.identifier != d {
                // Importers that ignore organizations/@default launch the first organization (scormhost).
                run.warning(
                    "default-organization-not-first",
                    "the default organization '\(d)' is not the first <organization> ('\(first.identifier ?? "?")'): some LMS importers ignore default and use the first; put it first",
                    line: line)
            }
        }
        if organizations.isEmpty {
            run.error("no-organization", "the manifest has no <organization>: an LMS has nothing to show or launch", line: manifest.organizationsLine ?? manifest.line)
        }

        // Items: titles, references, SCORM 1.2 item extensions.
        var launchedResources = Set<String>()
        var anyLaunchable = false
        for org in organizations {
            let orgID = org.identifier ?? "?"
            let items = org.allItems.map(\.item)
            let itemIDs = Set(items.compactMap(\.identifier))
            var launchable = 0
            for item in items {
                let itemID = item.identifier ?? "?"
                if (item.title ?? "").isEmpty {
                    run.error("empty-title", "<item identifier=\"\(itemID)\"> has no title: the LMS's table of contents would show a blank entry", line: item.line)
                }
                if let raw = item.identifierrefAttribute {
                    let ref = Self.trimmed(raw)
                    if resourceIDs.contains(ref) {
                        launchedResources.insert(ref)
                        if manifest.launch(of: item) != nil { launchable += 1 }
                    } else if subManifestIDs.contains(ref) {
                        launchable += 1
                    } else if let other = ids[ref] {
                        run.error(
                            "identifierref-not-resource", "<item identifier=\"\(itemID)\" identifierref=\"\(raw)\"> points at a <\(other.kind.rawValue)>, not a <resource>",
                            line: item.line)
                    } else {
                        run.error("unresolved-identifierref", "<item identifier=\"\(itemID)\" identifierref=\"\(raw)\"> names no <resource>", line: item.line)
                    }
                }
                if !is2004 { checkItemExtensions(item, itemID: itemID, orgID: orgID, orgItems: itemIDs, ids: ids, &run) }
            }
            if launchable > 0 { anyLaunchable = true }

            // Moodle shows a multi-SCO organization's top level flat, one entry per item.
            if lms == .moodle, resources.filter(\.isSCO).count > 1, org.items.count > 1 {
                run.warning(
                    "moodle-flat-toc",
                    "organization '\(orgID)' has \(org.items.count) top-level items and no single root item wrapping them: Moodle's player lists them flat; wrap them in one item",
                    line: org.line)
            }
        }
        if !organizations.isEmpty && !anyLaunchable {
            run.error("no-launchable-item", "no organization has an item that launches a resource with an href: there is nothing to play", line: manifest.organizationsLine)
        }

        // Resources: SCORM type, launch href, dependencies.
        for r in resources {
            let rid = r.identifier ?? "?"
            checkScormType(r, id: rid, &run)
            if r.isSCO { run.scos += 1 }
            if launchedResources.contains(rid), r.launch == nil {
                run.error("missing-href", "<resource identifier=\"\(rid)\"> is launched by an item but has no href", line: r.line)
            }
            for d in r.dependencies where !resourceIDs.contains(Self.trimmed(d.value)) {
                run.error("unresolved-dependency", "<dependency identifierref=\"\(d.value)\"> in resource '\(rid)' names no <resource>", line: d.line)
            }
        }

        checkLaunchResourceFirst(&run)
        checkXMLBase(&run)
        checkAdlcpPrefix(&run)
        checkFiles(&run)

        if lms == .talentlms {
            if run.scos > 1 {
                run.error(
                    "talentlms-sco-count", "the package has \(run.scos) SCOs; TalentLMS takes exactly one SCO per package (build with --package module)")
            } else if run.scos == 0 {
                run.warning("talentlms-sco-count", "the package has no SCO (adlcp:scormtype=\"sco\"): TalentLMS will not track completion or scores")
            }
        }
    }

    /// The default organization (or the first, when there is no valid default), and its first
    /// item that launches a resource with an href: what a conforming LMS launches first.
    /// Importers that take the first resource (abstract-scorm-xblock) or the first webcontent
    /// resource (wagtail-lms) launch something else when that resource is not listed first.
    func checkLaunchResourceFirst(_ run: inout ValidationRun) {
        guard let firstResource = manifest.resources.first, let org = manifest.defaultOrganization else { return }
        guard let (item, _) = org.allItems.first(where: { manifest.launch(of: $0.item) != nil }), let resource = item.identifierref
        else { return }
        let firstID = firstResource.identifier ?? "?"
        guard firstID != resource else { return }
        run.warning(
            "launch-resource-not-first",
            "the first <resource> is '\(firstID)', but the course starts at item '\(item.identifier ?? "?")' with resource '\(resource)': some LMS importers launch the first (webcontent) resource; list '\(resource)' first",
            line: firstResource.line)
    }

    /// xml:base anywhere in the manifest. Most importers ignore it and launch the bare href;
    /// Moodle honours it only on <resource>.
    func checkXMLBase(_ run: inout ValidationRun) {
        for n in markup.xmlBases {
            let (base, element) = (n.value, n.qualifiedName)
            if lms == .moodle, !(n.name == "resource" && n.namespace == cp) {
                run.error(
                    "xml-base",
                    "xml:base=\"\(base)\" on <\(element)>: Moodle honours xml:base only on <resource>, so hrefs below it resolve wrongly; write the full paths in the hrefs",
                    line: n.line)
            } else {
                run.warning(
                    "xml-base",
                    "xml:base=\"\(base)\" on <\(element)>: most LMS importers ignore xml:base; hrefs then resolve wrongly; write the full paths in the hrefs",
                    line: n.line)
            }
        }
    }

    /// Moodle's importer (scormlib.php) reads the adlcp names literally, prefix included
    /// (ADLCP:SCORMTYPE, ADLCP:MASTERYSCORE, ADLCP:PREREQUISITES, case-folded): with the adlcp
    /// namespace under another prefix every SCO becomes an asset and mastery scores and
    /// prerequisites are lost.
    func checkAdlcpPrefix(_ run: inout ValidationRun) {
        guard lms == .moodle || lms == .generic else { return }
        var prefixes: [String] = []
        var firstLine: Int?
        func note(_ prefix: String?, _ line: Int) {
            guard prefix?.lowercased() != "adlcp" else { return }
            let shown = prefix.map { "'\($0)'" } ?? "no prefix (default namespace)"
            if !prefixes.contains(shown) { prefixes.append(shown) }
            if firstLine == nil { firstLine = line }
        }
        // Elements and attributes bound as `adlcp` were left out of the markup's list.
        for use in markup.otherAdlcpPrefixes { note(use.prefix, use.line) }
        guard let line = firstLine else { return }
        let message =
            "the adlcp namespace (\(adlcp)) is used with \(prefixes.joined(separator: ", ")), not the prefix 'adlcp': Moodle reads adlcp:scormtype, adlcp:masteryscore and adlcp:prerequisites by their literal names, so every SCO becomes an asset; bind it as xmlns:adlcp"
        if lms == .moodle {
            run.error("moodle-adlcp-prefix", message, line: line)
        } else {
            run.warning("moodle-adlcp-prefix", message, line: line)
        }
    }

    func checkScormType(_ r: Resource, id: String, _ run: inout ValidationRun) {
        let right = is2004 ? "scormType" : "scormtype"
        let prefix = "<resource identifier=\"\(id)\">"
        if let value = r.scormType {
            if value != "sco" && value != "asset" {
                let hint = ["sco", "asset"].contains(value.lowercased()) ? " (values are case-sensitive)" : ""
                run.error("bad-scormtype", "\(prefix) has adlcp:\(right)=\"\(value)\"; it must be \"sco\" or \"asset\"\(hint)", line: r.line)
            }
            return
        }
        if let wrong = r.scormTypeLookalike {
            let why: String
            if let namespace = wrong.namespace, namespace != adlcp {
                why = "'\(wrong.name)' is in namespace '\(namespace)', not \(adlcp)"
            } else if wrong.namespace == nil {
                why = "'\(wrong.name)' has no namespace prefix; write adlcp:\(right) with xmlns:adlcp=\"\(adlcp)\""
            } else {
                why = "'\(wrong.name)' is the \(is2004 ? "SCORM 1.2" : "SCORM 2004") spelling; \(is2004 ? "SCORM 2004" : "SCORM 1.2") spells it adlcp:\(right)"
            }
            run.error("bad-scormtype", "\(prefix): \(why)", line: r.line)
            return
        }
        run.warning("missing-scormtype", "\(prefix) has no adlcp:\(right); LMSs treat it as an asset (no tracking)", line: r.line)
    }

    /// `adlcp:masteryscore` and `adlcp:prerequisites` on a SCORM 1.2 item.
    func checkItemExtensions(
        _ item: Item, itemID: String, orgID: String, orgItems: Set<String>, ids: [String: (kind: Kind, line: Int)], _ run: inout ValidationRun
    ) {
        for ext in item.extensions {
            switch ext.name {
            case "masteryscore":
                if PackageManifest.masteryScore(ext.text) != nil { break }
                run.error("bad-masteryscore", "adlcp:masteryscore of item '\(itemID)' is '\(ext.text)'; it must be a number from 0 to 100", line: ext.line)
            case "prerequisites":
                if ext.type != "aicc_script" {
                    run.error(
                        "bad-prerequisites", "adlcp:prerequisites of item '\(itemID)' has type=\"\(ext.type ?? "")\"; SCORM 1.2 knows only type=\"aicc_script\"",
                        line: ext.line)
                }
                do {
                    let refs = try AICCScript.references(in: ext.rawText)
                    var reported = Set<String>()
                    for ref in refs where reported.insert(ref).inserted {
                        if ref == itemID {
                            run.error("bad-prerequisites", "item '\(itemID)' lists itself as a prerequisite: it could never be launched", line: ext.line)
                        } else if !orgItems.contains(ref) {
                            let elsewhere = ids[ref].map { $0.kind == .item ? " (it is an item of another organization)" : " (it is a <\($0.kind.rawValue)>)" } ?? ""
                            run.error(
                                "unknown-prerequisite", "adlcp:prerequisites of item '\(itemID)' names '\(ref)', which is not an item of organization '\(orgID)'\(elsewhere)",
                                line: ext.line)
                        }
                    }
                } catch {
                    run.error("bad-prerequisites", "adlcp:prerequisites of item '\(itemID)' does not parse: \(error.message) in '\(ext.text)'", line: ext.line)
                }
            default:
                break
            }
        }
    }

    // MARK: Names

    /// xs:NCName, approximately: what XML Schema accepts for an xs:ID.
    static func isNCName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first else { return false }
        func start(_ u: Unicode.Scalar) -> Bool { u == "_" || u.properties.isAlphabetic }
        func rest(_ u: Unicode.Scalar) -> Bool {
            start(u) || u == "-" || u == "." || u.properties.numericType != nil || u.properties.generalCategory == .nonspacingMark
                || u.properties.generalCategory == .spacingMark || u == "\u{B7}"
        }
        return start(first) && s.unicodeScalars.dropFirst().allSatisfy(rest)
    }
}
