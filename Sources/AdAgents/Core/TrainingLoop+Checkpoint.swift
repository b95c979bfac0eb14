import AdEnv

extension TrainingLoop {
    /// The run's whole state: the agent's entries plus the loop's under `run.`.
    public func checkpoint() -> Checkpoint {
        var c = Checkpoint(agent: A.name)
        agent.save(to: &c)
        c.set("run.env", .text(env.spec.id))
        c.set("run.count", .integers([Int64(env.count)]))
        c.set("run.seed", .words([seed]))
        c.set("run.steps", .integers([Int64(steps)]))
        c.set("run.rng", generator: rng)
        c.set("run.cumulative_regret", .doubles([cumulativeRegret]))
        c.set("run.returns", .doubles(returns))
        c.set("run.lengths", .integers(lengths.map(Int64.init)))
        c.set("run.regrets", .doubles(regrets))
        c.set("run.actions.int64", .integers(integerLog))
        c.set("run.actions.float32", .floats(realLog))
        c.set("run.episodes.copy", .integers(episodes.map { Int64($0.copy) }))
        c.set("run.episodes.step", .integers(episodes.map { Int64($0.step) }))
        c.set("run.episodes.reward", .doubles(episodes.map(\.reward)))
        c.set("run.episodes.length", .integers(episodes.map { Int64($0.length) }))
        c.set("run.episodes.regret", .doubles(episodes.map(\.regret)))
        c.set("run.episodes.terminated", .integers(episodes.map { $0.terminated ? 1 : 0 }))
        return c
    }

    /// Continues a saved run: `agent` must be built with the saved run's spec, count and
    /// hyper-parameters, and `env` must be a fresh env of the same scenario and count. The env is
    /// reset with the saved seed and the saved actions are replayed through it, then the agent and
    /// the loop take their saved state.
    ///
    /// - Throws: ``CheckpointError`` when the checkpoint belongs to another agent, scenario, count,
    ///   or is incomplete; what the env throws while replaying.
    public static func resume(from c: Checkpoint, agent: A, env: E) throws -> TrainingLoop {
        guard c.agent == A.name else { throw CheckpointError.agentMismatch(expected: A.name, found: c.agent) }
        let id = try c.text("run.env")
        guard id == env.spec.id else { throw CheckpointError.mismatch("it was saved on \(id), not \(env.spec.id)") }
        let count = Int(try c.integer("run.count"))
        guard count == env.count else { throw CheckpointError.mismatch("it was saved with \(count) envs, not \(env.count)") }
        var loop = try TrainingLoop(agent: agent, env: env, seed: try c.words("run.seed", count: 1)[0])
        let steps = Int(try c.integer("run.steps"))
        let integerLog = try c.integers("run.actions.int64")
        let realLog = try c.floats("run.actions.float32")
        let width = env.count * env.spec.actionCount
        let batches = steps / env.count
        let expected = batches * width
        switch loop.actions.dtype {
        case .int64:
            guard integerLog.count == expected else { throw CheckpointError.wrongSize("run.actions.int64", expected: expected, found: integerLog.count) }
            for b in 0..<batches {
                try integerLog[(b * width)..<((b + 1) * width)].withUnsafeBufferPointer { try env.step(flat: $0) }
            }
        case .float32:
            guard realLog.count == expected else { throw CheckpointError.wrongSize("run.actions.float32", expected: expected, found: realLog.count) }
            for b in 0..<batches {
                try realLog[(b * width)..<((b + 1) * width)].withUnsafeBufferPointer { try env.step(flat: $0) }
            }
        }
        try loop.agent.load(from: c)
        loop.integerLog = integerLog
        loop.realLog = realLog
        loop.steps = steps
        loop.rng = try c.generator("run.rng")
        loop.cumulativeRegret = try c.doubles("run.cumulative_regret", count: 1)[0]
        loop.returns = try c.doubles("run.returns", count: count)
        loop.lengths = try c.integers("run.lengths", count: count).map { Int($0) }
        loop.regrets = try c.doubles("run.regrets", count: count)
        let copies = try c.integers("run.episodes.copy")
        let n = copies.count
        let ends = try c.integers("run.episodes.step", count: n), rewards = try c.doubles("run.episodes.reward", count: n)
        let lengths = try c.integers("run.episodes.length", count: n), regrets = try c.doubles("run.episodes.regret", count: n)
        let terminated = try c.integers("run.episodes.terminated", count: n)
        loop.episodes = (0..<n).map {
            EpisodeRecord(copy: Int(copies[$0]), step: Int(ends[$0]), reward: rewards[$0], length: Int(lengths[$0]), regret: regrets[$0], terminated: terminated[$0] != 0)
        }
        return loop
    }
}
