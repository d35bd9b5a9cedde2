import ArgumentParser
import Foundation
import LadderPackaging
import LadderCore
import LadderCommands
import LadderMoodle

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check SCORM 1.2 packages (zips or folders) before they go to an LMS.",
        discussion: """
            Checks the zip layout (entries escaping the package, zip bombs, refused before
            anything is inflated), then reads every entry to its end without writing anything
            (CRC-32, deflate data, real against declared sizes), the manifest (well-formed, XML Schema valid when schemas are given,
            identifiers, references, SCO types, mastery scores, prerequisites) and every file
            reference, plus what the chosen LMS needs. Every problem is reported, not only the
            first. Exits 0 when every package is valid (warnings allowed), 1 when any package
            has an error, 66 when a path does not exist or the schemas folder cannot be used.
            A .mbz is checked as a Moodle course backup: its moodle_backup.xml, the files the
            restore opens, ids that agree across files, every stored file against its SHA-1,
            and each SCORM activity's SCO rows against its package (docs/moodle-backup.md).
            """)

    @Argument(help: "Packages: .zip files or package folders; Moodle course backups: .mbz files.")
    var paths: [String]

    @Option(help: "SCORM schemas folder (like ../shared/conformance/schemas); default $LADDER_SCHEMAS.")
    var schemas: String?

    @Option(help: "generic, moodle or talentlms.")
    var lms: LMSProfile = .generic

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        for p in paths { try CommandInputs.require(p, "package (a .zip file or a package folder)") }
        let schemasPath = schemas ?? ProcessInfo.processInfo.environment["LADDER_SCHEMAS"]
        let validator = try PackageValidator(schemasFolder: schemasPath.map { URL(fileURLWithPath: $0) }, lms: lms)
        let reports = paths.map { p in
            p.lowercased().hasSuffix(".mbz") ? MoodleBackupValidator.report(path: p) : validator.validate(path: p)
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(reports), as: UTF8.self))
        case .text:
            for r in reports { print(Self.text(r), terminator: "") }
        }
        if reports.contains(where: { !$0.valid }) { throw FindingsReported() }
    }

    /// `VALID path (SCORM 1.2, 1 SCO, 5 files)` or `INVALID path: 2 errors`, then one line per issue.
    static func text(_ r: ValidationReport) -> String {
        func n(_ k: Int, _ w: String) -> String { Plural.count(k, w) }
        var out: String
        if r.valid {
            out = "VALID \(r.path) (\(r.standard ?? "SCORM"), \(n(r.scos, "SCO")), \(n(r.files, "file")))\n"
        } else {
            out = "INVALID \(r.path): \(n(r.errors.count, "error"))\n"
        }
        for i in r.errors + r.warnings {
            var place: [String] = []
            if let l = i.line { place.append("line \(l)") }
            out += "  \(i.severity.rawValue)[\(i.code)]: \(i.message)\(place.isEmpty ? "" : " (\(place.joined(separator: ", ")))")\n"
        }
        return out
    }
}
