#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AdEnv

/// UCB1 (Auer, Cesa-Bianchi and Fischer, 2002): pull every arm once, then the arm with the highest
/// upper confidence bound `mean_k + sqrt(c · ln t / n_k)`, `t` the total pulls and `n_k` the arm's.
///
/// - Model: pull counts and running means per arm, shared by every copy; the bound is computed from
///   the model as it was before the batch step.
/// - Ties (and the initial round of unpulled arms, whose bound is +∞) go to the lowest arm index,
///   so the policy is deterministic: the logged probability is 1.
/// - Masked arms are never chosen.
/// - Evaluation mode: the allowed arm with the highest mean (ties: lowest index).
/// - No random draws.
public struct UCB1: Agent {
    public struct Hyperparameters: AgentHyperparameters {
        /// `c` in the bonus `sqrt(c · ln t / n)`. Default 2 (the original UCB1), in [0, 100].
        public var exploration: Double

        public init(reading reader: inout ConfigReader) throws(ScenarioError) {
            exploration = try reader.double("exploration", default: 2, in: .closed(0, 100))
        }
    }

    public static let name = "ucb1"
    public let hyperparameters: Hyperparameters
    public let arms: DiscreteArms
    /// Pulls of each arm.
    public private(set) var pulls: [Double]
    /// The mean reward of each arm (0 before its first pull).
    public private(set) var means: [Double]
    /// Total pulls, `t`.
    public private(set) var total = 0.0
    private var resetting: [Bool]
    /// Scratch: each arm's bound in the current step.
    private var scores: [Double]

    public init(spec: EnvSpec, count: Int, hyperparameters: Hyperparameters, using rng: inout Xoshiro256) throws(AgentError) {
        self.hyperparameters = hyperparameters
        arms = try DiscreteArms(spec: spec, agent: Self.name)
        pulls = Array(repeating: 0, count: arms.count)
        means = pulls
        scores = pulls
        resetting = Array(repeating: false, count: count)
    }

    /// The upper confidence bound of `arm`: +∞ before its first pull.
    public func index(of arm: Int) -> Double {
        guard pulls[arm] > 0 else { return .infinity }
        return means[arm] + (hyperparameters.exploration * log(max(total, 1)) / pulls[arm]).squareRoot()
    }

    public mutating func act<Env: BatchEnv>(on env: Env, mode: ActingMode, into actions: inout ActionBatch, using rng: inout Xoshiro256) {
        let mask = ArmMask(env)
        let needsReset = env.needsReset
        // The bounds do not depend on the copy: computed once per batch step.
        for k in 0..<arms.count {
            scores[k] = mode == .evaluation ? means[k] : index(of: k)
        }
        for i in 0..<env.count {
            resetting[i] = needsReset[i]
            let arm = mask.argmax(copy: i, arms: arms.count) { scores[$0] }
            actions.integers[i] = Int64(arms.start + arm)
            actions.probabilities[i] = 1
        }
    }

    public mutating func learn<Env: BatchEnv>(from env: Env, actions: ActionBatch, using rng: inout Xoshiro256) {
        let rewards = env.rewards
        for i in 0..<env.count where !resetting[i] {
            let arm = Int(actions.integers[i]) - arms.start
            pulls[arm] += 1
            total += 1
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
        total = pulls.reduce(0, +)
    }
}
