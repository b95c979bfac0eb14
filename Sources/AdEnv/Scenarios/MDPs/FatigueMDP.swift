#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Show or rest under user fatigue: each step the publisher either shows the user an ad, which pays
/// less the more tired the user is and tires them further, or rests, which pays nothing and lets the
/// user recover. Tired users are more likely to leave for good.
///
/// - State: the user's fatigue level `f ∈ {0, …, L}` (`L = max_level`).
/// - Observation: a one-hot of `f` (`L + 1` elements, `fatigue_0 … fatigue_L`), then `f / L`
///   (`fatigue_level`), all in [0, 1].
/// - Action: `Discrete(2)`: 0 = rest, 1 = show.
/// - Reward: showing pays `decay^f` and moves `f → min(f + 1, L)`; resting pays 0 and moves
///   `f → max(f − 1, 0)`. Rewards are undiscounted; ``discount`` is only what the oracle's value uses.
/// - Churn: whatever the action, the user leaves with probability `churn_base + churn_per_level · f`,
///   where `f` is the fatigue *before* the action. The step's reward is still paid; the episode then
///   ends with `terminated = true`. One uniform draw per step.
/// - Episode: starts at `f = 0` (or the reset option `initial_fatigue`); truncated after
///   `max_episode_steps` (default 3,000). Since every step churns with probability at least
///   `churn_base` (1%) and the oracle's value discounts by `γ^t`, both `0.99^3000 ≈ 8e-14`: the time
///   limit changes the discounted value by less than 1e-11.
/// - Info: `churned` (1 when the user left this step) and `impressions` (1 when an ad was shown).
/// - Oracle: policy iteration on the exact model (``optimalValues(discount:)``) with the scenario's
///   `discount`; it acts greedily on `Q*`. Its `expectedReturn` is the *discounted* value `V*(0)`, so
///   compare it with ``Rollout/discountedReturns`` of a rollout made with the same `discount`.
///   With the defaults `V*(0) ≈ 17.00` and the optimal policy shows only at `f = 0`; "always show"
///   is worth about 4.43.
///
/// Parameters:
/// - `max_level`: the highest fatigue level `L`, 1 to 64. Default 4.
/// - `decay`: the reward of a show at fatigue `f` is `decay^f`, in (0, 1]. Default 0.7.
/// - `churn_base`: the churn probability at `f = 0`, in [0, 1]. Default 0.01.
/// - `churn_per_level`: the extra churn probability per fatigue level, in [0, 1]. Default 0.02.
///   `churn_base + churn_per_level · L` must not exceed 1.
/// - `discount`: the discount factor `γ` of the oracle's value, in [0, 1). Default 0.99.
///
/// Reset options: `initial_fatigue`, the fatigue level the episode starts at, 0 to `L`. Default 0.
public struct FatigueMDP: ScenarioEnv {
    public static let kind = "fatigue-mdp"
    public static let defaultMaxEpisodeSteps = 3_000

    /// The actions, by their `Discrete(2)` index.
    public static let rest = 0
    public static let show = 1

    public let spec: EnvSpec
    /// The highest fatigue level `L`.
    public let maxLevel: Int
    public let decay: Double
    public let churnBase: Double
    public let churnPerLevel: Double
    /// The discount factor the oracle's value uses.
    public let discount: Double
    /// The optimal values and greedy policy for ``discount``.
    public let solution: Solution
    /// `decay^f` for each level.
    private let showReward: [Double]
    /// The churn probability at each level.
    private let churnProbability: [Double]
    private var fatigue = 0
    private var clock: EpisodeClock
    private var rng = Xoshiro256(seed: 0)

    /// The optimal state values and a greedy optimal policy of the fatigue MDP.
    public struct Solution: Sendable, Equatable {
        /// `V*(f)` for `f = 0 … L`: the optimal expected discounted return from fatigue `f`.
        public var values: [Double]
        /// The optimal action at each level (``FatigueMDP/show`` on ties).
        public var policy: [Int]
    }

    public init(scenario: Scenario) throws(ScenarioError) {
        var reader = ConfigReader(scenario.parameters, path: "parameters")
        let maxLevel = try reader.int("max_level", default: 4, in: .closed(1, 64))
        let decay = try reader.double("decay", default: 0.7, in: Bounds(lower: 0, upper: 1, lowerInclusive: false))
        let churnBase = try reader.double("churn_base", default: 0.01, in: .probability)
        let churnPerLevel = try reader.double("churn_per_level", default: 0.02, in: .probability)
        let discount = try reader.double("discount", default: 0.99, in: Bounds(lower: 0, upper: 1, upperInclusive: false))
        try reader.finish()
        let highest = churnBase + churnPerLevel * Double(maxLevel)
        guard highest <= 1 else {
            throw .invalidValue(
                path: reader.path(of: "churn_per_level"),
                reason: "churn_base + churn_per_level · max_level = \(ConfigValue.format(highest)) exceeds 1")
        }
        let steps = scenario.maxEpisodeSteps ?? Self.defaultMaxEpisodeSteps
        self.maxLevel = maxLevel
        self.decay = decay
        self.churnBase = churnBase
        self.churnPerLevel = churnPerLevel
        self.discount = discount
        self.showReward = (0...maxLevel).map { pow(decay, Double($0)) }
        self.churnProbability = (0...maxLevel).map { churnBase + churnPerLevel * Double($0) }
        self.clock = EpisodeClock(maxSteps: steps)
        self.solution = Self.policyIteration(
            maxLevel: maxLevel, showReward: showReward, churnProbability: churnProbability, discount: discount)
        let labels = (0...maxLevel).map { "fatigue_\($0)" } + ["fatigue_level"]
        self.spec = EnvSpec(
            id: scenario.id, kind: Self.kind, summary: scenario.summary,
            observationSpace: Box(low: 0, high: 1, shape: [maxLevel + 2]), observationLabels: labels,
            actionSpace: .discrete(Discrete(2)), maxEpisodeSteps: steps, rewardRange: 0...1,
            infoFields: [.churned, .impressions], parameters: reader.resolved,
            oracle: OracleSpec(
                kind: .optimal, expectedReturn: solution.values[0],
                note: "Greedy on Q* of the exact model (policy iteration) with discount γ = \(ConfigValue.format(discount)); "
                    + "expectedReturn is the discounted value V*(0), not an undiscounted return.",
                discount: discount),
            source: scenario.source)
    }

    // MARK: Known answer

    /// `V*` and a greedy optimal policy for discount `discount` (in [0, 1)), by policy iteration with
    /// exact policy evaluation: it terminates after finitely many improvements for every discount
    /// below 1, however close (value iteration with an absolute tolerance need not).
    public func optimalValues(discount: Double) -> Solution {
        precondition(discount >= 0 && discount < 1, "the discount must lie in [0, 1)")
        return Self.policyIteration(maxLevel: maxLevel, showReward: showReward, churnProbability: churnProbability, discount: discount)
    }

    /// The expected discounted return from each level of a fixed policy (one action per level),
    /// solving its Bellman equation `V = r_π + γ P_π V` exactly.
    public func policyValues(_ policy: [Int], discount: Double) -> [Double] {
        precondition(policy.count == maxLevel + 1 && policy.allSatisfy { $0 == Self.rest || $0 == Self.show })
        precondition(discount >= 0 && discount < 1, "the discount must lie in [0, 1)")
        return Self.evaluate(policy, maxLevel: maxLevel, showReward: showReward, churnProbability: churnProbability, discount: discount)
    }

    private static func policyIteration(maxLevel: Int, showReward: [Double], churnProbability: [Double], discount: Double) -> Solution {
        var policy = [Int](repeating: show, count: maxLevel + 1)
        // Each improvement strictly raises V, so no policy repeats; 2^(L+1) bounds the count, and in
        // practice it takes a handful. Switching only on a clear gain avoids cycling on rounding ties.
        while true {
            let v = evaluate(policy, maxLevel: maxLevel, showReward: showReward, churnProbability: churnProbability, discount: discount)
            var changed = false
            for f in 0...maxLevel {
                let current = q(f, policy[f], v, showReward, churnProbability, discount, maxLevel)
                let other = q(f, 1 - policy[f], v, showReward, churnProbability, discount, maxLevel)
                if other > current + 1e-12 * max(1, abs(current)) {
                    policy[f] = 1 - policy[f]
                    changed = true
                }
            }
            if !changed {
                // Report ties as "show", as the greedy rule always has.
                for f in 0...maxLevel where policy[f] == rest {
                    let showValue = q(f, show, v, showReward, churnProbability, discount, maxLevel)
                    if showValue >= q(f, rest, v, showReward, churnProbability, discount, maxLevel) { policy[f] = show }
                }
                return Solution(values: v, policy: policy)
            }
        }
    }

    /// Solves `(I − γ P_π) V = r_π` by Gaussian elimination with partial pivoting. Each level moves
    /// to one next level when the user stays, so row `f` has `1` on the diagonal and
    /// `−γ(1 − churn_f)` in the next level's column.
    private static func evaluate(_ policy: [Int], maxLevel: Int, showReward: [Double], churnProbability: [Double], discount: Double) -> [Double] {
        let n = maxLevel + 1
        var a = [[Double]](repeating: [Double](repeating: 0, count: n + 1), count: n)
        for f in 0..<n {
            let next = policy[f] == show ? min(f + 1, maxLevel) : max(f - 1, 0)
            a[f][f] += 1
            a[f][next] -= discount * (1 - churnProbability[f])
            a[f][n] = policy[f] == show ? showReward[f] : 0
        }
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0][column]) < abs(a[$1][column]) }!
            a.swapAt(column, pivot)
            for row in 0..<n where row != column && a[row][column] != 0 {
                let factor = a[row][column] / a[column][column]
                for k in column...n { a[row][k] -= factor * a[column][k] }
            }
        }
        return (0..<n).map { a[$0][n] / a[$0][$0] }
    }

    // MARK: Env

    public mutating func reset(seed: UInt64?, observation: UnsafeMutableBufferPointer<Float>) -> StepInfo {
        start(seed: seed, fatigue: 0, observation: observation)
    }

    /// Starts an episode; the option `initial_fatigue` (0 to `max_level`) sets the starting level.
    /// Unknown options are errors. A rejected option leaves the env unchanged.
    public mutating func reset(seed: UInt64?, options: ConfigObject, observation: UnsafeMutableBufferPointer<Float>) throws(ScenarioError) -> StepInfo {
        var reader = ConfigReader(options, path: "options")
        let initial = try reader.int("initial_fatigue", default: 0, in: .closed(0, Double(maxLevel)))
        try reader.finish()
        return start(seed: seed, fatigue: initial, observation: observation)
    }

    private mutating func start(seed: UInt64?, fatigue: Int, observation: UnsafeMutableBufferPointer<Float>) -> StepInfo {
        if let seed { rng = Xoshiro256(seed: seed) }
        clock.start()
        self.fatigue = fatigue
        writeObservation(observation)
        return StepInfo()
    }

    public func check(_ action: Int) throws(ActionError) {
        try clock.ensureRunning()
        guard action == Self.rest || action == Self.show else {
            throw .outOfSpace(action: "\(action)", space: "Discrete(2)")
        }
    }

    public mutating func step(_ action: Int, observation: UnsafeMutableBufferPointer<Float>) throws(ActionError) -> Transition {
        try check(action)
        let f = fatigue
        let reward = action == Self.show ? showReward[f] : 0
        let churned = rng.uniform() < churnProbability[f]
        fatigue = action == Self.show ? min(f + 1, maxLevel) : max(f - 1, 0)
        let truncated = clock.advance(terminated: churned)
        writeObservation(observation)
        var info = StepInfo()
        info.churned = churned ? 1 : 0
        info.impressions = action == Self.show ? 1 : 0
        return Transition(reward: reward, terminated: churned, truncated: truncated, info: info)
    }

    public func oracleAction(using rng: inout Xoshiro256) -> Int { solution.policy[fatigue] }

    /// The current fatigue level.
    public var currentFatigue: Int { fatigue }

    private func writeObservation(_ observation: UnsafeMutableBufferPointer<Float>) {
        for i in 0...maxLevel { observation[i] = 0 }
        observation[fatigue] = 1
        observation[maxLevel + 1] = Float(fatigue) / Float(maxLevel)
    }
}

/// `Q(f, a)` under values `v`: the immediate reward plus the discounted value of the next level if
/// the user stays.
private func q(_ f: Int, _ action: Int, _ v: [Double], _ showReward: [Double], _ churn: [Double], _ discount: Double, _ maxLevel: Int) -> Double {
    let stay = discount * (1 - churn[f])
    if action == FatigueMDP.show { return showReward[f] + stay * v[min(f + 1, maxLevel)] }
    return stay * v[max(f - 1, 0)]
}
