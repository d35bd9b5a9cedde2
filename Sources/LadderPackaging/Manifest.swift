import Foundation
import LadderRendering

/// What goes into one SCORM 1.2 package: an organization of SCOs and the files they use.
package struct PackageContent {
    var identifier: String
    var title: String
    var description: String
    var language: String
    /// SCOs in launch order.
    var scos: [RenderedSCO]
    /// Wrap the SCOs in one non-launchable root item (Moodle's player needs it for multi-SCO).
    var rootItem: Bool
    /// Package paths shared by every SCO (runtime, styles, logo).
    var sharedFiles: [String]
    /// Prerequisites by item id, already limited to items inside this package.
    var prerequisites: [String: [String]]
}

/// Writes `imsmanifest.xml` for SCORM 1.2 with libxml2's writer.
package enum ManifestWriter {
    static let imscp = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    static let adlcp = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
    static let imsmd = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
    static let xsi = "http://www.w3.org/2001/XMLSchema-instance"

    /// `ITEM-<responsibility>-<kind>`: identifiers come from curriculum ids only, so a
    /// re-export keeps the LMS's learner tracking; they are valid xs:ID values.
    static func itemIdentifier(_ itemID: String) -> String { "ITEM-" + itemID.replacingOccurrences(of: ".", with: "-") }
    static func resourceIdentifier(_ itemID: String) -> String { "RES-" + itemID.replacingOccurrences(of: ".", with: "-") }
    static let sharedResource = "RES-ladder-shared"

    static func write(_ p: PackageContent) throws -> Data {
        let prerequisites = PrerequisiteScripts.fitted(p.prerequisites, items: p.scos.map(\.item.id))
        let w = try XMLWriter()
        try w.start(
            "manifest",
            [
                "identifier": p.identifier, "version": "1.0", "xmlns": imscp, "xmlns:adlcp": adlcp, "xmlns:imsmd": imsmd,
                "xmlns:xsi": xsi,
                "xsi:schemaLocation":
                    "\(imscp) imscp_rootv1p1p2.xsd \(imsmd) imsmd_rootv1p2p1.xsd \(adlcp) adlcp_rootv1p2.xsd",
            ])
        try w.start("metadata")
        try w.element("schema", "ADL SCORM")
        try w.element("schemaversion", "1.2")
        try w.start("imsmd:lom")
        try w.start("imsmd:general")
        try w.start("imsmd:title")
        try w.element("imsmd:langstring", p.title, ["xml:lang": p.language])
        try w.end()
        try w.start("imsmd:description")
        try w.element("imsmd:langstring", p.description, ["xml:lang": p.language])
        try w.end()
        try w.end()  // general
        try w.end()  // lom
        try w.end()  // metadata

        let org = "ORG-\(p.identifier)"
        try w.start("organizations", ["default": org])
        try w.start("organization", ["identifier": org])
        try w.element("title", p.title)
        if p.rootItem {
            try w.start("item", ["identifier": "ROOT-\(p.identifier)", "isvisible": "true"])
            try w.element("title", p.title)
        }
        for sco in p.scos {
            try w.start(
                "item", ["identifier": itemIdentifier(sco.item.id), "identifierref": resourceIdentifier(sco.item.id), "isvisible": "true"])
            try w.element("title", sco.item.title)
            // IMS CP 1.1.2 items have no description of their own: an item's <metadata> (after
            // its title, before the adlcp extensions) carries it as LOM general/description.
            if let summary = sco.item.summary {
                try w.start("metadata")
                try w.start("imsmd:lom")
                try w.start("imsmd:general")
                try w.start("imsmd:description")
                try w.element("imsmd:langstring", summary, ["xml:lang": p.language])
                try w.end()  // description
                try w.end()  // general
                try w.end()  // lom
                try w.end()  // metadata
            }
            if let pre = prerequisites[sco.item.id], !pre.isEmpty {
                try w.element("adlcp:prerequisites", pre.map(itemIdentifier).joined(separator: " & "), ["type": "aicc_script"])
            }
            if let m = sco.item.masteryScore { try w.element("adlcp:masteryscore", String(m)) }
            try w.end()
        }
        if p.rootItem { try w.end() }
        try w.end()  // organization
        try w.end()  // organizations

        try w.start("resources")
        for sco in p.scos {
            try w.start(
                "resource",
                ["identifier": resourceIdentifier(sco.item.id), "type": "webcontent", "adlcp:scormtype": "sco", "href": hrefEscape(sco.launch)])
            for f in ([sco.launch] + sco.media.keys.sorted()) { try fileElement(w, f) }
            try w.start("dependency", ["identifierref": sharedResource])
            try w.end()
            try w.end()
        }
        try w.start("resource", ["identifier": sharedResource, "type": "webcontent", "adlcp:scormtype": "asset"])
        for f in p.sharedFiles.sorted() { try fileElement(w, f) }
        try w.end()
        try w.end()  // resources
        try w.end()  // manifest
        return try w.finish()
    }

    private static func fileElement(_ w: XMLWriter, _ path: String) throws {
        try w.start("file", ["href": hrefEscape(path)])
        try w.end()
    }

    static func hrefEscape(_ path: String) -> String { PackagePath.hrefEscape(path) }
}
