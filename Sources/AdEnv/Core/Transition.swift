/// What one step returns besides the observation, which is written into the caller's buffer.
///
/// `terminated` means the MDP reached a terminal state (the user churned, the budget is spent):
/// agents must not bootstrap past it. `truncated` means the episode was cut by a time limit or the
/// end of a budget period: agents should bootstrap. Both may be true at once.
public struct Transition: Sendable, Equatable {
    public var reward: Double
    public var terminated: Bool
    public var truncated: Bool
    public var info: StepInfo

    @inlinable
    public init(reward: Double, terminated: Bool, truncated: Bool, info: StepInfo) {
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
        self.info = info
    }

    /// Whether the episode is over for either reason.
    @inlinable
    public var isDone: Bool { terminated || truncated }
}
