extension Adam {
    /// Saves the moments, the step count and the learning rate under `prefix` (`prefix.m`,
    /// `prefix.v`, `prefix.step`, `prefix.learning_rate`).
    public func save(to checkpoint: inout Checkpoint, as prefix: String) {
        checkpoint.set(prefix + ".m", Scalar.checkpointValue(firstMoment))
        checkpoint.set(prefix + ".v", Scalar.checkpointValue(secondMoment))
        checkpoint.set(prefix + ".step", .integers([Int64(step)]))
        checkpoint.set(prefix + ".learning_rate", Scalar.checkpointValue([learningRate]))
    }

    /// Restores the state saved by ``save(to:as:)``.
    ///
    /// - Throws: ``CheckpointError`` for a missing entry or one of the wrong type or size; the
    ///   optimiser is then unchanged.
    public mutating func load(from checkpoint: Checkpoint, as prefix: String) throws(CheckpointError) {
        let first = try Scalar.values(prefix + ".m", count: m.count, in: checkpoint)
        let second = try Scalar.values(prefix + ".v", count: v.count, in: checkpoint)
        let step = try checkpoint.integer(prefix + ".step")
        let rate = try Scalar.values(prefix + ".learning_rate", count: 1, in: checkpoint)[0]
        guard step >= 0 else { throw .mismatch("\(prefix).step is negative") }
        m = first
        v = second
        t = Int(step)
        learningRate = rate
    }
}
