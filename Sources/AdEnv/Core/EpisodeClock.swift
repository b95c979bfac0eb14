/// Counts the steps of an episode and applies the time limit.
///
/// Envs keep one and call ``start()`` on reset, ``ensureRunning()`` when checking an action and
/// ``advance(terminated:)`` at the end of a step, which returns `truncated`.
public struct EpisodeClock: Sendable, Hashable {
    /// Episodes are truncated after this many steps.
    public let maxSteps: Int
    /// Steps taken in the current episode.
    public private(set) var step = 0
    /// False before the first reset and after an episode ends.
    public private(set) var isRunning = false

    public init(maxSteps: Int) {
        precondition(maxSteps > 0, "maxSteps must be positive")
        self.maxSteps = maxSteps
    }

    public mutating func start() {
        step = 0
        isRunning = true
    }

    public func ensureRunning() throws(ActionError) {
        if !isRunning { throw .needsReset }
    }

    /// The fraction of the time limit used, in [0, 1].
    public var progress: Float { Float(step) / Float(maxSteps) }

    /// Counts a step; returns whether the time limit truncates the episode now.
    public mutating func advance(terminated: Bool) -> Bool {
        step += 1
        let truncated = step >= maxSteps
        if terminated || truncated { isRunning = false }
        return truncated
    }
}
