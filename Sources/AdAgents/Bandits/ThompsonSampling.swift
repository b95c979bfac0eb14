import AdEnv

/// Thompson sampling with Beta-Bernoulli posteriors (Thompson, 1933; Chapelle and Li, 2011): each
/// step, draw a success rate for every allowed arm from its posterior `Beta(α_k, β_k)` and pull the
/// arm with the highest draw.
///
/// - Model: `α_k = prior_alpha + successes`, `β_k = prior_beta + failures`, shared by every copy;
///   each copy draws its own samples from the posterior as it was before the batch step.
/// - Rewards must lie in [0, 1] (the env's reward range is checked). A reward `r` adds `r` to `α`
///   and `1 − r` to `β` (the usual fractional update; exact for 0/1 rewards), with no random draw.
/// - Sampling: ``Xoshiro256/beta(_:_:)`` (two Marsaglia–Tsang Gamma draws), one per allowed arm in
///   arm order. Ties of draws (probability 0) go to the lowest index.
/// - Probability logged: with `propensity_draws = 0` (the default), 1 — the probability of the
///   chosen arm *given this step's posterior draw*, not its marginal propensity. With
///   `propensity_draws = N > 0`, a Monte-Carlo estimate of the marginal propensity: the agent draws
///   `N` more posterior samples of every allowed arm and logs `(1 + h) / (N + 1)`, where `h` counts
///   those whose argmax is the chosen arm (the step's own draw counts as the `+1`, so the estimate
///   is never 0). Those draws come from the same stream, so `N` changes the run.
/// - Evaluation mode: the allowed arm with the highest posterior mean `α/(α+β)` (ties: lowest
///   index), probability 1.
public struct ThompsonSampling: Agent {
    public struct Hyperparameters: AgentHyperparameters {
        /// The prior's `α` (pseudo-successes). Default 1 (a uniform prior), in [0.01, 1e6].
        public var priorAlpha: Double
        /// The prior's `β` (pseudo-failures). Default 1, in [0.01, 1e6].
        public var priorBeta: Double
        /// Extra posterior draws per decision for the logged propensity. Default 0 (log 1), in
        /// [0, 100000].
        public var propensityDraws: Int

        public init(reading reader: inout ConfigReader) throws(ScenarioError) {
            priorAlpha = try reader.double("prior_alpha", default: 1, in: .closed(0.01, 1e6))
            priorBeta = try reader.double("prior_beta", default: 1, in: .closed(0.01, 1e6))
            propensityDraws = try reader.int("propensity_draws", default: 0, in: .closed(0, 100_000))
        }
    }

    public static let name = "thompson"
    public let hyperparameters: Hyperparameters
    public let arms: DiscreteArms
    /// The posterior's `α` per arm.
    public private(set) var alpha: [Double]
    /// The posterior's `β` per arm.
    public private(set) var beta: [Double]
    private var resetting: [Bool]

    public init(spec: EnvSpec, count: Int, hyperparameters: Hyperparameters, using rng: inout Xoshiro256) throws(AgentError) {
        self.hyperparameters = hyperparameters
        arms = try DiscreteArms(spec: spec, agent: Self.name)
        try spec.requireUnitRewards(agent: Self.name)
        alpha = Array(repeating: hyperparameters.priorAlpha, count: arms.count)
        beta = Array(repeating: hyperparameters.priorBeta, count: arms.count)
        resetting = Array(repeating: false, count: count)
    }

    /// The arm with the highest posterior draw among those `mask` allows for `copy`.
    @inline(__always)
    func sampleArm(mask: ArmMask, copy: Int, using rng: inout Xoshiro256) -> Int {
        var best = -1.0, chosen = 0
        for k in 0..<arms.count where mask.allows(copy: copy, arm: k) {
            let draw = rng.beta(alpha[k], beta[k])
            if draw > best { best = draw; chosen = k }
        }
        return chosen
    }

    public mutating func act<Env: BatchEnv>(on env: Env, mode: ActingMode, into actions: inout ActionBatch, using rng: inout Xoshiro256) {
        let mask = ArmMask(env)
        let needsReset = env.needsReset
        for i in 0..<env.count {
            resetting[i] = needsReset[i]
            let arm: Int
            var probability = 1.0
            if mode == .evaluation {
                arm = mask.argmax(copy: i, arms: arms.count) { alpha[$0] / (alpha[$0] + beta[$0]) }
            } else {
                arm = sampleArm(mask: mask, copy: i, using: &rng)
                probability = PosteriorPropensity.estimate(of: arm, draws: hyperparameters.propensityDraws) {
                    sampleArm(mask: mask, copy: i, using: &rng)
                }
            }
            actions.integers[i] = Int64(arms.start + arm)
            actions.probabilities[i] = probability
        }
    }

    public mutating func learn<Env: BatchEnv>(from env: Env, actions: ActionBatch, using rng: inout Xoshiro256) {
        let rewards = env.rewards
        for i in 0..<env.count where !resetting[i] {
            let arm = Int(actions.integers[i]) - arms.start
            alpha[arm] += rewards[i]
            beta[arm] += 1 - rewards[i]
        }
    }

    public func save(to checkpoint: inout Checkpoint) {
        checkpoint.set("bandit.alpha", .doubles(alpha))
        checkpoint.set("bandit.beta", .doubles(beta))
    }

    public mutating func load(from checkpoint: Checkpoint) throws(CheckpointError) {
        alpha = try checkpoint.doubles("bandit.alpha", count: arms.count)
        beta = try checkpoint.doubles("bandit.beta", count: arms.count)
    }
}
