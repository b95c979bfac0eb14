import AdAgents
import AdEnv

/// Bandit runs for the quality bars: one independent run per seed, each a fresh agent on a fresh
/// one-copy env of `T` steps, driven by ``TrainingLoop`` (whose pseudo-regret they report).
enum BanditRuns {
    /// The loop's cumulative pseudo-regret after `steps` steps, for each seed.
    static func regrets<A: Agent, E: ScenarioEnv>(
        _ agent: A.Type, on id: String, as env: E.Type, steps: Int, seeds: Range<UInt64>,
        hyperparameters: A.Hyperparameters = A.Hyperparameters.defaults
    ) throws -> [Double] {
        try seeds.map { seed in
            try run(agent, on: id, as: env, steps: steps, seed: seed, hyperparameters: hyperparameters).cumulativeRegret
        }
    }

    /// One run of `steps` steps on a one-copy env whose episodes last `steps` steps.
    static func run<A: Agent, E: ScenarioEnv>(
        _ agent: A.Type, on id: String, as env: E.Type, steps: Int, seed: UInt64,
        hyperparameters: A.Hyperparameters = A.Hyperparameters.defaults, count: Int = 1
    ) throws -> TrainingLoop<A, VectorEnv<E>> {
        let vector = VectorEnv(try Registry.standard.make(id, as: env, overrides: [Override("max_episode_steps", .number(Double(steps)))]), count: count)
        var rng = Xoshiro256(seed: seed)
        let a = try A(spec: vector.spec, count: count, hyperparameters: hyperparameters, using: &rng)
        var loop = try TrainingLoop(agent: a, env: vector, seed: seed, keepsLog: false)
        try loop.run(steps: steps)
        return loop
    }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
}
