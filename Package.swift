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
    ],
    targets: [
        .systemLibrary(
            name: "CLibZip", path: "Sources/CLibZip", pkgConfig: "libzip",
            providers: [.apt(["libzip-dev"])]),
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),
        .target(
            name: "LadderKit",
            dependencies: [
                "CLibZip", "CLibXML2",
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Rendering/Assets")]),
        .executableTarget(
            name: "ladder",
            dependencies: [
                "LadderKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "LadderKitTests", dependencies: ["LadderKit"],
            exclude: ["Fixtures"]),
        .testTarget(name: "LadderCLITests", dependencies: ["ladder"]),
    ]
)
