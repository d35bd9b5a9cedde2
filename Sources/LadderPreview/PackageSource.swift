import Foundation
import LadderKit

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A problem opening a package for preview; `description` names the package.
public struct PreviewError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path): \(message)" }
}

/// One launchable item of the package's default organization, as an LMS player lists it.
public struct PreviewItem: Sendable, Equatable {
    /// The manifest item identifier (`ITEM-inform-customers-module`).
    public var identifier: String
    public var title: String
    /// Nesting depth in the organization (0 for top-level items).
    public var depth: Int
    /// The SCO's launch URL inside the package (resource href plus `parameters`), nil for a folder item.
    public var launch: String?
    public var isSCO: Bool
    public var masteryScore: Double?
    /// `adlcp:prerequisites` (aicc_script), empty when there are none.
    public var prerequisites: String
    public var maxTimeAllowed: String
    public var timeLimitAction: String
    public var dataFromLMS: String
}

/// The manifest facts the player needs.
public struct PreviewManifest: Sendable, Equatable {
    public var identifier: String
    public var title: String
    public var items: [PreviewItem]
}

/// The files of a package, served only from the package itself: a zip's entries (read into
/// memory, names checked) or a folder's regular files (no symlinks, nothing outside).
public final class PackageSource: @unchecked Sendable {
    public let label: String
    public let manifest: PreviewManifest
    /// Curriculum id, when the package sits in `exports/<curriculum>/<track>/` beside a ledger.
    public let curriculum: String?
    private let files: [String: Data]?
    private let folder: URL?

    /// The largest file served; a package's own files are far smaller.
    static let maxFileSize: UInt64 = 512 << 20

    /// Opens and validates the package at `path` (a zip or a folder). Throws when `ladder
    /// validate` would reject it, listing the errors.
    public init(path: String, schemasFolder: URL? = nil) throws {
        label = path
        let validator: PackageValidator
        do {
            validator = try PackageValidator(schemasFolder: schemasFolder)
        } catch {
            throw PreviewError(path: path, message: "\(error)")
        }
        let report = validator.validate(path: path)
        guard report.valid else {
            let lines = report.errors.map { e in "  \(e.entry.map { "\($0): " } ?? "")\(e.code): \(e.message)" }
            throw PreviewError(path: path, message: "the package is not valid (ladder validate):\n" + lines.joined(separator: "\n"))
        }
        var isFolder: ObjCBool = false
        FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        let manifestData: Data
        if isFolder.boolValue {
            let root = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL
            folder = root
            files = nil
            manifestData = try Data(contentsOf: root.appendingPathComponent("imsmanifest.xml"))
        } else {
            folder = nil
            var map: [String: Data] = [:]
            do {
                let zip = try PackageContents(zipPath: path)
                for e in zip.entries where !e.name.hasSuffix("/") {
                    guard Self.isSafe(e.name) else { continue }
                    if let d = try zip.read(e.name, limit: Self.maxFileSize) { map[e.name] = d }
                }
            } catch {
                throw PreviewError(path: path, message: "cannot read the package: \(error)")
            }
            files = map
            guard let m = map["imsmanifest.xml"] else { throw PreviewError(path: path, message: "no imsmanifest.xml") }
            manifestData = m
        }
        manifest = try ManifestReader.read(manifestData, label: path)
        curriculum = Self.curriculum(near: path)
    }

    /// `exports/<curriculum>/ledger.json` two folders up names the curriculum.
    static func curriculum(near path: String) -> String? {
        let ledger = URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ledger.json")
        guard let data = try? Data(contentsOf: ledger),
            let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return obj["curriculum"] as? String
    }

    /// A request path made safe: percent-decoded, `/`-separated, no empty, `.` or `..`
    /// segments, no backslashes, NULs or absolute paths. Nil when it is not safe.
    public static func safeRelativePath(_ raw: String) -> String? {
        guard let decoded = raw.removingPercentEncoding else { return nil }
        return isSafe(decoded) ? decoded : nil
    }

    /// A decoded package path is relative, `/`-separated and stays inside the package.
    public static func isSafe(_ decoded: String) -> Bool {
        guard !decoded.isEmpty, decoded.count <= 1024 else { return false }
        // A colon in the first segment would read as a scheme or a drive letter.
        if decoded.hasPrefix("/") || decoded.contains("\\") || decoded.contains("\0")
            || (decoded.split(separator: "/").first?.contains(":") ?? false)
        {
            return false
        }
        let parts = decoded.split(separator: "/", omittingEmptySubsequences: false)
        for p in parts where p.isEmpty || p == "." || p == ".." { return false }
        return !decoded.unicodeScalars.contains(where: { $0.value < 0x20 })
    }

    /// The bytes of a package file, or nil when the package has no such regular file.
    /// `relative` is already percent-decoded.
    public func data(at relative: String) -> Data? {
        guard Self.isSafe(relative) else { return nil }
        let rel = relative
        if let files { return files[rel] }
        guard let folder else { return nil }
        // Walk each component with lstat: a symlink anywhere on the way is refused, so nothing
        // outside the package folder can be reached.
        var url = folder
        for part in rel.split(separator: "/") {
            url = url.appendingPathComponent(String(part))
            guard let attrs = try? FileManager.default.attributesOfItem(atPath: url.path),
                let type = attrs[.type] as? FileAttributeType
            else { return nil }
            if type == .typeSymbolicLink { return nil }
            if part != rel.split(separator: "/").last! && type != .typeDirectory { return nil }
            if part == rel.split(separator: "/").last! {
                guard type == .typeRegular, let size = attrs[.size] as? NSNumber, size.uint64Value <= Self.maxFileSize else {
                    return nil
                }
            }
        }
        return try? Data(contentsOf: url)
    }
}

/// Reads the default organization of a SCORM 1.2 manifest with Foundation's XMLParser.
enum ManifestReader {
    final class Delegate: NSObject, XMLParserDelegate {
        struct RawItem {
            var identifier = "", identifierref: String?, parameters = "", title = "", depth = 0
            var mastery: String?, prerequisites = "", maxTime = "", timeLimit = "", data = ""
        }
        var stack: [String] = []
        var text = ""
        var manifestID = ""
        var defaultOrg: String?
        var orgID: String?
        var orgTitle = ""
        var firstOrgItems: [RawItem]?
        var items: [RawItem] = []
        var itemStack: [Int] = []
        var resources: [String: (href: String, base: String, sco: Bool)] = [:]
        var resourcesBase = ""
        var manifestBase = ""
        var done = false

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes a: [String: String] = [:]
        ) {
            text = ""
            let local = name.split(separator: ":").last.map(String.init) ?? name
            stack.append(local)
            func attr(_ n: String) -> String? { a[n] ?? a.first { $0.key.hasSuffix(":" + n) }?.value }
            switch local {
            case "manifest" where stack.count == 1:
                manifestID = a["identifier"] ?? ""
                manifestBase = attr("base") ?? ""
            case "organizations": defaultOrg = a["default"]
            case "organization":
                orgID = a["identifier"]
                items = []
            case "item":
                var it = RawItem()
                it.identifier = a["identifier"] ?? ""
                it.identifierref = a["identifierref"]
                it.parameters = a["parameters"] ?? ""
                it.depth = itemStack.count
                items.append(it)
                itemStack.append(items.count - 1)
            case "resources": resourcesBase = attr("base") ?? ""
            case "resource":
                let sco = (attr("scormtype") ?? attr("scormType") ?? "").lowercased() == "sco"
                resources[a["identifier"] ?? ""] = (a["href"] ?? "", attr("base") ?? "", sco)
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let local = stack.popLast() ?? ""
            let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if let i = itemStack.last {
                switch local {
                case "title" where stack.last == "item": items[i].title = t
                case "masteryscore": items[i].mastery = t
                case "prerequisites": items[i].prerequisites = t
                case "maxtimeallowed": items[i].maxTime = t
                case "timelimitaction": items[i].timeLimit = t
                case "datafromlms": items[i].data = t
                default: break
                }
            } else if local == "title" && stack.last == "organization" {
                orgTitle = t
            }
            if local == "item" { itemStack.removeLast() }
            if local == "organization" {
                if firstOrgItems == nil || orgID == defaultOrg { firstOrgItems = items }
            }
            text = ""
        }
    }

    static func read(_ data: Data, label: String) throws -> PreviewManifest {
        let parser = XMLParser(data: data)
        let d = Delegate()
        parser.delegate = d
        guard parser.parse() else {
            throw PreviewError(path: label, message: "imsmanifest.xml cannot be read: \(parser.parserError.map { "\($0)" } ?? "parse error")")
        }
        var items: [PreviewItem] = []
        for raw in d.firstOrgItems ?? [] {
            var launch: String?
            var sco = false
            if let ref = raw.identifierref, let res = d.resources[ref] {
                let href = d.manifestBase + d.resourcesBase + res.base + res.href
                var p = raw.parameters
                if !p.isEmpty, !p.hasPrefix("?"), !p.hasPrefix("#") { p = (href.contains("?") ? "&" : "?") + p }
                launch = href + p
                sco = res.sco
            }
            items.append(
                PreviewItem(
                    identifier: raw.identifier, title: raw.title, depth: raw.depth, launch: launch, isSCO: sco,
                    masteryScore: raw.mastery.flatMap(Double.init), prerequisites: raw.prerequisites,
                    maxTimeAllowed: raw.maxTime, timeLimitAction: raw.timeLimit, dataFromLMS: raw.data))
        }
        return PreviewManifest(identifier: d.manifestID, title: d.orgTitle, items: items)
    }
}
