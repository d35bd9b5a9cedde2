import Foundation

// MARK: - 4. Files

extension ManifestContentChecker {
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
}
