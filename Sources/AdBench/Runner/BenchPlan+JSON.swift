import AdEnv

extension BenchPlan {
    /// `suite.json`: the resolved matrix, as `docs/BENCH.md` specifies. It depends only on the suite
    /// and the code, never on the machine, the output directory or the number of jobs.
    public var suiteJSON: String {
        let object: ConfigValue = [
            "format": "adenv-bench-suite/1",
            "name": .string(name),
            "description": .string(summary),
            "scenarios": .array(scenarios.map(\.json)),
        ]
        return object.jsonString(pretty: true) + "\n"
    }
}

extension BenchPlan.Scenario {
    var json: ConfigValue {
        [
            "id": .string(id),
            "source": .string(source),
            "kind": .string(kind),
            "protocol": .string(measurement.rawValue),
            "steps": .number(Double(steps)),
            "eval_episodes": measurement == .trainEval ? .number(Double(evaluationEpisodes)) : .null,
            "overrides": .array(overrides.map { .string($0) }),
            "seeds": .array(seeds.map { .number(Double($0)) }),
            "parameters": .object(parameters),
            "oracle": [
                "kind": .string(oracle.kind.rawValue), "expected_return": oracle.expectedReturn.map { .number($0) } ?? .null,
                "discount": .number(oracle.discount),
            ],
            "agents": .array(agents.map(\.json)),
            "skipped": .array(skipped.map { ["label": .string($0.label), "reason": .string($0.reason)] }),
        ]
    }
}

extension BenchPlan.Agent {
    var json: ConfigValue {
        [
            "label": .string(label),
            "preset": .string(preset),
            "agent": .string(agent),
            "envs": .number(Double(envs)),
            "set": .array(overrides.map { .string($0) }),
            // Resolved, so that resuming after a preset file changed is refused, not mixed.
            "hyperparameters": .object(hyperparameters),
        ]
    }
}
