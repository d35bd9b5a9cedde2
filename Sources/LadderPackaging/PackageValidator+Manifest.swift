import Foundation

// MARK: - 2. The manifest document

extension PackageValidator {
    static let imscp12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    static let imscp2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
    static let adlcp12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
    static let adlcp2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    /// Checks the manifest and returns the model read from it (nil when it is not well-formed
    /// or not a manifest at all).
    @discardableResult
    func checkManifest(_ data: Data, files: Set<String>, _ run: inout ValidationRun) -> PackageManifest? {
        checkManifest(parseManifest(data), files: files, &run)
    }

    /// The manifest's model and markup (with its libxml2 document when a schema is to check
    /// it), or why it is not well-formed.
    typealias ParsedManifest = Result<(manifest: PackageManifest, markup: ManifestMarkup, document: XMLDocument?), Error>

    /// `checkManifest` of a manifest already parsed (`parseManifest`), its bytes perhaps freed.
    func checkManifest(_ parsedManifest: ParsedManifest, files: Set<String>, _ run: inout ValidationRun) -> PackageManifest? {
        run.files = files.count
        let parsed: (manifest: PackageManifest, markup: ManifestMarkup, document: XMLDocument?)
        do {
            parsed = try parsedManifest.get()
        } catch {
            let (line, message) = Self.splitParseError("\(error)", name: "imsmanifest.xml")
            run.error("not-well-formed", "imsmanifest.xml is not well-formed XML: \(message)", line: line, entry: "imsmanifest.xml")
            return nil
        }
        let (manifest, markup) = (parsed.manifest, parsed.markup)
        guard markup.rootName == "manifest" else {
            run.error("not-a-manifest", "the root element is <\(markup.rootQualifiedName)>, not <manifest>", line: manifest.line)
            return nil
        }
        run.schemaVersion = manifest.schemaVersion?.value
        run.standard = manifest.standard?.rawValue
        switch manifest.standard {
        case .scorm12?:
            break
        case .scorm2004?:
            let version = run.schemaVersion.map { " (schemaversion '\($0)')" } ?? ""
            switch lms {
            case .generic:
                run.warning("scorm-2004", "SCORM 2004 manifest\(version), not checked as SCORM 1.2: only its structure and files are checked", line: manifest.line)
            case .moodle:
                // Moodle imports SCORM 2004, but its player implements only part of it.
                run.warning("scorm-2004", "SCORM 2004 manifest\(version): Moodle imports it but supports SCORM 2004 only partly (sequencing is limited); only its structure and files are checked", line: manifest.line)
            case .talentlms:
                run.error("scorm-2004", "SCORM 2004 manifest\(version): TalentLMS imports SCORM 1.2 only (schemaversion must be 1.2)", line: manifest.line)
            }
        case nil:
            run.error(
                "manifest-namespace",
                "<manifest> is in namespace '\(markup.rootNamespace ?? "none")'; SCORM 1.2 needs xmlns=\"\(Self.imscp12)\"", line: manifest.line)
            return manifest
        }

        if manifest.standard == .scorm12 {
            checkMetadata(manifest, &run)
            // `parseManifest` keeps the document whenever there is a schema.
            if let schema, let document = parsed.document {
                run.schemaValidated = true
                for message in document.validate(with: schema) {
                    let (line, text) = Self.splitSchemaMessage(message)
                    let (code, said) = Self.translateSchemaMessage(text)
                    run.error(code, said, line: line)
                }
            } else {
                run.warning("schema-skipped", "schema validation skipped: no schemas given")
            }
        }
        ManifestContentChecker(markup: markup, manifest: manifest, files: files, lms: lms).check(&run)
        return manifest
    }

    /// The manifest's model and markup, with its libxml2 document when a schema is to check
    /// it. Without a schema neither the document nor a tree is needed: the model is read as
    /// the manifest streams past (`PackageManifest.read`; a 4,000-SCO manifest's document is
    /// about 25 MB, its `XMLNode` tree about 9 MB, the model 3 MB), unless the stream leaves
    /// the manifest to `XMLDocument` (an error, a DOCTYPE: the messages are then its own).
    func parseManifest(_ data: Data) -> ParsedManifest {
        let name = "imsmanifest.xml"
        if schema == nil {
            return Result {
                let read = try PackageManifest.read(data, name: name)
                return (read.manifest, read.markup, nil)
            }
        }
        return Result {
            let document = try XMLDocument(data: data, name: name)
            let read = PackageManifest.read(document.root)
            return (read.manifest, read.markup, document)
        }
    }

    func checkMetadata(_ manifest: PackageManifest, _ run: inout ValidationRun) {
        let line = manifest.metadataLine ?? manifest.line
        if let s = manifest.schema {
            let value = s.value
            if value != "ADL SCORM" {
                run.warning("metadata-schema", "<metadata>/<schema> is '\(value)', expected 'ADL SCORM'", line: s.line)
            }
        } else {
            run.warning("metadata-schema", "no <metadata>/<schema>ADL SCORM</schema>: some LMSs use it to recognise a SCORM package", line: line)
        }
        if let v = manifest.schemaVersion {
            let value = v.value
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

    /// libxml2's schema validator reports what it cannot do as internal errors naming its own
    /// functions ("Internal error: xmlSchemaVDocWalk, there is at least one entity reference
    /// …"): say instead what in the manifest causes it and what to change. Returns the issue
    /// code and message.
    static func translateSchemaMessage(_ text: String) -> (String, String) {
        guard text.hasPrefix("Internal error: ") else { return ("schema", text) }
        if text.contains("entity reference") {
            return (
                "entity-reference",
                "the manifest uses an entity reference (&name;) defined in its DOCTYPE: Ladder does not expand entities (a defence against XXE), the schema cannot be checked through them, and LMS importers differ on them; write the characters out instead"
            )
        }
        // "Internal error: xmlSchemaSomething, what" → "what".
        var rest = text.dropFirst("Internal error: ".count)
        if rest.hasPrefix("xml"), let comma = rest.firstIndex(of: ",") { rest = rest[rest.index(after: comma)...].drop { $0 == " " } }
        return ("schema", "the XML Schema validator could not check this part of the manifest: \(rest)")
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
