import AdEnv

/// An agent's hyper-parameters: one struct per agent, read from the `hyperparameters` object of a
/// preset file (`Agents/<name>.json`) with documented defaults and bounds.
public protocol AgentHyperparameters: Sendable {
    /// Reads every hyper-parameter with its default and bounds. The caller calls
    /// `reader.finish()` afterwards, so an unknown key is an error.
    init(reading reader: inout ConfigReader) throws(ScenarioError)

    /// The key of the hyper-parameter that holds a run's planned length in env-steps (PPO anneals
    /// its learning rate over it), or `nil` when the agent has none. `adenv train --steps N` sets it
    /// to N unless the preset or `--set` gives it.
    static var plannedStepsKey: String? { get }
}

extension AgentHyperparameters {
    public static var plannedStepsKey: String? { nil }
}

extension AgentHyperparameters {
    /// The defaults: every hyper-parameter left out.
    public static var defaults: Self {
        // Defaults always lie inside their own bounds, so reading an empty object cannot fail.
        try! read(ConfigObject()).hyperparameters
    }

    /// Reads hyper-parameters from `object`, returning them with the resolved object (every value,
    /// given or default, in reading order) that runs record beside their results.
    ///
    /// - Throws: ``ScenarioError`` naming the field, for a wrong type, a value out of bounds or an
    ///   unknown key.
    public static func read(_ object: ConfigObject, path: String = "hyperparameters") throws(ScenarioError) -> (hyperparameters: Self, resolved: ConfigObject) {
        var reader = ConfigReader(object, path: path)
        let value = try Self(reading: &reader)
        try reader.finish()
        return (value, reader.resolved)
    }
}
