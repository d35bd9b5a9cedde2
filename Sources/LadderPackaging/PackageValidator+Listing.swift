import Foundation
import LadderCore

// MARK: - 1. Listing

extension PackageValidator {
    func validateZip(_ path: String) -> ValidationRun {
        var run = ValidationRun(path: path)
        let files: Set<String>
        let parsed: ParsedManifest
        do {
            // A scope of its own: the zip's directory (libzip's and `ZipReader`'s, about 3 MB
            // for a 4,000-SCO package) is freed when `readZip` returns, and the manifest's
            // bytes (3.5 MB) once its model is read, before the checks.
            guard let read = readZip(path, &run) else { return run }
            files = read.files
            parsed = parseManifest(read.manifest)
        }
        run.manifest = checkManifest(parsed, files: files, &run)
        return run
    }

    /// The zip's listing, limits and entries checked (every entry read to its end) and its
    /// manifest's bytes; nil when there is no manifest to check (the issues are in `run`).
    private func readZip(_ path: String, _ run: inout ValidationRun) -> (files: Set<String>, manifest: Data)? {
        let reader: ZipReader
        do {
            reader = try ZipReader(path: path)
        } catch let e as ZipError {
            // libzip's ZIP_ER_EXISTS, as worded by zip_error_strerror.
            let hint = e.message == "File already exists" ? " (two entries have the same name)" : ""
            run.error("zip-unreadable", "not a readable zip archive: \(e.message)\(hint)")
            return nil
        } catch {
            run.error("zip-unreadable", "not a readable zip archive: \(error)")
            return nil
        }
        let entries = reader.entries
        let listing = checkListing(entries.map(\.name), &run)
        // A symbolic link entry becomes, once extracted by a Unix tool, a link that can point
        // anywhere on the server (scormhost refuses such packages).
        for e in entries where e.isSymbolicLink {
            run.error(
                "unsafe-path", "entry '\(e.name)' is a symbolic link (Unix mode \(String((e.externalAttributes >> 16) & 0o177777, radix: 8))); extracted, it could point outside the package",
                entry: e.name)
        }

        // Zip-bomb limits, from the sizes the central directory declares: nothing is inflated.
        var refused = false
        if entries.count > limits.maxEntries {
            run.error("zip-bomb-entries", "the zip has \(entries.count) entries, more than the limit of \(limits.maxEntries); refused without extracting")
            refused = true
        }
        var total: UInt64 = 0
        for e in entries {
            let (sum, overflow) = total.addingReportingOverflow(e.size)
            total = overflow ? .max : sum
        }
        if total > limits.maxTotalSize {
            run.error(
                "zip-bomb-size",
                "the entries declare \(total) bytes uncompressed in all, over the limit of \(limits.maxTotalSize); refused without extracting")
            refused = true
        }
        for e in entries where e.size > limits.ratioCheckedAbove {
            let over = e.compressedSize == 0 || e.size / e.compressedSize > limits.maxCompressionRatio
                || (e.size / e.compressedSize == limits.maxCompressionRatio && e.size % e.compressedSize > 0)
            if over {
                let ratio = e.compressedSize == 0 ? "unbounded" : "\(e.size / e.compressedSize):1"
                run.error(
                    "zip-bomb-ratio",
                    "'\(e.name)' inflates \(e.compressedSize) bytes to \(e.size) (ratio \(ratio), limit \(limits.maxCompressionRatio):1); refused without extracting",
                    entry: e.name)
                refused = true
            }
        }
        run.files = listing.files.count
        guard !refused else { return nil }

        // Every entry is read to its end (into memory only for the manifest, nothing written):
        // damage the central directory cannot show (a CRC mismatch, deflate data that does not
        // inflate, a real size other than the declared one) fails the package here, as it
        // would fail an LMS's import. Sizes were checked against the limits above, and reading
        // never goes past a declared size.
        let manifestEntry = listing.files.contains("imsmanifest.xml") ? entries.first { $0.name == "imsmanifest.xml" } : nil
        var manifest: Data?
        for e in entries {
            do {
                if e.index == manifestEntry?.index {
                    manifest = try reader.read(e, limit: limits.maxManifestSize)
                } else {
                    try reader.stream(e) { _ in }
                }
            } catch let damaged as ZipEntryError {
                run.error(Self.code(damaged.damage), damaged.message + Self.damageAdvice(damaged.damage), entry: e.name)
            } catch let tooBig as ZipError {
                run.error("manifest-unreadable", "cannot read imsmanifest.xml: \(tooBig.message)", entry: e.name)
            } catch {
                run.error("entry-unreadable", "cannot read '\(e.name)': \(error)", entry: e.name)
            }
        }
        guard let manifest else { return nil }
        return (listing.files, manifest)
    }

    /// The issue code of a damaged entry.
    static func code(_ damage: ZipEntryError.Damage) -> String {
        switch damage {
        case .crcMismatch: return "entry-crc-mismatch"
        case .corruptData: return "entry-corrupt-data"
        case .sizeMismatch: return "entry-size-mismatch"
        case .unreadable: return "entry-unreadable"
        }
    }

    static func damageAdvice(_ damage: ZipEntryError.Damage) -> String {
        if case .unreadable = damage { return "" }
        return "; the zip was changed or cut after it was written (a failed copy, upload or download): make or download it again"
    }

    func validateFolder(_ folder: String, label: String) -> ValidationRun {
        var run = ValidationRun(path: label)
        let root = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath()
        var names: [String] = []
        let keys: [URLResourceKey] = [.isDirectoryKey, .isSymbolicLinkKey]
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys) else {
            run.error("not-found", "cannot list the folder")
            return run
        }
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in walker {
            let full = url.standardizedFileURL.path
            guard full.hasPrefix(rootPath) else { continue }
            let relative = String(full.dropFirst(rootPath.count))
            let values: URLResourceValues
            do {
                values = try url.resourceValues(forKeys: Set(keys))
            } catch {
                run.error("not-found", "cannot read what '\(relative)' is: \(error.localizedDescription)", entry: relative)
                continue
            }
            if values.isSymbolicLink == true {
                let target = url.resolvingSymlinksInPath().path
                if !(target + "/").hasPrefix(rootPath) {
                    run.error("unsafe-path", "'\(relative)' is a symbolic link to '\(target)', outside the package", entry: relative)
                    continue
                }
            }
            if values.isDirectory == true { continue }
            names.append(relative)
        }
        names.sort()
        let listing = checkListing(names, &run)
        run.files = listing.files.count
        guard listing.files.contains("imsmanifest.xml") else { return run }
        let manifestURL = root.appendingPathComponent("imsmanifest.xml")
        var st = stat()
        guard stat(manifestURL.path, &st) == 0 else {
            let why = String(cString: strerror(errno))
            run.error("manifest-unreadable", "cannot read imsmanifest.xml: \(why)", entry: "imsmanifest.xml")
            return run
        }
        let size = UInt64(st.st_size)
        guard size <= limits.maxManifestSize else {
            run.error("manifest-unreadable", "imsmanifest.xml is \(size) bytes, over the \(limits.maxManifestSize)-byte limit", entry: "imsmanifest.xml")
            return run
        }
        let data: Data
        do {
            data = try Data(contentsOf: manifestURL)
        } catch {
            run.error("manifest-unreadable", "cannot read imsmanifest.xml: \(error.localizedDescription)", entry: "imsmanifest.xml")
            return run
        }
        run.manifest = checkManifest(data, files: listing.files, &run)
        return run
    }

    struct Listing {
        /// Package file paths (directories left out).
        var files: Set<String>
    }

    /// Entry names: unsafe paths, duplicates, macOS litter, where the manifest is.
    func checkListing(_ names: [String], _ run: inout ValidationRun) -> Listing {
        var files = Set<String>()
        var lowered: [String: String] = [:]
        var macosFolderEntries = 0
        for name in names {
            if let reason = PackagePath.escapeReason(name) {
                run.error("unsafe-path", "entry '\(name)' \(reason); it could be written outside the package when extracted", entry: name)
            }
            if name.hasPrefix("__MACOSX/") || name == "__MACOSX" {
                macosFolderEntries += 1
            } else if (name as NSString).lastPathComponent == ".DS_Store" {
                run.warning("macos-metadata", "'\(name)' is macOS Finder metadata, not course content; leave it out of the package", entry: name)
            }
            if name.hasSuffix("/") { continue }
            // Exact duplicates never get here: libzip refuses such an archive (ZIP_CHECKCONS).
            files.insert(name)
            let lower = name.lowercased()
            if let other = lowered[lower] {
                run.warning(
                    "case-collision", "'\(name)' and '\(other)' differ only in case: one overwrites the other on Windows and macOS",
                    entry: name)
            } else {
                lowered[lower] = name
            }
        }
        if macosFolderEntries > 0 {
            run.warning(
                "macos-metadata", "__MACOSX/ (\(Plural.count(macosFolderEntries, "entry", "entries"))) holds macOS resource forks, not course content; zip without it",
                entry: "__MACOSX/")
        }

        let nested = files.filter { $0 != "imsmanifest.xml" && ($0 as NSString).lastPathComponent.lowercased() == "imsmanifest.xml" }.sorted()
        if files.contains("imsmanifest.xml") {
            for n in nested where !n.hasPrefix("__MACOSX/") {
                run.warning(
                    "manifest-not-at-root", "'\(n)' is a second manifest below the root; LMSs read only the root imsmanifest.xml", entry: n)
            }
        } else if let caseVariant = files.first(where: { !$0.contains("/") && $0.lowercased() == "imsmanifest.xml" }) {
            run.error(
                "manifest-missing", "no imsmanifest.xml at the package root (found '\(caseVariant)': the name is case-sensitive)",
                entry: caseVariant)
        } else if let first = nested.first(where: { !$0.hasPrefix("__MACOSX/") }) {
            run.error(
                "manifest-not-at-root",
                "imsmanifest.xml must be at the package root, but it is at '\(first)': zip the folder's contents, not the folder",
                entry: first)
        } else {
            run.error("manifest-missing", "no imsmanifest.xml in the package: this is not a SCORM package")
        }
        return Listing(files: files)
    }
}
