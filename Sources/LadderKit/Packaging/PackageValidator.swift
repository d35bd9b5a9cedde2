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

/// The schemas folder given to `PackageValidator` cannot be used.
public struct ValidatorSetupError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// Checks SCORM 1.2 content packages the way an LMS importer would, and more strictly: the zip
/// layout (without extracting anything), the manifest (well-formed, schema-valid when schemas
/// are given, identifiers and references, hrefs and files) and what Moodle and TalentLMS need.
///
/// Stages, each adding issues to one report:
/// 1. the package listing: readable zip, safe entry names, zip-bomb limits, the manifest's place;
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
    /// `scorm12/`). Throws when it is given but missing or its schema does not compile; with
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
            throw ValidatorSetupError(path: folder.path, message: "no such schemas folder")
        }
        let xsd = folder.appendingPathComponent("scorm12.xsd").path
        guard FileManager.default.fileExists(atPath: xsd) else {
            throw ValidatorSetupError(
                path: xsd, message: "not found: a schemas folder holds scorm12.xsd and scorm12/ (like ../shared/conformance/schemas)")
        }
        do {
            schema = try XMLSchema(path: xsd)
        } catch {
            throw ValidatorSetupError(path: xsd, message: "the SCORM 1.2 schema cannot be used: \(error)")
        }
    }

    // MARK: - Entry points

    /// Validates a `.zip`, a package folder, or a folder's `imsmanifest.xml`.
    public func validate(path: String) -> ValidationReport {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            var run = ValidationRun(path: path)
            run.error("not-found", "no such file or directory")
            return run.report
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

    // MARK: - 1. Listing

    func validateZip(_ path: String) -> ValidationReport {
        var run = ValidationRun(path: path)
        let reader: ZipReader
        do {
            reader = try ZipReader(path: path)
        } catch let e as ZipError {
            // libzip's ZIP_ER_EXISTS, as worded by zip_error_strerror.
            let hint = e.message == "File already exists" ? " (two entries have the same name)" : ""
            run.error("zip-unreadable", "not a readable zip archive: \(e.message)\(hint)")
            return run.report
        } catch {
            run.error("zip-unreadable", "not a readable zip archive: \(error)")
            return run.report
        }
        let entries = reader.entries
        let listing = checkListing(entries.map(\.name), &run)
        // A symbolic link entry becomes, once extracted by a Unix tool, a link that can point
        // anywhere on the server (scormhost refuses such packages).
        for e in entries where e.isSymbolicLink {
            run.error(
                "unsafe-path", "entry '\(e.name)' is a symbolic link (Unix mode \(String((e.externalAttributes >> 16) & 0o177777, radix: 8))); extracted, it could point outside the package",
                entry: e.name)
        }

        // Zip-bomb limits, from the sizes the central directory declares: nothing is inflated.
        var refused = false
        if entries.count > limits.maxEntries {
            run.error("zip-bomb-entries", "the zip has \(entries.count) entries, more than the limit of \(limits.maxEntries); refused without extracting")
            refused = true
        }
        var total: UInt64 = 0
        for e in entries {
            let (sum, overflow) = total.addingReportingOverflow(e.size)
            total = overflow ? .max : sum
        }
        if total > limits.maxTotalSize {
            run.error(
                "zip-bomb-size",
                "the entries declare \(total) bytes uncompressed in all, over the limit of \(limits.maxTotalSize); refused without extracting")
            refused = true
        }
        for e in entries where e.size > limits.ratioCheckedAbove {
            let over = e.compressedSize == 0 || e.size / e.compressedSize > limits.maxCompressionRatio
                || (e.size / e.compressedSize == limits.maxCompressionRatio && e.size % e.compressedSize > 0)
            if over {
                let ratio = e.compressedSize == 0 ? "unbounded" : "\(e.size / e.compressedSize):1"
                run.error(
                    "zip-bomb-ratio",
                    "'\(e.name)' inflates \(e.compressedSize) bytes to \(e.size) (ratio \(ratio), limit \(limits.maxCompressionRatio):1); refused without extracting",
                    entry: e.name)
                refused = true
            }
        }
        run.files = listing.files.count
        guard !refused, listing.files.contains("imsmanifest.xml"),
            let entry = entries.first(where: { $0.name == "imsmanifest.xml" })
        else { return run.report }
        let data: Data
        do {
            data = try reader.read(entry, limit: limits.maxManifestSize)
        } catch let e as ZipError {
            run.error("manifest-unreadable", "cannot read imsmanifest.xml: \(e.message)", entry: entry.name)
            return run.report
        } catch {
            run.error("manifest-unreadable", "cannot read imsmanifest.xml: \(error)", entry: entry.name)
            return run.report
        }
        checkManifest(data, files: listing.files, &run)
        return run.report
    }

    func validateFolder(_ folder: String, label: String) -> ValidationReport {
        var run = ValidationRun(path: label)
        let root = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath()
        var names: [String] = []
        let keys: [URLResourceKey] = [.isDirectoryKey, .isSymbolicLinkKey]
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys) else {
            run.error("not-found", "cannot list the folder")
            return run.report
        }
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in walker {
            let values = try? url.resourceValues(forKeys: Set(keys))
            let full = url.standardizedFileURL.path
            guard full.hasPrefix(rootPath) else { continue }
            let relative = String(full.dropFirst(rootPath.count))
            if values?.isSymbolicLink == true {
                let target = url.resolvingSymlinksInPath().path
                if !(target + "/").hasPrefix(rootPath) {
                    run.error("unsafe-path", "'\(relative)' is a symbolic link to '\(target)', outside the package", entry: relative)
                    continue
                }
            }
            if values?.isDirectory == true { continue }
            names.append(relative)
        }
        names.sort()
        let listing = checkListing(names, &run)
        run.files = listing.files.count
        guard listing.files.contains("imsmanifest.xml") else { return run.report }
        let manifestURL = root.appendingPathComponent("imsmanifest.xml")
        let size = (try? FileManager.default.attributesOfItem(atPath: manifestURL.path)[.size] as? NSNumber)?.uint64Value ?? 0
        guard size <= limits.maxManifestSize else {
            run.error("manifest-unreadable", "imsmanifest.xml is \(size) bytes, over the \(limits.maxManifestSize)-byte limit", entry: "imsmanifest.xml")
            return run.report
        }
        let data: Data
        do {
            data = try Data(contentsOf: manifestURL)
        } catch {
            run.error("manifest-unreadable", "cannot read imsmanifest.xml: \(error.localizedDescription)", entry: "imsmanifest.xml")
            return run.report
        }
        checkManifest(data, files: listing.files, &run)
        return run.report
    }

    struct Listing {
        /// Package file paths (directories left out).
        var files: Set<String>
    }

    /// Entry names: unsafe paths, duplicates, macOS litter, where the manifest is.
    func checkListing(_ names: [String], _ run: inout ValidationRun) -> Listing {
        var files = Set<String>()
        var lowered: [String: String] = [:]
        var macosFolderEntries = 0
        for name in names {
            if let reason = Self.unsafeReason(name) {
                run.error("unsafe-path", "entry '\(name)' \(reason); it could be written outside the package when extracted", entry: name)
            }
            if name.hasPrefix("__MACOSX/") || name == "__MACOSX" {
                macosFolderEntries += 1
            } else if (name as NSString).lastPathComponent == ".DS_Store" {
                run.warning("macos-metadata", "'\(name)' is macOS Finder metadata, not course content; leave it out of the package", entry: name)
            }
            if name.hasSuffix("/") { continue }
            // Exact duplicates never get here: libzip refuses such an archive (ZIP_CHECKCONS).
            files.insert(name)
            let lower = name.lowercased()
            if let other = lowered[lower] {
                run.warning(
                    "case-collision", "'\(name)' and '\(other)' differ only in case: one overwrites the other on Windows and macOS",
                    entry: name)
            } else {
                lowered[lower] = name
            }
        }
        if macosFolderEntries > 0 {
            run.warning(
                "macos-metadata", "__MACOSX/ (\(macosFolderEntries) entr\(macosFolderEntries == 1 ? "y" : "ies")) holds macOS resource forks, not course content; zip without it",
                entry: "__MACOSX/")
        }

        let nested = files.filter { $0 != "imsmanifest.xml" && ($0 as NSString).lastPathComponent.lowercased() == "imsmanifest.xml" }.sorted()
        if files.contains("imsmanifest.xml") {
            for n in nested where !n.hasPrefix("__MACOSX/") {
                run.warning(
                    "manifest-not-at-root", "'\(n)' is a second manifest below the root; LMSs read only the root imsmanifest.xml", entry: n)
            }
        } else if let caseVariant = files.first(where: { !$0.contains("/") && $0.lowercased() == "imsmanifest.xml" }) {
            run.error(
                "manifest-missing", "no imsmanifest.xml at the package root (found '\(caseVariant)': the name is case-sensitive)",
                entry: caseVariant)
        } else if let first = nested.first(where: { !$0.hasPrefix("__MACOSX/") }) {
            run.error(
                "manifest-not-at-root",
                "imsmanifest.xml must be at the package root, but it is at '\(first)': zip the folder's contents, not the folder",
                entry: first)
        } else {
            run.error("manifest-missing", "no imsmanifest.xml in the package: this is not a SCORM package")
        }
        return Listing(files: files)
    }

    /// Why an entry name could escape the folder it is extracted into, or nil when it cannot.
    static func unsafeReason(_ name: String) -> String? {
        if name.contains("\0") { return "contains a NUL character" }
        if name.contains("\\") { return "contains a backslash (a Windows path separator)" }
        if name.hasPrefix("/") { return "is an absolute path" }
        let scalars = Array(name.unicodeScalars.prefix(2))
        if scalars.count == 2, scalars[1] == ":", ("A"..."Z").contains(scalars[0]) || ("a"..."z").contains(scalars[0]) {
            return "starts with a drive letter"
        }
        if name.split(separator: "/", omittingEmptySubsequences: false).contains("..") { return "climbs out with '..'" }
        return nil
    }

    // MARK: - 2-5. Manifest

    static let imscp12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    static let imscp2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
    static let adlcp12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
    static let adlcp2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    func checkManifest(_ data: Data, files: Set<String>, _ run: inout ValidationRun) {
        run.files = files.count
        let doc: XMLDocument
        do {
            doc = try XMLDocument(data: data, name: "imsmanifest.xml")
        } catch {
            let (line, message) = Self.splitParseError("\(error)", name: "imsmanifest.xml")
            run.error("not-well-formed", "imsmanifest.xml is not well-formed XML: \(message)", line: line, entry: "imsmanifest.xml")
            return
        }
        let root = doc.root
        guard root.name == "manifest" else {
            run.error("not-a-manifest", "the root element is <\(root.qualifiedName)>, not <manifest>", line: root.line)
            return
        }
        let metadata = root.children.first { $0.name == "metadata" }
        let schemaName = metadata?.children.first { $0.name == "schema" }
        let schemaVersionNode = metadata?.children.first { $0.name == "schemaversion" }
        run.schemaVersion = schemaVersionNode.map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
        let is2004: Bool
        switch root.namespace {
        case Self.imscp12?:
            is2004 = false
            run.standard = "SCORM 1.2"
        case Self.imscp2004?:
            is2004 = true
            run.standard = "SCORM 2004"
            let version = run.schemaVersion.map { " (schemaversion '\($0)')" } ?? ""
            switch lms {
            case .generic:
                run.warning("scorm-2004", "SCORM 2004 manifest\(version), not checked as SCORM 1.2: only its structure and files are checked", line: root.line)
            case .moodle:
                // Moodle imports SCORM 2004, but its player implements only part of it.
                run.warning("scorm-2004", "SCORM 2004 manifest\(version): Moodle imports it but supports SCORM 2004 only partly (sequencing is limited); only its structure and files are checked", line: root.line)
            case .talentlms:
                run.error("scorm-2004", "SCORM 2004 manifest\(version): TalentLMS imports SCORM 1.2 only (schemaversion must be 1.2)", line: root.line)
            }
        default:
            run.error(
                "manifest-namespace",
                "<manifest> is in namespace '\(root.namespace ?? "none")'; SCORM 1.2 needs xmlns=\"\(Self.imscp12)\"", line: root.line)
            return
        }

        if !is2004 {
            checkMetadata(metadata: metadata, schemaName: schemaName, schemaVersion: schemaVersionNode, root: root, &run)
            if let schema {
                run.schemaValidated = true
                for message in doc.validate(with: schema) {
                    let (line, text) = Self.splitSchemaMessage(message)
                    run.error("schema", text, line: line)
                }
            } else {
                run.warning("schema-skipped", "schema validation skipped: no schemas given")
            }
        }
        ManifestContentChecker(root: root, files: files, is2004: is2004, lms: lms).check(&run)
    }

    func checkMetadata(metadata: XMLNode?, schemaName: XMLNode?, schemaVersion: XMLNode?, root: XMLNode, _ run: inout ValidationRun) {
        let line = metadata?.line ?? root.line
        if let s = schemaName {
            let value = s.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if value != "ADL SCORM" {
                run.warning("metadata-schema", "<metadata>/<schema> is '\(value)', expected 'ADL SCORM'", line: s.line)
            }
        } else {
            run.warning("metadata-schema", "no <metadata>/<schema>ADL SCORM</schema>: some LMSs use it to recognise a SCORM package", line: line)
        }
        if let v = schemaVersion {
            let value = v.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if value != "1.2" {
                run.error("metadata-schemaversion", "<metadata>/<schemaversion> is '\(value)', but a SCORM 1.2 manifest says '1.2'", line: v.line)
            }
        } else if lms == .talentlms {
            run.error("talentlms-schemaversion", "no <metadata>/<schemaversion>1.2</schemaversion>: TalentLMS needs it to accept the package as SCORM 1.2", line: line)
        } else {
            run.warning("metadata-schemaversion", "no <metadata>/<schemaversion>1.2</schemaversion>; the version is taken from the namespace", line: line)
        }
    }

    /// "imsmanifest.xml:12: not well-formed XML: msg" (XMLDocument's message) → (12, "msg").
    static func splitParseError(_ s: String, name: String) -> (Int?, String) {
        var rest = Substring(s)
        guard rest.hasPrefix(name + ":") else { return (nil, s) }
        rest = rest.dropFirst(name.count + 1)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        let line = Int(digits).flatMap { $0 > 0 ? $0 : nil }
        rest = rest.dropFirst(digits.count)
        if rest.hasPrefix(": ") { rest = rest.dropFirst(2) }
        if rest.hasPrefix("not well-formed XML: ") { rest = rest.dropFirst("not well-formed XML: ".count) }
        return (line, String(rest))
    }

    /// "line 12: msg" (XMLSchema's message) → (12, "msg").
    static func splitSchemaMessage(_ s: String) -> (Int?, String) {
        guard s.hasPrefix("line ") else { return (nil, s) }
        let rest = s.dropFirst(5)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard let n = Int(digits), rest.dropFirst(digits.count).hasPrefix(": ") else { return (nil, s) }
        return (n > 0 ? n : nil, String(rest.dropFirst(digits.count + 2)))
    }
}

// MARK: - The report being built

/// Issues and counts collected while one package is checked.
struct ValidationRun {
    var path: String
    var issues: [ValidationIssue] = []
    var standard: String?
    var schemaVersion: String?
    var schemaValidated = false
    var scos = 0
    var resources = 0
    var files = 0

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
    fileprivate var qualifiedName: String { prefix.map { "\($0):\(name)" } ?? name }

    /// An attribute with no namespace (`identifier`, `href`, ...).
    fileprivate func plainAttribute(_ name: String) -> String? {
        attributes.first { $0.name == name && $0.namespace == nil }?.value
    }
}

// MARK: - 3-5. Content model, files, LMS profile

/// The checks on the manifest's organizations and resources.
struct ManifestContentChecker {
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

    // MARK: Files

    /// Where an href leads.
    enum Target: Equatable {
        /// An http(s) URL: outside the package, not checked.
        case external
        case invalid(String)
        /// Candidate package paths (as written, then %-decoded), normalised.
        case package([String])
    }

    /// Resolves `href` against the `xml:base` values above it (outermost first).
    static func resolve(_ href: String, bases: [String]) -> Target {
        var prefix = ""
        for base in bases where !base.isEmpty {
            switch classify(base) {
            case .external: return .external
            case .invalid(let why): return .invalid("xml:base '\(base)' \(why)")
            case .package: break
            }
            prefix += base.hasSuffix("/") ? base : base + "/"
        }
        switch classify(href) {
        case .external: return .external
        case .invalid(let why): return .invalid(why)
        case .package: break
        }
        var path = prefix + href
        if let cut = path.firstIndex(where: { $0 == "#" || $0 == "?" }) { path = String(path[..<cut]) }
        var candidates: [String] = []
        for form in [path, path.contains("%") ? path.removingPercentEncoding : nil].compactMap({ $0 }) {
            guard let n = normalise(form) else { return .invalid("points outside the package ('..' climbs above the root)") }
            if !candidates.contains(n) { candidates.append(n) }
        }
        return .package(candidates)
    }

    /// An href or base on its own: an http(s) URL, something no package reference may be, or a relative path.
    static func classify(_ s: String) -> Target {
        if s.hasPrefix("//") { return .external }
        if let colon = s.firstIndex(of: ":") {
            let scheme = s[..<colon]
            let isScheme = scheme.first?.isLetter == true && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
            if isScheme && !scheme.contains("/") {
                let lower = scheme.lowercased()
                if lower == "http" || lower == "https" { return .external }
                if scheme.count == 1 { return .invalid("starts with a drive letter ('\(scheme):')") }
                return .invalid("uses the '\(lower):' scheme; package references are relative paths (or http/https URLs, which are not checked)")
            }
        }
        if s.hasPrefix("/") { return .invalid("is an absolute path; package references are relative to the manifest") }
        if s.contains("\\") { return .invalid("contains a backslash; use '/'") }
        return .package([])
    }

    /// Drops `.` and empty segments and applies `..`; nil when it climbs above the root.
    static func normalise(_ path: String) -> String? {
        // Already normal (no empty, "." or ".." segment): the common case, returned as is.
        var segment = 0
        var dots = 0
        var normal = !path.isEmpty
        for b in path.utf8 {
            if b == 0x2F {
                if segment == 0 || segment == dots { normal = false; break }
                segment = 0
                dots = 0
            } else {
                segment += 1
                if b == 0x2E { dots += 1 }
            }
        }
        if normal && segment > 0 && !(segment == dots && dots <= 2) { return path }
        var out: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if out.isEmpty { return nil }
                out.removeLast()
            } else {
                out.append(part)
            }
        }
        return out.joined(separator: "/")
    }

    func xmlBase(_ n: XMLNode?) -> String? {
        n?.attributes.first { $0.name == "base" && $0.namespace == PackageValidator.xmlNamespace }?.value
    }

    func checkFiles(resourcesNode: XMLNode?, resources: [XMLNode], _ run: inout ValidationRun) {
        let lowered = Dictionary(files.map { ($0.lowercased(), $0) }, uniquingKeysWith: { a, b in min(a, b) })
        var declared = Set<String>()
        var reported = Set<String>()

        /// Checks one reference; returns the package path it names when it exists.
        func reference(_ href: String, bases: [String], what: String, line: Int, declares: Bool) {
            let trimmed = Self.trimmed(href)
            guard !trimmed.isEmpty else { return }
            switch Self.resolve(trimmed, bases: bases) {
            case .external:
                return
            case .invalid(let why):
                if reported.insert("bad:\(line):\(trimmed)").inserted {
                    run.error("bad-href", "\(what) '\(trimmed)' \(why)", line: line)
                }
            case .package(let candidates):
                // The %-decoded form is what the href means as a URI: report under that name.
                guard let first = candidates.last, !first.isEmpty else { return }
                if let found = candidates.first(where: files.contains) {
                    if declares { declared.insert(found) }
                    return
                }
                // A name that differs only in case: say so, and do not also call the file undeclared.
                let real = candidates.lazy.compactMap { lowered[$0.lowercased()] }.first
                if declares, let real { declared.insert(real) }
                guard reported.insert(first).inserted else { return }
                let hint = real.map { " (the package has '\($0)': names are case-sensitive)" } ?? ""
                run.error("missing-file", "\(what) '\(trimmed)' is not in the package\(hint)", line: line, entry: first)
            }
        }

        let outer = [xmlBase(root), xmlBase(resourcesNode)].compactMap { $0 }
        for r in resources {
            let bases = outer + [xmlBase(r)].compactMap { $0 }
            if let href = r.plainAttribute("href") {
                reference(href, bases: bases, what: "resource href", line: r.line, declares: false)
            }
            for f in children(r, "file") {
                guard let href = f.plainAttribute("href") else { continue }
                reference(href, bases: bases, what: "file", line: f.line, declares: true)
            }
        }
        // Metadata kept in separate files (adlcp:location), anywhere in the manifest.
        for n in root.descendants where n.name == "location" && n.namespace == adlcp {
            reference(n.text, bases: [], what: "metadata location", line: n.line, declares: true)
        }

        // Package files no <file> declares. The manifest and the schema documents that travel
        // with it (root *.xsd, *.dtd) are control files, not content.
        for name in files.sorted() where !declared.contains(name) {
            // Already reported as litter or as unsafe.
            if name == "imsmanifest.xml" || name.hasPrefix("__MACOSX/") || (name as NSString).lastPathComponent == ".DS_Store" { continue }
            if PackageValidator.unsafeReason(name) != nil { continue }
            if !name.contains("/"), name.lowercased().hasSuffix(".xsd") || name.lowercased().hasSuffix(".dtd") { continue }
            if name.lowercased() != "imsmanifest.xml", (name as NSString).lastPathComponent.lowercased() == "imsmanifest.xml" { continue }
            run.warning("undeclared-file", "'\(name)' is in the package but no <file> declares it", entry: name)
        }
    }

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

// MARK: - aicc_script
