/// One finished episode of one copy during training or evaluation.
public struct EpisodeRecord: Sendable, Equatable {
    /// The copy of the batch env it ran in.
    public var copy: Int
    /// Env-steps taken by the run (over all copies) when the episode ended.
    public var step: Int
    /// The undiscounted return.
    public var reward: Double
    public var length: Int
    /// Pseudo-regret: the sum over the episode of `optimal_expected_reward − expected_reward`
    /// (0 for envs that do not report them).
    public var regret: Double
    /// Whether the episode ended by termination (else by truncation).
    public var terminated: Bool

    public init(copy: Int, step: Int, reward: Double, length: Int, regret: Double, terminated: Bool) {
        self.copy = copy
        self.step = step
        self.reward = reward
        self.length = length
        self.regret = regret
        self.terminated = terminated
    }
}
