import Foundation

/// The one place that decides whether a name or an href stays inside a package: zip entry
/// names (`ladder validate`), manifest hrefs (resolved once into `ResolvedHref`) and the paths
/// the preview serves all go through it.
package enum PackagePath {
    /// Why a package path (already percent-decoded) could escape the folder it is extracted
    /// into, or nil when it cannot: a NUL, a backslash, an absolute path, a drive letter, `..`.
    package static func escapeReason(_ name: String) -> String? {
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

    /// A path that may be served as is: it cannot escape (`escapeReason`) and is already in
    /// its one spelling (no empty or `.` segment, no control character, no colon in the first
    /// segment that would read as a scheme, at most 1,024 characters).
    package static func isCanonical(_ decoded: String) -> Bool {
        guard !decoded.isEmpty, decoded.count <= 1024, escapeReason(decoded) == nil else { return false }
        if decoded.split(separator: "/").first?.contains(":") ?? false { return false }
        for p in decoded.split(separator: "/", omittingEmptySubsequences: false) where p.isEmpty || p == "." { return false }
        return !decoded.unicodeScalars.contains(where: { $0.value < 0x20 })
    }

    /// A request path (percent-encoded, as in a URL) decoded once; nil unless the result is canonical.
    package static func decodedRequest(_ raw: String) -> String? {
        guard let decoded = raw.removingPercentEncoding, isCanonical(decoded) else { return nil }
        return decoded
    }

    /// Drops `.` and empty segments and applies `..`; nil when `..` climbs above the root
    /// (RFC 3986's remove_dot_segments would silently stop at the root: a package refuses).
    static func normalise(_ path: String) -> String? {
        // Already normal (no empty, "." or ".." segment): the common case, returned as is.
        var segment = 0
        var dots = 0
        var normal = !path.isEmpty
        for b in path.utf8 {
            if b == 0x2F {
                if segment == 0 || segment == dots {
                    normal = false
                    break
                }
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

    /// hrefs are URIs: spaces and other reserved characters are percent-encoded, `/` is kept.
    package static func hrefEscape(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#[]@!$&'()*+,;=")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }
}

/// Where an href of the manifest leads, resolved once when the manifest is read.
package enum ResolvedHref: Sendable, Equatable {
    /// An http(s) or network-path (`//host/...`) URL: outside the package, not checked.
    case external(String)
    /// Not something a package reference may be; the reason completes "resource href 'x' …".
    case refused(String)
    /// A file of the package.
    case file(PackageHref)

    /// The package file, when it is one.
    package var file: PackageHref? {
        if case .file(let f) = self { return f }
        return nil
    }
}

/// A package file named by an href: xml:base applied, query and fragment split off, dot
/// segments removed, percent-decoded once.
package struct PackageHref: Sendable, Equatable {
    /// The package path the href means as a URI (percent-decoded); empty for `.` or `./`.
    package var path: String
    /// The path before decoding, when it differs: a zip may name an entry with a literal `%`.
    package var undecoded: String?
    /// After `?` and after `#`, as written.
    package var query: String?
    package var fragment: String?

    /// The names to look up in the package, the undecoded spelling first.
    package var candidates: [String] { undecoded.map { [$0, path] } ?? [path] }

    /// The URL that launches this file relative to the package root, with an item's
    /// `parameters` added as SCORM and Moodle do (loadSCO.php): a leading `?` or `&` is
    /// dropped, then the rest joins the query with `&` (or starts one with `?`); parameters
    /// that start with `#` replace the fragment.
    package func launchURL(parameters: String?) -> String {
        var query = self.query
        var fragment = self.fragment
        var p = Substring(parameters ?? "")
        if p.hasPrefix("#") {
            fragment = String(p.dropFirst())
            p = ""
        }
        while p.first == "?" || p.first == "&" { p = p.dropFirst() }
        if !p.isEmpty { query = query.map { $0.isEmpty ? String(p) : $0 + "&" + p } ?? String(p) }
        return PackagePath.hrefEscape(path) + (query.map { "?" + $0 } ?? "") + (fragment.map { "#" + $0 } ?? "")
    }
}

extension ResolvedHref {
    /// Resolves `href` against the `xml:base` values above it, outermost first (IMS CP: the
    /// manifest's, the resources', the resource's), per RFC 3986 section 5.2: each base is
    /// resolved against the one before it with the package root as the first, a relative
    /// path replaces the base's last segment (so `sco` + `a.html` is `a.html`, `sco/` +
    /// `a.html` is `sco/a.html`), dot segments are removed. A `..` that climbs above the
    /// package root, an absolute path, a drive letter or a scheme other than http(s) is refused.
    package static func resolve(_ href: String, bases: [String]) -> ResolvedHref {
        // The directory so far: "" is the package root, otherwise it ends with "/".
        var directory = ""
        for base in bases where !base.isEmpty {
            switch classify(base) {
            case .external: return .external(base)
            case .refused(let why): return .refused("xml:base '\(base)' \(why)")
            case .file: break
            }
            let (path, _, _) = split(base)
            guard let merged = PackagePath.normalise(directory + path) else { return .refused(climbs) }
            // The base's last segment is dropped (RFC 3986 5.2.3); a base ending in "/" keeps all.
            if path.hasSuffix("/") || path.isEmpty || path.hasSuffix("/.") || path == "." || path.hasSuffix("/..") || path == ".." {
                directory = merged.isEmpty ? "" : merged + "/"
            } else {
                directory = merged.split(separator: "/").dropLast().map { $0 + "/" }.joined()
            }
        }
        switch classify(href) {
        case .external: return .external(href)
        case .refused(let why): return .refused(why)
        case .file: break
        }
        let (path, query, fragment) = split(href)
        guard let raw = PackagePath.normalise(directory + path) else { return .refused(climbs) }
        var decodedPath = raw
        if (directory + path).contains("%"), let decoded = (directory + path).removingPercentEncoding {
            guard let n = PackagePath.normalise(decoded) else { return .refused(climbs) }
            decodedPath = n
        }
        return .file(PackageHref(path: decodedPath, undecoded: decodedPath == raw ? nil : raw, query: query, fragment: fragment))
    }

    static let climbs = "points outside the package ('..' climbs above the root)"

    /// path, query (after `?`), fragment (after `#`).
    static func split(_ s: String) -> (String, String?, String?) {
        var rest = Substring(s)
        var fragment: String?
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        var query: String?
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = rest[..<mark]
        }
        return (String(rest), query, fragment)
    }

    /// An href or base on its own: an http(s) URL, something no package reference may be, or a
    /// relative path (`.file` with an empty path).
    static func classify(_ s: String) -> ResolvedHref {
        if s.hasPrefix("//") { return .external(s) }
        if let colon = s.firstIndex(of: ":") {
            let scheme = s[..<colon]
            let isScheme = scheme.first?.isLetter == true && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
            if isScheme && !scheme.contains("/") {
                let lower = scheme.lowercased()
                if lower == "http" || lower == "https" { return .external(s) }
                if scheme.count == 1 { return .refused("starts with a drive letter ('\(scheme):')") }
                return .refused("uses the '\(lower):' scheme; package references are relative paths (or http/https URLs, which are not checked)")
            }
        }
        if s.hasPrefix("/") { return .refused("is an absolute path; package references are relative to the manifest") }
        if s.contains("\\") { return .refused("contains a backslash; use '/'") }
        return .file(PackageHref(path: ""))
    }
}
