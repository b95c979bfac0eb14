import AdEnv

/// The return of every episode a batch env finishes, discounted by `discount` (`Σ_t γ^t·r_t`;
/// plain sums for γ = 1), recorded with the run's env-step count when it ended, copies in order.
struct DiscountedReturns {
    let discount: Double
    private var running: [Double]
    private var weights: [Double]
    private(set) var episodes: [(step: Int, value: Double)] = []

    init(count: Int, discount: Double) {
        self.discount = discount
        running = Array(repeating: 0, count: count)
        weights = Array(repeating: 1, count: count)
    }

    /// Records the step `env` just took; `resetting` is its `needsReset` from before the step
    /// (those copies were autoreset and took no step).
    mutating func record<E: BatchEnv>(_ env: E, resetting: [Bool], step: Int) {
        let rewards = env.rewards, terminated = env.terminated, truncated = env.truncated
        for i in 0..<env.count where !resetting[i] {
            running[i] += weights[i] * rewards[i]
            weights[i] *= discount
            guard terminated[i] || truncated[i] else { continue }
            episodes.append((step, running[i]))
            running[i] = 0
            weights[i] = 1
        }
    }
}
