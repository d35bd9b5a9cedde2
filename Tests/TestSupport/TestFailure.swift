/// A test's own check that failed outside an `#expect` (a fixture that did not come up, a
/// value another thread saw wrong): thrown so the test fails with this text.
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
