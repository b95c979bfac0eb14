import AdEnv

/// Why an agent could not be built.
public enum AgentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The agent cannot act in this env (its action space, its size, or a missing oracle).
    case unsupported(agent: String, env: String, reason: String)
    /// A hyper-parameter or preset was invalid; the error names the field.
    case invalidHyperparameters(ScenarioError)

    public var description: String {
        switch self {
        case let .unsupported(agent, env, reason): "\(agent) cannot act in \(env): \(reason)"
        case let .invalidHyperparameters(error): "invalid hyper-parameters: \(error)"
        }
    }
}
