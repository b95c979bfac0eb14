/// PPO's on-policy storage: `steps` (T) batch steps of `copies` (N) envs, time-major
/// (`[t * N + i]`), preallocated once. Step `t` is filled in two halves: ``PPO/act(on:mode:into:using:)``
/// writes what the agent saw and chose, ``PPO/learn(from:actions:using:)`` what the env returned.
struct RolloutBuffer: Sendable, Equatable {
    let steps: Int
    let copies: Int
    let observationCount: Int
    let actionWidth: Int
    let maskWidth: Int

    /// The observations acted on, `T × N × observationCount`.
    var observations: [Float]
    /// The stored actions (index or unclipped sample), `T × N × actionWidth`.
    var actions: [Float]
    /// The action masks acted under, `T × N × maskWidth` (empty without masks).
    var masks: [Bool]
    /// The log-probabilities of the actions when they were taken, `T × N`.
    var logProbabilities: [Float]
    /// The critic's values of the observations, `(T + 1) × N`: the last row is the value of the
    /// observation after the rollout's last step (the bootstrap).
    var values: [Float]
    /// Scaled rewards and the step's flags, `T × N`.
    var rewards: [Float]
    var terminated: [Bool]
    var truncated: [Bool]
    /// False for autoreset steps (the copy's episode had ended; its action was ignored).
    var valid: [Bool]
    /// GAE advantages and returns (`advantages + values`), `T × N`, computed when the rollout is full.
    var advantages: [Float]
    var returns: [Float]
    /// Batch steps stored so far in this rollout, `0..<T`.
    var cursor = 0

    init(steps: Int, copies: Int, observationCount: Int, actionWidth: Int, maskWidth: Int) {
        self.steps = steps
        self.copies = copies
        self.observationCount = observationCount
        self.actionWidth = actionWidth
        self.maskWidth = maskWidth
        let size = steps * copies
        observations = Array(repeating: 0, count: size * observationCount)
        actions = Array(repeating: 0, count: size * actionWidth)
        masks = Array(repeating: true, count: size * maskWidth)
        logProbabilities = Array(repeating: 0, count: size)
        values = Array(repeating: 0, count: size + copies)
        rewards = Array(repeating: 0, count: size)
        terminated = Array(repeating: false, count: size)
        truncated = Array(repeating: false, count: size)
        valid = Array(repeating: false, count: size)
        advantages = Array(repeating: 0, count: size)
        returns = Array(repeating: 0, count: size)
    }

    /// `T × N`, the number of steps in a full rollout.
    var size: Int { steps * copies }
}

extension RolloutBuffer {
    /// Saves everything under `prefix` (`prefix.observations`, …), the stale tail of a partial
    /// rollout included, so that a loaded buffer equals the saved one.
    func save(to checkpoint: inout Checkpoint, as prefix: String) {
        checkpoint.set(prefix + ".observations", .floats(observations))
        checkpoint.set(prefix + ".actions", .floats(actions))
        checkpoint.set(prefix + ".masks", .integers(masks.map { $0 ? 1 : 0 }))
        checkpoint.set(prefix + ".log_probabilities", .floats(logProbabilities))
        checkpoint.set(prefix + ".values", .floats(values))
        checkpoint.set(prefix + ".rewards", .floats(rewards))
        checkpoint.set(prefix + ".terminated", .integers(terminated.map { $0 ? 1 : 0 }))
        checkpoint.set(prefix + ".truncated", .integers(truncated.map { $0 ? 1 : 0 }))
        checkpoint.set(prefix + ".valid", .integers(valid.map { $0 ? 1 : 0 }))
        checkpoint.set(prefix + ".advantages", .floats(advantages))
        checkpoint.set(prefix + ".returns", .floats(returns))
        checkpoint.set(prefix + ".cursor", .integers([Int64(cursor)]))
    }

    /// Restores the buffer saved by ``save(to:as:)`` into one of the same shape.
    ///
    /// - Throws: ``CheckpointError`` for a missing entry, a wrong type or size, or a cursor out of
    ///   range; the buffer is then unchanged.
    mutating func load(from checkpoint: Checkpoint, as prefix: String) throws(CheckpointError) {
        var copy = self
        copy.observations = try checkpoint.floats(prefix + ".observations", count: observations.count)
        copy.actions = try checkpoint.floats(prefix + ".actions", count: actions.count)
        copy.masks = try checkpoint.integers(prefix + ".masks", count: masks.count).map { $0 != 0 }
        copy.logProbabilities = try checkpoint.floats(prefix + ".log_probabilities", count: logProbabilities.count)
        copy.values = try checkpoint.floats(prefix + ".values", count: values.count)
        copy.rewards = try checkpoint.floats(prefix + ".rewards", count: rewards.count)
        copy.terminated = try checkpoint.integers(prefix + ".terminated", count: terminated.count).map { $0 != 0 }
        copy.truncated = try checkpoint.integers(prefix + ".truncated", count: truncated.count).map { $0 != 0 }
        copy.valid = try checkpoint.integers(prefix + ".valid", count: valid.count).map { $0 != 0 }
        copy.advantages = try checkpoint.floats(prefix + ".advantages", count: advantages.count)
        copy.returns = try checkpoint.floats(prefix + ".returns", count: returns.count)
        let cursor = try checkpoint.integer(prefix + ".cursor")
        guard (0..<Int64(steps)).contains(cursor) else { throw .mismatch("\(prefix).cursor \(cursor) is outside 0..<\(steps)") }
        copy.cursor = Int(cursor)
        self = copy
    }
}
