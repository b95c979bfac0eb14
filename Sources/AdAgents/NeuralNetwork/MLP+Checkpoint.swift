extension MLP {
    /// Saves the parameters as entry `name` (float32 for `Float` networks).
    public func save(to checkpoint: inout Checkpoint, as name: String) {
        checkpoint.set(name, Scalar.checkpointValue(parameters))
    }

    /// Restores the parameters saved as entry `name`.
    ///
    /// - Throws: ``CheckpointError`` when the entry is missing, of another scalar type, or of
    ///   another size (a network of another shape); the network is then unchanged.
    public mutating func load(from checkpoint: Checkpoint, as name: String) throws(CheckpointError) {
        parameters = try Scalar.values(name, count: parameters.count, in: checkpoint)
    }
}
