// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Ladder",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "LadderKit", targets: ["LadderKit"]),
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
        .target(
            name: "LadderKit",
            dependencies: [
                "CLibZip", "CLibXML2", "CLibCrypto", "CCmarkGFM",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            resources: [.copy("Rendering/Assets")]),
        .target(
            name: "LadderPreview",
            dependencies: [
                "LadderKit",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]),
        .executableTarget(
            name: "ladder",
            dependencies: [
                "LadderKit", "LadderPreview",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "ladder-bench",
            dependencies: ["LadderKit", "CLibZip"],
            path: "Benchmarks/ladder-bench"),
        .executableTarget(
            name: "progress-bench",
            dependencies: ["LadderKit"],
            path: "Benchmarks/progress-bench",
            exclude: ["README.md", "run.sh"]),
        // Helpers every test target shares (paths, temporary folders, the sample copy and
        // build, running the `ladder` binary, snapshot files, the browser driver) and the
        // screenshot tool uses. It uses LadderKit's and LadderPreview's public API only (no
        // @testable import).
        .target(
            name: "TestSupport", dependencies: ["LadderKit", "LadderPreview"],
            path: "Tests/TestSupport"),
        .testTarget(
            name: "LadderKitTests", dependencies: ["LadderKit", "TestSupport"],
            exclude: ["Fixtures", "__Snapshots__"]),
        .testTarget(
            name: "LadderCLITests", dependencies: ["ladder", "LadderKit", "TestSupport"],
            exclude: ["__Snapshots__"]),
        .testTarget(name: "LadderPreviewTests", dependencies: ["LadderPreview", "LadderKit", "TestSupport"]),
        // The pictures in docs/: `swift run ladder-screenshots` (needs chromium and chromium-driver).
        .executableTarget(
            name: "ladder-screenshots", dependencies: ["LadderKit", "LadderPreview", "TestSupport"],
            path: "Tools/ladder-screenshots"),
    ]
)
