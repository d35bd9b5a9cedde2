import Foundation

// MARK: - 3-5. Content model, files, LMS profile

/// The checks on the manifest's organizations and resources.
package struct ManifestContentChecker {
    let root: XMLNode
    let files: Set<String>
    let is2004: Bool
    let lms: LMSProfile
    let cp: String
    let adlcp: String

    init(root: XMLNode, files: Set<String>, is2004: Bool, lms: LMSProfile) {
        self.root = root
        self.files = files
        self.is2004 = is2004
        self.lms = lms
        cp = is2004 ? PackageValidator.imscp2004 : PackageValidator.imscp12
        adlcp = is2004 ? PackageValidator.adlcp2004 : PackageValidator.adlcp12
    }

    func children(_ n: XMLNode, _ name: String) -> [XMLNode] { n.children.filter { $0.name == name && $0.namespace == cp } }
    func child(_ n: XMLNode, _ name: String) -> XMLNode? { n.children.first { $0.name == name && $0.namespace == cp } }
    static func trimmed(_ s: String) -> String {
        // Almost every value starts and ends with a visible ASCII character: no copy needed.
        if let first = s.utf8.first, let last = s.utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) { return s }
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    enum Kind: String { case manifest, organization, item, resource }

    func check(_ run: inout ValidationRun) {
        let organizationsNode = child(root, "organizations")
        let organizations = organizationsNode.map { children($0, "organization") } ?? []
        let resourcesNode = child(root, "resources")
        let resources = resourcesNode.map { children($0, "resource") } ?? []
        run.resources = resources.count

        // Identifiers are xs:ID: unique in the document, NCNames, compared without surrounding space.
        var ids: [String: (kind: Kind, line: Int)] = [:]
        func register(_ node: XMLNode, _ kind: Kind) {
            guard let raw = node.plainAttribute("identifier") else {
                run.error("missing-identifier", "<\(kind.rawValue)> has no identifier", line: node.line)
                return
            }
            let id = Self.trimmed(raw)
            if !Self.isNCName(id) {
                run.error(
                    "invalid-identifier",
                    "<\(kind.rawValue) identifier=\"\(raw)\">: an identifier is an XML name (letters, digits, '.', '-', '_'; not starting with a digit; no spaces or ':')",
                    line: node.line)
            }
            if let first = ids[id] {
                run.error(
                    "duplicate-identifier", "identifier '\(id)' on this <\(kind.rawValue)> is already used by the <\(first.kind.rawValue)> on line \(first.line)",
                    line: node.line)
            } else {
                ids[id] = (kind, node.line)
            }
        }
        func walk(_ node: XMLNode) {
            guard node.namespace == cp else { return }
            switch node.name {
            case "manifest": register(node, .manifest)
            case "organization": register(node, .organization)
            case "item": register(node, .item)
            case "resource": register(node, .resource)
            default: break
            }
            for c in node.children { walk(c) }
        }
        walk(root)
        let resourceIDs = Set(ids.filter { $0.value.kind == .resource }.keys)
        let subManifestIDs = Set(ids.filter { $0.value.kind == .manifest }.keys).subtracting([root.plainAttribute("identifier").map(Self.trimmed) ?? ""])
        let resourcesByID = Dictionary(
            resources.compactMap { r in r.plainAttribute("identifier").map { (Self.trimmed($0), r) } }, uniquingKeysWith: { a, _ in a })

        // organizations/@default
        if let node = organizationsNode, let raw = node.plainAttribute("default") {
            let d = Self.trimmed(raw)
            if ids[d]?.kind != .organization {
                let what = ids[d].map { "a <\($0.kind.rawValue)>, not an <organization>" } ?? "no <organization>"
                run.error("unknown-default-organization", "<organizations default=\"\(raw)\"> names \(what)", line: node.line)
            }
        }
        // Importers that ignore organizations/@default launch the first organization (scormhost).
        if let node = organizationsNode, let raw = node.plainAttribute("default"), let first = organizations.first {
            let d = Self.trimmed(raw)
            let firstID = first.plainAttribute("identifier").map(Self.trimmed)
            if ids[d]?.kind == .organization, firstID != d {
                run.warning(
                    "default-organization-not-first",
                    "the default organization '\(d)' is not the first <organization> ('\(firstID ?? "?")'): some LMS importers ignore default and use the first; put it first",
                    line: node.line)
            }
        }
        if organizations.isEmpty {
            run.error("no-organization", "the manifest has no <organization>: an LMS has nothing to show or launch", line: organizationsNode?.line ?? root.line)
        }

        // Items: titles, references, SCORM 1.2 item extensions.
        var launchedResources = Set<String>()
        var anyLaunchable = false
        for org in organizations {
            let orgID = org.plainAttribute("identifier").map(Self.trimmed) ?? "?"
            var items: [XMLNode] = []
            func collect(_ n: XMLNode) {
                for i in children(n, "item") {
                    items.append(i)
                    collect(i)
                }
            }
            collect(org)
            let itemIDs = Set(items.compactMap { $0.plainAttribute("identifier").map(Self.trimmed) })
            var launchable = 0
            for item in items {
                let itemID = item.plainAttribute("identifier").map(Self.trimmed) ?? "?"
                let title = child(item, "title").map { Self.trimmed($0.text) } ?? ""
                if title.isEmpty {
                    run.error("empty-title", "<item identifier=\"\(itemID)\"> has no title: the LMS's table of contents would show a blank entry", line: item.line)
                }
                if let raw = item.plainAttribute("identifierref") {
                    let ref = Self.trimmed(raw)
                    if resourceIDs.contains(ref) {
                        launchedResources.insert(ref)
                        if let r = resourcesByID[ref], let href = r.plainAttribute("href"), !Self.trimmed(href).isEmpty { launchable += 1 }
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
            if lms == .moodle {
                let top = children(org, "item")
                let scoCount = resources.filter { scormType(of: $0) == "sco" }.count
                if scoCount > 1, top.count > 1 {
                    run.warning(
                        "moodle-flat-toc",
                        "organization '\(orgID)' has \(top.count) top-level items and no single root item wrapping them: Moodle's player lists them flat; wrap them in one item",
                        line: org.line)
                }
            }
        }
        if !organizations.isEmpty && !anyLaunchable {
            run.error("no-launchable-item", "no organization has an item that launches a resource with an href: there is nothing to play", line: organizationsNode?.line)
        }

        // Resources: SCORM type, launch href, dependencies.
        for r in resources {
            let rid = r.plainAttribute("identifier").map(Self.trimmed) ?? "?"
            checkScormType(r, id: rid, &run)
            if scormType(of: r) == "sco" { run.scos += 1 }
            if launchedResources.contains(rid), Self.trimmed(r.plainAttribute("href") ?? "").isEmpty {
                run.error("missing-href", "<resource identifier=\"\(rid)\"> is launched by an item but has no href", line: r.line)
            }
            for d in children(r, "dependency") {
                let raw = d.plainAttribute("identifierref") ?? ""
                if !resourceIDs.contains(Self.trimmed(raw)) {
                    run.error("unresolved-dependency", "<dependency identifierref=\"\(raw)\"> in resource '\(rid)' names no <resource>", line: d.line)
                }
            }
        }

        checkLaunchResourceFirst(organizationsNode: organizationsNode, organizations: organizations, resources: resources, resourcesByID: resourcesByID, &run)
        checkXMLBase(&run)
        checkAdlcpPrefix(&run)
        checkFiles(resourcesNode: resourcesNode, resources: resources, &run)

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
    func checkLaunchResourceFirst(
        organizationsNode: XMLNode?, organizations: [XMLNode], resources: [XMLNode], resourcesByID: [String: XMLNode], _ run: inout ValidationRun
    ) {
        guard let firstResource = resources.first else { return }
        let defaultID = organizationsNode?.plainAttribute("default").map(Self.trimmed)
        guard let org = organizations.first(where: { $0.plainAttribute("identifier").map(Self.trimmed) == defaultID }) ?? organizations.first
        else { return }
        func firstLaunch(_ n: XMLNode) -> (item: String, resource: String)? {
            for i in children(n, "item") {
                if let ref = i.plainAttribute("identifierref").map(Self.trimmed), let r = resourcesByID[ref],
                    !Self.trimmed(r.plainAttribute("href") ?? "").isEmpty
                {
                    return (i.plainAttribute("identifier").map(Self.trimmed) ?? "?", ref)
                }
                if let found = firstLaunch(i) { return found }
            }
            return nil
        }
        guard let launch = firstLaunch(org) else { return }
        let firstID = firstResource.plainAttribute("identifier").map(Self.trimmed) ?? "?"
        guard firstID != launch.resource else { return }
        run.warning(
            "launch-resource-not-first",
            "the first <resource> is '\(firstID)', but the course starts at item '\(launch.item)' with resource '\(launch.resource)': some LMS importers launch the first (webcontent) resource; list '\(launch.resource)' first",
            line: firstResource.line)
    }

    /// xml:base anywhere in the manifest. Most importers ignore it and launch the bare href;
    /// Moodle honours it only on <resource>.
    func checkXMLBase(_ run: inout ValidationRun) {
        for n in root.descendants {
            guard let base = n.attributes.first(where: { $0.name == "base" && $0.namespace == PackageValidator.xmlNamespace })?.value else { continue }
            let element = n.qualifiedName
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
        for n in root.descendants {
            if n.namespace == adlcp { note(n.prefix, n.line) }
            for a in n.attributes where a.namespace == adlcp { note(a.prefix, n.line) }
        }
        guard let line = firstLine else { return }
        let message =
            "the adlcp namespace (\(adlcp)) is used with \(prefixes.joined(separator: ", ")), not the prefix 'adlcp': Moodle reads adlcp:scormtype, adlcp:masteryscore and adlcp:prerequisites by their literal names, so every SCO becomes an asset; bind it as xmlns:adlcp"
        if lms == .moodle {
            run.error("moodle-adlcp-prefix", message, line: line)
        } else {
            run.warning("moodle-adlcp-prefix", message, line: line)
        }
    }

    /// `adlcp:scormtype` (1.2) or `adlcp:scormType` (2004), as written.
    func scormType(of r: XMLNode) -> String? {
        r.attributes.first { $0.namespace == adlcp && $0.name == (is2004 ? "scormType" : "scormtype") }?.value
    }

    func checkScormType(_ r: XMLNode, id: String, _ run: inout ValidationRun) {
        let right = is2004 ? "scormType" : "scormtype"
        let prefix = "<resource identifier=\"\(id)\">"
        if let value = scormType(of: r) {
            if value != "sco" && value != "asset" {
                let hint = ["sco", "asset"].contains(value.lowercased()) ? " (values are case-sensitive)" : ""
                run.error("bad-scormtype", "\(prefix) has adlcp:\(right)=\"\(value)\"; it must be \"sco\" or \"asset\"\(hint)", line: r.line)
            }
            return
        }
        if let wrong = r.attributes.first(where: { $0.name.lowercased() == "scormtype" }) {
            let why: String
            if wrong.namespace == nil {
                why = "'\(wrong.name)' has no namespace prefix; write adlcp:\(right) with xmlns:adlcp=\"\(adlcp)\""
            } else if wrong.namespace != adlcp {
                why = "'\(wrong.name)' is in namespace '\(wrong.namespace!)', not \(adlcp)"
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
        _ item: XMLNode, itemID: String, orgID: String, orgItems: Set<String>, ids: [String: (kind: Kind, line: Int)], _ run: inout ValidationRun
    ) {
        for ext in item.children where ext.namespace == adlcp {
            switch ext.name {
            case "masteryscore":
                let text = Self.trimmed(ext.text)
                if let v = Double(text), v.isFinite, (0...100).contains(v), !text.contains(where: { $0.isLetter }) {
                    break
                }
                run.error("bad-masteryscore", "adlcp:masteryscore of item '\(itemID)' is '\(text)'; it must be a number from 0 to 100", line: ext.line)
            case "prerequisites":
                let type = ext.plainAttribute("type")
                if type != "aicc_script" {
                    run.error(
                        "bad-prerequisites", "adlcp:prerequisites of item '\(itemID)' has type=\"\(type ?? "")\"; SCORM 1.2 knows only type=\"aicc_script\"",
                        line: ext.line)
                }
                let expression = ext.text
                do {
                    let refs = try AICCScript.references(in: expression)
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
                    run.error("bad-prerequisites", "adlcp:prerequisites of item '\(itemID)' does not parse: \(error.message) in '\(Self.trimmed(expression))'", line: ext.line)
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
