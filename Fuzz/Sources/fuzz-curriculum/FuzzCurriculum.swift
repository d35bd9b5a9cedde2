import FuzzSupport

// Input: one selector byte (which source file of the fixture curriculum) + that file's text.
nonisolated(unsafe) let harness = CurriculumHarness()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCurriculum(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    harness.run(Fuzz.bytes(data, size))
}
