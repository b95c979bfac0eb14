#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AdEnv

/// A budget-aware bandit for bandits with knapsacks (BudgetedBandit-v0): optimistic estimates fed
/// to the LP that the oracle solves with the true values, re-solved every step for the budget that
/// is left (in the spirit of Agrawal and Devanur's UCB-BwK, 2014).
///
/// Each step, for each copy:
/// 1. Any allowed arm never pulled is pulled first (lowest index).
/// 2. Otherwise every allowed arm gets an optimistic reward `U_k = min(1, r̄_k + w_k)` and an
///    optimistic (low) cost `L_k = max(0, c̄_k − w_k)`, with `w_k = sqrt(c · ln t / n_k)`.
/// 3. The budget rate is `ρ = remaining budget / steps left` (the env's `budget_remaining` info
///    field and its `progress` observation times `max_episode_steps`).
/// 4. The agent solves `max Σ x_k U_k` s.t. `Σ x_k L_k ≤ ρ`, `Σ x_k ≤ 1`, `x ≥ 0` over the allowed
///    arms. The optimum is one arm (the best `U` among arms with `L ≤ ρ`) or a mix of one arm `a`
///    below the rate (or no arm) and one arm `b` above it, spending exactly `ρ`: `b` with
///    probability `θ = (ρ − L_a)/(L_b − L_a)`. All such pairs are compared (`O(K²)`, no allocation).
/// 5. It plays that arm, or draws from the mix (one uniform). A mix with "no arm" plays `b`: the env
///    has no skip action, and spending faster only ends the episode earlier (see BudgetedBandit).
///
/// - Probability logged: the policy's own, `θ`, `1 − θ` or 1.
/// - Model: pulls, mean reward and mean cost per arm (costs read from the `cost` info field),
///   shared by every copy and carried across episodes.
/// - Needs: a Discrete action space, rewards in [0, 1], the info fields `cost` and
///   `budget_remaining`, and an observation labelled `progress`; anything else is refused.
/// - Evaluation mode: the same LP on the plain means (`w = 0`).
public struct BudgetedUCB: Agent {
    public struct Hyperparameters: AgentHyperparameters {
        /// `c` in the confidence width `sqrt(c · ln t / n)`. Default 0.25 (of 0.1, 0.25, 0.5, 1 and 2 on
        /// BudgetedBandit-v0, 0.1 earned most and 2 least; 0.25 keeps a margin of exploration), in
        /// [0, 100].
        public var exploration: Double

        public init(reading reader: inout ConfigReader) throws(ScenarioError) {
            exploration = try reader.double("exploration", default: 0.25, in: .closed(0, 100))
        }
    }

    public static let name = "budgeted-ucb"
    public let hyperparameters: Hyperparameters
    public let arms: DiscreteArms
    /// Pulls of each arm.
    public private(set) var pulls: [Double]
    /// The mean reward of each arm.
    public private(set) var rewards: [Double]
    /// The mean cost of each arm.
    public private(set) var costs: [Double]
    /// Total pulls, `t`.
    public private(set) var total = 0.0
    private let horizon: Int
    private let progressIndex: Int
    private var optimistic: [Double]
    private var lowCosts: [Double]
    private var resetting: [Bool]

    public init(spec: EnvSpec, count: Int, hyperparameters: Hyperparameters, using rng: inout Xoshiro256) throws(AgentError) {
        self.hyperparameters = hyperparameters
        arms = try DiscreteArms(spec: spec, agent: Self.name)
        try spec.requireUnitRewards(agent: Self.name)
        guard spec.infoFields.contains(.cost), spec.infoFields.contains(.budgetRemaining) else {
            throw .unsupported(agent: Self.name, env: spec.id, reason: "it needs the info fields cost and budget_remaining")
        }
        guard let progress = spec.observationLabels.firstIndex(of: "progress") else {
            throw .unsupported(agent: Self.name, env: spec.id, reason: "it needs an observation labelled progress")
        }
        progressIndex = progress
        horizon = spec.maxEpisodeSteps
        pulls = Array(repeating: 0, count: arms.count)
        rewards = pulls
        costs = pulls
        optimistic = pulls
        lowCosts = pulls
        resetting = Array(repeating: false, count: count)
    }

    /// The LP's play for one copy: `(a, b, θ)`, play `b` with probability `θ`, else `a` (`a` is
    /// -1 for "no arm").
    private func solve(rate rho: Double, mask: ArmMask, copy: Int) -> (low: Int, high: Int, theta: Double) {
        // The best single arm within the rate.
        var best = 0.0, play = (low: -1, high: -1, theta: 1.0)
        for k in 0..<arms.count where mask.allows(copy: copy, arm: k) && lowCosts[k] <= rho {
            if play.high < 0 || optimistic[k] > best { best = optimistic[k]; play = (-1, k, 1) }
        }
        // Mixes of an arm below the rate (or none) with one above it, spending exactly the rate.
        for b in 0..<arms.count where mask.allows(copy: copy, arm: b) && lowCosts[b] > rho {
            for a in -1..<arms.count where a < 0 || (mask.allows(copy: copy, arm: a) && lowCosts[a] <= rho) {
                let la = a < 0 ? 0 : lowCosts[a], ua = a < 0 ? 0 : optimistic[a]
                let theta = (rho - la) / (lowCosts[b] - la)
                let value = ua + theta * (optimistic[b] - ua)
                if play.high < 0 || value > best { best = value; play = (a, b, theta) }
            }
        }
        return play
    }

    public mutating func act<Env: BatchEnv>(on env: Env, mode: ActingMode, into actions: inout ActionBatch, using rng: inout Xoshiro256) {
        let mask = ArmMask(env)
        let needsReset = env.needsReset, infos = env.infos, observations = env.observations
        let width = mode == .training ? hyperparameters.exploration * log(max(total, 1)) : 0
        for k in 0..<arms.count where pulls[k] > 0 {
            let w = (width / pulls[k]).squareRoot()
            optimistic[k] = min(1, rewards[k] + w)
            lowCosts[k] = max(0, costs[k] - w)
        }
        let d = env.spec.observationCount
        for i in 0..<env.count {
            resetting[i] = needsReset[i]
            var arm = -1, probability = 1.0
            for k in 0..<arms.count where pulls[k] == 0 && mask.allows(copy: i, arm: k) {
                arm = k
                break
            }
            if arm < 0 {
                let progress = Double(observations[i * d + progressIndex])
                let left = max(1, horizon - Int((progress * Double(horizon)).rounded()))
                let play = solve(rate: infos[i].budgetRemaining / Double(left), mask: mask, copy: i)
                if play.low < 0 || play.theta >= 1 {
                    arm = max(play.high, 0)
                } else if rng.uniform() < play.theta {
                    arm = play.high
                    probability = play.theta
                } else {
                    arm = play.low
                    probability = 1 - play.theta
                }
            }
            actions.integers[i] = Int64(arms.start + arm)
            actions.probabilities[i] = probability
        }
    }

    public mutating func learn<Env: BatchEnv>(from env: Env, actions: ActionBatch, using rng: inout Xoshiro256) {
        let rewards = env.rewards, infos = env.infos
        for i in 0..<env.count where !resetting[i] {
            let arm = Int(actions.integers[i]) - arms.start
            pulls[arm] += 1
            total += 1
            self.rewards[arm] += (rewards[i] - self.rewards[arm]) / pulls[arm]
            costs[arm] += (infos[i].cost - costs[arm]) / pulls[arm]
        }
    }

    public func save(to checkpoint: inout Checkpoint) {
        checkpoint.set("bandit.pulls", .doubles(pulls))
        checkpoint.set("bandit.rewards", .doubles(rewards))
        checkpoint.set("bandit.costs", .doubles(costs))
    }

    public mutating func load(from checkpoint: Checkpoint) throws(CheckpointError) {
        pulls = try checkpoint.doubles("bandit.pulls", count: arms.count)
        rewards = try checkpoint.doubles("bandit.rewards", count: arms.count)
        costs = try checkpoint.doubles("bandit.costs", count: arms.count)
        total = pulls.reduce(0, +)
    }
}
