import AdEnv

/// The myopic baseline: in every state, the action with the highest expected immediate value,
/// ignoring its effect on later steps. ``MyopicEnv`` lists what that is for each scenario (for
/// stateless bandits and slates it is the oracle; for AdMarket it is the scenario's myopic oracle;
/// for FatigueMDP "always show"; for the bidding scenarios the unpaced multiplier 1).
///
/// - It needs the concrete env (true rates): it acts on envs that are ``MyopicProviding`` (every
///   ``VectorEnv`` of a scenario listed in ``MyopicEnv``). Other scenario kinds are refused when the
///   agent is built, and envs that cannot provide it by ``check(_:)``.
/// - Probability logged: 1 (deterministic). Learns nothing; acting modes are the same.
public struct GreedyAgent: Agent, EnvChecking {
    public struct Hyperparameters: AgentHyperparameters {
        public init(reading reader: inout ConfigReader) throws(ScenarioError) {}
    }

    public static let name = "greedy"
    public let hyperparameters: Hyperparameters

    public init(spec: EnvSpec, count: Int, hyperparameters: Hyperparameters, using rng: inout Xoshiro256) throws(AgentError) {
        guard myopicKinds.contains(spec.kind) else {
            throw .unsupported(agent: Self.name, env: spec.id, reason: "no myopic action is defined for scenario kind '\(spec.kind)'")
        }
        self.hyperparameters = hyperparameters
    }

    public static func check<Env: BatchEnv>(_ env: Env) throws(AgentError) {
        guard env is any MyopicProviding else {
            throw .unsupported(agent: name, env: env.spec.id, reason: "this env cannot compute its myopic action here")
        }
    }

    public mutating func act<Env: BatchEnv>(on env: Env, mode: ActingMode, into actions: inout ActionBatch, using rng: inout Xoshiro256) {
        guard let provider = env as? any MyopicProviding else {
            preconditionFailure("greedy: \(env.spec.id) cannot compute its myopic action; call GreedyAgent.check(env) first")
        }
        provider.myopicActions(into: &actions, using: &rng)
        for i in 0..<actions.count { actions.probabilities[i] = 1 }
    }

    public mutating func learn<Env: BatchEnv>(from env: Env, actions: ActionBatch, using rng: inout Xoshiro256) {}

    public func save(to checkpoint: inout Checkpoint) {}

    public mutating func load(from checkpoint: Checkpoint) throws(CheckpointError) {}
}
