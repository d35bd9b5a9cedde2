import Foundation

/// `load-cache.json` written and read by hand: compact, keys sorted, the bytes `JSONEncoder`
/// writes with `.sortedKeys` and `.withoutEscapingSlashes` (LoadCacheTests compare them), and
/// read through `JSONCursor`. The encoder and decoder were 3.4 % and 3 % of a one-page rebuild
/// of the benchmark's 2,000 modules.
extension LoadCache {
    package func encoded() throws -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(400 * pages.count + 200)
        func string(_ s: String) { JSONText.write(s, .encoder, into: &out) }
        func ascii(_ s: String) { out.append(contentsOf: s.utf8) }
        ascii("{\"folder\":")
        string(folder)
        ascii(",\"format\":\(format),\"ladder_version\":")
        string(ladderVersion)
        ascii(",\"markdown_limit\":\(markdownLimit),\"pages\":{")
        for (n, key) in pages.keys.sorted().enumerated() {
            if n > 0 { out.append(0x2C) }
            string(key)
            out.append(0x3A)
            Self.write(pages[key]!, into: &out)
        }
        ascii("},\"yaml_limit\":\(yamlLimit)}")
        return Data(out)
    }

    private static func write(_ e: PageEntry, into out: inout [UInt8]) {
        func string(_ s: String) { JSONText.write(s, .encoder, into: &out) }
        func ascii(_ s: String) { out.append(contentsOf: s.utf8) }
        ascii("{\"diagnostics\":[")
        for (n, d) in e.diagnostics.enumerated() {
            ascii(n > 0 ? ",{\"column\":\(d.column),\"file\":" : "{\"column\":\(d.column),\"file\":")
            string(d.file)
            ascii(",\"line\":\(d.line),\"message\":")
            string(d.message)
            ascii(",\"severity\":")
            string(d.severity)
            out.append(0x7D)
        }
        ascii("],\"image_checks\":[")
        for (n, c) in e.imageChecks.enumerated() {
            ascii(n > 0 ? ",{\"line\":\(c.line),\"source\":" : "{\"line\":\(c.line),\"source\":")
            string(c.source)
            out.append(0x7D)
        }
        ascii("],\"images\":[")
        for (n, image) in e.images.enumerated() {
            if n > 0 { out.append(0x2C) }
            string(image)
        }
        let s = e.stamp
        ascii(
            "],\"minutes\":\(e.minutes),\"read_at_ns\":\(e.readAtNanoseconds),\"stamp\":{\"ctime_ns\":\(s.ctimeNanoseconds),"
                + "\"inode\":\(s.inode),\"mtime_ns\":\(s.mtimeNanoseconds),\"size\":\(s.size)}")
        if let title = e.title {
            ascii(",\"title\":")
            string(title)
        }
        out.append(0x7D)
    }

    /// The cache `data` holds, read by `JSONCursor`; nil when the cursor does not read it (then
    /// `JSONDecoder` decides).
    static func decoded(_ data: Data) -> LoadCache? {
        JSONCursor.read(data) { c in
            var cache = LoadCache(ladderVersion: "", folder: "", limits: LoaderLimits())
            try c.fields(["format", "ladder_version", "folder", "markdown_limit", "yaml_limit", "pages"], required: 0b111111) { c, n in
                switch n {
                case 0: cache.format = try c.int()
                case 1: cache.ladderVersion = try c.string()
                case 2: cache.folder = try c.string()
                case 3: cache.markdownLimit = try c.int()
                case 4: cache.yamlLimit = try c.int()
                default: try c.object { c, key in cache.pages[key] = try PageEntry.read(&c) }
                }
            }
            return cache
        }
    }
}

extension LoadCache.PageEntry {
    fileprivate static func read(_ c: inout JSONCursor) throws -> Self {
        var e = Self(stamp: .init(size: 0, inode: 0, mtimeNanoseconds: 0, ctimeNanoseconds: 0), readAtNanoseconds: 0, diagnostics: [], minutes: 0, images: [], imageChecks: [])
        let fields = ["stamp", "read_at_ns", "diagnostics", "title", "minutes", "images", "image_checks"]
        try c.fields(fields, required: 0b1110111) { c, n in
            switch n {
            case 0:
                try c.fields(["size", "inode", "mtime_ns", "ctime_ns"], required: 0b1111) { c, n in
                    switch n {
                    case 0: e.stamp.size = try c.int()
                    case 1: e.stamp.inode = try c.int(UInt64.self)
                    case 2: e.stamp.mtimeNanoseconds = try c.int(Int64.self)
                    default: e.stamp.ctimeNanoseconds = try c.int(Int64.self)
                    }
                }
            case 1: e.readAtNanoseconds = try c.int(Int64.self)
            case 2: try c.array { e.diagnostics.append(try LoadCache.CachedDiagnostic.read(&$0)) }
            case 3: e.title = try c.null() ? nil : c.string()
            case 4: e.minutes = try c.int()
            case 5: e.images = try c.strings()
            default:
                try c.array { c in
                    var check = LoadCache.ImageCheck(source: "", line: 0)
                    try c.fields(["source", "line"], required: 0b11) { c, n in
                        if n == 0 { check.source = try c.string() } else { check.line = try c.int() }
                    }
                    e.imageChecks.append(check)
                }
            }
        }
        return e
    }
}

extension LoadCache.CachedDiagnostic {
    fileprivate static func read(_ c: inout JSONCursor) throws -> Self {
        var d = Self(Diagnostic(.error, "", line: 0, column: 0, ""))
        try c.fields(["severity", "file", "line", "column", "message"], required: 0b11111) { c, n in
            switch n {
            case 0: d.severity = try c.string()
            case 1: d.file = try c.string()
            case 2: d.line = try c.int()
            case 3: d.column = try c.int()
            default: d.message = try c.string()
            }
        }
        return d
    }
}
