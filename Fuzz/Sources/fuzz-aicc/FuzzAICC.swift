import FuzzSupport
import LadderCore
import LadderRendering
import LadderPackaging
import LadderProgress

// Input: an `adlcp:prerequisites` aicc_script expression, parsed as `ladder validate` and the
// preview player parse it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAICC(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = Fuzz.text(Fuzz.bytes(data, size))
    if let node = try? AICCScript.parse(text) {
        Fuzz.require(!node.identifiers.isEmpty, "a parsed expression names no item: \(text)")
    }
    return 0
}
