import Foundation

/// What loading found in each Markdown page the last time, so that `ladder build` does not
/// parse again the pages that did not change (issue 15, point 2): `<out>/<curriculum>/load-cache.json`.
///
/// An entry is used only when the page's size, modification time, status-change time and
/// inode are the ones it was read with, and both times lie at least `settle` before that read
/// began: a write within the same clock tick as the read (or on a file system that keeps
/// whole or even seconds) could otherwise leave a changed page with the stamp of the old one.
/// A page edited and given its old modification time back still has a new status-change
/// time. A cache written by another Ladder version, another cache format or under other size
/// limits is ignored whole; so is an unreadable one. The page's body is read again from the
/// file on every load (reading is cheap; parsing was not); its front matter, reading time,
/// image list and diagnostics come from the entry, and its images are checked again, since
/// they are files of their own.
///
/// It lives in `<out>/<curriculum>/` with the packages and `build-cache.json`. Loading reads it
/// before the build takes its lock (it is only advisory: every entry is checked against its
/// file), and never writes it: the loader hands the next cache over (`LoadResult.loadCache`)
/// and the build writes it into its staging folder, so that it is published with the packages
/// in the same atomic folder swap, or not at all when the build fails.
package struct LoadCache: Codable, Sendable, Equatable {
    /// Changes whenever what an entry means changes.
    package static let format = 1
    /// How long before a read a page must have last changed for its stamp to be trusted.
    package static let settleNanoseconds: Int64 = 2_000_000_000

    package var format = LoadCache.format
    package var ladderVersion: String
    /// The curriculum folder as the command named it: diagnostics name files under it.
    package var folder: String
    /// The size limits the pages were read under (a page over a lower limit is an error).
    package var markdownLimit: Int
    package var yamlLimit: Int
    package var pages: [String: PageEntry] = [:]

    enum CodingKeys: String, CodingKey {
        case format, pages, folder
        case ladderVersion = "ladder_version"
        case markdownLimit = "markdown_limit"
        case yamlLimit = "yaml_limit"
    }

    package init(ladderVersion: String = LadderCore.version, folder: String, limits: LoaderLimits) {
        self.ladderVersion = ladderVersion
        self.folder = folder
        markdownLimit = limits.markdownFileBytes
        yamlLimit = limits.yamlFileBytes
    }

    /// Its name in `<out>/<curriculum>/`.
    package static let fileName = "load-cache.json"

    /// The file for a curriculum's cache in an exports folder.
    package static func url(out: URL, curriculum: String) -> URL {
        out.appendingPathComponent(curriculum).appendingPathComponent(fileName)
    }

    /// The cache at `url` when this Ladder version, format and these limits wrote it; else nil.
    package static func read(_ url: URL, folder: String, limits: LoaderLimits, version: String = LadderCore.version) -> LoadCache? {
        guard let data = try? FileSystem.readIfPresent(url.path, action: "read the load cache"),
            let cache = decoded(data) ?? (try? JSONDecoder().decode(LoadCache.self, from: data)),
            cache.format == format, cache.ladderVersion == version, cache.folder == folder,
            cache.markdownLimit == limits.markdownFileBytes, cache.yamlLimit == limits.yamlFileBytes
        else { return nil }
        return cache
    }


    /// A file's identity as `stat` gives it.
    package struct Stamp: Codable, Sendable, Equatable {
        package internal(set) var size: Int
        package internal(set) var inode: UInt64
        package internal(set) var mtimeNanoseconds: Int64
        package internal(set) var ctimeNanoseconds: Int64

        enum CodingKeys: String, CodingKey {
            case size, inode
            case mtimeNanoseconds = "mtime_ns"
            case ctimeNanoseconds = "ctime_ns"
        }

        /// The stamp of a regular file, or nil.
        package static func of(_ path: String) -> Stamp? {
            var st = stat()
            guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
            return Stamp(
                size: Int(st.st_size), inode: UInt64(st.st_ino),
                mtimeNanoseconds: st.st_mtim.nanoseconds,
                ctimeNanoseconds: st.st_ctim.nanoseconds)
        }
    }

    /// What loading one page gave, but the body and the image checks.
    package struct PageEntry: Codable, Sendable, Equatable {
        var stamp: Stamp
        /// When the read that produced this entry began (nanoseconds since 1970).
        var readAtNanoseconds: Int64
        var diagnostics: [CachedDiagnostic]
        /// Nil when the page did not load (its diagnostics say why).
        var title: String?
        var minutes: Int
        var images: [String]
        /// Each image reference to check again: its source as written and its line.
        var imageChecks: [ImageCheck]

        enum CodingKeys: String, CodingKey {
            case stamp, diagnostics, title, minutes, images
            case readAtNanoseconds = "read_at_ns"
            case imageChecks = "image_checks"
        }

        /// Whether this entry may stand for the file with `current` stamp.
        func isValid(for current: Stamp) -> Bool {
            current == stamp && stamp.mtimeNanoseconds <= readAtNanoseconds - LoadCache.settleNanoseconds
                && stamp.ctimeNanoseconds <= readAtNanoseconds - LoadCache.settleNanoseconds
        }
    }

    package struct ImageCheck: Codable, Sendable, Equatable {
        var source: String
        var line: Int
    }

    package struct CachedDiagnostic: Codable, Sendable, Equatable {
        var severity: String
        var file: String
        var line: Int
        var column: Int
        var message: String

        init(_ d: Diagnostic) {
            severity = d.severity.rawValue
            file = d.file
            line = d.line
            column = d.column
            message = d.message
        }

        var diagnostic: Diagnostic {
            Diagnostic(Diagnostic.Severity(rawValue: severity) ?? .error, file, line: line, column: column, message)
        }
    }

    /// Nanoseconds since 1970, now.
    package static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return ts.nanoseconds
    }
}
