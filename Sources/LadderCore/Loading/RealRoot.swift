import Foundation

/// The curriculum folder with every symbolic link resolved, and the check that a source
/// stays inside it (`SourceFile.escapeProblem`), for one load.
///
/// Resolving each source's whole path (`realpath`: one `readlink` per component) made 140,000
/// system calls of a one-page rebuild of the benchmark's 2,000 modules: each folder is now
/// resolved once per load, and a file in it that is not itself a symbolic link resolves to
/// the folder's real path and its name, which is what `realpath` gives for it. A link, `.` or
/// `..` as the last component, or anything unusual, still goes through `realpath`. A load is a
/// snapshot: a folder swapped for a link while one load runs is seen by the next.
package final class RealRoot: Sendable {
    package let path: String
    private let folders = Locked<[String: String?]>([:])

    init?(_ folder: String) {
        guard let real = SourceFile.realPath(folder) else { return nil }
        path = real
    }

    /// `realpath(file)`.
    func resolve(_ file: String) -> String? {
        guard let slash = file.lastIndex(of: "/"), slash != file.startIndex else { return SourceFile.realPath(file) }
        let name = file[file.index(after: slash)...]
        guard !name.isEmpty, name != ".", name != ".." else { return SourceFile.realPath(file) }
        var st = stat()
        guard lstat(file, &st) == 0 else { return nil }
        let folder = String(file[..<slash])
        let known = folders.withLock { $0[folder] }
        let real: String?
        if let known {
            real = known
        } else {
            real = SourceFile.realPath(folder)
            folders.withLock { $0[folder] = .some(real) }
        }
        guard st.st_mode & S_IFMT != S_IFLNK, let real else { return SourceFile.realPath(file) }
        return real == "/" ? "/" + name : real + "/" + name
    }
}

extension SourceFile {
    /// `escapeProblem(_:relative:realRoot:)` with the folders of `root` resolved once.
    static func escapeProblem(_ path: String, relative: String, realRoot root: RealRoot) -> String? {
        escapeProblem(path, relative: relative, realRoot: root.path, resolved: root.resolve(path))
    }
}
