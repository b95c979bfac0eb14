/// DQN's experience replay: a ring of the last `capacity` transitions in preallocated flat arrays.
///
/// Each transition keeps the observation acted on, the action, the reward, whether the episode
/// *terminated* (truncation is not stored: a truncated transition bootstraps like any other), the
/// next observation (at an episode's end, its real final observation) and the next state's action
/// mask (all `true` for envs without masks), so targets maximise over valid actions only.
public struct ReplayBuffer: Sendable, Equatable {
    public let capacity: Int
    public let observationCount: Int
    /// The number of actions (the width of a mask row).
    public let actionCount: Int
    /// Transitions stored so far, at most ``capacity``.
    public internal(set) var count = 0
    /// Where the next transition goes.
    public internal(set) var position = 0

    public internal(set) var observations: [Float]
    public internal(set) var nextObservations: [Float]
    public internal(set) var actions: [Int32]
    public internal(set) var rewards: [Float]
    public internal(set) var terminated: [Bool]
    public internal(set) var nextMasks: [Bool]

    public init(capacity: Int, observationCount: Int, actionCount: Int) {
        precondition(capacity > 0 && observationCount > 0 && actionCount > 0, "a replay buffer needs positive sizes")
        self.capacity = capacity
        self.observationCount = observationCount
        self.actionCount = actionCount
        observations = Array(repeating: 0, count: capacity * observationCount)
        nextObservations = observations
        actions = Array(repeating: 0, count: capacity)
        rewards = Array(repeating: 0, count: capacity)
        terminated = Array(repeating: false, count: capacity)
        nextMasks = Array(repeating: true, count: capacity * actionCount)
    }

    /// Stores a transition, overwriting the oldest when full. `observation` and `nextObservation`
    /// hold ``observationCount`` values; `nextMask` holds ``actionCount`` flags, or is empty (all valid).
    public mutating func append(
        observation: UnsafeBufferPointer<Float>, action: Int, reward: Double, terminated: Bool,
        nextObservation: UnsafeBufferPointer<Float>, nextMask: UnsafeBufferPointer<Bool>
    ) {
        precondition(observation.count == observationCount && nextObservation.count == observationCount, "replay: observation width")
        precondition(nextMask.isEmpty || nextMask.count == actionCount, "replay: mask width")
        precondition(action >= 0 && action < actionCount, "replay: action out of range")
        let i = position
        observations.withUnsafeMutableBufferPointer { ($0.baseAddress! + i * observationCount).update(from: observation.baseAddress!, count: observationCount) }
        nextObservations.withUnsafeMutableBufferPointer { ($0.baseAddress! + i * observationCount).update(from: nextObservation.baseAddress!, count: observationCount) }
        nextMasks.withUnsafeMutableBufferPointer { masks in
            if nextMask.isEmpty {
                (masks.baseAddress! + i * actionCount).update(repeating: true, count: actionCount)
            } else {
                (masks.baseAddress! + i * actionCount).update(from: nextMask.baseAddress!, count: actionCount)
            }
        }
        actions[i] = Int32(action)
        rewards[i] = Float(reward)
        self.terminated[i] = terminated
        position = (position + 1) % capacity
        count = min(count + 1, capacity)
    }
}
