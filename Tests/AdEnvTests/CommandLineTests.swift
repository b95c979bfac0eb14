import Foundation
import Testing
@testable import AdEnv

/// Runs the built `adenv` executable, which SwiftPM places beside the test bundle.
struct CommandLine {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var executable: URL {
        let testBinary = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "")
        return testBinary.deletingLastPathComponent().appendingPathComponent("adenv")
    }

    static func run(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Starts `adenv arguments`, waits (up to a minute) until the file at `path` exists, then kills
    /// the process with SIGKILL, as a crash or `kill -9` would, and waits for it to end.
    static func kill(_ arguments: [String], onceExists path: String) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var waited = 0
        while !FileManager.default.fileExists(atPath: path) && waited < 60_000 {
            usleep(1_000)
            waited += 1
        }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

@Suite
struct CommandLineTests {
    @Test(arguments: [[], ["list"], ["describe"], ["rollout"], ["perf"], ["train"], ["eval"], ["bench"], ["report"]])
    func everySubcommandHasHelp(subcommand: [String]) throws {
        let result = try CommandLine.run(subcommand + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: adenv"))
    }

    @Test(arguments: [
        ["rollout", "Nope-v0"],
        ["rollout", "StrategyBandit-v0", "--episodes", "0"],
        ["rollout", "StrategyBandit-v0", "--policy", "greedy"],
        ["rollout", "StrategyBandit-v0", "--policy", ""],
        ["rollout", "StrategyBandit-v0", "--policy", "random,"],
        ["rollout", "StrategyBandit-v0", "--episodes", "99999999999"],
        ["rollout", "StrategyBandit-v0", "--set", "means=null"],
        ["rollout", "StrategyBandit-v0", "--seed", "-3"],
        ["rollout", "StrategyBandit-v0", "--set", "means=[2,0.1]"],
        ["rollout", "StrategyBandit-v0", "--set", "nonsense"],
        ["describe", "/nonexistent/file.json"],
        ["perf", "StrategyBandit-v0", "--threads", "0"],
        ["frobnicate"],
        ["rollout"],
    ])
    func badArgumentsGiveOneLineErrorAndNonZeroExit(arguments: [String]) throws {
        let result = try CommandLine.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("adenv: "))
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func rolloutJSONReproducesTheGoldenDigest() throws {
        let result = try CommandLine.run(["rollout", "StrategyBandit-v0", "--policy", "random", "--seed", "42", "--episodes", "2", "--json"])
        #expect(result.status == 0)
        guard case .array(let items) = try ConfigValue.parse(json: result.stdout), case .object(let first)? = items.first else {
            Issue.record("not a JSON array: \(result.stdout)")
            return
        }
        #expect(first["digest"] == .string(DeterminismTests.golden["StrategyBandit-v0"]!))
        #expect(first["episodes"] == 2)
    }

    @Test func listJSONNamesEveryScenario() throws {
        let result = try CommandLine.run(["list", "--json"])
        #expect(result.status == 0)
        guard case .array(let items) = try ConfigValue.parse(json: result.stdout) else {
            Issue.record("not a JSON array")
            return
        }
        let ids = items.compactMap { item -> String? in
            if case .object(let o) = item, case .string(let id)? = o["id"] { id } else { nil }
        }
        #expect(ids == (try Registry.standard.scenarios()).map(\.id))
    }

    @Test func describeShowsSpacesParametersAndOracleValue() throws {
        let result = try CommandLine.run(["describe", "StrategyBandit-v0", "--set", "max_episode_steps=100"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Discrete(5)"))
        #expect(result.stdout.contains("means = [0.3,0.2,0.1,0.05,0.02]"))
        #expect(result.stdout.contains("expected return 30"))
    }

    @Test func perfReportsRates() throws {
        let result = try CommandLine.run(["perf", "StrategyBandit-v0", "--seconds", "0.05", "--envs", "8", "--json"])
        #expect(result.status == 0)
        guard case .object(let object) = try ConfigValue.parse(json: result.stdout), case .number(let rate)? = object["single_steps_per_second"] else {
            Issue.record("no rate in \(result.stdout)")
            return
        }
        #expect(rate > 0)
    }
}
