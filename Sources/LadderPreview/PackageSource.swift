import Foundation
import LadderCore
import LadderPackaging

#if canImport(Glibc)
    import Glibc
    private func systemOpen(_ path: String, _ flags: Int32) -> Int32 { Glibc.open(path, flags) }
#elseif canImport(Darwin)
    import Darwin
    private func systemOpen(_ path: String, _ flags: Int32) -> Int32 { Darwin.open(path, flags) }
#endif

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
    /// `prerequisites`, parsed once when the manifest is read.
    public var prerequisiteScript: Prerequisites.Script
    public var maxTimeAllowed: String
    public var timeLimitAction: String
    public var dataFromLMS: String
}

/// The manifest facts the player needs: the default organization of the `PackageManifest`
/// that `ladder validate` checked, its items flattened in document order.
public struct PreviewManifest: Sendable, Equatable {
    public var identifier: String
    public var title: String
    /// The package's language tag as its metadata states it (`en` when it states none): the
    /// player's own text follows it.
    public var language: String
    public var items: [PreviewItem]

    init(_ package: PackageManifest) {
        identifier = package.identifier ?? ""
        language = package.language ?? "en"
        let organization = package.defaultOrganization
        title = organization?.title ?? ""
        items = (organization?.allItems ?? []).map { item, depth in
            let launched = package.launch(of: item)
            // An external (http) launch cannot reach the player's API from its origin: listed, not launched.
            return PreviewItem(
                identifier: item.identifier ?? "", title: item.title ?? "", depth: depth,
                launch: launched?.href.file.map { $0.launchURL(parameters: item.parameters) }, isSCO: launched?.resource.isSCO ?? false,
                masteryScore: item.masteryScore, prerequisites: item.prerequisites ?? "",
                prerequisiteScript: Prerequisites.Script(item.prerequisites ?? ""), maxTimeAllowed: item.maxTimeAllowed ?? "",
                timeLimitAction: item.timeLimitAction ?? "", dataFromLMS: item.dataFromLMS ?? "")
        }
    }
}

/// The files of a package, served only from the package itself: a zip's entries (names
/// checked, each read from the archive when it is asked for) or a folder's regular files (no
/// symlinks, nothing outside). Nothing of a file's contents is kept between requests.
public final class PackageSource: Sendable {
    public let label: String
    public let manifest: PreviewManifest
    /// The manifest as `ladder validate` read and checked it (the preview parses it no second time).
    package let model: PackageManifest
    /// Curriculum id, when the package sits in `exports/<curriculum>/<track>/` beside a ledger.
    public let curriculum: String?
    private let storage: Storage

    private enum Storage: Sendable {
        /// The open archive and the names it may serve (safe names of files, not folders).
        case zip(PackageContents, servable: Set<String>)
        case folder(URL)
    }

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
            throw PreviewError(path: path, problem: .cannotValidate, underlying: error)
        }
        let (report, checked) = validator.read(path: path)
        guard report.valid, let checked else {
            let lines = report.errors.map { e in "  \(e.entry.map { "\($0): " } ?? "")\(e.code): \(e.message)" }
            throw PreviewError(path: path, problem: .invalidPackage(lines))
        }
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        if isFolder.boolValue {
            storage = .folder(URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL)
        } else {
            do {
                let zip = try PackageContents(zipPath: path)
                let names = zip.entries.filter { !$0.name.hasSuffix("/") && PackagePath.isCanonical($0.name) && $0.size <= Self.maxFileSize }
                storage = .zip(zip, servable: Set(names.map(\.name)))
            } catch {
                throw PreviewError(path: path, problem: .unreadablePackage, underlying: error)
            }
        }
        model = checked
        manifest = PreviewManifest(checked)
        curriculum = try Self.curriculum(near: path)
    }

    /// `exports/<curriculum>/ledger.json` two folders up names the curriculum; nil when there
    /// is none. A ledger that cannot be read or decoded is reported (`PackagingError`), not
    /// taken for an absent one.
    static func curriculum(near path: String) throws -> String? {
        let ledger = URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ledger.json")
        return try PackageBuilder.readLedger(ledger.path)?.curriculum
    }

    /// A request path made safe: percent-decoded once, then canonical (`PackagePath`). Nil
    /// when it is not safe.
    public static func safeRelativePath(_ raw: String) -> String? { PackagePath.decodedRequest(raw) }

    /// A package file opened for reading, or nil when the package has no such regular file.
    /// `relative` is already percent-decoded. Throws when the file exists but cannot be opened.
    public func open(_ relative: String) throws -> PackageFile? {
        guard PackagePath.isCanonical(relative) else { return nil }
        return try Self.open(relative, in: storage)
    }

    /// The whole of a package file (for small files and tests; the server streams with `open`).
    public func data(at relative: String) throws -> Data? {
        try Self.readAll(open(relative))
    }

    static func readAll(_ file: PackageFile?) throws -> Data? {
        guard let file else { return nil }
        var out = Data()
        while true {
            let chunk = try file.read(upTo: 64 << 10)
            if chunk.isEmpty { return out }
            out.append(chunk)
        }
    }

    private static func open(_ relative: String, in storage: Storage) throws -> PackageFile? {
        switch storage {
        case .zip(let zip, let servable):
            guard servable.contains(relative), let entry = try zip.open(relative) else { return nil }
            return PackageFile(size: entry.size, read: entry.read(upTo:))
        case .folder(let root):
            return try openInFolder(relative, root: root)
        }
    }

    /// Walks each component with lstat: a symlink anywhere on the way is refused, so nothing
    /// outside the package folder can be reached; the file itself is opened without
    /// following a link and checked again on its descriptor.
    private static func openInFolder(_ relative: String, root: URL) throws -> PackageFile? {
        let parts = relative.split(separator: "/")
        var url = root
        for (i, part) in parts.enumerated() {
            url = url.appendingPathComponent(String(part))
            var st = stat()
            guard lstat(url.path, &st) == 0 else { return nil }
            let type = st.st_mode & mode_t(S_IFMT)
            guard type == mode_t(i == parts.count - 1 ? S_IFREG : S_IFDIR) else { return nil }
        }
        let fd = systemOpen(url.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & mode_t(S_IFMT) == mode_t(S_IFREG), UInt64(st.st_size) <= maxFileSize else {
            close(fd)
            return nil
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        let size = UInt64(st.st_size)
        return PackageFile(size: size) { count in
            try handle.read(upToCount: count) ?? Data()
        }
    }
}

/// One package file being served: its size, then its bytes in chunks until an empty one.
/// Used by one request at a time.
public final class PackageFile: Sendable {
    public let size: UInt64
    private let next: @Sendable (Int) throws -> Data
    private let delivered = Locked<UInt64>(0)

    init(size: UInt64, read: @escaping @Sendable (Int) throws -> Data) {
        self.size = size
        self.next = read
    }

    /// The next bytes, at most `count`; empty at the end. Throws when the file cannot be
    /// read or turns out longer than `size` (the length the response announced).
    public func read(upTo count: Int) throws -> Data {
        let chunk = try next(count)
        let size = size
        try delivered.withLock { delivered in
            delivered += UInt64(chunk.count)
            guard delivered <= size, !chunk.isEmpty || delivered == size else {
                throw PackageFileError(size: size, delivered: delivered)
            }
        }
        return chunk
    }
}

/// A package file whose length changed while it was read (a folder file being rewritten).
public struct PackageFileError: Error, CustomStringConvertible {
    public var size: UInt64
    public var delivered: UInt64
    public var description: String {
        delivered > size
            ? "the file grew past the \(size) bytes it had when it was opened"
            : "the file ended after \(delivered) of the \(size) bytes it had when it was opened"
    }
}
