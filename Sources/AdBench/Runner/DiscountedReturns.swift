import AdEnv

/// The return of every episode a batch env finishes, discounted by `discount` (`Σ_t γ^t·r_t`;
/// plain sums for γ = 1), recorded with the run's env-step count when it ended, copies in order.
/// What is summed is the reward, or any per-copy value of the step (the online protocol sums
/// `expected_reward`).
struct DiscountedReturns {
    let discount: Double
    private var running: [Double]
    private var weights: [Double]
    private(set) var episodes: [(step: Int, value: Double)] = []
    /// Everything recorded so far, undiscounted, episodes unfinished included.
    private(set) var collected = 0.0

    init(count: Int, discount: Double) {
        self.discount = discount
        running = Array(repeating: 0, count: count)
        weights = Array(repeating: 1, count: count)
    }

    /// Records the step `env` just took, summing its rewards; `resetting` is its `needsReset` from
    /// before the step (those copies were autoreset and took no step).
    mutating func record<E: BatchEnv>(_ env: E, resetting: [Bool], step: Int) {
        record(env.rewards, of: env, resetting: resetting, step: step)
    }

    /// Records the step `env` just took, summing `values` (one per copy) instead of its rewards.
    mutating func record<E: BatchEnv>(_ values: [Double], of env: E, resetting: [Bool], step: Int) {
        let terminated = env.terminated, truncated = env.truncated
        for i in 0..<env.count where !resetting[i] {
            collected += values[i]
            running[i] += weights[i] * values[i]
            weights[i] *= discount
            guard terminated[i] || truncated[i] else { continue }
            episodes.append((step, running[i]))
            running[i] = 0
            weights[i] = 1
        }
    }
}
