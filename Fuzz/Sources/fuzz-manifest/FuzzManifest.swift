import Foundation
import FuzzSupport
import LadderCore
import LadderRendering
import LadderPackaging
import LadderProgress

// Input: a whole package (bytes starting "PK") or an imsmanifest.xml. A zip is written to a
// scratch file and validated as `ladder validate` does; a manifest is validated in memory
// against a file list holding every href it names, so the checks past "missing file" run.
// The LMS profile follows the input's length, so all three get inputs.
let zipFile = Fuzz.scratch.appendingPathComponent("package.zip")
let validators = LMSProfile.allCases.map { try! PackageValidator(schemasFolder: nil, lms: $0) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Fuzz.bytes(data, size)
    let validator = validators[size % validators.count]
    let report: ValidationReport
    if bytes.starts(with: [0x50, 0x4B]) {
        Fuzz.write(bytes, to: zipFile)
        report = validator.validate(path: zipFile.path)
    } else {
        report = validator.validate(manifest: Data(bytes), files: hrefs(in: Fuzz.text(bytes)), label: "imsmanifest.xml")
    }
    for issue in report.issues {
        Fuzz.require(!issue.message.isEmpty && !issue.code.isEmpty, "an issue without code or message: \(issue)")
    }
    return 0
}

/// The values of `href="…"` attributes, roughly: enough to make most references resolve.
func hrefs(in text: String) -> Set<String> {
    var out = Set<String>()
    var rest = Substring(text)
    while let r = rest.range(of: "href=\"") {
        rest = rest[r.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { break }
        let value = rest[..<end]
        if !value.isEmpty, !value.hasPrefix("/"), !value.contains("://") { out.insert(String(value)) }
        rest = rest[end...]
    }
    return out
}
