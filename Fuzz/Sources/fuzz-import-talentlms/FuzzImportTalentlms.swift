import FuzzSupport
import LadderKit

// Input: a whole export file in the talentlms layout (the corpus holds that layout's fixtures).
nonisolated(unsafe) let harness = ImportHarness(source: .talentlms, fileName: "report.csv")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImportTalentlms(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    harness.run(Fuzz.bytes(data, size))
}
