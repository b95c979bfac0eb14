/// Bandits with knapsacks: K arms (bidding strategies, channels), each with a Bernoulli reward and a
/// cost per pull, and one budget `B` for the whole episode of `T` steps. The best single arm is
/// usually not optimal: the optimum mixes two arms so that the budget runs out exactly at the end.
///
/// - Observation: `[progress, budget_remaining_fraction, budget_pace]`:
///   - `progress = t / T`, the fraction of the horizon elapsed, in [0, 1];
///   - `budget_remaining_fraction = remaining / B`, in [0, 1];
///   - `budget_pace = (remaining / max(T − t, 1)) / (B / T)`, the budget left per remaining step
///     relative to the average budget per step (1 = on pace), clipped to [0, 4].
/// - Action: `Discrete(K)`, the arm. An arm whose largest possible cost exceeds the remaining budget
///   is masked (``EnvSpec/hasActionMask``); choosing it throws ``ActionError/masked(action:reason:)``.
/// - Reward: a Bernoulli draw with the arm's mean (one uniform draw). The arm's cost is then paid:
///   `cost_k` when `random_costs` is false; 1 with probability `cost_k`, else 0, when it is true (one
///   more uniform draw). The remaining budget is clamped at 0, so rounding never makes it negative.
/// - Episode: `terminated` when no arm is affordable any more (the budget is spent: nothing can be
///   earned); truncated after `max_episode_steps` = `T` (default 10,000).
/// - There is no "skip" arm. Means and costs do not change over time, so pausing never helps: an agent
///   that wants to use only a fraction of the steps can play its mix until the budget is spent, and
///   the early termination stands in for the skipped steps. The LP therefore has `Σ x_k ≤ 1`.
/// - Info: `expected_reward` (the arm's mean), `cost` (paid this step), `budget_remaining`.
/// - Oracle: the LP relaxation `max T Σ x_k r_k` s.t. `T Σ x_k c_k ≤ B`, `Σ x_k ≤ 1`, `x ≥ 0`
///   (``lpOptimum()``), an upper bound on any policy's expected return (Badanidiyuru, Kleinberg and
///   Slivkins, 2013). The oracle draws an arm from the normalised LP mix `x / Σ x` each step, with its
///   own random stream; when the drawn arm is masked it plays the affordable arm with the highest mean.
///   Its expected return is within a few tenths of a percent of the LP value.
///
/// Parameters:
/// - `means`: the arms' reward probabilities, 2 to 256 of them, each in [0, 1].
///   Default `[0.45, 0.2, 0.7, 0.1, 0.6]`.
/// - `costs`: the arms' (expected) costs per pull, one per arm, each in (0, 1e9]; at most 1 when
///   `random_costs` is true. Default `[0.3, 0.1, 1.0, 0.9, 0.6]`.
/// - `budget`: the total budget `B`, at least the cheapest arm's largest cost. Default 4,500.
/// - `random_costs`: whether costs are Bernoulli(`cost_k`) draws of 0 or 1 instead of fixed.
///   Default false.
///
/// With the defaults, `B / T = 0.45` lies between the costs of arms 0 (0.3) and 4 (0.6): the LP plays
/// each half of the time and earns `T · 0.525 = 5,250`. The best reward/cost arm (1) alone earns
/// 2,000 and the best-mean arm (2) alone 3,150.
public struct BudgetedBandit: ScenarioEnv {
    public static let kind = "budgeted-bandit"
    public static let defaultMaxEpisodeSteps = 10_000
    /// The upper clip of the `budget_pace` observation.
    public static let maxPace: Float = 4

    public let spec: EnvSpec
    /// The arms' reward probabilities.
    public let means: [Double]
    /// The arms' costs (fixed), or their expected costs (random).
    public let costs: [Double]
    /// The total budget `B`.
    public let budget: Double
    /// Whether a pull costs 1 with probability `cost_k` rather than exactly `cost_k`.
    public let randomCosts: Bool
    /// The LP relaxation's solution, which the oracle plays.
    public let lp: LPSolution
    /// The horizon `T`.
    public var horizon: Int { clock.maxSteps }

    /// The largest cost a pull of each arm can incur: what must remain for the arm to be playable.
    private let maxCost: [Double]
    /// The smallest of ``maxCost``: below it, no arm is affordable.
    private let cheapest: Double
    /// Rounding slack when comparing the remaining budget with a cost: a billionth of the cheapest
    /// arm's cost, so an arm that is exactly affordable stays playable despite rounding in the running
    /// budget, and nothing noticeably unaffordable ever is.
    private let slack: Double
    /// The cumulative normalised LP mix, for the oracle's draw.
    private let mixCumulative: [Double]
    /// Arms by decreasing mean (the oracle's fallback order).
    private let byMean: [Int]
    private var remaining: Double
    private var clock: EpisodeClock
    private var rng = Xoshiro256(seed: 0)

    /// The optimum of the LP relaxation of bandits with knapsacks.
    public struct LPSolution: Sendable, Equatable {
        /// `T Σ x_k r_k`: an upper bound on the expected return of any policy.
        public var value: Double
        /// `x_k`, the fraction of the `T` steps spent on each arm; `Σ x_k ≤ 1`.
        public var mix: [Double]
    }

    public init(scenario: Scenario) throws(ScenarioError) {
        var reader = ConfigReader(scenario.parameters, path: "parameters")
        let means = try reader.doubles("means", default: [0.45, 0.2, 0.7, 0.1, 0.6], count: 2...256, each: .probability)
        let costs = try reader.doubles(
            "costs", default: [0.3, 0.1, 1.0, 0.9, 0.6], count: 2...256,
            each: Bounds(lower: 0, upper: 1e9, lowerInclusive: false))
        let budget = try reader.double("budget", default: 4_500, in: Bounds(lower: 0, upper: 1e15, lowerInclusive: false))
        let randomCosts = try reader.bool("random_costs", default: false)
        try reader.finish()
        guard costs.count == means.count else {
            throw .invalidValue(path: reader.path(of: "costs"), reason: "has \(costs.count) elements, means has \(means.count)")
        }
        if randomCosts, let i = costs.firstIndex(where: { $0 > 1 }) {
            throw .invalidValue(
                path: reader.path(of: "costs") + "[\(i)]",
                reason: "\(ConfigValue.format(costs[i])) is not a probability, as random_costs needs")
        }
        let maxCost = randomCosts ? costs.map { _ in 1.0 } : costs
        let cheapest = maxCost.min()!
        guard budget >= cheapest else {
            throw .invalidValue(
                path: reader.path(of: "budget"),
                reason: "\(ConfigValue.format(budget)) cannot pay for a single pull (the cheapest costs up to \(ConfigValue.format(cheapest)))")
        }
        let steps = scenario.maxEpisodeSteps ?? Self.defaultMaxEpisodeSteps
        let lp = Self.solveLP(means: means, costs: costs, budget: budget, horizon: steps)
        self.means = means
        self.costs = costs
        self.budget = budget
        self.randomCosts = randomCosts
        self.lp = lp
        self.maxCost = maxCost
        self.cheapest = cheapest
        self.slack = 1e-9 * cheapest
        let total = lp.mix.reduce(0, +)
        var cumulative = 0.0
        self.mixCumulative = lp.mix.map { x in
            cumulative += total > 0 ? x / total : 0
            return cumulative
        }
        self.byMean = means.indices.sorted { means[$0] > means[$1] || (means[$0] == means[$1] && $0 < $1) }
        self.remaining = budget
        self.clock = EpisodeClock(maxSteps: steps)
        self.spec = EnvSpec(
            id: scenario.id, kind: Self.kind, summary: scenario.summary,
            observationSpace: Box(low: [0, 0, 0], high: [1, 1, Self.maxPace]),
            observationLabels: ["progress", "budget_remaining_fraction", "budget_pace"],
            actionSpace: .discrete(Discrete(means.count)), maxEpisodeSteps: steps, rewardRange: 0...1,
            infoFields: [.expectedReward, .cost, .budgetRemaining], hasActionMask: true, parameters: reader.resolved,
            oracle: OracleSpec(
                kind: .optimal, expectedReturn: lp.value,
                note: "Draws arms from the LP mix max TΣx·r s.t. TΣx·c ≤ B, Σx ≤ 1; expectedReturn is the LP value, "
                    + "an upper bound that the oracle reaches up to end effects."),
            source: scenario.source)
    }

    // MARK: Known answer

    /// The LP relaxation `max T Σ x_k r_k` s.t. `T Σ x_k c_k ≤ B`, `Σ x_k ≤ 1`, `x ≥ 0`, with `c_k`
    /// the expected costs. Solved on the upper concave hull of the points `(c_k, r_k)` and the origin,
    /// read at the budget per step `B / T`.
    public func lpOptimum() -> LPSolution { lp }

    static func solveLP(means: [Double], costs: [Double], budget: Double, horizon: Int) -> LPSolution {
        let T = Double(horizon)
        let rho = budget / T
        // Upper hull from the origin (index -1) through the arms sorted by cost, keeping for equal
        // costs only the highest mean.
        let order = means.indices.sorted { costs[$0] < costs[$1] || (costs[$0] == costs[$1] && means[$0] > means[$1]) }
        func point(_ i: Int) -> (c: Double, r: Double) { i < 0 ? (0, 0) : (costs[i], means[i]) }
        var hull = [-1]
        for i in order {
            if let last = hull.last, last >= 0, costs[last] == costs[i] { continue }
            while hull.count >= 2 {
                let a = point(hull[hull.count - 2]), b = point(hull[hull.count - 1]), p = point(i)
                let cross = (b.c - a.c) * (p.r - a.r) - (b.r - a.r) * (p.c - a.c)
                if cross >= 0 { hull.removeLast() } else { break }
            }
            hull.append(i)
        }
        // Only the rising part of the hull matters: past the highest mean, spending more earns less.
        while hull.count >= 2, point(hull[hull.count - 1]).r <= point(hull[hull.count - 2]).r { hull.removeLast() }
        var mix = [Double](repeating: 0, count: means.count)
        guard let j = hull.firstIndex(where: { $0 >= 0 && costs[$0] >= rho }) else {
            // The budget affords the top of the hull on every step.
            if let top = hull.last, top >= 0 { mix[top] = 1 }
            return LPSolution(value: T * mix.indices.reduce(0) { $0 + mix[$1] * means[$1] }, mix: mix)
        }
        let lo = hull[j - 1], hi = hull[j]
        let a = point(lo), b = point(hi)
        let theta = (rho - a.c) / (b.c - a.c)
        mix[hi] = theta
        if lo >= 0 { mix[lo] = 1 - theta }
        return LPSolution(value: T * ((1 - theta) * a.r + theta * b.r), mix: mix)
    }

    // MARK: Env

    public mutating func reset(seed: UInt64?, observation: UnsafeMutableBufferPointer<Float>) -> StepInfo {
        if let seed { rng = Xoshiro256(seed: seed) }
        clock.start()
        remaining = budget
        writeObservation(observation)
        var info = StepInfo()
        info.budgetRemaining = remaining
        return info
    }

    public func check(_ action: Int) throws(ActionError) {
        try clock.ensureRunning()
        guard action >= 0 && action < means.count else {
            throw .outOfSpace(action: "\(action)", space: "Discrete(\(means.count))")
        }
        guard affordable(action) else {
            throw .masked(
                action: action,
                reason: "arm \(action) costs up to \(ConfigValue.format(maxCost[action])) and only \(ConfigValue.format(remaining)) of the budget remains")
        }
    }

    public mutating func step(_ action: Int, observation: UnsafeMutableBufferPointer<Float>) throws(ActionError) -> Transition {
        try check(action)
        let reward: Double = rng.uniform() < means[action] ? 1 : 0
        let cost: Double = randomCosts ? (rng.uniform() < costs[action] ? 1 : 0) : costs[action]
        remaining = max(0, remaining - cost)
        let terminated = remaining + slack < cheapest
        let truncated = clock.advance(terminated: terminated)
        writeObservation(observation)
        var info = StepInfo()
        info.expectedReward = means[action]
        info.cost = cost
        info.budgetRemaining = remaining
        return Transition(reward: reward, terminated: terminated, truncated: truncated, info: info)
    }

    public func writeActionMask(into mask: UnsafeMutableBufferPointer<Bool>) {
        for k in mask.indices { mask[k] = affordable(k) }
    }

    public func oracleAction(using rng: inout Xoshiro256) -> Int {
        let u = rng.uniform()
        var arm = byMean[0]
        for k in mixCumulative.indices where u < mixCumulative[k] {
            arm = k
            break
        }
        if affordable(arm) { return arm }
        for k in byMean where affordable(k) { return k }
        return arm
    }

    /// A uniform affordable arm, by rejection: draws arms uniformly until one is affordable (the
    /// result is uniform over the affordable arms). Returns arm 0 when none is affordable, which only
    /// happens after the episode has terminated.
    public func randomAction(using rng: inout Xoshiro256) -> Int {
        guard maxCost.indices.contains(where: affordable) else { return 0 }
        while true {
            let arm = rng.below(maxCost.count)
            if affordable(arm) { return arm }
        }
    }

    /// The budget left in the current episode.
    public var budgetRemaining: Double { remaining }

    @inline(__always)
    private func affordable(_ arm: Int) -> Bool { remaining + slack >= maxCost[arm] }

    private func writeObservation(_ observation: UnsafeMutableBufferPointer<Float>) {
        let T = Double(clock.maxSteps)
        observation[0] = clock.progress
        observation[1] = Float(remaining / budget)
        let stepsLeft = Double(max(clock.maxSteps - clock.step, 1))
        observation[2] = min(Self.maxPace, Float((remaining / stepsLeft) / (budget / T)))
    }
}
