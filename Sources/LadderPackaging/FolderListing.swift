import Foundation
import LadderCore

#if canImport(Glibc)
    import Glibc
#endif

/// A folder's entries read through an open folder, with their types as the listing gives them
/// (`d_type`; an `fstatat` only where the file system leaves it unknown), for the carry-over
/// of a build's unchanged files (`ExportsPublication.carryOver`).
enum FolderListing {
    enum Kind { case file, link, folder, other }

    /// The entries of the folder open as `fd` (`path` names it in errors), in name order.
    static func entries(_ fd: Int32, path: String) throws -> [(name: String, kind: Kind)] {
        let copy = dup(fd)
        try FileSystemError.check(copy, path, "list the folder")
        guard let dir = fdopendir(copy) else {
            let code = errno
            close(copy)
            throw FileSystemError(path: path, action: "list the folder", code: code)
        }
        defer { closedir(dir) }
        // A shared offset with `fd`: start at the beginning whoever read it before.
        rewinddir(dir)
        var out: [(name: String, kind: Kind)] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw FileSystemError(path: path, action: "list the folder", code: errno) }
                break
            }
            let name = name(of: entry)
            if name == "." || name == ".." { continue }
            out.append((name, kind(Int32(entry.pointee.d_type), fd, name)))
        }
        return out.sorted { $0.name < $1.name }
    }

    /// The name of the entry `readdir` gave, read where it lies up to its terminating zero.
    ///
    /// Not through a copy of `d_name`: the field is declared as 256 bytes, but an entry holds
    /// only its name's bytes, so a copy of the whole field reads past the entry, and past the
    /// end of readdir's buffer for the last one: a crash whenever that buffer ends at the end
    /// of a mapping (seen with two threads walking folders at once, 1 run in about 10).
    static func name(of entry: UnsafeMutablePointer<dirent>) -> String {
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        return String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
    }

    private static func kind(_ type: Int32, _ fd: Int32, _ name: String) -> Kind {
        switch type {
        case Int32(DT_REG): return .file
        case Int32(DT_LNK): return .link
        case Int32(DT_DIR): return .folder
        case Int32(DT_UNKNOWN):
            var st = stat()
            guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return .other }
            switch st.st_mode & S_IFMT {
            case S_IFREG: return .file
            case S_IFLNK: return .link
            case S_IFDIR: return .folder
            default: return .other
            }
        default: return .other
        }
    }

    /// What the symbolic link `name` in the folder open as `fd` holds; nil with `errno` set.
    static func linkTarget(_ fd: Int32, _ name: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlinkat(fd, name, &buffer, buffer.count - 1)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Stamps of files under one folder, each sub-folder opened once and its files looked up by
/// name (`fstatat`): a `stat` of the whole path walked every component again for each of
/// 15,200 packages. Symbolic links are followed, as `stat` does. Not for several threads.
final class FolderStamps {
    let root: String
    private var folders: [Substring: Int32] = [:]

    init(root: String) { self.root = root }

    deinit { for fd in folders.values where fd >= 0 { close(fd) } }

    /// The stamp of the regular file at `relative` under the root, or nil.
    func stamp(_ relative: String) -> OutputStamp? {
        let slash = relative.lastIndex(of: "/")
        let folder = slash.map { relative[..<$0] } ?? ""
        let name = slash.map { String(relative[relative.index(after: $0)...]) } ?? relative
        let fd: Int32
        if let known = folders[folder] {
            fd = known
        } else {
            fd = open(folder.isEmpty ? root : root + "/" + folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            folders[folder] = fd
        }
        var st = stat()
        guard fd >= 0, fstatat(fd, name, &st, 0) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        return OutputStamp(size: Int(st.st_size), inode: UInt64(st.st_ino), mtimeNanoseconds: st.st_mtim.nanoseconds)
    }
}
