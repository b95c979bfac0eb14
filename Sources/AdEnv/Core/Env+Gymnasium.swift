/// The Gymnasium-shaped API: `reset` returns `(observation, info)` and `step` returns
/// `(observation, reward, terminated, truncated, info)`, with the action mask in the info.
///
/// Each call allocates its result arrays; loops that need speed use the buffer-based requirements
/// of ``Env`` or a ``VectorEnv``.
extension Env {
    /// Starts an episode. See ``Env/reset(seed:observation:)``.
    public mutating func reset(seed: UInt64? = nil) -> ResetResult {
        var info = StepInfo()
        let observation = [Float](unsafeUninitializedCapacity: spec.observationCount) { buffer, count in
            buffer.initialize(repeating: 0)
            count = buffer.count
            info = reset(seed: seed, observation: buffer)
        }
        return ResetResult(observation: observation, info: Info(info, mask: currentMask()))
    }

    /// Starts an episode with Gymnasium-style reset options.
    public mutating func reset(seed: UInt64? = nil, options: ConfigObject) throws(ScenarioError) -> ResetResult {
        var info = StepInfo()
        var failure: ScenarioError?
        let observation = [Float](unsafeUninitializedCapacity: spec.observationCount) { buffer, count in
            buffer.initialize(repeating: 0)
            count = buffer.count
            do throws(ScenarioError) { info = try reset(seed: seed, options: options, observation: buffer) } catch { failure = error }
        }
        if let failure { throw failure }
        return ResetResult(observation: observation, info: Info(info, mask: currentMask()))
    }

    /// Takes one step. A refused action throws and changes nothing.
    public mutating func step(_ action: Action) throws(ActionError) -> StepResult {
        var transition = Transition(reward: 0, terminated: false, truncated: false, info: StepInfo())
        var failure: ActionError?
        let observation = [Float](unsafeUninitializedCapacity: spec.observationCount) { buffer, count in
            buffer.initialize(repeating: 0)
            count = buffer.count
            do throws(ActionError) { transition = try step(action, observation: buffer) } catch { failure = error }
        }
        if let failure { throw failure }
        return StepResult(
            observation: observation, reward: transition.reward, terminated: transition.terminated,
            truncated: transition.truncated, info: Info(transition.info, mask: currentMask()))
    }

    /// The current action mask, or `nil` for envs without masks.
    public func currentMask() -> [Bool]? {
        guard spec.hasActionMask else { return nil }
        return [Bool](unsafeUninitializedCapacity: spec.discreteActionCount) { buffer, count in
            buffer.initialize(repeating: true)
            writeActionMask(into: buffer)
            count = buffer.count
        }
    }
}

/// What ``Env/reset(seed:)`` returns.
public struct ResetResult: Sendable {
    public var observation: [Float]
    public var info: Info
}

/// What ``Env/step(_:)`` returns.
public struct StepResult: Sendable {
    public var observation: [Float]
    public var reward: Double
    public var terminated: Bool
    public var truncated: Bool
    public var info: Info
}

/// Gymnasium's `info` dict in typed form: the step's scalar fields, plus `action_mask` where the env
/// has one.
public struct Info: Sendable {
    public var values: StepInfo
    /// Gymnasium's `info["action_mask"]`: `true` for valid actions. `nil` when every action is
    /// always valid.
    public var actionMask: [Bool]?

    public init(_ values: StepInfo, mask: [Bool]?) {
        self.values = values
        self.actionMask = mask
    }

    public subscript(field: InfoField) -> Double { values[field] }
}
