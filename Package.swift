// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "AdEnv",
    products: [
        .library(name: "AdEnv", targets: ["AdEnv"]),
        .executable(name: "adenv", targets: ["adenv"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The simulator core. It depends on nothing but the toolchain.
        .target(name: "AdEnv"),
        .executableTarget(
            name: "adenv",
            dependencies: [
                "AdEnv",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "QuickStart", dependencies: ["AdEnv"], path: "Examples/QuickStart"),
        .testTarget(name: "AdEnvTests", dependencies: ["AdEnv"]),
    ],
    swiftLanguageModes: [.v6]
)
