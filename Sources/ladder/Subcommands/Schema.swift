import ArgumentParser
import Foundation
import LadderCore

extension FileKind: ExpressibleByArgument {}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the JSON Schema of the curriculum's YAML files, for editors.")

    @Option(help: "One file kind: \(FileKind.allCases.map(\.rawValue).joined(separator: ", ")). Default: all, keyed by kind.")
    var kind: FileKind?

    func run() throws {
        let value: Any =
            kind.map { $0.jsonSchema } ?? Dictionary(uniqueKeysWithValues: FileKind.allCases.map { ($0.rawValue, $0.jsonSchema) })
        let data = try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        print(String(decoding: data, as: UTF8.self))
    }
}
