import Foundation
import LadderPackaging

/// One `scorm_scoes` row and its `scorm_scoes_data` rows, as Moodle's SCORM 1.2 parser makes
/// them from a manifest (mod/scorm/datamodels/scormlib.php: `scorm_get_manifest` builds one
/// element per organization and item; `scorm_parse_scorm` inserts `parent`, `identifier`,
/// `launch`, `scormtype` and `title` as columns and every other property the parser set as a
/// name/value data row, `scorm_optionals_data`). The backup carries these rows so that the
/// restore (mod/scorm/backup/moodle2/restore_scorm_stepslib.php) inserts them as they are,
/// without parsing the package again.
package struct SCORow: Sendable, Equatable {
    package var manifest: String
    package var organization: String
    package var parent: String
    package var identifier: String
    package var launch: String
    package var scormtype: String
    package var title: String
    /// `scorm_scoes_data` rows in the order the parser sets the properties.
    package var data: [Data]

    package struct Data: Sendable, Equatable {
        package var name: String
        package var value: String
    }
}

package enum MoodleSCORows {
    /// The rows of a SCORM 1.2 manifest: each organization (parent `/`), then its items depth
    /// first, each with its parent's identifier.
    package static func rows(_ m: PackageManifest) -> [SCORow] {
        let manifest = m.identifier ?? ""
        var out: [SCORow] = []
        for org in m.organizations {
            let orgID = org.identifier ?? ""
            out.append(
                SCORow(
                    manifest: manifest, organization: "", parent: "/", identifier: orgID, launch: "", scormtype: "",
                    title: org.title ?? "", data: []))
            func add(_ item: PackageManifest.Item, parent: String) {
                var launch = ""
                var type = "asset"
                if let ref = item.identifierref, let r = m.resource(ref) {
                    launch = r.moodleLaunch
                    type = r.scormType ?? "asset"
                }
                // The parser sets isvisible and parameters on every item (defaults "true" and
                // ""), then the adlcp elements it knows, in document order.
                var data = [SCORow.Data(name: "isvisible", value: item.isVisible ?? "true"), .init(name: "parameters", value: item.parameters ?? "")]
                for e in item.extensions {
                    switch e.name {
                    case "prerequisites" where e.type == "aicc_script": data.append(.init(name: "prerequisites", value: e.text))
                    case "masteryscore", "maxtimeallowed", "timelimitaction", "datafromlms": data.append(.init(name: e.name, value: e.text))
                    default: continue
                    }
                }
                let id = item.identifier ?? ""
                out.append(
                    SCORow(
                        manifest: manifest, organization: orgID, parent: parent, identifier: id, launch: launch, scormtype: type,
                        title: item.title ?? "", data: data))
                for child in item.children { add(child, parent: id) }
            }
            for item in org.items { add(item, parent: orgID) }
        }
        return out
    }
}
