// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Ladder",
    platforms: [.macOS(.v13)],
    products: [
        .library(
            name: "LadderKit",
            targets: ["LadderCore", "LadderRendering", "LadderPackaging", "LadderProgress", "LadderCommands", "LadderPreview", "LadderMoodle"]),
        .executable(name: "ladder", targets: ["ladder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibZip", path: "Sources/CLibZip", pkgConfig: "libzip",
            providers: [.apt(["libzip-dev"])]),
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(
            name: "CCmarkGFM", path: "Sources/CCmarkGFM", pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        .systemLibrary(
            name: "CLibCrypto", path: "Sources/CLibCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        // The pipeline, one target a stage; arrows run one way (docs/architecture.md):
        // core (model, loading, Markdown, planning) → rendering → packaging → progress → preview.
        .target(
            name: "LadderCore",
            dependencies: ["CLibCrypto", "CCmarkGFM", .product(name: "Yams", package: "Yams")]),
        .target(
            name: "LadderRendering", dependencies: ["LadderCore"],
            resources: [.copy("Assets"), .copy("Strings/Catalogue")]),
        .target(
            name: "LadderPackaging",
            dependencies: ["LadderCore", "LadderRendering", "CLibZip", "CLibXML2"]),
        .target(
            name: "LadderProgress",
            dependencies: [
                "LadderCore", "LadderPackaging",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
        // Moodle-native output: course backups (.mbz) per track, the ladder as a competency
        // framework CSV, TalentLMS enrolment files (docs/moodle.md).
        .target(
            name: "LadderMoodle",
            dependencies: ["LadderCore", "LadderRendering", "LadderPackaging", "CLibCrypto"]),
        // What every command shares: track and level selection, the learner source by file
        // type, input checks and the one exit-code table; the `ladder` executable stays thin.
        .target(
            name: "LadderCommands",
            dependencies: ["LadderCore", "LadderRendering", "LadderPackaging", "LadderProgress", "LadderMoodle"]),
        .target(
            name: "LadderPreview",
            dependencies: [
                "LadderCore", "LadderRendering", "LadderPackaging", "LadderProgress",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]),
        .executableTarget(
            name: "ladder",
            dependencies: [
                "LadderCore", "LadderRendering", "LadderPackaging", "LadderProgress", "LadderCommands", "LadderPreview", "LadderMoodle",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "ladder-bench",
            dependencies: ["LadderCore", "LadderRendering", "LadderPackaging", "LadderProgress", "CLibZip"],
            path: "Benchmarks/ladder-bench"),
        // cmark-gfm's page rendering beside the hand-written renderer it replaced (vendored
        // into this target only, from history).
        .executableTarget(
            name: "markdown-bench", dependencies: ["LadderCore"], path: "Benchmarks/markdown-bench"),
        .executableTarget(
            name: "progress-bench",
            dependencies: ["LadderCore", "LadderProgress"],
            path: "Benchmarks/progress-bench",
            exclude: ["README.md", "run.sh"]),
        // Helpers every test target shares (paths, temporary folders, the sample copy and
        // build, running the `ladder` binary, snapshot files, the browser driver) and the
        // screenshot tool uses. It uses the stage targets' public API only (no
        // @testable import).
        .target(
            name: "TestSupport", dependencies: ["LadderCore", "LadderRendering", "LadderPackaging", "LadderProgress", "LadderPreview"],
            path: "Tests/TestSupport"),
        .testTarget(
            name: "LadderKitTests", dependencies: ["LadderCore", "LadderRendering", "LadderPackaging", "LadderProgress", "LadderMoodle", "TestSupport"],
            exclude: ["Fixtures", "__Snapshots__"]),
        .testTarget(
            name: "LadderCLITests", dependencies: ["ladder", "LadderCore", "LadderRendering", "LadderPackaging", "LadderProgress", "LadderMoodle", "TestSupport"],
            exclude: ["__Snapshots__"]),
        .testTarget(name: "LadderPreviewTests", dependencies: ["LadderPreview", "LadderCore", "LadderRendering", "LadderPackaging", "LadderProgress", "TestSupport"]),
        // The pictures in docs/: `swift run ladder-screenshots` (needs chromium and chromium-driver).
        .executableTarget(
            name: "ladder-screenshots", dependencies: ["LadderCore", "LadderRendering", "LadderPackaging", "LadderProgress", "LadderPreview", "TestSupport"],
            path: "Tools/ladder-screenshots"),
    ]
)
