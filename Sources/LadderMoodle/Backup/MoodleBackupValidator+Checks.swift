import Foundation
import LadderCore
import LadderPackaging

/// A backup's entries: each read to its end once when the archive is opened (damage fails
/// the check there, as it fails Moodle's restore), keeping only its SHA-1 and size; the bytes
/// are read again when a check asks for them (a 4,000-item track's backup is about 1 GB
/// inflated: read whole, two of them filled the memory). An entry is found by name in libzip's
/// own table of names (`ZipReader.index(of:)`), with a 20-byte SHA-1 and the size beside each
/// (a copy of every entry and a 40-digit string per SHA-1 were 9 MB for a 64,000-entry backup,
/// and a dictionary of the names 2.4 MB more).
struct BackupArchive {
    let path: String
    private let reader: ZipReader
    /// The SHA-1 and size of each of `reader.entries`, by the same index (a folder's unused).
    private let digests: [(sha1: SHA1Digest, size: Int)]

    init(path: String) throws {
        self.path = path
        reader = try ZipReader(path: path)
        var digests: [(sha1: SHA1Digest, size: Int)] = []
        digests.reserveCapacity(reader.entries.count)
        for e in reader.entries {
            guard !e.name.hasSuffix("/") else {
                digests.append((SHA1Digest(repeatElement(0, count: 20)), 0))
                continue
            }
            let digest = SHA1()
            var size = 0
            try reader.read(e) { bytes in
                digest.update(bytes)
                size += bytes.count
            }
            digests.append((digest.finalizeDigest(), size))
        }
        self.digests = digests
    }

    /// The index of entry `name`; folders are no entries here. Names match byte for byte, as
    /// Moodle's restore (PHP) matches them: a name in NFC does not find an entry stored in NFD.
    private func index(_ name: String) -> Int? { name.hasSuffix("/") ? nil : reader.index(of: name) }

    private func entry(_ name: String) -> ZipReader.Entry? { index(name).map { reader.entries[$0] } }

    func contains(_ name: String) -> Bool { index(name) != nil }

    /// The SHA-1 and size of entry `name`, nil when there is none.
    func digest(_ name: String) -> (sha1: SHA1Digest, size: Int)? { index(name).map { digests[$0] } }

    /// The bytes of entry `name`, nil when there is none.
    func data(_ name: String) throws -> Data? {
        guard let e = entry(name) else { return nil }
        return try reader.read(e)
    }

    /// The first `count` bytes of entry `name` (fewer when it is shorter), nil when there is none.
    func prefix(_ count: Int, of name: String) throws -> Data? {
        guard let e = entry(name) else { return nil }
        let stream = try ZipEntryStream(reader, e, limit: e.size, maxRatio: nil)
        var out = Data(count: count)
        var filled = 0
        while filled < count {
            let n = try out.withUnsafeMutableBytes { try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }
            if n == 0 { break }
            filled += n
        }
        return out.prefix(filled)
    }

    /// The elements of entry `name` at each of `paths` (names of elements below the root, so
    /// `["file"]` is every `<file>` in files.xml), in document order, read as a stream: the
    /// trees of a 4,000-activity course's files.xml (18 MB, 40,000 rows) and moodle_backup.xml
    /// took about 200 and 40 MB. nil when there is no such entry.
    func records(_ name: String, at paths: [[String]]) throws -> [[BackupXMLRecord]]? {
        var out = paths.map { _ in [BackupXMLRecord]() }
        let found = try forEachRecord(name, at: paths) { out[$0].append($1) }
        return found ? out : nil
    }

    /// Each element of entry `name` at one of `paths` given to `body` with its path's index
    /// once the element ends, none kept; false when there is no such entry.
    func forEachRecord(_ name: String, at paths: [[String]], _ body: (Int, BackupXMLRecord) throws -> Void) throws -> Bool {
        guard let e = entry(name) else { return false }
        let stream = try ZipEntryStream(reader, e, limit: 256 << 20, maxRatio: nil)
        let xml = try XMLPullReader(name: name) { try stream.read(into: $0) }
        var open: [String] = []
        // The elements being read: their path, their depth in `open`, their record so far and
        // their current field's text.
        var reading: [(path: Int, depth: Int, record: BackupXMLRecord, text: String)] = []
        while try xml.read() {
            switch xml.kind {
            case .start:
                open.append(xml.localName)
                for i in reading.indices where reading[i].depth == open.count - 1 { reading[i].text = "" }
                for (p, path) in paths.enumerated() where open.dropFirst().elementsEqual(path) {
                    reading.append((p, open.count, BackupXMLRecord(attributes: xml.attributes(), fields: [:]), ""))
                }
            case .text:
                // A field's own text, as `XMLNode.text` (not that of elements inside it).
                for i in reading.indices where reading[i].depth == open.count - 1 { reading[i].text += xml.text }
            case .end:
                // The first field of a name, as `XMLNode.child(_:)`.
                for i in reading.indices where reading[i].depth == open.count - 1 && reading[i].record.fields[xml.localName] == nil {
                    reading[i].record.fields[xml.localName] = reading[i].text
                }
                while let r = reading.last, r.depth == open.count {
                    reading.removeLast()
                    try body(r.path, r.record)
                }
                open.removeLast()
            }
        }
        return true
    }

    func xmlIfPresent(_ name: String) throws -> XMLNode? {
        guard let d = try data(name) else { return nil }
        return try XMLDocument(data: d, name: name).root
    }

    func xml(_ name: String) throws -> XMLNode {
        guard let node = try xmlIfPresent(name) else { throw MoodleBackupError(path: path, problem: .invalidBackup(["\(name) is missing"])) }
        return node
    }
}

/// An element of a backup's XML file read as a stream: its attributes and the text of each
/// of its child elements (the first of each name).
struct BackupXMLRecord {
    var attributes: [XMLAttribute]
    var fields: [String: String]

    func attribute(_ name: String) -> String? { attributes.first { $0.name == name }?.value }
}

/// A row of files.xml, as the SCO checks need it (`fileRows`). The content hash is kept as
/// 20 bytes when it is 40 lowercase hex digits, as Moodle writes it (a 40-digit string per
/// row, and a second list of the rows by context, were 6 MB of a 40,000-row backup's check).
struct BackupFileRow {
    var id: Int
    private var digest: SHA1Digest?
    /// The hash as written when it is not 40 lowercase hex digits.
    private var text: String?
    var area: String
    var path: String
    var name: String

    init(id: Int, hash: String, area: String, path: String, name: String) {
        self.id = id
        digest = SHA1Digest(hex: hash)
        text = digest == nil ? hash : nil
        self.area = area
        self.path = path
        self.name = name
    }

    /// The contenthash as files.xml gives it.
    var hash: String { digest?.hex ?? text ?? "" }
}

extension MoodleBackupValidator {
    /// Course module ids in availability conditions and course completion criteria, and the
    /// file ids in each activity's inforef.xml.
    static func references(_ archive: BackupArchive, modules: Set<Int>, contexts: [Int: (dir: String, module: Int)]) throws -> [String] {
        var out: [String] = []
        for (_, c) in contexts.sorted(by: { $0.key < $1.key }) {
            guard let text = try archive.xmlIfPresent(c.dir + "/module.xml")?.child("availability")?.text, text != BackupXML.null else { continue }
            guard let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else {
                out.append("\(c.dir)/module.xml: availability is not JSON")
                continue
            }
            for cm in Self.courseModules(in: json) where !modules.contains(cm) {
                out.append("\(c.dir)/module.xml: availability names course module \(cm), which is not in the backup")
            }
        }
        if let completion = try archive.records("completion.xml", at: [["course_completion_criteria"]]) {
            for c in completion[0] where c.fields["criteriatype"] == "4" {
                let cm = Int(c.fields["moduleinstance"] ?? "") ?? -1
                if !modules.contains(cm) { out.append("completion.xml: criterion \(c.attribute("id") ?? "?") names course module \(cm), which is not in the backup") }
            }
        }
        return out
    }

    /// Every `"cm": n` of a condition tree (availability/condition/completion).
    static func courseModules(in json: Any) -> [Int] {
        if let d = json as? [String: Any] {
            var out = (d["type"] as? String == "completion") ? [(d["cm"] as? Int) ?? -1] : []
            for v in d.values where v is [Any] || v is [String: Any] { out += courseModules(in: v) }
            return out
        }
        if let a = json as? [Any] { return a.flatMap(courseModules) }
        return []
    }

    /// files.xml read and checked: each stored file present under `files/<hh>/<hash>` with that
    /// SHA-1 and size, each file id unique and listed in its activity's inforef.xml (the restore
    /// loads only listed files), each context one of an activity.
    /// The rows come back by context (an activity's), with how many there are in all.
    static func fileRows(
        _ archive: BackupArchive, contexts: [Int: (dir: String, module: Int)], problems out: inout [String]
    ) throws -> (byContext: [Int: [BackupFileRow]], count: Int) {
        var rows: [Int: [BackupFileRow]] = [:]
        var count = 0
        var listed: [Int: Set<Int>] = [:]
        for (context, c) in contexts {
            let ids = try archive.xmlIfPresent(c.dir + "/inforef.xml")?.child("fileref")?.children("file").compactMap { Int($0.child("id")?.text ?? "") }
            listed[context] = Set(ids ?? [])
        }
        var seen = Set<Int>()
        // Each row checked as it is read: 40,000 records of 20 fields each were 26 MB.
        let found = try archive.forEachRecord("files.xml", at: [["file"]]) { _, f in
            func text(_ n: String) -> String { f.fields[n] ?? "" }
            let (hash, context) = (text("contenthash"), Int(text("contextid")) ?? -1)
            let row = BackupFileRow(
                id: Int(f.attributes.first { $0.name == "id" }?.value ?? "") ?? -1, hash: hash, area: text("filearea"),
                path: text("filepath"), name: text("filename"))
            rows[context, default: []].append(row)
            count += 1
            let label = "files.xml: file \(row.id) (\(row.area)\(row.path)\(row.name))"
            if !seen.insert(row.id).inserted { out.append("\(label): its id is used twice") }
            guard let ids = listed[context] else {
                out.append("\(label): context \(context) is no activity's")
                return
            }
            if !ids.contains(row.id) { out.append("\(label): not in \(contexts[context]!.dir)/inforef.xml, so the restore leaves it out") }
            if row.name == "." { return }
            guard let blob = archive.digest("files/\(hash.prefix(2))/\(hash)") else {
                out.append("\(label): files/\(hash.prefix(2))/\(hash) is missing")
                return
            }
            let sha1 = blob.sha1.hex
            if sha1 != hash { out.append("\(label): its content's SHA-1 is \(sha1), not \(hash)") }
            if String(blob.size) != text("filesize") { out.append("\(label): \(blob.size) bytes, files.xml says \(text("filesize"))") }
        }
        if !found { throw MoodleBackupError(path: archive.path, problem: .invalidBackup(["files.xml is missing"])) }
        for (context, ids) in listed.sorted(by: { $0.key < $1.key }) {
            for id in ids.sorted() where !seen.contains(id) { out.append("\(contexts[context]!.dir)/inforef.xml: file \(id) is not in files.xml") }
        }
        return (rows, count)
    }

    /// The SCO rows of a SCORM activity against its package: the rows Moodle makes from the
    /// package's manifest, the package's files in the content area, the launch and the hash.
    /// `files` are the rows of the activity's context.
    static func scoRows(
        _ archive: BackupArchive, _ dir: String, _ scorm: XMLNode, files: [BackupFileRow], scos: inout Int
    ) throws -> [String] {
        let reference = scorm.child("reference")?.text ?? ""
        let label = "\(dir)/scorm.xml"
        guard let row = files.first(where: { $0.area == "package" && $0.name == reference }),
            let blob = try archive.data("files/\(row.hash.prefix(2))/\(row.hash)")
        else { return ["\(label): its package '\(reference)' is not among the stored files"] }
        var out: [String] = []
        if scorm.child("sha1hash")?.text != row.hash { out.append("\(label): sha1hash is not the package's content hash \(row.hash)") }
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-mbz-\(UUID().uuidString).zip")
        try FileSystemError.foundation(temporary.path, "write a temporary copy of the package") { try blob.write(to: temporary) }
        defer { try? FileManager.default.removeItem(at: temporary) }
        let reader = try ZipReader(path: temporary.path)
        let content = Dictionary(files.filter { $0.area == "content" }.map { ($0.path + $0.name, $0.hash) }, uniquingKeysWith: { a, _ in a })
        var manifest: Data?
        for e in reader.entries where !e.name.hasSuffix("/") {
            let data = try reader.read(e)
            if e.name == "imsmanifest.xml" { manifest = data }
            let (path, name) = CourseBackup.split(e.name)
            if content[path + name] != SHA1.hex(data) { out.append("\(label): the package's \(e.name) is not in the content area as it is in the package") }
        }
        guard let manifest else { return out + ["\(label): the package has no imsmanifest.xml"] }
        let expected = MoodleSCORows.rows(try PackageManifest(data: manifest))
        let given = scorm.child("scoes")?.children("sco") ?? []
        scos += given.filter { $0.child("scormtype")?.text == "sco" }.count
        if given.count != expected.count { out.append("\(label): \(given.count) SCO rows, the package's manifest makes \(expected.count)") }
        for (g, e) in zip(given, expected) {
            func text(_ n: String) -> String { g.child(n)?.text ?? "" }
            let fields = [
                ("manifest", e.manifest), ("organization", e.organization), ("parent", e.parent), ("identifier", e.identifier),
                ("launch", e.launch), ("scormtype", e.scormtype), ("title", e.title),
            ]
            for (k, v) in fields where text(k) != v {
                out.append("\(label): sco \(g.attribute("id") ?? "?") has \(k) '\(text(k))', the package's manifest gives '\(v)'")
            }
            let data = (g.child("sco_datas")?.children("sco_data") ?? []).map { SCORow.Data(name: $0.child("name")?.text ?? "", value: $0.child("value")?.text ?? "") }
            if data != e.data { out.append("\(label): sco \(g.attribute("id") ?? "?") data \(data.map { "\($0.name)=\($0.value)" }) differ from the manifest's") }
        }
        let launch = scorm.child("launch")?.text ?? ""
        if !given.contains(where: { $0.attribute("id") == launch && !($0.child("launch")?.text ?? "").isEmpty }) {
            out.append("\(label): launch '\(launch)' is not a launchable SCO row of this activity")
        }
        return out
    }
}
