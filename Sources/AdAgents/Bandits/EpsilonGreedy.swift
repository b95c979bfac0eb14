import AdEnv

/// ε-greedy on empirical means: with probability ε a uniformly random allowed arm, otherwise the
/// allowed arm with the highest mean reward so far.
///
/// - Model: one pull count and one running mean per arm, shared by every copy of the env (all
///   copies act on the model as it was before the batch step, then all update it).
/// - Estimates start at 0, so before any reward every arm ties.
/// - Greedy ties are broken uniformly at random (one ``Xoshiro256/below(_:)`` draw when there is
///   more than one tied arm).
/// - Probability logged: exactly the policy's, `(1 − ε)/t + ε/K` for a chosen arm among `t` tied
///   greedy arms, `ε/K` for any other, with `K` the number of allowed arms.
/// - Evaluation mode: greedy (ε = 0).
/// - Draws per copy and step: one uniform, then one `below` when exploring or when greedy arms tie.
public struct EpsilonGreedy: Agent {
    public struct Hyperparameters: AgentHyperparameters {
        /// The exploration probability ε. Default 0.1, in [0, 1].
        public var epsilon: Double

        public init(reading reader: inout ConfigReader) throws(ScenarioError) {
            epsilon = try reader.double("epsilon", default: 0.1, in: .probability)
        }
    }

    public static let name = "epsilon-greedy"
    public let hyperparameters: Hyperparameters
    public let arms: DiscreteArms
    /// Pulls of each arm.
    public private(set) var pulls: [Double]
    /// The mean reward of each arm (0 before its first pull).
    public private(set) var means: [Double]
    /// Copies whose last action was ignored by an autoreset.
    private var resetting: [Bool]

    public init(spec: EnvSpec, count: Int, hyperparameters: Hyperparameters, using rng: inout Xoshiro256) throws(AgentError) {
        self.hyperparameters = hyperparameters
        arms = try DiscreteArms(spec: spec, agent: Self.name)
        pulls = Array(repeating: 0, count: arms.count)
        means = pulls
        resetting = Array(repeating: false, count: count)
    }

    public mutating func act<Env: BatchEnv>(on env: Env, mode: ActingMode, into actions: inout ActionBatch, using rng: inout Xoshiro256) {
        let epsilon = mode == .training ? hyperparameters.epsilon : 0
        let mask = ArmMask(env)
        let needsReset = env.needsReset
        for i in 0..<env.count {
            resetting[i] = needsReset[i]
            let allowed = mask.allowedCount(copy: i, arms: arms.count)
            // The greedy arms: the highest mean among the allowed arms, and how many tie there.
            var best = -Double.infinity, ties = 0
            for k in 0..<arms.count where mask.allows(copy: i, arm: k) {
                if means[k] > best { best = means[k]; ties = 1 } else if means[k] == best { ties += 1 }
            }
            let arm: Int
            if rng.uniform() < epsilon {
                arm = mask.allowedArm(number: rng.below(allowed), copy: i, arms: arms.count)
            } else {
                var pick = ties > 1 ? rng.below(ties) : 0
                var chosen = 0
                for k in 0..<arms.count where mask.allows(copy: i, arm: k) && means[k] == best {
                    if pick == 0 { chosen = k; break }
                    pick -= 1
                }
                arm = chosen
            }
            let isGreedy = mask.allows(copy: i, arm: arm) && means[arm] == best
            let explore = epsilon / Double(allowed)
            actions.integers[i] = Int64(arms.start + arm)
            actions.probabilities[i] = isGreedy ? (1 - epsilon) / Double(max(ties, 1)) + explore : explore
        }
    }

    public mutating func learn<Env: BatchEnv>(from env: Env, actions: ActionBatch, using rng: inout Xoshiro256) {
        let rewards = env.rewards
        for i in 0..<env.count where !resetting[i] {
            let arm = Int(actions.integers[i]) - arms.start
            pulls[arm] += 1
            means[arm] += (rewards[i] - means[arm]) / pulls[arm]
        }
    }

    public func save(to checkpoint: inout Checkpoint) {
        checkpoint.set("bandit.pulls", .doubles(pulls))
        checkpoint.set("bandit.means", .doubles(means))
    }

    public mutating func load(from checkpoint: Checkpoint) throws(CheckpointError) {
        pulls = try checkpoint.doubles("bandit.pulls", count: arms.count)
        means = try checkpoint.doubles("bandit.means", count: arms.count)
    }
}
