import Foundation

// MARK: - 4. Files

extension ManifestContentChecker {
    /// Every href resolves to a package file (as `ResolvedHref` resolved it when the manifest
    /// was read), and every package file is declared by a `<file>`.
    func checkFiles(_ run: inout ValidationRun) {
        let lowered = Dictionary(files.map { ($0.lowercased(), $0) }, uniquingKeysWith: { a, b in min(a, b) })
        var declared = Set<String>()
        var reported = Set<String>()

        func reference(_ href: String, _ target: ResolvedHref?, what: String, line: Int, declares: Bool) {
            guard let target else { return }
            switch target {
            case .external:
                return
            case .refused(let why):
                if reported.insert("bad:\(line):\(href)").inserted {
                    run.error("bad-href", "\(what) '\(href)' \(why)", line: line)
                }
            case .file(let file):
                // The %-decoded form is what the href means as a URI: report under that name.
                guard !file.path.isEmpty else { return }
                if let found = file.candidates.first(where: files.contains) {
                    if declares { declared.insert(found) }
                    return
                }
                // A name that differs only in case: say so, and do not also call the file undeclared.
                let real = file.candidates.lazy.compactMap { lowered[$0.lowercased()] }.first
                if declares, let real { declared.insert(real) }
                guard reported.insert(file.path).inserted else { return }
                let hint = real.map { " (the package has '\($0)': names are case-sensitive)" } ?? ""
                run.error("missing-file", "\(what) '\(href)' is not in the package\(hint)", line: line, entry: file.path)
            }
        }

        for r in manifest.resources {
            if let href = r.href { reference(Self.trimmed(href), r.launch, what: "resource href", line: r.line, declares: false) }
            for f in r.files { reference(f.href, f.target, what: "file", line: f.line, declares: true) }
        }
        // Metadata kept in separate files (adlcp:location), anywhere in the manifest.
        for l in manifest.metadataLocations { reference(l.href, l.target, what: "metadata location", line: l.line, declares: true) }

        // Package files no <file> declares. The manifest and the schema documents that travel
        // with it (root *.xsd, *.dtd) are control files, not content.
        for name in files.sorted() where !declared.contains(name) {
            // Already reported as litter or as unsafe.
            if name == "imsmanifest.xml" || name.hasPrefix("__MACOSX/") || (name as NSString).lastPathComponent == ".DS_Store" { continue }
            if PackagePath.escapeReason(name) != nil { continue }
            if !name.contains("/"), name.lowercased().hasSuffix(".xsd") || name.lowercased().hasSuffix(".dtd") { continue }
            if name.lowercased() != "imsmanifest.xml", (name as NSString).lastPathComponent.lowercased() == "imsmanifest.xml" { continue }
            run.warning("undeclared-file", "'\(name)' is in the package but no <file> declares it", entry: name)
        }
    }
}
