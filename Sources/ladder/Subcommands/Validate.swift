import ArgumentParser
import Foundation
import LadderPackaging
import LadderCore

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
            has an error, 2 on a usage problem (a path that does not exist, an unusable
            schemas folder).
            """)

    @Argument(help: "Packages: .zip files or package folders.")
    var paths: [String]

    @Option(help: "SCORM schemas folder (like ../shared/conformance/schemas); default $LADDER_SCHEMAS.")
    var schemas: String?

    @Option(help: "generic, moodle or talentlms.")
    var lms: LMSProfile = .generic

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        // Usage problems exit 2 (ArgumentParser's ValidationError would exit 64).
        for p in paths where !FileManager.default.fileExists(atPath: p) {
            throw Self.usage("no such file or directory: \(p)")
        }
        let schemasPath = schemas ?? ProcessInfo.processInfo.environment["LADDER_SCHEMAS"]
        let validator: PackageValidator
        do {
            validator = try PackageValidator(schemasFolder: schemasPath.map { URL(fileURLWithPath: $0) }, lms: lms)
        } catch {
            throw Self.usage("\(schemas != nil ? "--schemas" : "LADDER_SCHEMAS") \(error)")
        }
        let reports = paths.map(validator.validate(path:))
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(reports), as: UTF8.self))
        case .text:
            for r in reports { print(Self.text(r), terminator: "") }
        }
        if reports.contains(where: { !$0.valid }) { throw ExitCode(1) }
    }

    static func usage(_ message: String) -> ExitCode {
        printError("error: \(message)")
        printError("usage: ladder \(Validate.usageString())\nSee 'ladder validate --help'.")
        return ExitCode(2)
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
