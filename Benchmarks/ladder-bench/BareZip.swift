import CLibZip
import Foundation
import LadderCore

/// The reference: a bare loop over libzip's C API, with nothing else in it. For each staging
/// folder (the files of one package) it lists the files with opendir/readdir, sorts them, and
/// adds each with zip_source_file, the same store/deflate choice and level as Ladder, the same
/// fixed DOS time and permissions, then zip_close. Same inputs, same archive bytes as Ladder.
enum BareZip {
    /// Same rule as PackageBuilder.isCompressed: already-compressed media are stored.
    static let storedExtensions: Set<String> = [
        "png", "jpg", "jpeg", "gif", "webp", "mp4", "webm", "mp3", "m4a", "ogg", "zip", "woff", "woff2", "pdf",
    ]
    /// ZipWriter passes 9 to zip_set_file_compression.
    static let deflateLevel: UInt32 = 9

    static func isStored(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: "."), !name[dot...].contains("/") else { return false }
        return storedExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// Relative paths of the regular files under `folder`, recursively (POSIX listing).
    static func list(_ folder: String) -> [String] {
        var out: [String] = []
        func walk(_ rel: String) {
            let path = rel.isEmpty ? folder : folder + "/" + rel
            guard let dir = opendir(path) else { return }
            defer { closedir(dir) }
            while let ent = readdir(dir) {
                let name = withUnsafePointer(to: ent.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name == "." || name == ".." { continue }
                let child = rel.isEmpty ? name : rel + "/" + name
                if Int32(ent.pointee.d_type) == Int32(DT_DIR) {
                    walk(child)
                } else {
                    out.append(child)
                }
            }
        }
        walk("")
        return out
    }

    /// libzip 1.7.3: one zip_open on the main thread before workers start (PACKAGING-NOTES.md).
    static func warmUp() {
        var code: Int32 = 0
        if let za = zip_open("/dev/null/bench-warm-up.zip", ZIP_RDONLY, &code) { zip_discard(za) }
    }

    /// Zips one folder. Returns nil on success, or the error.
    static func zip(folder: String, to output: String) -> String? {
        var names = list(folder)
        names.sort()
        var code: Int32 = 0
        guard let za = zip_open(output, ZIP_CREATE | ZIP_TRUNCATE, &code) else { return "\(output): zip_open failed (\(code))" }
        let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1
        for name in names {
            guard let src = zip_source_file(za, folder + "/" + name, 0, -1) else {
                zip_discard(za)
                return "\(name): zip_source_file failed"
            }
            let index = zip_file_add(za, name, src, zip_flags_t(ZIP_FL_ENC_UTF_8))
            if index < 0 {
                zip_source_free(src)
                zip_discard(za)
                return "\(name): zip_file_add failed"
            }
            let i = zip_uint64_t(index)
            let cm: Int32 = isStored(name) ? Int32(ZIP_CM_STORE) : Int32(ZIP_CM_DEFLATE)
            zip_set_file_compression(za, i, cm, deflateLevel)
            zip_file_set_dostime(za, i, 0, dosDate, 0)
            zip_file_set_external_attributes(za, i, 0, zip_uint8_t(ZIP_OPSYS_UNIX), zip_uint32_t(0o100644) << 16)
        }
        if zip_close(za) != 0 {
            let message = String(cString: zip_error_strerror(zip_get_error(za)))
            zip_discard(za)
            return "\(output): \(message)"
        }
        return nil
    }

    /// Zips `folders[i]` to `outputs[i]` with `jobs` threads pulling from a shared counter.
    static func run(folders: [String], outputs: [String], jobs: Int) -> [String] {
        warmUp()
        let next = Locked(0)
        let errors = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, folders.count))) { _ in
            while true {
                let i = next.withLock { n in
                    defer { n += 1 }
                    return n
                }
                guard i < folders.count else { return }
                if let e = zip(folder: folders[i], to: outputs[i]) {
                    errors.withLock { $0.append(e) }
                }
            }
        }
        return errors.withLock { $0 }
    }

    /// Extracts every entry of `zip` under `folder` (staging for the bare loop). Returns the
    /// number of bytes written.
    static func extract(_ zip: String, to folder: String) throws -> Int {
        var code: Int32 = 0
        guard let za = zip_open(zip, ZIP_RDONLY, &code) else { throw BenchError("\(zip): cannot open (\(code))") }
        defer { zip_discard(za) }
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let n = zip_get_num_entries(za, 0)
        for i in 0..<max(n, 0) {
            guard let cname = zip_get_name(za, zip_uint64_t(i), 0) else { continue }
            let name = String(cString: cname)
            if name.hasSuffix("/") { continue }
            let path = folder + "/" + name
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard let f = zip_fopen_index(za, zip_uint64_t(i), 0) else { throw BenchError("\(zip): cannot read \(name)") }
            defer { zip_fclose(f) }
            guard let out = fopen(path, "wb") else { throw BenchError("\(path): cannot write") }
            defer { fclose(out) }
            while true {
                let got = buffer.withUnsafeMutableBytes { zip_fread(f, $0.baseAddress!, zip_uint64_t($0.count)) }
                if got < 0 { throw BenchError("\(zip): cannot read \(name)") }
                if got == 0 { break }
                _ = buffer.withUnsafeBytes { fwrite($0.baseAddress!, 1, Int(got), out) }
                total += Int(got)
            }
        }
        return total
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ s: String) { description = s }
}
