import AdEnv

/// Linear Thompson sampling (Agrawal and Goyal, 2013) with disjoint models: each step, every
/// allowed arm draws `θ̃_k ~ N(θ_k, v² A_k⁻¹)` from its ridge posterior (``DisjointRidge``) and the
/// agent pulls the arm with the highest `θ̃_k · x`, `x` the observation.
///
/// - Sampling, reproducibly: `θ̃_k · x = θ_k · x + v · zᵀ(L_kᵀ x)` with `L_k` the Cholesky factor of
///   `A_k⁻¹` (`L_k L_kᵀ = A_k⁻¹`) and `z` a vector of `d` standard normals
///   (``Xoshiro256/normal()``, two draws each), drawn for each allowed arm in arm order. `L_k` is
///   recomputed only for arms updated since the last step. A pivot that rounding makes
///   non-positive is treated as 0 (no uncertainty left along that direction).
/// - Model: shared by every copy; each copy draws its own samples from the model as it was before
///   the batch step. Ties (probability 0) go to the lowest index. Masked arms are never chosen.
/// - Probability logged: with `propensity_draws = 0` (the default), 1 — the probability of the
///   chosen arm given this step's draw, not its marginal propensity. With `N > 0`, the Monte-Carlo
///   estimate `(1 + h) / (N + 1)` over `N` extra posterior draws, as ``ThompsonSampling`` does.
/// - Evaluation mode: the arm with the highest `θ_k · x` (ties: lowest index), probability 1.
public struct LinTS: Agent {
    public struct Hyperparameters: AgentHyperparameters {
        /// The posterior scale `v`. It should match the reward noise's scale; for click rewards of a
        /// few percent 0.1 worked best of 0.05, 0.1, 0.2 and 0.3 on ContextualBanner-v0. Default
        /// 0.1, in [0, 100].
        public var scale: Double
        /// The ridge `λ` (`A_k = λI` before any data). Default 1, in (0, 1e6].
        public var ridge: Double
        /// Extra posterior draws per decision for the logged propensity. Default 0 (log 1), in
        /// [0, 100000].
        public var propensityDraws: Int

        public init(reading reader: inout ConfigReader) throws(ScenarioError) {
            scale = try reader.double("scale", default: 0.1, in: .closed(0, 100))
            ridge = try reader.double("ridge", default: 1, in: Bounds(lower: 0, upper: 1e6, lowerInclusive: false))
            propensityDraws = try reader.int("propensity_draws", default: 0, in: .closed(0, 100_000))
        }
    }

    public static let name = "lints"
    public let hyperparameters: Hyperparameters
    public let arms: DiscreteArms
    /// The per-arm ridge models.
    public private(set) var model: DisjointRidge
    /// The Cholesky factors `L_k` of `A_k⁻¹`, `K × d × d` (lower triangle, row-major).
    private var factors: [Double]
    /// Arms whose factor is out of date.
    private var stale: [Bool]
    /// The contexts acted on in the last step, `count × d`.
    private var contexts: [Double]
    /// Scratch: `L_kᵀ x` for every arm, `K × d`.
    private var projections: [Double]
    /// Scratch: `θ_k · x` for every arm.
    private var means: [Double]
    private var resetting: [Bool]

    public init(spec: EnvSpec, count: Int, hyperparameters: Hyperparameters, using rng: inout Xoshiro256) throws(AgentError) {
        self.hyperparameters = hyperparameters
        arms = try DiscreteArms(spec: spec, agent: Self.name)
        let d = spec.observationCount
        guard d > 0 else { throw .unsupported(agent: Self.name, env: spec.id, reason: "it needs a non-empty observation as its context") }
        model = DisjointRidge(arms: arms.count, dimension: d, ridge: hyperparameters.ridge)
        factors = Array(repeating: 0, count: arms.count * d * d)
        stale = Array(repeating: true, count: arms.count)
        contexts = Array(repeating: 0, count: count * d)
        projections = Array(repeating: 0, count: arms.count * d)
        means = Array(repeating: 0, count: arms.count)
        resetting = Array(repeating: false, count: count)
    }

    /// Recomputes `L_k` from `A_k⁻¹` (Cholesky–Banachiewicz, row by row).
    private mutating func factorize(arm k: Int) {
        let d = model.dimension, base = k * d * d
        model.inverses.withUnsafeBufferPointer { a in
            factors.withUnsafeMutableBufferPointer { l in
                for i in 0..<d {
                    for j in 0...i {
                        var s = a[base + i * d + j]
                        for m in 0..<j { s -= l[base + i * d + m] * l[base + j * d + m] }
                        if i == j {
                            l[base + i * d + i] = s > 0 ? s.squareRoot() : 0
                        } else {
                            let pivot = l[base + j * d + j]
                            l[base + i * d + j] = pivot > 0 ? s / pivot : 0
                        }
                    }
                    for j in (i + 1)..<d { l[base + i * d + j] = 0 }
                }
            }
        }
        stale[k] = false
    }

    /// The sampled arm for copy `copy` with context `x`: `θ_k·x + v zᵀ(L_kᵀx)` maximised over the
    /// allowed arms. `means` and `projections` must hold this context's values.
    private func sampleArm(mask: ArmMask, copy: Int, using rng: inout Xoshiro256) -> Int {
        let d = model.dimension, v = hyperparameters.scale
        var best = -Double.infinity, chosen = -1
        for k in 0..<arms.count where mask.allows(copy: copy, arm: k) {
            var noise = 0.0
            for j in 0..<d { noise += rng.normal() * projections[k * d + j] }
            let score = means[k] + v * noise
            if chosen < 0 || score > best { best = score; chosen = k }
        }
        return max(chosen, 0)
    }

    public mutating func act<Env: BatchEnv>(on env: Env, mode: ActingMode, into actions: inout ActionBatch, using rng: inout Xoshiro256) {
        let mask = ArmMask(env)
        let needsReset = env.needsReset
        let observations = env.observations
        let d = model.dimension
        if mode == .training {
            for k in 0..<arms.count where stale[k] { factorize(arm: k) }
        }
        for i in 0..<env.count {
            resetting[i] = needsReset[i]
            for j in 0..<d { contexts[i * d + j] = Double(observations[i * d + j]) }
            contexts.withUnsafeBufferPointer { all in
                let x = UnsafeBufferPointer(rebasing: all[(i * d)..<(i * d + d)])
                for k in 0..<arms.count {
                    means[k] = model.mean(arm: k, context: x)
                    guard mode == .training else { continue }
                    // L_kᵀ x: column j of L_k dotted with x (L is lower triangular).
                    for j in 0..<d {
                        var s = 0.0
                        for r in j..<d { s += factors[k * d * d + r * d + j] * x[r] }
                        projections[k * d + j] = s
                    }
                }
            }
            let arm: Int
            var probability = 1.0
            if mode == .evaluation {
                arm = mask.argmax(copy: i, arms: arms.count) { means[$0] }
            } else {
                arm = sampleArm(mask: mask, copy: i, using: &rng)
                probability = PosteriorPropensity.estimate(of: arm, draws: hyperparameters.propensityDraws) {
                    sampleArm(mask: mask, copy: i, using: &rng)
                }
            }
            actions.integers[i] = Int64(arms.start + arm)
            actions.probabilities[i] = probability
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
            stale[arm] = true
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
        for k in 0..<arms.count { stale[k] = true }
    }
}
