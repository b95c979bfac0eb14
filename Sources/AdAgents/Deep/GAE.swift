/// Generalized advantage estimation (Schulman et al. 2016) over a rollout of `T` steps of `N`
/// copies, laid out time-major (`[t * N + i]`), with the vector env's NEXT_STEP autoreset.
///
/// For copy `i` at step `t` (with `v_t = values[t * N + i]`, the critic's value of the observation
/// acted on at step `t`):
///
///     δ_t = r_t + γ · (terminated_t ? 0 : v_{t+1}) − v_t
///     A_t = δ_t + γλ · (episode continues after t ? A_{t+1} : 0)
///
/// - **Termination** (the MDP reached a terminal state): no bootstrap, the chain stops.
/// - **Truncation** (a time limit): bootstrap with `v_{t+1}`, the chain stops. Under NEXT_STEP
///   autoreset the step that ends an episode returns its *final* observation, and the agent acts
///   (and evaluates its critic) on that observation at step `t + 1` before the env resets the copy,
///   so `v_{t+1}` is exactly `V(final observation)`. At the end of the rollout, `values[T * N + i]`
///   is the critic's value of the observation after the last step: the final observation again if
///   that step ended an episode.
/// - **Autoreset steps** (`valid` false: the copy's episode had ended, its action was ignored and
///   the env returned the first observation of the next episode): not transitions; their
///   advantage is 0 and no valid step chains into them (the step before them ended an episode).
/// - The last step of the rollout chains into nothing (`A_T = 0`), bootstrapping with `v_T`.
public enum GAE {
    /// Writes the advantages of every step into `advantages` (`T × N`).
    ///
    /// - Parameters:
    ///   - rewards, terminated, truncated, valid: `T × N` each.
    ///   - values: `(T + 1) × N`: the value of each acted-on observation, then of the observation
    ///     after the last step.
    ///   - copies: `N`.
    ///   - gamma: the discount γ; lambda: the GAE λ (0 gives one-step TD errors, 1 Monte-Carlo
    ///     returns minus the values).
    /// - Precondition: the counts agree.
    @inlinable
    public static func advantages(
        rewards: [Float], values: [Float], terminated: [Bool], truncated: [Bool], valid: [Bool],
        copies: Int, gamma: Float, lambda: Float, into advantages: inout [Float]
    ) {
        let n = copies, total = rewards.count
        precondition(n > 0 && total % n == 0, "GAE: the rollout needs a whole number of steps of every copy")
        precondition(values.count == total + n && terminated.count == total && truncated.count == total
                     && valid.count == total && advantages.count == total, "GAE: buffer counts differ")
        let steps = total / n
        let gammaLambda = gamma * lambda
        for i in 0..<n {
            var next: Float = 0  // A_{t+1}, 0 past the end of the rollout
            for t in stride(from: steps - 1, through: 0, by: -1) {
                let k = t * n + i
                guard valid[k] else {
                    advantages[k] = 0
                    next = 0
                    continue
                }
                let bootstrap: Float = terminated[k] ? 0 : values[k + n]
                let delta = rewards[k] + gamma * bootstrap - values[k]
                let continues = !(terminated[k] || truncated[k])
                let a = delta + gammaLambda * (continues ? next : 0)
                advantages[k] = a
                next = a
            }
        }
    }
}
