import FuzzSupport
import LadderCore
import LadderRendering
import LadderPackaging
import LadderProgress

// Input: a whole export file in the talentlms layout (the corpus holds that layout's fixtures).
nonisolated(unsafe) let harness = ImportHarness(source: .talentlms, fileName: "report.csv")

// Build the harness (store, plan, fixture copy) before the first input, outside its timeout.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    withExtendedLifetime(harness) { 0 }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImportTalentlms(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    harness.run(Fuzz.bytes(data, size))
}
