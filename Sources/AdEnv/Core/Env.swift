/// A reinforcement-learning environment with Gymnasium 1.x semantics.
///
/// This is the fast, allocation-free interface: observations are written into a buffer the caller
/// owns, and step info is a fixed struct. ``Env/reset(seed:)`` and ``Env/step(_:)`` in the
/// extension give the familiar Gymnasium shapes on top of it.
///
/// Conforming types are value types: copying an env copies its whole state, random stream included,
/// so a copy replays exactly what the original would do (the oracles use this to look ahead).
///
/// Seeding: `reset(seed: s)` makes the episode a pure function of `s` and the actions taken;
/// `reset(seed: nil)` continues the env's random stream. An env that was never seeded behaves as if
/// seeded with 0.
public protocol Env: Sendable {
    associatedtype Action: EnvAction

    /// The env's ID, spaces, limits and parameters.
    var spec: EnvSpec { get }

    /// Starts an episode and writes its first observation.
    ///
    /// - Parameters:
    ///   - seed: reseeds every random stream when given; continues them when `nil`.
    ///   - observation: `spec.observationCount` floats, overwritten.
    mutating func reset(seed: UInt64?, observation: UnsafeMutableBufferPointer<Float>) -> StepInfo

    /// Starts an episode with reset options (Gymnasium's `options`). Envs without options throw
    /// ``ScenarioError/unknownKey(path:known:)`` for any key.
    mutating func reset(seed: UInt64?, options: ConfigObject, observation: UnsafeMutableBufferPointer<Float>) throws(ScenarioError) -> StepInfo

    /// Throws if `action` is not valid now: outside the action space, masked, or the episode is
    /// not running. Never changes the env.
    func check(_ action: Action) throws(ActionError)

    /// Applies `action` and writes the next observation.
    ///
    /// A refused action throws and leaves the env exactly as it was. After `terminated` or
    /// `truncated`, further steps throw ``ActionError/needsReset`` until `reset`.
    mutating func step(_ action: Action, observation: UnsafeMutableBufferPointer<Float>) throws(ActionError) -> Transition

    /// Writes which Discrete actions are valid now (`true` = valid). `mask.count` is
    /// `spec.discreteActionCount`. Envs without masks write all `true`.
    func writeActionMask(into mask: UnsafeMutableBufferPointer<Bool>)

    /// The scenario's oracle action in the current state. It may use privileged knowledge (true
    /// rates, or a look-ahead on a copy of the env); it never changes the env. Randomized oracles
    /// draw from `rng` only.
    func oracleAction(using rng: inout Xoshiro256) -> Action

    /// A uniformly random valid action: the scenario's random baseline.
    func randomAction(using rng: inout Xoshiro256) -> Action
}

extension Env {
    public mutating func reset(seed: UInt64?, options: ConfigObject, observation: UnsafeMutableBufferPointer<Float>) throws(ScenarioError) -> StepInfo {
        if let key = options.keys.first {
            throw .unknownKey(path: "options.\(key)", known: [])
        }
        return reset(seed: seed, observation: observation)
    }

    public func writeActionMask(into mask: UnsafeMutableBufferPointer<Bool>) {
        for i in mask.indices { mask[i] = true }
    }

    /// Decodes a flat action row and steps with it.
    @inlinable
    public mutating func step(row: ActionRow, observation: UnsafeMutableBufferPointer<Float>) throws(ActionError) -> Transition {
        let action = try Action(row: row, count: spec.actionCount)
        return try step(action, observation: observation)
    }
}

extension Env where Action == Int {
    /// A uniform action among the valid ones, by the action mask.
    public func randomAction(using rng: inout Xoshiro256) -> Int {
        guard case .discrete(let space) = spec.actionSpace else { preconditionFailure("Int actions need a Discrete space") }
        guard spec.hasActionMask else { return space.sample(using: &rng) }
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: space.n) { mask in
            writeActionMask(into: mask)
            return space.sample(using: &rng, mask: UnsafeBufferPointer(mask))
        }
    }
}
