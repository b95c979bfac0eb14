import Foundation
import Testing
import AdEnv

/// `adenv bench`, run as the built binary (see ``CommandLine``).
@Suite struct BenchCommandTests {
    static func directory(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "adenv-bench-\(getpid())-\(name)"
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    static func bench(_ out: String, seeds: String = "0..2", extra: [String] = []) throws -> CommandLine.Output {
        try CommandLine.run(["bench", "--envs", "StrategyBandit-v0", "--agents", "ucb1,thompson", "--seeds", seeds, "--steps", "300",
                             "--out", out] + extra)
    }

    /// Every result file under `directory` (provenance and the report aside), by relative path.
    static func results(_ directory: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let relative = enumerator?.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            guard ["suite.json", "result.json", "curve.csv", "episodes.csv"].contains(name) else { continue }
            files[relative] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + relative))
        }
        return files
    }

    @Test func theSameCommandWritesByteIdenticalResultsAndSeparateProvenance() throws {
        let a = Self.directory("a"), b = Self.directory("b")
        defer { for d in [a, b] { try? FileManager.default.removeItem(atPath: d) } }
        let first = try Self.bench(a, extra: ["--jobs", "1"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("[6/6] "))
        #expect(try Self.bench(b, extra: ["--jobs", "2"]).status == 0)
        let results = try Self.results(a)
        #expect(results.count == 1 + 3 * 6)
        #expect(results == (try Self.results(b)))
        let provenance = try ConfigValue.parse(json: String(decoding: try Data(contentsOf: URL(fileURLWithPath: a + "/provenance.json")), as: UTF8.self))
        guard case .object(let fields) = provenance else { Issue.record("provenance.json is not an object"); return }
        for key in ["command", "commit", "dirty", "toolchain", "cpu", "cores", "jobs", "env_threads", "started", "wall_seconds", "runs"] {
            #expect(fields[key] != nil, "provenance.json lacks \(key)")
        }
        #expect(fields["command"] == .string("adenv bench --envs StrategyBandit-v0 --agents ucb1,thompson --seeds 0..2 --steps 300 --out \(a) --jobs 1"))
        #expect(fields["runs"] == .number(6) && fields["jobs"] == .number(1))

        // The bench printed its table and wrote the report; `adenv report` rebuilds it byte for byte.
        #expect(first.stdout.contains("StrategyBandit-v0") && first.stdout.contains("report: \(a)/report.md"))
        let report = try Data(contentsOf: URL(fileURLWithPath: a + "/report.md"))
        try FileManager.default.removeItem(atPath: a + "/report.md")
        let rebuilt = try CommandLine.run(["report", a])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: a + "/report.md")) == report)
        #expect(FileManager.default.fileExists(atPath: a + "/figures/StrategyBandit-v0-regret-log.svg"))
    }

    @Test func aKilledBenchResumesToTheResultsOfAnUninterruptedOne() throws {
        let straight = Self.directory("straight"), killed = Self.directory("killed")
        defer { for d in [straight, killed] { try? FileManager.default.removeItem(atPath: d) } }
        #expect(try Self.bench(straight, seeds: "0..29", extra: ["--jobs", "1"]).status == 0)

        try CommandLine.kill(
            ["bench", "--envs", "StrategyBandit-v0", "--agents", "ucb1,thompson", "--seeds", "0..29", "--steps", "300", "--out", killed, "--jobs", "1"],
            onceExists: killed + "/runs/StrategyBandit-v0/ucb1/seed-0/result.json")
        let done = try Self.results(killed).keys.filter { $0.hasSuffix("result.json") }.count
        #expect(done >= 1 && done < 60, "the bench was killed after \(done) of 60 runs")

        let again = try Self.bench(killed, seeds: "0..29", extra: ["--jobs", "1"])
        #expect(again.status == 64 && again.stderr.contains("--resume"), "\(again.stderr)")
        let resumed = try Self.bench(killed, seeds: "0..29", extra: ["--jobs", "2", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("\(60 - done) to do"))
        #expect(try Self.results(killed) == (try Self.results(straight)))
    }

    @Test(arguments: [
        ["bench", "--envs", "StrategyBandit-v0", "--agents", "ucb1", "--seeds", "5..1", "--steps", "10", "--out", "/tmp/adenv-never"],
        ["bench", "--envs", "NoSuchEnv-v0", "--agents", "ucb1", "--steps", "10", "--out", "/tmp/adenv-never"],
        ["bench", "--envs", "StrategyBandit-v0", "--agents", "ucb1", "--out", "/tmp/adenv-never"],
        ["bench", "--envs", "StrategyBandit-v0", "--agents", "no-such-agent", "--steps", "10", "--out", "/tmp/adenv-never"],
        ["bench", "--suite", "no-such-suite", "--out", "/tmp/adenv-never"],
        ["bench", "--suite", "default", "--envs", "NoSuchEnv-v0", "--out", "/tmp/adenv-never"],
        ["bench", "--envs", "FatigueMDP-v0", "--agents", "dqn", "--steps", "10", "--jobs", "0", "--out", "/tmp/adenv-never"],
        ["report", "/tmp/adenv-never"],
    ])
    func badInputsExit64WithOneLineAndWriteNothing(arguments: [String]) throws {
        let result = try CommandLine.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("adenv: "))
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/adenv-never"))
    }
}
