import ArgumentParser

struct Progress: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not yet available)")
    func run() throws { throw ValidationError("'ladder progress' is not available yet") }
}
