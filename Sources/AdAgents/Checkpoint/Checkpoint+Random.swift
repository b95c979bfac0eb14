import AdEnv

extension Checkpoint {
    /// Saves a generator's exact state as a four-word entry.
    public mutating func set(_ name: String, generator: Xoshiro256) {
        let s = generator.state
        set(name, .words([s.0, s.1, s.2, s.3]))
    }

    /// The generator saved by ``set(_:generator:)``, continuing exactly where it stopped.
    public func generator(_ name: String) throws(CheckpointError) -> Xoshiro256 {
        let s = try words(name, count: 4)
        return Xoshiro256(state: (s[0], s[1], s[2], s[3]))
    }
}
