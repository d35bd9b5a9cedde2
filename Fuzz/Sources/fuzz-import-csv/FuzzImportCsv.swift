import FuzzSupport
import LadderKit

// Input: a whole export file in the csv layout (the corpus holds that layout's fixtures).
nonisolated(unsafe) let harness = ImportHarness(source: .csv, fileName: "progress.csv")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImportCsv(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    harness.run(Fuzz.bytes(data, size))
}
