import Foundation

/// Where a page's files are, worked out from its path as text: the folder a page's relative
/// links start from, and the curriculum file a relative image names. Loading (the image
/// list of each page, its source digest) and rendering (the file packaged as
/// `media/<path with dashes>`) use the same rule.
///
/// NSString's `deletingLastPathComponent` and `standardizingPath` were about 6 % of `ladder
/// check`'s CPU on the 2,000-module benchmark: the second asks the file system about every
/// prefix of the path (relative to the working directory, whose links it does not follow).
/// A plain path (ASCII, every segment non-empty and neither `.` nor `..`) is joined as text,
/// which is what both give for it; any other goes through NSString as before.
package enum PagePaths {
    /// The folder of `relative` (`""` for a file at the top), as `deletingLastPathComponent`.
    package static func folder(of relative: String) -> String {
        guard isPlain(relative) else { return (relative as NSString).deletingLastPathComponent }
        guard let slash = relative.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(relative[..<slash])
    }

    /// The curriculum file an image `src` in a page of `folder` names, query and fragment
    /// dropped; nil for a URL (`scheme:` or `//host`), which the page keeps as it is.
    package static func imageSource(_ src: String, folder: String) -> String? {
        if src.contains(":") || src.hasPrefix("//") { return nil }
        let clean = withoutQueryOrFragment(src)
        if isPlain(clean), folder.isEmpty || isPlain(folder) {
            return folder.isEmpty ? clean : folder + "/" + clean
        }
        return ((folder as NSString).appendingPathComponent(clean) as NSString).standardizingPath
    }

    /// `src` up to its first `#` or `?`: the file an image link names (`""` when it names none).
    package static func withoutQueryOrFragment(_ src: String) -> String {
        String(src.split(separator: "#", omittingEmptySubsequences: false)[0].split(separator: "?", omittingEmptySubsequences: false)[0])
    }

    /// ASCII, not empty, and every `/`-separated segment neither empty, `.` nor `..`, and no
    /// `~` first (NSString would expand it to a home folder).
    static func isPlain(_ path: String) -> Bool {
        var length = 0
        var dots = 0
        var first = true
        for b in path.utf8 {
            if b >= 0x80 { return false }
            if first {
                if b == UInt8(ascii: "~") { return false }
                first = false
            }
            if b == UInt8(ascii: "/") {
                if length == 0 || (dots == length && length <= 2) { return false }
                length = 0
                dots = 0
            } else {
                length += 1
                if b == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return length > 0 && !(dots == length && length <= 2)
    }
}
