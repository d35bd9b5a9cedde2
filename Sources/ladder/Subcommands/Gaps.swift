import ArgumentParser

struct Gaps: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not yet available)")
    func run() throws { throw ValidationError("'ladder gaps' is not available yet") }
}
