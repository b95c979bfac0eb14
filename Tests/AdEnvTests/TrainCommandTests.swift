import Foundation
import Testing
import AdEnv

/// `adenv train` and `adenv eval`, run as the built binary (see ``CommandLine``).
@Suite struct TrainCommandTests {
    /// A fresh, empty directory for one test.
    static func directory(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "adenv-train-\(getpid())-\(name)"
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    static func read(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    static func train(_ out: String, steps: Int, extra: [String] = []) throws -> CommandLine.Output {
        try CommandLine.run(["train", "StrategyBandit-v0", "--agent", "thompson", "--steps", "\(steps)", "--seed", "7", "--envs", "2",
                             "--env-set", "max_episode_steps=500", "--out", out] + extra)
    }

    @Test func trainWritesEpisodesACheckpointAndTheResolvedRun() throws {
        let out = try Self.directory("files")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try Self.train(out, steps: 4_000)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("4000/4000 steps (100%)"))  // plain progress lines: not a terminal

        let csv = String(decoding: try Self.read(out + "/episodes.csv"), as: UTF8.self).split(separator: "\n")
        #expect(csv.first == "copy,step,return,length,regret,terminated")
        // 2,000 batch steps on 2 copies of 500-step episodes, each followed by an autoreset step:
        // episodes end at batch steps 500, 1001 and 1502 on each copy.
        #expect(csv.count == 1 + 6)
        for row in csv.dropFirst() {
            let fields = row.split(separator: ",")
            #expect(fields.count == 6)
            #expect(Int(fields[3]) == 500)
            #expect(Double(fields[2]).map { $0 >= 0 && $0 <= 500 } == true)
        }

        let run = try ConfigValue.parse(json: String(decoding: try Self.read(out + "/run.json"), as: UTF8.self))
        guard case .object(let object) = run, case .object(let scenario)? = object["scenario"], case .object(let hyper)? = object["hyperparameters"] else {
            Issue.record("run.json lacks scenario or hyperparameters")
            return
        }
        #expect(scenario["id"] == "StrategyBandit-v0")
        #expect(object["agent"] == "thompson")
        #expect(object["seed"] == "7")
        #expect(object["steps"] == 4000)
        #expect(hyper["prior_alpha"] == 1)
        #expect(try Self.read(out + "/checkpoint.adck").prefix(6) == Data("ADCKPT".utf8))
    }

    @Test func resumingInAFreshProcessGivesAByteIdenticalCheckpoint() throws {
        let straight = try Self.directory("straight"), split = try Self.directory("split")
        defer {
            try? FileManager.default.removeItem(atPath: straight)
            try? FileManager.default.removeItem(atPath: split)
        }
        #expect(try Self.train(straight, steps: 3_000).status == 0)
        #expect(try Self.train(split, steps: 1_500).status == 0)
        let resumed = try CommandLine.run(["train", "--resume", split, "--steps", "3000"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Self.read(split + "/checkpoint.adck") == Self.read(straight + "/checkpoint.adck"))
        #expect(try Self.read(split + "/episodes.csv") == Self.read(straight + "/episodes.csv"))
    }

    /// PPO anneals its learning rate over `total_steps`: `--steps` fills it unless `--set` gives it,
    /// and run.json records the value used.
    @Test(arguments: [([String](), 1_024), (["--set", "total_steps=5000"], 5_000)])
    func ppoPlansItsAnnealingOverTheRunsSteps(extra: [String], planned: Int) throws {
        let out = try Self.directory("ppo-\(planned)")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try CommandLine.run(["train", "FatigueMDP-v0", "--agent", "ppo", "--steps", "1024", "--envs", "2", "--out", out,
                                          "--set", "num_steps=64", "--set", "hidden_sizes=[8]"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        let run = try ConfigValue.parse(json: String(decoding: try Self.read(out + "/run.json"), as: UTF8.self))
        guard case .object(let object) = run, case .object(let hyper)? = object["hyperparameters"] else {
            Issue.record("run.json lacks hyperparameters")
            return
        }
        #expect(hyper["total_steps"] == .number(Double(planned)))
    }

    /// PPO resumed in a fresh process to the length its annealing was planned over writes the
    /// checkpoint of the straight run; resuming to another length is refused with one line.
    @Test func ppoResumesBitIdenticallyWithinItsPlannedLength() throws {
        let straight = try Self.directory("ppo-straight"), split = try Self.directory("ppo-split")
        defer {
            try? FileManager.default.removeItem(atPath: straight)
            try? FileManager.default.removeItem(atPath: split)
        }
        let run = ["train", "FatigueMDP-v0", "--agent", "ppo", "--envs", "2", "--seed", "4", "--set", "num_steps=64", "--set", "hidden_sizes=[8]"]
        #expect(try CommandLine.run(run + ["--steps", "1024", "--out", straight]).status == 0)
        #expect(try CommandLine.run(run + ["--steps", "300", "--set", "total_steps=1024", "--out", split]).status == 0)
        let refused = try CommandLine.run(["train", "--resume", split, "--steps", "2048"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("total_steps=1024"), "\(refused.stderr)")
        #expect(try CommandLine.run(["train", "--resume", split, "--steps", "1024"]).status == 0)
        #expect(try Self.read(straight + "/checkpoint.adck") == (try Self.read(split + "/checkpoint.adck")))
        #expect(try Self.read(straight + "/episodes.csv") == (try Self.read(split + "/episodes.csv")))
    }

    /// A run killed with SIGKILL after its first periodic save resumes from it to the same files as
    /// a run that was never interrupted.
    @Test func aKilledRunResumesFromItsLastPeriodicSave() throws {
        let straight = try Self.directory("unkilled"), killed = try Self.directory("killed")
        defer {
            try? FileManager.default.removeItem(atPath: straight)
            try? FileManager.default.removeItem(atPath: killed)
        }
        #expect(try Self.train(straight, steps: 60_000).status == 0)

        try CommandLine.kill(
            ["train", "StrategyBandit-v0", "--agent", "thompson", "--steps", "100000000", "--seed", "7", "--envs", "2",
             "--env-set", "max_episode_steps=500", "--out", killed, "--checkpoint-every", "20000"],
            onceExists: killed + "/episodes.csv")
        let record = try ConfigValue.parse(json: String(decoding: try Self.read(killed + "/run.json"), as: UTF8.self))
        guard case .object(let object) = record, case .number(let savedSteps)? = object["steps"] else {
            Issue.record("the killed run left no readable run.json")
            return
        }
        #expect(savedSteps >= 20_000 && savedSteps < 60_000, "saved at \(savedSteps) steps")

        let resumed = try CommandLine.run(["train", "--resume", killed, "--steps", "60000"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Self.read(straight + "/checkpoint.adck") == (try Self.read(killed + "/checkpoint.adck")))
        #expect(try Self.read(straight + "/episodes.csv") == (try Self.read(killed + "/episodes.csv")))
    }

    @Test func evalPrintsACIAndANormalizedScore() throws {
        let out = try Self.directory("eval")
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(try Self.train(out, steps: 4_000).status == 0)
        let text = try CommandLine.run(["eval", "StrategyBandit-v0", "--checkpoint", out, "--episodes", "4", "--seed", "100"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("95% CI"))
        #expect(text.stdout.contains("normalized score"))

        let json = try CommandLine.run(["eval", "StrategyBandit-v0", "--checkpoint", out, "--episodes", "4", "--seed", "100", "--json"])
        guard case .object(let object) = try ConfigValue.parse(json: json.stdout), case .number(let score)? = object["normalized_score"],
              case .object(let agent)? = object["agent_result"], case .array(let ci)? = agent["ci95"] else {
            Issue.record("no score in \(json.stdout)")
            return
        }
        #expect(ci.count == 2)
        // After 4,000 steps Thompson sampling's posterior mean picks the best arm: the oracle's play.
        #expect(score > 0.8)
    }

    @Test(arguments: [
        ["train", "StrategyBandit-v0", "--agent", "nope", "--steps", "10", "--out", "/tmp/adenv-never"],
        ["train", "Nope-v0", "--agent", "thompson", "--steps", "10", "--out", "/tmp/adenv-never"],
        ["train", "BudgetPacing-v0", "--agent", "thompson", "--steps", "10", "--out", "/tmp/adenv-never"],
        ["train", "StrategyBandit-v0", "--agent", "ucb1", "--set", "exploration=-1", "--steps", "10", "--out", "/tmp/adenv-never"],
        ["train", "StrategyBandit-v0", "--agent", "ucb1", "--set", "nonsense", "--steps", "10", "--out", "/tmp/adenv-never"],
        ["train", "StrategyBandit-v0", "--agent", "ucb1", "--set", "unknown_key=1", "--steps", "10", "--out", "/tmp/adenv-never"],
        ["train", "StrategyBandit-v0", "--agent", "ucb1", "--steps", "0", "--out", "/tmp/adenv-never"],
        ["train", "--resume", "/nonexistent/run", "--steps", "10"],
        ["eval", "StrategyBandit-v0", "--checkpoint", "/nonexistent/run"],
    ])
    func badInputsExit64WithOneLine(arguments: [String]) throws {
        let result = try CommandLine.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("adenv: "))
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/adenv-never"))
    }

    @Test func aCorruptCheckpointIsAOneLineError() throws {
        let out = try Self.directory("corrupt")
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(try Self.train(out, steps: 1_000).status == 0)
        var bytes = try Self.read(out + "/checkpoint.adck")
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: out + "/checkpoint.adck"))
        for arguments in [["eval", "StrategyBandit-v0", "--checkpoint", out], ["train", "--resume", out, "--steps", "2000"]] {
            let result = try CommandLine.run(arguments)
            #expect(result.status == 64)
            #expect(result.stderr.contains("corrupt checkpoint"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }
}
