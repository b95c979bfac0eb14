import AdEnv

/// Drives an agent on a batch env: act, step, learn, repeat, recording finished episodes. It is
/// the one loop behind `adenv train`, `adenv eval`, the benchmarks and the tests.
///
/// - Steps are env-steps: each batch step adds `env.count`, autoreset steps included (as CleanRL
///   counts `global_step`).
/// - Determinism: the env is reset once with `seed` (copy `i` gets `seed + i`) and the agent draws
///   from its own stream derived from `seed`; a run is a pure function of the seed.
/// - Resuming: a checkpoint holds the agent's state, the loop's counters and RNG, and the log of
///   every action taken. ``resume(from:agent:env:)`` replays the log through a fresh env, which by
///   the core's determinism guarantee puts it in exactly the saved state, so training N steps, saving,
///   resuming and training N more is bit-identical to training 2N straight. Replaying costs env
///   time only (millions of steps per second).
public struct TrainingLoop<A: Agent, E: BatchEnv> {
    public internal(set) var agent: A
    public let env: E
    public let seed: UInt64
    public let mode: ActingMode
    /// Env-steps taken so far.
    public internal(set) var steps = 0
    /// Episodes finished so far, in order.
    public internal(set) var episodes: [EpisodeRecord] = []
    /// Pseudo-regret summed over every step so far, episodes unfinished included.
    public internal(set) var cumulativeRegret = 0.0

    var rng: Xoshiro256
    var actions: ActionBatch
    var returns: [Double]
    var lengths: [Int]
    var regrets: [Double]
    var integerLog: [Int64] = []
    var realLog: [Float] = []
    /// Whether to keep the action log (needed for checkpoints; evaluation turns it off).
    let keepsLog: Bool
    /// Whether the env reports both `expected_reward` and `optimal_expected_reward`; pseudo-regret
    /// is 0 otherwise (an env reporting only `expected_reward`, such as BudgetedBandit, has none).
    let reportsRegret: Bool

    /// Resets `env` with `seed` and prepares to drive `agent` on it.
    ///
    /// - Throws: what `env.reset` throws (a remote env's transport errors).
    public init(agent: A, env: E, seed: UInt64, mode: ActingMode = .training, keepsLog: Bool = true) throws {
        self.agent = agent
        self.env = env
        self.seed = seed
        self.mode = mode
        self.keepsLog = keepsLog
        reportsRegret = env.spec.infoFields.contains(.expectedReward) && env.spec.infoFields.contains(.optimalExpectedReward)
        rng = Xoshiro256(seed: seed ^ 0x5DEE_CE66_D1CE_4E5B)
        actions = ActionBatch(spec: env.spec, count: env.count)
        returns = Array(repeating: 0, count: env.count)
        lengths = Array(repeating: 0, count: env.count)
        regrets = Array(repeating: 0, count: env.count)
        try env.reset(seed: seed)
        self.agent.resetEpisodes()
    }

    /// Runs until at least `steps` more env-steps have been taken, calling `onBatch` after each
    /// batch step (for progress display).
    public mutating func run(steps more: Int, onBatch: (borrowing TrainingLoop) -> Void = { _ in }) throws {
        let target = steps + more
        while steps < target {
            try step()
            onBatch(self)
        }
    }

    /// One batch step: act, step the env, learn, record.
    public mutating func step() throws {
        agent.act(on: env, mode: mode, into: &actions, using: &rng)
        let resetting = env.needsReset
        try actions.step(env)
        if keepsLog {
            switch actions.dtype {
            case .int64: integerLog += actions.integers
            case .float32: realLog += actions.reals
            }
        }
        agent.learn(from: env, actions: actions, using: &rng)
        steps += env.count
        record(resetting: resetting)
    }

    private mutating func record(resetting: [Bool]) {
        let rewards = env.rewards, terminated = env.terminated, truncated = env.truncated, infos = env.infos
        for i in 0..<env.count where !resetting[i] {
            let regret = reportsRegret ? infos[i].optimalExpectedReward - infos[i].expectedReward : 0
            returns[i] += rewards[i]
            lengths[i] += 1
            regrets[i] += regret
            cumulativeRegret += regret
            if terminated[i] || truncated[i] {
                episodes.append(EpisodeRecord(copy: i, step: steps, reward: returns[i], length: lengths[i], regret: regrets[i], terminated: terminated[i]))
                returns[i] = 0
                lengths[i] = 0
                regrets[i] = 0
            }
        }
    }
}
