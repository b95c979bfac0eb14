import AdEnv

/// The scenario's oracle (`ScenarioPolicy.oracle`): optimal where it can be computed, otherwise a
/// privileged policy (see each scenario's `spec.oracle`). It needs the concrete env, so it acts on
/// envs that are ``ScenarioPolicyProviding`` (every ``VectorEnv``); ``check(_:)`` refuses others.
///
/// - Probability logged: 1. Randomised oracles (BudgetedBandit's LP mix) draw from the loop's
///   stream; their probability is not reported and is logged as 1.
/// - Learns nothing; the checkpoint holds nothing of its own. Acting modes are the same.
public struct OracleAgent: Agent, EnvChecking {
    public struct Hyperparameters: AgentHyperparameters {
        public init(reading reader: inout ConfigReader) throws(ScenarioError) {}
    }

    public static let name = "oracle"
    public let hyperparameters: Hyperparameters

    public init(spec: EnvSpec, count: Int, hyperparameters: Hyperparameters, using rng: inout Xoshiro256) throws(AgentError) {
        self.hyperparameters = hyperparameters
    }

    public static func check<Env: BatchEnv>(_ env: Env) throws(AgentError) {
        guard env is any ScenarioPolicyProviding else {
            throw .unsupported(agent: name, env: env.spec.id, reason: "this env cannot compute its scenario's oracle here")
        }
    }

    public mutating func act<Env: BatchEnv>(on env: Env, mode: ActingMode, into actions: inout ActionBatch, using rng: inout Xoshiro256) {
        guard let provider = env as? any ScenarioPolicyProviding else {
            preconditionFailure("oracle: \(env.spec.id) cannot compute its oracle; call OracleAgent.check(env) first")
        }
        provider.scenarioActions(.oracle, into: &actions, using: &rng)
        for i in 0..<actions.count { actions.probabilities[i] = 1 }
    }

    public mutating func learn<Env: BatchEnv>(from env: Env, actions: ActionBatch, using rng: inout Xoshiro256) {}

    public func save(to checkpoint: inout Checkpoint) {}

    public mutating func load(from checkpoint: Checkpoint) throws(CheckpointError) {}
}
