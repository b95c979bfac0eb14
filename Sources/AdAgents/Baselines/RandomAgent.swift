import AdEnv

/// Uniformly random actions: the floor of every normalized score.
///
/// - `Discrete`: a uniform allowed action (the action mask is respected): one
///   ``Xoshiro256/below(_:)`` draw per copy; probability `1/allowed`.
/// - `Box`: each element uniform in its bounds, one ``Xoshiro256/uniform()`` draw per element; the
///   logged value is the density `1/Π(high − low)`. Boxes with an infinite bound are refused.
/// - Other spaces (a slate's `MultiDiscrete` of distinct items): the scenario's own random policy,
///   through ``ScenarioPolicyProviding`` (``check(_:)`` refuses envs without it); probability
///   logged as 1 (not computed).
/// - Learns nothing; acting modes are the same.
public struct RandomAgent: Agent, EnvChecking {
    public struct Hyperparameters: AgentHyperparameters {
        public init(reading reader: inout ConfigReader) throws(ScenarioError) {}
    }

    public static let name = "random"
    public let hyperparameters: Hyperparameters
    private let space: Space
    /// `1/Π(high − low)` for a Box.
    private let density: Double

    public init(spec: EnvSpec, count: Int, hyperparameters: Hyperparameters, using rng: inout Xoshiro256) throws(AgentError) {
        self.hyperparameters = hyperparameters
        space = spec.actionSpace
        if case .box(let box) = space {
            guard box.low.allSatisfy(\.isFinite), box.high.allSatisfy(\.isFinite) else {
                throw .unsupported(agent: Self.name, env: spec.id, reason: "its action box has an infinite bound")
            }
            density = 1 / zip(box.low, box.high).reduce(1.0) { $0 * Double($1.1 - $1.0) }
        } else {
            density = 1
        }
    }

    public static func check<Env: BatchEnv>(_ env: Env) throws(AgentError) {
        switch env.spec.actionSpace {
        case .discrete, .box: return
        default:
            guard env is any ScenarioPolicyProviding else {
                throw .unsupported(agent: name, env: env.spec.id, reason: "it samples \(env.spec.actionSpace) actions only through the scenario's own random policy, which this env cannot run here")
            }
        }
    }

    public mutating func act<Env: BatchEnv>(on env: Env, mode: ActingMode, into actions: inout ActionBatch, using rng: inout Xoshiro256) {
        switch space {
        case .discrete(let discrete):
            let mask = ArmMask(env)
            for i in 0..<env.count {
                let allowed = mask.allowedCount(copy: i, arms: discrete.n)
                let arm = mask.allowedArm(number: rng.below(allowed), copy: i, arms: discrete.n)
                actions.integers[i] = Int64(discrete.start + arm)
                actions.probabilities[i] = 1 / Double(allowed)
            }
        case .box(let box):
            let width = box.count
            for i in 0..<env.count {
                for j in 0..<width {
                    let low = box.low[j], high = box.high[j]
                    actions.reals[i * width + j] = min(high, low + Float(rng.uniform()) * (high - low))
                }
                actions.probabilities[i] = density
            }
        default:
            guard let provider = env as? any ScenarioPolicyProviding else {
                preconditionFailure("random: \(env.spec.id) cannot run its random policy; call RandomAgent.check(env) first")
            }
            provider.scenarioActions(.random, into: &actions, using: &rng)
            for i in 0..<actions.count { actions.probabilities[i] = 1 }
        }
    }

    public mutating func learn<Env: BatchEnv>(from env: Env, actions: ActionBatch, using rng: inout Xoshiro256) {}

    public func save(to checkpoint: inout Checkpoint) {}

    public mutating func load(from checkpoint: Checkpoint) throws(CheckpointError) {}
}
