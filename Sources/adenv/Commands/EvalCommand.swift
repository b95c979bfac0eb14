import AdAgents
import AdEnv
import ArgumentParser

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a trained agent: mean return with a 95% CI and the normalized score against random and oracle.",
        discussion: """
            Loads DIR/run.json and DIR/checkpoint.adck (written by `adenv train`), builds the agent with the run's \
            hyper-parameters and copies, and runs it in evaluation mode, without learning, for --episodes episodes: \
            episode k is reset with seed + k (the copies play them in rounds), whatever the number of copies. The \
            random and oracle policies (as in `adenv rollout`) then play the same episodes, and the score is \
            (agent − random) / (oracle − random) on mean returns.
            """)

    @Argument(help: "A registered env ID or the path of a scenario JSON file.")
    var id: String

    @Option(help: "The directory of a training run.")
    var checkpoint: String

    @Option(help: "Episodes to evaluate.")
    var episodes: Int = 10

    @Option(help: "The seed of copy 0.")
    var seed: UInt64 = 0

    @Option(name: .customLong("env-set"), help: ArgumentHelp("Override a scenario parameter, as key=value (value in JSON). Repeatable; added to the run's own overrides when ID is the run's scenario.", valueName: "key=value"))
    var envOverrides: [String] = []

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard episodes >= 1 && episodes <= 1_000_000 else { throw ValidationError("--episodes must be in 1...1000000, got \(episodes)") }
    }

    func run() throws {
        let directory = RunDirectory(path: checkpoint)
        let record = try directory.readRecord()
        let saved = try directory.readCheckpoint()
        let overrides = (id == record.scenario ? record.envOverrides : []) + envOverrides
        let env = try makeScenario(id, overrides: overrides)
        let outcome = try evaluate(on: env.makeBatch(count: record.envs, threads: 1), record: record, checkpoint: saved)
        // The reference policies on the same episodes: episode k from seed + k.
        let seeds = (0..<outcome.returns.count).map { seed &+ UInt64($0) }
        let random = seeds.flatMap { env.rollout(policy: .random, seed: $0, episodes: 1, discount: 1).returns }
        let oracle = seeds.flatMap { env.rollout(policy: .oracle, seed: $0, episodes: 1, discount: 1).returns }
        let agentSummary = Summary(outcome.returns), randomSummary = Summary(random), oracleSummary = Summary(oracle)
        let span = oracleSummary.mean - randomSummary.mean
        let normalized: Double? = span != 0 ? (agentSummary.mean - randomSummary.mean) / span : nil
        if json {
            func summary(_ s: Summary) -> ConfigValue {
                ["mean_return": .number(s.mean), "ci95": .array([s.interval95.lowerBound, s.interval95.upperBound].map { $0.isFinite ? .number($0) : .null })]
            }
            let object: ConfigValue = [
                "env": .string(env.spec.id), "agent": .string(record.agent), "checkpoint": .string(checkpoint),
                "seed": .string(String(seed)), "episodes": .number(Double(outcome.returns.count)),
                "agent_result": summary(agentSummary), "random": summary(randomSummary), "oracle": summary(oracleSummary),
                "normalized_score": normalized.map { .number($0) } ?? .null,
                "returns": .array(outcome.returns.map { .number($0) }),
            ]
            print(object.jsonString(pretty: true))
            return
        }
        print("\(env.spec.id): \(record.agent) from \(checkpoint), \(outcome.returns.count) episodes from seed \(seed) (evaluation mode)")
        print("policy".padding(to: 16) + "mean return".padding(to: 16) + "95% CI")
        for (name, s) in [(record.agent, agentSummary), ("random", randomSummary), ("oracle", oracleSummary)] {
            let ci = s.halfWidth95.isFinite ? "[\(fmt(s.interval95.lowerBound)), \(fmt(s.interval95.upperBound))]" : "n/a (one episode)"
            print(name.padding(to: 16) + fmt(s.mean).padding(to: 16) + ci)
        }
        print("normalized score (agent − random) / (oracle − random): " + (normalized.map(fmt) ?? "n/a (oracle and random tie)"))
    }

    private func evaluate<E: BatchEnv>(on env: E, record: RunDirectory.Record, checkpoint: Checkpoint) throws -> EvaluationOutcome {
        try AgentCatalog.visit(record.agent, with: Evaluator(env: env, record: record, checkpoint: checkpoint, episodes: episodes, seed: seed))
    }

    /// Loads the run's agent and plays it in evaluation mode without learning.
    struct Evaluator<E: BatchEnv>: AgentVisitor {
        let env: E
        let record: RunDirectory.Record
        let checkpoint: Checkpoint
        let episodes: Int
        let seed: UInt64

        func visit<A: Agent>(_ type: A.Type) throws -> EvaluationOutcome {
            let preset = Preset(agent: A.name, hyperparameters: record.hyperparameters, source: record.presetSource)
            let (hyperparameters, _) = try usage { () throws(AgentError) in try A.hyperparameters(from: preset) }
            try usage { () throws(AgentError) in try A.check(canActOn: env) }
            var rng = Xoshiro256(seed: seed ^ 0xE7A1_5EED_0000_0001)
            var agent = try usage { () throws(AgentError) in try A(spec: env.spec, count: env.count, hyperparameters: hyperparameters, using: &rng) }
            guard checkpoint.agent == A.name else { throw ValidationError("\(CheckpointError.agentMismatch(expected: A.name, found: checkpoint.agent))") }
            try usage { () throws(CheckpointError) in try agent.load(from: checkpoint) }
            do { return try agent.evaluate(on: env, episodes: episodes, seed: seed, using: &rng) } catch let error as EvaluationError {
                throw ValidationError("\(error)")
            }
        }
    }

    private func fmt(_ x: Double) -> String {
        ConfigValue.format((x * 1000).rounded() / 1000)
    }
}
