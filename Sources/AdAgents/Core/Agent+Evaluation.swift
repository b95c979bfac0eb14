import AdEnv

/// The episodes an agent played in evaluation mode, as ``Agent/evaluate(on:episodes:seed:using:)``
/// returns them.
public struct EvaluationOutcome: Sendable, Equatable {
    /// The returns (discounted as asked) of the first `episodes` episodes to end, in the order they ended.
    public var returns: [Double]
    /// How many of them each copy played: copy `i`'s first `perCopy[i]` episodes from its seed, the
    /// episodes a reference policy replays to be scored on the same ground.
    public var perCopy: [Int]
}

extension Agent {
    /// Plays `env` in ``ActingMode/evaluation`` without learning until `episodes` episodes have
    /// ended, after resetting it with `seed` (copy `i` seeded `seed + i`) and calling
    /// ``resetEpisodes()``. What the agent has learned is unchanged; only per-episode state (a
    /// controller's integral) moves. Returns are `Σ_t discount^t · r_t` (undiscounted by default).
    ///
    /// - Throws: ``EvaluationError/invalidAction(agent:reason:)`` when the agent chooses an action
    ///   the env refuses; what the env's reset throws.
    public mutating func evaluate<E: BatchEnv>(
        on env: E, episodes: Int, seed: UInt64, discount: Double = 1, using rng: inout Xoshiro256
    ) throws -> EvaluationOutcome {
        precondition(episodes >= 1, "evaluate at least one episode")
        var actions = ActionBatch(spec: env.spec, count: env.count)
        var outcome = EvaluationOutcome(returns: [], perCopy: Array(repeating: 0, count: env.count))
        var running = [Double](repeating: 0, count: env.count)
        var weights = [Double](repeating: 1, count: env.count)
        try env.reset(seed: seed)
        resetEpisodes()
        while outcome.returns.count < episodes {
            act(on: env, mode: .evaluation, into: &actions, using: &rng)
            let resetting = env.needsReset
            do { try actions.step(env) } catch { throw EvaluationError.invalidAction(agent: Self.name, reason: "\(error)") }
            let rewards = env.rewards, terminated = env.terminated, truncated = env.truncated
            for i in 0..<env.count where !resetting[i] {
                running[i] += weights[i] * rewards[i]
                weights[i] *= discount
                guard terminated[i] || truncated[i] else { continue }
                if outcome.returns.count < episodes {
                    outcome.returns.append(running[i])
                    outcome.perCopy[i] += 1
                }
                running[i] = 0
                weights[i] = 1
            }
        }
        return outcome
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
