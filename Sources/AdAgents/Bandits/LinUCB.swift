import AdEnv

/// LinUCB with disjoint linear models (Li, Chu, Langford and Schapire, 2010): the observation is the
/// context `x` (`d` = the observation's size), each arm `k` has a ridge estimate `θ_k` with matrix
/// `A_k` (``DisjointRidge``), and the agent pulls the allowed arm with the highest upper bound
/// `θ_k·x + α · sqrt(xᵀ A_k⁻¹ x)`.
///
/// - Model: shared by every copy; copies act on the model as it was before the batch step, then
///   each non-autoreset copy's `(x, r)` updates its arm in copy order.
/// - Ties go to the lowest arm index (at the start every arm ties, so the first pulls sweep the
///   arms in order): deterministic, the logged probability is 1. Masked arms are never chosen.
/// - `α = 0` is the greedy contextual learner (no exploration), the baseline of the quality bar.
/// - Evaluation mode: `α = 0`.
/// - Cost per decision: `O(K d²)`; per update `O(d²)` (Sherman–Morrison). No allocation.
/// - No random draws.
public struct LinUCB: Agent {
    public struct Hyperparameters: AgentHyperparameters {
        /// The width multiplier `α` of the confidence bound. It should match the reward noise's scale:
        /// click rewards of a few percent have a standard deviation near 0.2. Default 0.2, in
        /// [0, 100].
        public var alpha: Double
        /// The ridge `λ` (`A_k = λI` before any data). Default 1, in (0, 1e6].
        public var ridge: Double

        public init(reading reader: inout ConfigReader) throws(ScenarioError) {
            alpha = try reader.double("alpha", default: 0.2, in: .closed(0, 100))
            ridge = try reader.double("ridge", default: 1, in: Bounds(lower: 0, upper: 1e6, lowerInclusive: false))
        }
    }

    public static let name = "linucb"
    public let hyperparameters: Hyperparameters
    public let arms: DiscreteArms
    /// The per-arm ridge models.
    public private(set) var model: DisjointRidge
    /// The contexts acted on in the last step, `count × d`.
    private var contexts: [Double]
    private var resetting: [Bool]

    public init(spec: EnvSpec, count: Int, hyperparameters: Hyperparameters, using rng: inout Xoshiro256) throws(AgentError) {
        self.hyperparameters = hyperparameters
        arms = try DiscreteArms(spec: spec, agent: Self.name)
        let d = spec.observationCount
        guard d > 0 else { throw .unsupported(agent: Self.name, env: spec.id, reason: "it needs a non-empty observation as its context") }
        model = DisjointRidge(arms: arms.count, dimension: d, ridge: hyperparameters.ridge)
        contexts = Array(repeating: 0, count: count * d)
        resetting = Array(repeating: false, count: count)
    }

    public mutating func act<Env: BatchEnv>(on env: Env, mode: ActingMode, into actions: inout ActionBatch, using rng: inout Xoshiro256) {
        let mask = ArmMask(env)
        let needsReset = env.needsReset
        let observations = env.observations
        let alpha = mode == .training ? hyperparameters.alpha : 0
        let d = model.dimension
        for i in 0..<env.count {
            resetting[i] = needsReset[i]
            for j in 0..<d { contexts[i * d + j] = Double(observations[i * d + j]) }
            let arm = contexts.withUnsafeBufferPointer { all in
                let x = UnsafeBufferPointer(rebasing: all[(i * d)..<(i * d + d)])
                return mask.argmax(copy: i, arms: arms.count) { k in
                    let mean = model.mean(arm: k, context: x)
                    return alpha == 0 ? mean : mean + alpha * model.variance(arm: k, context: x).squareRoot()
                }
            }
            actions.integers[i] = Int64(arms.start + arm)
            actions.probabilities[i] = 1
        }
    }

    public mutating func learn<Env: BatchEnv>(from env: Env, actions: ActionBatch, using rng: inout Xoshiro256) {
        let rewards = env.rewards
        let d = model.dimension
        for i in 0..<env.count where !resetting[i] {
            let arm = Int(actions.integers[i]) - arms.start
            contexts.withUnsafeBufferPointer { all in
                model.update(arm: arm, context: UnsafeBufferPointer(rebasing: all[(i * d)..<(i * d + d)]), reward: rewards[i])
            }
        }
    }

    public func save(to checkpoint: inout Checkpoint) {
        checkpoint.set("linear.inverses", .doubles(model.inverses))
        checkpoint.set("linear.targets", .doubles(model.targets))
    }

    public mutating func load(from checkpoint: Checkpoint) throws(CheckpointError) {
        let inverses = try checkpoint.doubles("linear.inverses", count: model.inverses.count)
        let targets = try checkpoint.doubles("linear.targets", count: model.targets.count)
        model.restore(inverses: inverses, targets: targets)
    }
}
