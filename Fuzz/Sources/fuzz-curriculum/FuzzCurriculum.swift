import FuzzSupport

// Input: one selector byte (which source file of the fixture curriculum) + that file's text.
nonisolated(unsafe) let harness = CurriculumHarness()

// Build the harness (store, plan, fixture copy) before the first input, outside its timeout.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    withExtendedLifetime(harness) { 0 }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCurriculum(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    harness.run(Fuzz.bytes(data, size))
}
