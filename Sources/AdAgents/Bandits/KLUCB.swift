#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AdEnv

/// KL-UCB for Bernoulli rewards (Garivier and Cappé, 2011): pull every arm once, then the arm with
/// the highest index
/// `q_k = max { q ∈ [mean_k, 1] : n_k · kl(mean_k, q) ≤ ln t + c · ln ln t }`,
/// with `kl(p, q) = p ln(p/q) + (1 − p) ln((1 − p)/(1 − q))` the Bernoulli KL divergence.
///
/// - Index computation: safeguarded Newton on the convex, increasing `kl(p, q) − bound/n`, bracketed
///   between `p` and Pinsker's upper bound `p + sqrt(bound / 2n)`: Newton steps from the upper end
///   (which never overshoot the root), replaced by bisection when a step is not at most half the
///   previous one (near `q = 1`, where the divergence is steep; Numerical Recipes' rtsafe rule). It returns the upper end once the divergence
///   there is within 1e-13 of the level or the bracket is narrower than 1e-13. `p = 1` gives 1.
/// - Rewards must lie in [0, 1] (the env's reward range is checked): a reward in between counts as
///   that fraction of a success in the mean.
/// - Ties, including unpulled arms (index +∞), go to the lowest arm index: deterministic, the logged
///   probability is 1. Masked arms are never chosen.
/// - Evaluation mode: the allowed arm with the highest mean (ties: lowest index).
/// - No random draws.
public struct KLUCB: Agent {
    public struct Hyperparameters: AgentHyperparameters {
        /// `c` in the exploration bound `ln t + c · ln ln t`. Default 0 (what Garivier and Cappé use
        /// in their experiments; their regret bound needs 3), in [0, 10].
        public var c: Double

        public init(reading reader: inout ConfigReader) throws(ScenarioError) {
            c = try reader.double("c", default: 0, in: .closed(0, 10))
        }
    }

    public static let name = "kl-ucb"
    public let hyperparameters: Hyperparameters
    public let arms: DiscreteArms
    /// Pulls of each arm.
    public private(set) var pulls: [Double]
    /// The mean reward of each arm (0 before its first pull).
    public private(set) var means: [Double]
    /// Total pulls, `t`.
    public private(set) var total = 0.0
    private var resetting: [Bool]
    /// Scratch: each arm's index in the current step.
    private var scores: [Double]

    public init(spec: EnvSpec, count: Int, hyperparameters: Hyperparameters, using rng: inout Xoshiro256) throws(AgentError) {
        self.hyperparameters = hyperparameters
        arms = try DiscreteArms(spec: spec, agent: Self.name)
        try spec.requireUnitRewards(agent: Self.name)
        pulls = Array(repeating: 0, count: arms.count)
        means = pulls
        scores = pulls
        resetting = Array(repeating: false, count: count)
    }

    /// The Bernoulli KL divergence `kl(p, q)`, with `0 · ln 0 = 0`.
    public static func divergence(_ p: Double, _ q: Double) -> Double {
        var d = 0.0
        if p > 0 { d += p * log(p / q) }
        if p < 1 { d += (1 - p) * log((1 - p) / (1 - q)) }
        return d
    }

    /// The largest `q ∈ [p, 1]` with `n · kl(p, q) ≤ bound`.
    public static func upperBound(mean p: Double, pulls n: Double, bound: Double) -> Double {
        if p >= 1 { return 1 }
        if bound <= 0 { return p }
        let level = bound / n
        // The root of the convex, increasing f(q) = kl(p, q) − level is bracketed by [lo, hi],
        // f(lo) ≤ 0 < f(hi). Newton steps from hi stay in the bracket (convexity); a Newton step
        // less than half as long as the step before (slow progress, near q = 1 where f is steep)
        // is replaced by bisection, as in Numerical Recipes' rtsafe.
        var lo = p, hi = min(p + (level / 2).squareRoot(), 1 - 1e-15)
        var fHi = divergence(p, hi) - level
        if fHi <= 0 { return hi }
        var lastStep = hi - lo
        for _ in 0..<100 {
            let newtonStep = fHi / ((hi - p) / (hi * (1 - hi)))
            let next: Double
            if 2 * newtonStep < lastStep && hi - newtonStep > lo {
                next = hi - newtonStep
                lastStep = newtonStep
            } else {
                next = (lo + hi) / 2
                lastStep = hi - next
            }
            let f = divergence(p, next) - level
            if f > 0 { (hi, fHi) = (next, f) } else { lo = next }
            if f == 0 { return next }
            if fHi <= 1e-13 || hi - lo <= 1e-13 { return hi }
        }
        return hi
    }

    /// The bound `ln t + c · ln ln t` at `t` total pulls (the second term only once `ln t > 1`).
    func explorationBound() -> Double {
        let lt = log(max(total, 1))
        return lt + (lt > 1 ? hyperparameters.c * log(lt) : 0)
    }

    public mutating func act<Env: BatchEnv>(on env: Env, mode: ActingMode, into actions: inout ActionBatch, using rng: inout Xoshiro256) {
        let mask = ArmMask(env)
        let needsReset = env.needsReset
        let bound = explorationBound()
        // The indices do not depend on the copy: computed once per batch step.
        for k in 0..<arms.count {
            if mode == .evaluation {
                scores[k] = means[k]
            } else {
                scores[k] = pulls[k] > 0 ? Self.upperBound(mean: means[k], pulls: pulls[k], bound: bound) : .infinity
            }
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
