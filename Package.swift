// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "AdEnv",
    products: [
        .library(name: "AdEnv", targets: ["AdEnv"]),
        .library(name: "AdAgents", targets: ["AdAgents"]),
        .executable(name: "adenv", targets: ["adenv"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The simulator core. It depends on nothing but the toolchain.
        .target(name: "AdEnv"),
        // Built-in agents and the small neural-network core they share. Depends on the core only.
        .target(name: "AdAgents", dependencies: ["AdEnv"]),
        .executableTarget(
            name: "adenv",
            dependencies: [
                "AdEnv",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "QuickStart", dependencies: ["AdEnv"], path: "Examples/QuickStart"),
        // PPO training throughput (release): `swift run -c release PPOBenchmark`.
        .executableTarget(name: "PPOBenchmark", dependencies: ["AdAgents", "AdEnv"], path: "Benchmarks/PPOBenchmark"),
        .testTarget(name: "AdEnvTests", dependencies: ["AdEnv"]),
        .testTarget(name: "AdAgentsTests", dependencies: ["AdAgents", "AdEnv"]),
    ],
    swiftLanguageModes: [.v6]
)
