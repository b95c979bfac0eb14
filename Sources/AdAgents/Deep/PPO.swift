import AdEnv

/// Proximal policy optimisation (Schulman et al. 2017) on a vector env, after CleanRL's `ppo.py`
/// (discrete actions, masked) and `ppo_continuous_action.py` (a Gaussian policy for Box actions).
///
/// One iteration, as in CleanRL:
/// 1. **Rollout.** For `num_steps` batch steps, ``act(on:mode:into:using:)`` samples an action for
///    every copy from the actor and records the observation, the action, its log-probability and
///    the critic's value; ``learn(from:actions:using:)`` records the reward and the flags.
/// 2. **Advantages.** When the rollout is full, the critic values the observations after the last
///    step (the bootstrap) and ``GAE`` computes advantages and returns: bootstrapping on truncation
///    with the value of the final observation, not on termination, and skipping autoreset steps
///    (see ``GAE`` for exactly how NEXT_STEP autoreset provides the final observation).
/// 3. **Update.** `update_epochs` passes over the rollout in `num_minibatches` shuffled
///    minibatches: clipped surrogate, (optionally clipped) value loss, entropy bonus, one global
///    gradient-norm clip over all parameters, and one Adam step with the annealed learning rate.
///
/// Design notes:
/// - Separate actor and critic MLPs (default 64-64 tanh), orthogonal init with gains √2 (hidden),
///   0.01 (policy head) and 1 (value head), biases 0; Adam with ε = 1e-5 over actor, critic and
///   log-std (one Adam per array, which equals one Adam over all of them).
/// - Autoreset steps stay in the rollout (so every minibatch has the same size and no buffer is
///   reallocated) but weigh 0: losses are means over the minibatch's valid steps, and advantage
///   normalisation uses the valid steps only. A minibatch without valid steps is skipped.
/// - `mode: .evaluation` acts greedily (the most probable valid action, or the Gaussian mean
///   clipped to the box), records nothing, and the following `learn` does nothing.
/// - `probabilities`: the sampled action's probability (for Box actions, the density of the
///   unclipped sample); 1 for the deterministic evaluation choice.
/// - Checkpoints hold the networks, the log-std, the three Adam states, the partial rollout and
///   the update count, so a resumed run continues bit for bit.
public struct PPO: Agent {
    public static let name = "ppo"

    public let hyperparameters: Hyperparameters
    /// The number of env copies the agent acts on.
    public let count: Int
    let head: PolicyHead

    /// The policy network: observations to logits (Discrete) or the Gaussian mean (Box).
    public private(set) var actor: MLP<Float>
    /// The value network: observations to `V(s)`.
    public private(set) var critic: MLP<Float>
    /// The Gaussian policy's log standard deviations, one per action dimension (empty for Discrete).
    public private(set) var logStd: [Float]
    var actorOptimizer: Adam<Float>
    var criticOptimizer: Adam<Float>
    var logStdOptimizer: Adam<Float>
    var rollout: RolloutBuffer
    /// Updates (iterations) completed so far.
    public private(set) var updates = 0
    /// Diagnostics of the last minibatch of the last update (not saved in checkpoints).
    public private(set) var statistics = Statistics()

    /// Whether the last `act` was in training mode (the next `learn` then completes its step).
    var actedInTraining = false
    // Preallocated buffers: acting on `count` rows, training on minibatches of `minibatchSize`.
    let minibatchSize: Int
    var actorActing: MLP<Float>.Workspace
    var criticActing: MLP<Float>.Workspace
    var headActing: PolicyHead.Workspace
    var actorTraining: MLP<Float>.Workspace
    var criticTraining: MLP<Float>.Workspace
    var headTraining: PolicyHead.Workspace
    var indices: [Int]
    var minibatchAdvantages: [Float]
    var minibatchValid: [Bool]
    var logProbabilityGradient: [Float]
    var entropyGradient: [Float]
    var logStdGradient: [Float]

    /// What the last minibatch of the last update measured, as CleanRL logs it.
    public struct Statistics: Sendable, Equatable {
        public var policyLoss: Float = 0
        public var valueLoss: Float = 0
        public var entropy: Float = 0
        /// `mean((ratio − 1) − log ratio)`, the low-variance KL estimator.
        public var approximateKL: Float = 0
        /// The share of steps whose ratio left `[1 − ε, 1 + ε]`.
        public var clipFraction: Float = 0
        public var learningRate: Float = 0
    }

    /// Builds the agent for `count` copies of envs with `spec`: the actor's weights are drawn from
    /// `rng` first, then the critic's.
    ///
    /// - Throws: ``AgentError/unsupported(agent:env:reason:)`` for action spaces other than
    ///   Discrete and Box; ``AgentError/invalidHyperparameters(_:)`` when a rollout
    ///   (`num_steps × count`) is smaller than `num_minibatches`.
    public init(spec: EnvSpec, count: Int, hyperparameters: Hyperparameters, using rng: inout Xoshiro256) throws(AgentError) {
        precondition(count > 0, "PPO needs at least one env copy")
        let h = hyperparameters
        head = try PolicyHead(spec: spec, agent: Self.name)
        let size = h.rolloutSteps * count
        guard size >= h.minibatches, size % h.minibatches == 0 else {
            // As CleanRL asserts: every rollout step belongs to exactly one minibatch per epoch.
            throw .invalidHyperparameters(.invalidValue(
                path: "hyperparameters.num_minibatches",
                reason: "\(h.minibatches) minibatches must divide the rollout; num_steps × envs is \(size)"))
        }
        self.hyperparameters = h
        self.count = count
        let inputs = spec.observationCount
        actor = MLP(sizes: [inputs] + h.hiddenSizes + [head.outputCount], activation: h.activation,
                    initialization: .orthogonal(gain: 2.0.squareRoot()), outputInitialization: .orthogonal(gain: 0.01), using: &rng)
        critic = MLP(sizes: [inputs] + h.hiddenSizes + [1], activation: h.activation,
                     initialization: .orthogonal(gain: 2.0.squareRoot()), outputInitialization: .orthogonal(gain: 1), using: &rng)
        logStd = head.isContinuous ? Array(repeating: Float(h.initialLogStd), count: head.outputCount) : []
        let rate = Float(h.learningRate), eps = Float(h.adamEpsilon)
        actorOptimizer = Adam(parameterCount: actor.parameterCount, learningRate: rate, epsilon: eps)
        criticOptimizer = Adam(parameterCount: critic.parameterCount, learningRate: rate, epsilon: eps)
        logStdOptimizer = Adam(parameterCount: logStd.count, learningRate: rate, epsilon: eps)
        rollout = RolloutBuffer(steps: h.rolloutSteps, copies: count, observationCount: inputs,
                                actionWidth: head.actionWidth, maskWidth: head.maskWidth)
        minibatchSize = size / h.minibatches
        actorActing = actor.makeWorkspace(batchSize: count)
        criticActing = critic.makeWorkspace(batchSize: count)
        headActing = head.makeWorkspace(rows: count)
        actorTraining = actor.makeWorkspace(batchSize: minibatchSize)
        criticTraining = critic.makeWorkspace(batchSize: minibatchSize)
        headTraining = head.makeWorkspace(rows: minibatchSize)
        indices = Array(0..<size)
        minibatchAdvantages = Array(repeating: 0, count: minibatchSize)
        minibatchValid = Array(repeating: false, count: minibatchSize)
        logProbabilityGradient = Array(repeating: 0, count: minibatchSize)
        entropyGradient = Array(repeating: 0, count: minibatchSize)
        logStdGradient = Array(repeating: 0, count: logStd.count)
    }

    // MARK: Acting

    public mutating func act<Env: BatchEnv>(on env: Env, mode: ActingMode, into actions: inout ActionBatch, using rng: inout Xoshiro256) {
        let observations = env.observations, masks = env.actionMasks
        let n = count, width = rollout.observationCount
        copyFloats(observations, from: 0, to: &actorActing.input.storage, at: 0, count: n * width)
        actor.forward(in: &actorActing)
        head.act(output: actorActing.output, logStd: logStd, masks: masks, mode: mode, workspace: &headActing, into: &actions, using: &rng)
        actedInTraining = mode == .training
        guard mode == .training else { return }

        copyFloats(observations, from: 0, to: &criticActing.input.storage, at: 0, count: n * width)
        critic.forward(in: &criticActing)
        let base = rollout.cursor * n
        let resetting = env.needsReset
        copyFloats(observations, from: 0, to: &rollout.observations, at: base * width, count: n * width)
        copyFloats(headActing.actions.storage, from: 0, to: &rollout.actions, at: base * head.actionWidth, count: n * head.actionWidth)
        copyFlags(masks, from: 0, to: &rollout.masks, at: base * head.maskWidth, count: n * head.maskWidth)
        copyFloats(headActing.rowLogProbabilities, from: 0, to: &rollout.logProbabilities, at: base, count: n)
        copyFloats(criticActing.output.storage, from: 0, to: &rollout.values, at: base, count: n)
        for i in 0..<n { rollout.valid[base + i] = !resetting[i] }
    }

    // MARK: Learning

    public mutating func learn<Env: BatchEnv>(from env: Env, actions: ActionBatch, using rng: inout Xoshiro256) {
        guard actedInTraining else { return }
        actedInTraining = false
        let n = count, base = rollout.cursor * n
        let rewards = env.rewards, terminated = env.terminated, truncated = env.truncated
        let scale = hyperparameters.rewardScale
        for i in 0..<n {
            rollout.rewards[base + i] = Float(rewards[i] * scale)
            rollout.terminated[base + i] = terminated[i]
            rollout.truncated[base + i] = truncated[i]
        }
        rollout.cursor += 1
        guard rollout.cursor == rollout.steps else { return }

        // The bootstrap: the value of the observation after the last step (the final observation
        // of a copy whose episode just ended).
        copyFloats(env.observations, from: 0, to: &criticActing.input.storage, at: 0, count: n * rollout.observationCount)
        critic.forward(in: &criticActing)
        copyFloats(criticActing.output.storage, from: 0, to: &rollout.values, at: rollout.size, count: n)
        GAE.advantages(rewards: rollout.rewards, values: rollout.values, terminated: rollout.terminated, truncated: rollout.truncated,
                       valid: rollout.valid, copies: n, gamma: Float(hyperparameters.gamma), lambda: Float(hyperparameters.gaeLambda),
                       into: &rollout.advantages)
        for k in 0..<rollout.size { rollout.returns[k] = rollout.advantages[k] + rollout.values[k] }
        update(using: &rng)
        rollout.cursor = 0
    }

    /// The learning rate of update number `updates` (0-based): linear from `learning_rate` to 0
    /// over `total_steps / (num_steps × count)` updates when annealing, else constant.
    public var currentLearningRate: Float {
        let h = hyperparameters
        guard h.annealLearningRate else { return Float(h.learningRate) }
        let iterations = max(1, h.totalSteps / rollout.size)
        let fraction = max(0, 1 - Double(updates) / Double(iterations))
        return Float(fraction * h.learningRate)
    }

    /// `update_epochs` passes of shuffled minibatches over the full rollout.
    mutating func update(using rng: inout Xoshiro256) {
        let rate = currentLearningRate
        actorOptimizer.learningRate = rate
        criticOptimizer.learningRate = rate
        logStdOptimizer.learningRate = rate
        statistics.learningRate = rate
        for k in indices.indices { indices[k] = k }
        for _ in 0..<hyperparameters.epochs {
            rng.shuffle(&indices)
            for b in 0..<hyperparameters.minibatches { trainMinibatch(startingAt: b * minibatchSize) }
            if hyperparameters.targetKL > 0 && Double(statistics.approximateKL) > hyperparameters.targetKL { break }
        }
        updates += 1
    }

    /// One gradient step on the rollout steps `indices[start ..< start + minibatchSize]`.
    mutating func trainMinibatch(startingAt start: Int) {
        let m = minibatchSize, width = rollout.observationCount
        let actionWidth = head.actionWidth, maskWidth = head.maskWidth
        var validCount = 0
        for r in 0..<m {
            let k = indices[start + r]
            copyFloats(rollout.observations, from: k * width, to: &actorTraining.input.storage, at: r * width, count: width)
            copyFloats(rollout.observations, from: k * width, to: &criticTraining.input.storage, at: r * width, count: width)
            copyFloats(rollout.actions, from: k * actionWidth, to: &headTraining.actions.storage, at: r * actionWidth, count: actionWidth)
            copyFlags(rollout.masks, from: k * maskWidth, to: &headTraining.masks, at: r * maskWidth, count: maskWidth)
            minibatchValid[r] = rollout.valid[k]
            minibatchAdvantages[r] = rollout.advantages[k]
            if rollout.valid[k] { validCount += 1 }
        }
        guard validCount > 0 else { return }
        if hyperparameters.normalizeAdvantages { normalizeMinibatchAdvantages(validCount: validCount) }

        actor.forward(in: &actorTraining)
        head.evaluate(output: actorTraining.output, logStd: logStd, workspace: &headTraining)
        critic.forward(in: &criticTraining)

        let inverse = 1 / Float(validCount)
        let epsilon = Float(hyperparameters.clipCoefficient)
        let entropyCoefficient = Float(hyperparameters.entropyCoefficient)
        let valueCoefficient = Float(hyperparameters.valueCoefficient)
        let clipsValue = hyperparameters.clipValueLoss
        var policyLoss: Float = 0, valueLoss: Float = 0, entropy: Float = 0, kl: Float = 0, clipped: Float = 0
        for r in 0..<m {
            guard minibatchValid[r] else {
                logProbabilityGradient[r] = 0
                entropyGradient[r] = 0
                criticTraining.outputGradient.storage[r] = 0
                continue
            }
            let k = indices[start + r]
            // Clipped surrogate: L = max(−A·ρ, −A·clip(ρ, 1 − ε, 1 + ε)); its gradient flows
            // through the unclipped term only when that term is the larger.
            let logRatio = headTraining.rowLogProbabilities[r] - rollout.logProbabilities[k]
            let ratio = Float.exp(logRatio)
            let surrogate = Self.clippedSurrogate(logRatio: logRatio, advantage: minibatchAdvantages[r], epsilon: epsilon)
            policyLoss += surrogate.loss
            logProbabilityGradient[r] = surrogate.gradient * inverse
            entropy += headTraining.entropies[r]
            entropyGradient[r] = -entropyCoefficient * inverse
            kl += (ratio - 1) - logRatio
            if abs(ratio - 1) > epsilon { clipped += 1 }

            // Value loss ½(V − R)², or ½ max((V − R)², (V_clipped − R)²) with
            // V_clipped = V_old + clip(V − V_old, −ε, ε).
            let value = Self.valueLoss(
                value: criticTraining.output.storage[r], oldValue: rollout.values[k], target: rollout.returns[k], epsilon: clipsValue ? epsilon : nil)
            valueLoss += value.loss
            criticTraining.outputGradient.storage[r] = valueCoefficient * value.gradient * inverse
        }
        statistics.policyLoss = policyLoss * inverse
        statistics.valueLoss = valueLoss * inverse
        statistics.entropy = entropy * inverse
        statistics.approximateKL = kl * inverse
        statistics.clipFraction = clipped * inverse

        for d in logStdGradient.indices { logStdGradient[d] = 0 }
        head.backward(output: actorTraining.output, logStd: logStd, logProbabilityGradient: logProbabilityGradient,
                      entropyGradient: entropyGradient, workspace: &headTraining,
                      outputGradient: &actorTraining.outputGradient, logStdGradient: &logStdGradient)
        actor.backward(in: &actorTraining)
        critic.backward(in: &criticTraining)

        GradientClipping.clip(&actor.gradients, &critic.gradients, &logStdGradient, maxNorm: hyperparameters.maxGradientNorm)
        actorOptimizer.update(&actor.parameters, gradients: actor.gradients)
        criticOptimizer.update(&critic.parameters, gradients: critic.gradients)
        if !logStd.isEmpty { logStdOptimizer.update(&logStd, gradients: logStdGradient) }
    }

    /// `A ← (A − mean) / (std + 1e-8)` over the minibatch's valid steps (standard deviation with
    /// `n − 1`, as PyTorch's `std()`); a single valid step is only centred.
    mutating func normalizeMinibatchAdvantages(validCount: Int) {
        var sum = 0.0
        for r in 0..<minibatchSize where minibatchValid[r] { sum += Double(minibatchAdvantages[r]) }
        let mean = sum / Double(validCount)
        var squares = 0.0
        for r in 0..<minibatchSize where minibatchValid[r] {
            let d = Double(minibatchAdvantages[r]) - mean
            squares += d * d
        }
        let std = validCount > 1 ? (squares / Double(validCount - 1)).squareRoot() : 0
        let m = Float(mean), scale = Float(1 / (std + 1e-8))
        for r in 0..<minibatchSize { minibatchAdvantages[r] = validCount > 1 ? (minibatchAdvantages[r] - m) * scale : minibatchAdvantages[r] - m }
    }

    // MARK: Checkpoints

    public func save(to checkpoint: inout Checkpoint) {
        actor.save(to: &checkpoint, as: "ppo.actor")
        critic.save(to: &checkpoint, as: "ppo.critic")
        checkpoint.set("ppo.log_std", .floats(logStd))
        actorOptimizer.save(to: &checkpoint, as: "ppo.adam.actor")
        criticOptimizer.save(to: &checkpoint, as: "ppo.adam.critic")
        logStdOptimizer.save(to: &checkpoint, as: "ppo.adam.log_std")
        rollout.save(to: &checkpoint, as: "ppo.rollout")
        checkpoint.set("ppo.updates", .integers([Int64(updates)]))
    }

    public mutating func load(from checkpoint: Checkpoint) throws(CheckpointError) {
        var copy = self
        try copy.actor.load(from: checkpoint, as: "ppo.actor")
        try copy.critic.load(from: checkpoint, as: "ppo.critic")
        copy.logStd = try checkpoint.floats("ppo.log_std", count: logStd.count)
        try copy.actorOptimizer.load(from: checkpoint, as: "ppo.adam.actor")
        try copy.criticOptimizer.load(from: checkpoint, as: "ppo.adam.critic")
        try copy.logStdOptimizer.load(from: checkpoint, as: "ppo.adam.log_std")
        try copy.rollout.load(from: checkpoint, as: "ppo.rollout")
        let updates = try checkpoint.integer("ppo.updates")
        guard updates >= 0 else { throw .mismatch("ppo.updates is negative") }
        copy.updates = Int(updates)
        copy.actedInTraining = false
        self = copy
    }
}

extension PPO {
    /// PPO's clipped surrogate for one step, `L = max(−A·ρ, −A·clip(ρ, 1 − ε, 1 + ε))` with
    /// `ρ = exp(logRatio)`, and `∂L/∂log π(a|s)`: `−A·ρ` where the unclipped term is the larger
    /// (ties included), 0 where the clip is active (the gradient stops once the policy has moved
    /// more than ε in the advantage's direction).
    @inlinable
    public static func clippedSurrogate(logRatio: Float, advantage: Float, epsilon: Float) -> (loss: Float, gradient: Float) {
        let ratio = Float.exp(logRatio)
        let unclipped = -advantage * ratio
        let clipped = -advantage * min(max(ratio, 1 - epsilon), 1 + epsilon)
        return unclipped >= clipped ? (unclipped, -advantage * ratio) : (clipped, 0)
    }

    /// The value loss for one step and its derivative in `value`: `½(V − R)²`, or with clipping
    /// (`epsilon` not nil) `½ max((V − R)², (V_c − R)²)` with `V_c = V_old + clip(V − V_old, −ε, ε)`,
    /// whose gradient is 0 when the clipped term wins with the clip active.
    @inlinable
    public static func valueLoss(value: Float, oldValue: Float, target: Float, epsilon: Float?) -> (loss: Float, gradient: Float) {
        let error = value - target
        guard let epsilon else { return (error * error / 2, error) }
        let change = value - oldValue
        let clippedValue = oldValue + min(max(change, -epsilon), epsilon)
        let clippedError = clippedValue - target
        if error * error >= clippedError * clippedError { return (error * error / 2, error) }
        return (clippedError * clippedError / 2, abs(change) <= epsilon ? clippedError : 0)
    }
}

