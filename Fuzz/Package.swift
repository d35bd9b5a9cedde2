// swift-tools-version:6.0
// libFuzzer targets for Ladder's parsers. A package of its own, so that the main
// `swift build` / `swift test` never see it. Build and run with Fuzz/run.sh (see
// docs/reliability.md, "Fuzzing"); the targets reach the stage targets' internals through
// `@testable import`, which the debug build allows.
import PackageDescription

// Each fuzzer is one file with `@_cdecl("LLVMFuzzerTestOneInput")` and no `main`: libFuzzer's
// own `main` (linked in by `--sanitize=fuzzer`) drives it.
let fuzzers = [
    "fuzz-curriculum", "fuzz-markdown", "fuzz-manifest", "fuzz-aicc",
    "fuzz-import-moodle-basic", "fuzz-import-moodle-interactions", "fuzz-import-talentlms", "fuzz-import-csv",
]

let package = Package(
    name: "LadderFuzz",
    platforms: [.macOS(.v13)],
    products: fuzzers.map { .executable(name: $0, targets: [$0]) },
    dependencies: [.package(name: "Ladder", path: "..")],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "LadderKit", package: "Ladder")]),
    ] + fuzzers.map {
        .executableTarget(
            name: $0, dependencies: ["FuzzSupport", .product(name: "LadderKit", package: "Ladder")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    }
)
