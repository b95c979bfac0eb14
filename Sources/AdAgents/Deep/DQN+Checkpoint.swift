extension DQN {
    /// Saves both networks, Adam's state, the counters and the replay buffer.
    public func save(to checkpoint: inout Checkpoint) {
        q.save(to: &checkpoint, as: "dqn.q")
        target.save(to: &checkpoint, as: "dqn.target")
        optimizer.save(to: &checkpoint, as: "dqn.adam")
        replay.save(to: &checkpoint, as: "dqn.replay")
        checkpoint.set("dqn.counters", .integers([Int64(steps), Int64(updates)]))
    }

    /// Restores the state saved by ``save(to:)`` into an agent built with the same spec, count and
    /// hyper-parameters.
    ///
    /// - Throws: ``CheckpointError`` for a missing entry or one of the wrong type or size (another
    ///   network shape, buffer size or optimiser); the agent is then unchanged.
    public mutating func load(from checkpoint: Checkpoint) throws(CheckpointError) {
        var copy = self
        try copy.q.load(from: checkpoint, as: "dqn.q")
        try copy.target.load(from: checkpoint, as: "dqn.target")
        try copy.optimizer.load(from: checkpoint, as: "dqn.adam")
        try copy.replay.load(from: checkpoint, as: "dqn.replay")
        let counters = try checkpoint.integers("dqn.counters", count: 2)
        guard counters.allSatisfy({ $0 >= 0 }) else { throw .mismatch("dqn.counters are negative") }
        copy.steps = Int(counters[0])
        copy.updates = Int(counters[1])
        self = copy
    }

    /// The online network's Q-values for one observation (allocates: for inspection and tests,
    /// not for the training loop).
    public func qValues(for observation: [Float]) -> [Float] {
        precondition(observation.count == observationCount, "qValues: the observation has \(observation.count) values, not \(observationCount)")
        var workspace = q.makeWorkspace(batchSize: 1)
        workspace.input.storage = observation
        q.forward(in: &workspace)
        return workspace.output.storage
    }
}
