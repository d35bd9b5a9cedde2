import Foundation

/// The LMS a package is checked for. `generic` checks SCORM 1.2 conformance; `moodle` and
/// `talentlms` add what those importers need on top.
public enum LMSProfile: String, Sendable, CaseIterable, Codable {
    case generic, moodle, talentlms
}

/// One problem found in a package. `code` is stable kebab-case (`missing-file`), so tools and
/// tests match on it; `message` is for people and may change.
public struct ValidationIssue: Sendable, Equatable, Codable {
    public enum Severity: String, Codable, Sendable { case error, warning }
    public var severity: Severity
    public var code: String
    public var message: String
    /// The line in imsmanifest.xml, when the problem is in the manifest.
    public var line: Int?
    /// The package path (zip entry) concerned, when there is one.
    public var entry: String?

    public init(severity: Severity, code: String, message: String, line: Int? = nil, entry: String? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.line = line
        self.entry = entry
    }
}

/// The verdict on one package, with every problem found (not only the first).
public struct ValidationReport: Sendable, Codable {
    /// The package as the caller named it (a zip, a folder, or a label).
    public var path: String
    /// True when no issue is an error.
    public var valid: Bool
    /// "SCORM 1.2" or "SCORM 2004" from the manifest's namespace; nil when it is neither.
    public var standard: String?
    /// `<metadata>/<schemaversion>` as written in the manifest.
    public var schemaVersion: String?
    /// The manifest went through XML Schema validation (failures are issues with code `schema`).
    public var schemaValidated: Bool
    /// Resources with `adlcp:scormtype="sco"`.
    public var scos: Int
    public var resources: Int
    /// Files in the package (directories not counted).
    public var files: Int
    public var issues: [ValidationIssue]

    public var errors: [ValidationIssue] { issues.filter { $0.severity == .error } }
    public var warnings: [ValidationIssue] { issues.filter { $0.severity == .warning } }
}

extension ValidationReport {
    /// A report of another kind of file than a SCORM package (a Moodle course backup).
    package init(path: String, standard: String, scos: Int, resources: Int, files: Int, issues: [ValidationIssue]) {
        self.path = path
        valid = !issues.contains { $0.severity == .error }
        self.standard = standard
        schemaVersion = nil
        schemaValidated = false
        self.scos = scos
        self.resources = resources
        self.files = files
        self.issues = issues
    }
}

/// Checks SCORM 1.2 content packages the way an LMS importer would, and more strictly: the zip
/// layout (without extracting anything), the manifest (well-formed, schema-valid when schemas
/// are given, identifiers and references, hrefs and files) and what Moodle and TalentLMS need.
///
/// Stages, each adding issues to one report:
/// 1. the package listing: readable zip, safe entry names, zip-bomb limits, the manifest's place;
///    then every entry read to its end (CRC-32, deflate data, real against declared size);
/// 2. the manifest document: well-formed, root element and namespace, SCORM version, schema;
/// 3. the content model: identifiers, references, SCO types, mastery scores, prerequisites;
/// 4. files: every href resolves to a package file, every package file is declared;
/// 5. the LMS profile.
public struct PackageValidator: Sendable {
    /// Refusal thresholds, read from the zip's central directory (nothing is inflated first).
    public struct Limits: Sendable, Equatable {
        /// Total declared uncompressed size of all entries.
        public var maxTotalSize: UInt64
        /// Largest uncompressed:compressed ratio for an entry bigger than `ratioCheckedAbove`.
        public var maxCompressionRatio: UInt64
        public var ratioCheckedAbove: UInt64
        /// 65,535: the most a zip holds without Zip64, and far more than any course needs.
        public var maxEntries: Int
        /// imsmanifest.xml is read into memory; a real one is a few hundred KiB at most.
        public var maxManifestSize: UInt64

        public init(
            maxTotalSize: UInt64 = 2 << 30, maxCompressionRatio: UInt64 = 200, ratioCheckedAbove: UInt64 = 1 << 20,
            maxEntries: Int = 65_535, maxManifestSize: UInt64 = 16 << 20
        ) {
            self.maxTotalSize = maxTotalSize
            self.maxCompressionRatio = maxCompressionRatio
            self.ratioCheckedAbove = ratioCheckedAbove
            self.maxEntries = maxEntries
            self.maxManifestSize = maxManifestSize
        }
    }

    public let lms: LMSProfile
    public let limits: Limits
    let schema: XMLSchema?

    /// `schemasFolder` is laid out like ../shared/conformance/schemas (`scorm12.xsd` plus
    /// `scorm12/`). Throws `PackagingError.Problem.unusableSchemas` when it is given but missing
    /// or its schema does not compile; with
    /// nil, manifests get every check but XML Schema validation (and one warning saying so).
    public init(schemasFolder: URL?, lms: LMSProfile = .generic, limits: Limits = Limits()) throws {
        self.lms = lms
        self.limits = limits
        guard let folder = schemasFolder else {
            schema = nil
            return
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw PackagingError(path: folder.path, problem: .unusableSchemas("no such schemas folder"))
        }
        let xsd = folder.appendingPathComponent("scorm12.xsd").path
        guard FileManager.default.fileExists(atPath: xsd) else {
            throw PackagingError(
                path: xsd, problem: .unusableSchemas("not found: a schemas folder holds scorm12.xsd and scorm12/ (like ../shared/conformance/schemas)"))
        }
        do {
            schema = try XMLSchema(path: xsd)
        } catch {
            throw PackagingError(path: xsd, problem: .unusableSchemas("the SCORM 1.2 schema cannot be used: \(error)"), underlying: error)
        }
    }

    // MARK: - Entry points

    /// Validates a `.zip`, a package folder, or a folder's `imsmanifest.xml`.
    public func validate(path: String) -> ValidationReport { read(path: path).report }

    /// Validates like `validate(path:)` and returns the manifest model it checked, so that a
    /// reader of the package (the preview) plays exactly what was validated, parsed once.
    /// The model is nil when the manifest could not be read as one.
    package func read(path: String) -> (report: ValidationReport, manifest: PackageManifest?) {
        let run = run(path: path)
        return (run.report, run.manifest)
    }

    private func run(path: String) -> ValidationRun {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            var run = ValidationRun(path: path)
            run.error("not-found", "no such file or directory")
            return run
        }
        if isFolder.boolValue { return validateFolder(path, label: path) }
        if (path as NSString).lastPathComponent == "imsmanifest.xml" {
            let parent = (path as NSString).deletingLastPathComponent
            return validateFolder(parent.isEmpty ? "." : parent, label: path)
        }
        return validateZip(path)
    }

    /// Validates a package before it is written: the manifest's bytes and the package's file
    /// paths (relative, `/`-separated; `imsmanifest.xml` may be included or not).
    public func validate(manifest: Data, files: Set<String>, label: String) -> ValidationReport {
        var run = ValidationRun(path: label)
        let listing = checkListing(files.union(["imsmanifest.xml"]).sorted(), &run)
        checkManifest(manifest, files: listing.files, &run)
        return run.report
    }
}

// MARK: - The report being built

/// Issues and counts collected while one package is checked.
package struct ValidationRun {
    var path: String
    var issues: [ValidationIssue] = []
    var standard: String?
    var schemaVersion: String?
    var schemaValidated = false
    var scos = 0
    var resources = 0
    var files = 0
    /// The manifest as read, for callers that go on to use the package.
    var manifest: PackageManifest?

    init(path: String) { self.path = path }

    mutating func error(_ code: String, _ message: String, line: Int? = nil, entry: String? = nil) {
        issues.append(ValidationIssue(severity: .error, code: code, message: message, line: line, entry: entry))
    }

    mutating func warning(_ code: String, _ message: String, line: Int? = nil, entry: String? = nil) {
        issues.append(ValidationIssue(severity: .warning, code: code, message: message, line: line, entry: entry))
    }

    var report: ValidationReport {
        ValidationReport(
            path: path, valid: !issues.contains { $0.severity == .error }, standard: standard, schemaVersion: schemaVersion,
            schemaValidated: schemaValidated, scos: scos, resources: resources, files: files, issues: issues)
    }
}

extension XMLNode {
    var qualifiedName: String { prefix.map { "\($0):\(name)" } ?? name }

    /// An attribute with no namespace (`identifier`, `href`, ...).
    func plainAttribute(_ name: String) -> String? {
        attributes.first { $0.name == name && $0.namespace == nil }?.value
    }
}
