// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "AdEnv",
    products: [
        .library(name: "AdEnv", targets: ["AdEnv"]),
        .library(name: "AdAgents", targets: ["AdAgents"]),
        .library(name: "AdEnvServer", targets: ["AdEnvServer"]),
        .library(name: "AdBench", targets: ["AdBench"]),
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
        // libzmq's C API, from the system (Debian's libzmq3-dev). No pkgConfig: Debian's libzmq.pc
        // adds `-isystem` flags that SwiftPM rejects with a warning; <zmq.h> is in /usr/include and the
        // module map links libzmq.
        .systemLibrary(name: "CZeroMQ", providers: [.apt(["libzmq3-dev"])]),
        // The ZeroMQ server, the wire protocol and the Swift client.
        .target(name: "AdEnvServer", dependencies: ["AdEnv", "CZeroMQ"]),
        // Benchmark suites over scenarios × agents × seeds, their statistics (bootstrap, IQM,
        // probability of improvement), SVG plots and the report. Depends on the core and the agents.
        .target(name: "AdBench", dependencies: ["AdEnv", "AdAgents"]),
        .executableTarget(
            name: "adenv",
            dependencies: [
                "AdEnv",
                "AdAgents",
                "AdBench",
                "AdEnvServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "QuickStart", dependencies: ["AdEnv"], path: "Examples/QuickStart"),
        .executableTarget(name: "BanditThroughput", dependencies: ["AdAgents", "AdEnv"], path: "Examples/BanditThroughput"),
        .executableTarget(name: "TrainDQN", dependencies: ["AdAgents", "AdEnv"], path: "Examples/TrainDQN"),
        // Throughput of the neural-network core and DQN: `swift run -c release NNBenchmark`.
        .executableTarget(name: "NNBenchmark", dependencies: ["AdAgents", "AdEnv"], path: "Benchmarks/NeuralNetwork"),
        // PPO training throughput (release): `swift run -c release PPOBenchmark`.
        .executableTarget(name: "PPOBenchmark", dependencies: ["AdAgents", "AdEnv"], path: "Benchmarks/PPOBenchmark"),
        .testTarget(name: "AdEnvTests", dependencies: ["AdEnv"]),
        .testTarget(name: "AdAgentsTests", dependencies: ["AdAgents", "AdEnv"]),
        .testTarget(name: "AdBenchTests", dependencies: ["AdBench", "AdAgents", "AdEnv"]),
        .testTarget(name: "AdEnvServerTests", dependencies: ["AdEnvServer", "AdEnv", "CZeroMQ"]),
    ],
    swiftLanguageModes: [.v6]
)
