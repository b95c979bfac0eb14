import AdEnv

/// The episodes an agent played in evaluation mode, as ``Agent/evaluate(on:episodes:seed:discount:using:)``
/// returns them.
public struct EvaluationOutcome: Sendable, Equatable {
    /// The returns (discounted as asked): `returns[k]` is the episode reset with seed `seed + k`.
    public var returns: [Double]
}

extension Agent {
    /// Plays `episodes` episodes in ``ActingMode/evaluation`` without learning: episode `k` is reset
    /// with seed `seed + k`, whatever the number of copies, so two agents built for different
    /// numbers of copies are scored on the same episodes (and a reference policy replays them with
    /// `rollout(seed: seed + k, episodes: 1)`). The copies play in rounds: round `r` resets copy `i`
    /// with seed `seed + r·count + i` (``resetEpisodes()`` then clears per-episode state), and ends
    /// when every copy has finished its episode; a copy that finishes early keeps stepping (its
    /// results ignored), and copies past the last episode play spare seeds that are not scored. Every
    /// episode counts once it is complete, so short episodes are not favoured. What the agent has
    /// learned is unchanged. Returns are `Σ_t discount^t · r_t` (undiscounted by default).
    ///
    /// - Throws: ``EvaluationError/invalidAction(agent:reason:)`` when the agent chooses an action
    ///   the env refuses; what the env's reset throws.
    public mutating func evaluate<E: BatchEnv>(
        on env: E, episodes: Int, seed: UInt64, discount: Double = 1, using rng: inout Xoshiro256
    ) throws -> EvaluationOutcome {
        precondition(episodes >= 1, "evaluate at least one episode")
        let count = env.count
        var actions = ActionBatch(spec: env.spec, count: count)
        var returns = [Double](repeating: 0, count: episodes)
        var running = [Double](repeating: 0, count: count)
        var weights = [Double](repeating: 1, count: count)
        var playing = [Bool](repeating: true, count: count)
        var first = 0
        while first < episodes {
            try env.reset(seeds: (0..<count).map { seed &+ UInt64(first + $0) })
            resetEpisodes()
            for i in 0..<count {
                running[i] = 0
                weights[i] = 1
                playing[i] = true
            }
            var remaining = count
            while remaining > 0 {
                act(on: env, mode: .evaluation, into: &actions, using: &rng)
                let resetting = env.needsReset
                do { try actions.step(env) } catch { throw EvaluationError.invalidAction(agent: Self.name, reason: "\(error)") }
                let rewards = env.rewards, terminated = env.terminated, truncated = env.truncated
                for i in 0..<count where playing[i] && !resetting[i] {
                    running[i] += weights[i] * rewards[i]
                    weights[i] *= discount
                    guard terminated[i] || truncated[i] else { continue }
                    playing[i] = false
                    remaining -= 1
                    if first + i < episodes { returns[first + i] = running[i] }
                }
            }
            first += count
        }
        return EvaluationOutcome(returns: returns)
    }
}

/// Why an evaluation stopped.
public enum EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The agent chose an action the env refused.
    case invalidAction(agent: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidAction(agent, reason): "\(agent) chose an invalid action: \(reason)"
        }
    }
}
