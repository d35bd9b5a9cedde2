import FuzzSupport
import LadderKit

// Input: a whole export file in the moodle-interactions layout (the corpus holds that layout's fixtures).
nonisolated(unsafe) let harness = ImportHarness(source: .moodle, fileName: "report.txt")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImportMoodleInteractions(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    harness.run(Fuzz.bytes(data, size))
}
