extension ReplayBuffer {
    /// Saves the whole buffer (its contents, fill and write position) under `prefix`.
    public func save(to checkpoint: inout Checkpoint, as prefix: String) {
        checkpoint.set(prefix + ".shape", .integers([Int64(capacity), Int64(observationCount), Int64(actionCount)]))
        checkpoint.set(prefix + ".cursor", .integers([Int64(count), Int64(position)]))
        checkpoint.set(prefix + ".observations", .floats(observations))
        checkpoint.set(prefix + ".next_observations", .floats(nextObservations))
        checkpoint.set(prefix + ".actions", .integers(actions.map(Int64.init)))
        checkpoint.set(prefix + ".rewards", .floats(rewards))
        checkpoint.set(prefix + ".terminated", .integers(terminated.map { $0 ? 1 : 0 }))
        checkpoint.set(prefix + ".next_masks", .integers(nextMasks.map { $0 ? 1 : 0 }))
    }

    /// Restores a buffer saved by ``save(to:as:)`` into one of the same shape.
    ///
    /// - Throws: ``CheckpointError`` for a missing entry, a wrong type or size, another shape or an
    ///   impossible cursor; the buffer is then unchanged.
    public mutating func load(from checkpoint: Checkpoint, as prefix: String) throws(CheckpointError) {
        let shape = try checkpoint.integers(prefix + ".shape", count: 3)
        guard shape == [Int64(capacity), Int64(observationCount), Int64(actionCount)] else {
            throw .mismatch("the replay buffer was saved with shape \(shape), not [\(capacity), \(observationCount), \(actionCount)]")
        }
        let cursor = try checkpoint.integers(prefix + ".cursor", count: 2)
        guard (0...Int64(capacity)).contains(cursor[0]), (0..<Int64(capacity)).contains(cursor[1]) else {
            throw .mismatch("the replay buffer's cursor \(cursor) is out of range")
        }
        let observations = try checkpoint.floats(prefix + ".observations", count: capacity * observationCount)
        let next = try checkpoint.floats(prefix + ".next_observations", count: capacity * observationCount)
        let actions = try checkpoint.integers(prefix + ".actions", count: capacity)
        guard actions.allSatisfy({ (0..<Int64(actionCount)).contains($0) }) else { throw .mismatch("the replay buffer holds an action out of range") }
        let rewards = try checkpoint.floats(prefix + ".rewards", count: capacity)
        let terminated = try checkpoint.integers(prefix + ".terminated", count: capacity)
        let masks = try checkpoint.integers(prefix + ".next_masks", count: capacity * actionCount)
        count = Int(cursor[0])
        position = Int(cursor[1])
        self.observations = observations
        nextObservations = next
        self.actions = actions.map { Int32($0) }
        self.rewards = rewards
        self.terminated = terminated.map { $0 != 0 }
        nextMasks = masks.map { $0 != 0 }
    }
}
