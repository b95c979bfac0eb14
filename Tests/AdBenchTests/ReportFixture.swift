import AdEnv
import Foundation
@testable import AdBench

/// A small synthetic bench directory in a fresh temporary folder, written as `docs/BENCH.md`
/// specifies, with numbers chosen for hand computation.
///
/// - `Bandit-v0` (bernoulli-bandit, online, seeds 0–2, means 0.5 / 0.25): random scores 50, oracle
///   100. Agent `a` scores 90, 80, 70; `b` 60, 85, 75; `c` 55, 65 and its seed 2 is missing; `d` is
///   skipped.
/// - `Mdp-v0` (fatigue-mdp, train-eval, seeds 0–1): random 0, oracle 10. Agent `a` scores 5, 10;
///   `e` 2, 4.
struct ReportFixture {
    let directory: String

    static let banditScores: [String: [Double]] = ["a": [90, 80, 70], "b": [60, 85, 75], "c": [55, 65]]
    static let mdpScores: [String: [Double]] = ["a": [5, 10], "e": [2, 4]]

    init() throws {
        directory = NSTemporaryDirectory() + "adbench-report-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try write("suite.json", Self.suite.jsonString(pretty: true) + "\n")
        try write("provenance.json", """
            {"command": "adenv bench --suite tiny", "arguments": ["--suite", "tiny"], "commit": "abc123", "dirty": true,
             "toolchain": "Swift 6", "cpu": "Test CPU", "cores": 2, "jobs": 2, "env_threads": 1,
             "started": "2026-11-23T23:40:00Z", "wall_seconds": 12.5, "runs": 12, "runs_resumed": 0}
            """)
        for (label, scores) in Self.banditScores {
            for (seed, score) in scores.enumerated() {
                try writeRun(scenario: "Bandit-v0", kind: "bernoulli-bandit", online: true, label: label, seed: seed, score: score, random: 50, oracle: 100)
            }
        }
        for (label, scores) in Self.mdpScores {
            for (seed, score) in scores.enumerated() {
                try writeRun(scenario: "Mdp-v0", kind: "fatigue-mdp", online: false, label: label, seed: seed, score: score, random: 0, oracle: 10)
            }
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    func write(_ relativePath: String, _ text: String) throws {
        let path = directory + "/" + relativePath
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func read(_ relativePath: String) throws -> String {
        try String(contentsOfFile: directory + "/" + relativePath, encoding: .utf8)
    }

    static var suite: ConfigValue {
        func agent(_ label: String) -> ConfigValue { ["label": .string(label), "preset": .string(label), "agent": .string(label), "envs": 1, "set": []] }
        return [
            "format": "adenv-bench-suite/1", "name": "tiny", "description": "A hand-computed bench.",
            "scenarios": [
                [
                    "id": "Bandit-v0", "source": "Bandit-v0", "kind": "bernoulli-bandit", "protocol": "online", "steps": 100,
                    "eval_episodes": .null, "overrides": [], "seeds": [0, 1, 2], "parameters": ["means": [0.5, 0.25]],
                    "oracle": ["kind": "optimal", "expected_return": 50], "agents": [agent("a"), agent("b"), agent("c")],
                    "skipped": [["label": "d", "reason": "d cannot act in Bandit-v0: needs a Box action space"]],
                ],
                [
                    "id": "Mdp-v0", "source": "Mdp-v0", "kind": "fatigue-mdp", "protocol": "train-eval", "steps": 100,
                    "eval_episodes": 2, "overrides": ["horizon=10"], "seeds": [0, 1], "parameters": ["horizon": 10],
                    "oracle": ["kind": "optimal", "expected_return": .null], "agents": [agent("a"), agent("e")], "skipped": [],
                ],
            ],
        ]
    }

    func writeRun(scenario: String, kind: String, online: Bool, label: String, seed: Int, score: Double, random: Double, oracle: Double) throws {
        let run = "runs/\(scenario)/\(label)/seed-\(seed)/"
        let regret = oracle - score
        let result: ConfigValue = [
            "format": "adenv-bench-run/1", "scenario": .string(scenario), "kind": .string(kind),
            "protocol": .string(online ? "online" : "train-eval"), "label": .string(label), "agent": .string(label),
            "hyperparameters": [:], "seed": .number(Double(seed)), "envs": 1, "steps": 100, "training_episodes": 3,
            "score": .number(score), "random_score": .number(random), "oracle_score": .number(oracle),
            "normalized_score": .number((score - random) / (oracle - random)),
            "cumulative_regret": online ? .number(regret) : .null,
            "evaluation": online ? .null : ["episodes": 2, "seed": .number(Double(1_000_000 + seed * 1_000)), "returns": [.number(score), .number(score)]],
        ]
        try write(run + "result.json", result.jsonString(pretty: true) + "\n")
        if online {
            let rows = [1, 10, 50, 100].map { step in
                "\(step),\(ConfigValue.format(regret * Double(step) / 100)),\(ConfigValue.format(score * Double(step) / 100))"
            }
            try write(run + "curve.csv", "step,cumulative_regret,cumulative_score\n" + rows.joined(separator: "\n") + "\n")
        } else {
            try write(run + "curve.csv", "step,episodes,mean_return\n2,0,\n50,2,\(ConfigValue.format(score / 2))\n100,1,\(ConfigValue.format(score))\n")
        }
        try write(run + "episodes.csv", "episode,copy,step,return,length,regret,terminated\n0,0,50,1,50,0,1\n")
        try write(run + "provenance.json", "{\"train_seconds\": 0.5, \"evaluation_seconds\": 0.1, \"steps_per_second\": \(1000 + seed * 100)}\n")
    }
}
