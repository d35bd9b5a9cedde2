import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// fuzz-aicc found that a deeply nested aicc_script (2,710 '(') overflowed the stack of the
/// recursive parser: `ladder validate` and the preview both parse manifests' prerequisites.
@Suite("aicc_script limits (fuzz finding)")
struct AICCScriptLimitsTests {
    @Test(arguments: [
        String(repeating: "(", count: 100_000) + "ITEM-1",
        String(repeating: "~", count: 100_000) + "ITEM-1",
        String(repeating: "1*{", count: 100_000) + "ITEM-1",
    ])
    func deepNestingIsAParseErrorNotACrash(_ script: String) {
        #expect(throws: AICCScript.ParseError.self) { try AICCScript.parse(script) }
    }

    @Test func theLimitsNameWhatTheyCount() {
        let deep = String(repeating: "(", count: 50) + "A" + String(repeating: ")", count: 50)
        #expect(throws: AICCScript.ParseError(message: "the expression nests '(', '~' or sets more than 50 deep")) {
            try AICCScript.parse(deep)
        }
        let long = Array(repeating: "A", count: 1_001).joined(separator: " & ")
        #expect(throws: AICCScript.ParseError(message: "the expression has 2001 parts; the most allowed is 2000")) {
            try AICCScript.parse(long)
        }
    }

    @Test func nestingWithinTheLimitStillParses() throws {
        let ok = String(repeating: "(", count: 49) + "A" + String(repeating: ")", count: 49)
        #expect(try AICCScript.parse(ok) == .item("A"))
        let chain = Array(repeating: "A", count: 1_000).joined(separator: " & ")
        #expect(try AICCScript.parse(chain).identifiers.count == 1_000)
    }
}
