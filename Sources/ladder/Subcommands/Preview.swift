import ArgumentParser

struct Preview: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not yet available)")
    func run() throws { throw ValidationError("'ladder preview' is not available yet") }
}
