import AdEnv

/// REINFORCE (Williams 1992) with a learned state-value baseline, on a vector env.
///
/// 1. **Acting.** ``act(on:mode:into:using:)`` samples from the actor (the same policy heads as
///    ``PPO``: a masked categorical for Discrete actions, a Gaussian with state-independent log-std
///    for Box actions) and appends the observation, the action and its mask to the copy's episode
///    in progress. Autoreset steps (NEXT_STEP: the copy's episode had ended, its action is ignored)
///    are not transitions and are not recorded.
/// 2. **Returns.** When a copy's episode ends, its Monte-Carlo returns `G_t = r_t + γ G_{t+1}` are
///    computed backwards from `G = 0` after a termination, or from the critic's value of the final
///    observation after a truncation (a time limit is not the end of the MDP); the episode joins
///    the batch.
/// 3. **Update.** Once the batch holds `episodes_per_update` episodes: one gradient step on
///    `−mean_t[(G_t − V(s_t)) log π(a_t|s_t)] − ent_coef · mean H + ½ mean (V(s_t) − G_t)²`, with the
///    advantages `G − V` computed before the step (optionally normalised over the batch) and no
///    gradient through the baseline in the policy term; one global gradient-norm clip; Adam on the
///    actor (and log-std) and on the critic with their own learning rates. The batch is emptied.
///
/// `γ` is the scenario's discount (`spec.oracle.discount`) unless `gamma` is given. Evaluation mode
/// acts greedily (probability 1) and records nothing. Checkpoints hold the networks, the optimisers,
/// the episodes in progress and the batch, so a resumed run continues bit for bit.
public struct REINFORCE: Agent {
    public static let name = "reinforce"

    public let hyperparameters: Hyperparameters
    public let count: Int
    /// The discount in use: `gamma`, or the scenario's.
    public let discount: Double
    let head: PolicyHead
    let observationCount: Int

    public private(set) var actor: MLP<Float>
    public private(set) var critic: MLP<Float>
    public private(set) var logStd: [Float]
    var actorOptimizer: Adam<Float>
    var criticOptimizer: Adam<Float>
    var logStdOptimizer: Adam<Float>
    /// Gradient steps taken so far.
    public private(set) var updates = 0

    /// The episode in progress of each copy.
    var episodes: [Trace]
    /// Finished episodes waiting for the update, flattened, with their returns.
    var batch: Trace
    var batchReturns: [Float] = []
    var batchEpisodes = 0
    /// Which copies the last training `act` recorded (the following `learn` completes them).
    var recorded: [Bool]

    // Preallocated buffers.
    var actorActing: MLP<Float>.Workspace
    var headActing: PolicyHead.Workspace
    var actorChunk: MLP<Float>.Workspace
    var criticChunk: MLP<Float>.Workspace
    var headChunk: PolicyHead.Workspace
    var criticSingle: MLP<Float>.Workspace
    var logProbabilityGradient: [Float]
    var entropyGradient: [Float]
    var logStdGradient: [Float]
    var advantages: [Float] = []

    /// Steps of one or more episodes: observations, stored actions (index or unclipped sample),
    /// masks and scaled rewards, row after row.
    struct Trace: Sendable, Equatable {
        var observations: [Float] = []
        var actions: [Float] = []
        var masks: [Bool] = []
        var rewards: [Double] = []
        var count: Int { rewards.count }

        mutating func removeAll() {
            observations.removeAll(keepingCapacity: true)
            actions.removeAll(keepingCapacity: true)
            masks.removeAll(keepingCapacity: true)
            rewards.removeAll(keepingCapacity: true)
        }
    }

    /// Builds the agent: actor weights from `rng` first, then the critic's (orthogonal, gains √2
    /// hidden, 0.01 policy head, 1 value head, as ``PPO``).
    ///
    /// - Throws: ``AgentError/unsupported(agent:env:reason:)`` for action spaces other than
    ///   Discrete and Box.
    public init(spec: EnvSpec, count: Int, hyperparameters: Hyperparameters, using rng: inout Xoshiro256) throws(AgentError) {
        precondition(count > 0, "REINFORCE needs at least one env copy")
        let h = hyperparameters
        head = try PolicyHead(spec: spec, agent: Self.name)
        self.hyperparameters = h
        self.count = count
        discount = h.gamma ?? spec.oracle.discount
        observationCount = spec.observationCount
        actor = MLP(sizes: [observationCount] + h.hiddenSizes + [head.outputCount], activation: h.activation,
                    initialization: .orthogonal(gain: 2.0.squareRoot()), outputInitialization: .orthogonal(gain: 0.01), using: &rng)
        critic = MLP(sizes: [observationCount] + h.hiddenSizes + [1], activation: h.activation,
                     initialization: .orthogonal(gain: 2.0.squareRoot()), outputInitialization: .orthogonal(gain: 1), using: &rng)
        logStd = head.isContinuous ? Array(repeating: Float(h.initialLogStd), count: head.outputCount) : []
        let eps = Float(h.adamEpsilon)
        actorOptimizer = Adam(parameterCount: actor.parameterCount, learningRate: Float(h.learningRate), epsilon: eps)
        criticOptimizer = Adam(parameterCount: critic.parameterCount, learningRate: Float(h.valueLearningRate), epsilon: eps)
        logStdOptimizer = Adam(parameterCount: logStd.count, learningRate: Float(h.learningRate), epsilon: eps)
        episodes = Array(repeating: Trace(), count: count)
        batch = Trace()
        recorded = Array(repeating: false, count: count)
        actorActing = actor.makeWorkspace(batchSize: count)
        headActing = head.makeWorkspace(rows: count)
        actorChunk = actor.makeWorkspace(batchSize: h.chunkSize)
        criticChunk = critic.makeWorkspace(batchSize: h.chunkSize)
        headChunk = head.makeWorkspace(rows: h.chunkSize)
        criticSingle = critic.makeWorkspace(batchSize: 1)
        logProbabilityGradient = Array(repeating: 0, count: h.chunkSize)
        entropyGradient = Array(repeating: 0, count: h.chunkSize)
        logStdGradient = Array(repeating: 0, count: logStd.count)
    }

    // MARK: Acting

    public mutating func act<Env: BatchEnv>(on env: Env, mode: ActingMode, into actions: inout ActionBatch, using rng: inout Xoshiro256) {
        let observations = env.observations, masks = env.actionMasks
        let n = count, width = observationCount, actionWidth = head.actionWidth, maskWidth = head.maskWidth
        copyFloats(observations, from: 0, to: &actorActing.input.storage, at: 0, count: n * width)
        actor.forward(in: &actorActing)
        head.act(output: actorActing.output, logStd: logStd, masks: masks, mode: mode, workspace: &headActing, into: &actions, using: &rng)
        let resetting = env.needsReset
        for i in 0..<n {
            recorded[i] = mode == .training && !resetting[i]
            guard recorded[i] else { continue }
            episodes[i].observations.append(contentsOf: observations[(i * width)..<((i + 1) * width)])
            episodes[i].actions.append(contentsOf: headActing.actions.storage[(i * actionWidth)..<((i + 1) * actionWidth)])
            episodes[i].masks.append(contentsOf: masks[(i * maskWidth)..<((i + 1) * maskWidth)])
        }
    }

    // MARK: Learning

    public mutating func learn<Env: BatchEnv>(from env: Env, actions: ActionBatch, using rng: inout Xoshiro256) {
        let rewards = env.rewards, terminated = env.terminated, truncated = env.truncated
        for i in 0..<count where recorded[i] {
            recorded[i] = false
            episodes[i].rewards.append(rewards[i] * hyperparameters.rewardScale)
            guard terminated[i] || truncated[i] else { continue }
            // A truncated episode's return continues past the time limit: bootstrap with V(final
            // observation), which NEXT_STEP autoreset leaves in the env's buffer until the next step.
            var tail = 0.0
            if !terminated[i] {
                copyFloats(env.observations, from: i * observationCount, to: &criticSingle.input.storage, at: 0, count: observationCount)
                critic.forward(in: &criticSingle)
                tail = Double(criticSingle.output.storage[0])
            }
            finishEpisode(of: i, bootstrap: tail)
            if batchEpisodes >= hyperparameters.episodesPerUpdate { update() }
        }
    }

    /// Moves copy `copy`'s finished episode into the batch with its discounted returns.
    mutating func finishEpisode(of copy: Int, bootstrap: Double) {
        let episode = episodes[copy]
        let start = batchReturns.count
        batch.observations += episode.observations
        batch.actions += episode.actions
        batch.masks += episode.masks
        batch.rewards += episode.rewards
        batchReturns += repeatElement(0, count: episode.count)
        var g = bootstrap
        for t in stride(from: episode.count - 1, through: 0, by: -1) {
            g = episode.rewards[t] + discount * g
            batchReturns[start + t] = Float(g)
        }
        batchEpisodes += 1
        episodes[copy].removeAll()
    }

    /// One gradient step on the batch, in chunks of `chunk_size` rows whose gradients are summed.
    mutating func update() {
        let total = batch.count
        defer {
            batch.removeAll()
            batchReturns.removeAll(keepingCapacity: true)
            batchEpisodes = 0
            updates += 1
        }
        guard total > 0 else { return }
        // Advantages G − V(s) with the baseline before the step.
        if advantages.count < total { advantages += repeatElement(0, count: total - advantages.count) }
        forEachChunk(of: total) { agent, start, rows in
            agent.critic.forward(in: &agent.criticChunk)
            for r in 0..<rows { agent.advantages[start + r] = agent.batchReturns[start + r] - agent.criticChunk.output.storage[r] }
        }
        if hyperparameters.normalizeAdvantages && total > 1 {
            var sum = 0.0
            for k in 0..<total { sum += Double(advantages[k]) }
            let mean = sum / Double(total)
            var squares = 0.0
            for k in 0..<total { squares += (Double(advantages[k]) - mean) * (Double(advantages[k]) - mean) }
            let scale = Float(1 / ((squares / Double(total - 1)).squareRoot() + 1e-8))
            for k in 0..<total { advantages[k] = (advantages[k] - Float(mean)) * scale }
        }

        let inverse = 1 / Float(total), entropyCoefficient = Float(hyperparameters.entropyCoefficient)
        for d in logStdGradient.indices { logStdGradient[d] = 0 }
        var first = true
        forEachChunk(of: total) { agent, start, rows in
            agent.actor.forward(in: &agent.actorChunk)
            agent.head.evaluate(output: agent.actorChunk.output, logStd: agent.logStd, workspace: &agent.headChunk)
            for r in 0..<agent.hyperparameters.chunkSize {
                agent.logProbabilityGradient[r] = r < rows ? -agent.advantages[start + r] * inverse : 0
                agent.entropyGradient[r] = r < rows ? -entropyCoefficient * inverse : 0
            }
            agent.head.backward(output: agent.actorChunk.output, logStd: agent.logStd, logProbabilityGradient: agent.logProbabilityGradient,
                                entropyGradient: agent.entropyGradient, workspace: &agent.headChunk,
                                outputGradient: &agent.actorChunk.outputGradient, logStdGradient: &agent.logStdGradient)
            agent.actor.backward(in: &agent.actorChunk, accumulating: !first)
            agent.critic.forward(in: &agent.criticChunk)
            for r in 0..<agent.hyperparameters.chunkSize {
                agent.criticChunk.outputGradient.storage[r] = r < rows ? (agent.criticChunk.output.storage[r] - agent.batchReturns[start + r]) * inverse : 0
            }
            agent.critic.backward(in: &agent.criticChunk, accumulating: !first)
            first = false
        }
        GradientClipping.clip(&actor.gradients, &critic.gradients, &logStdGradient, maxNorm: hyperparameters.maxGradientNorm)
        actorOptimizer.update(&actor.parameters, gradients: actor.gradients)
        criticOptimizer.update(&critic.parameters, gradients: critic.gradients)
        if !logStd.isEmpty { logStdOptimizer.update(&logStd, gradients: logStdGradient) }
    }

    /// Loads the batch's rows `start ..< start + rows` into the chunk workspaces (inputs of both
    /// networks, actions and masks; the rows past the batch's end are zero observations with
    /// action 0 and every action valid) and calls `body` for each chunk.
    mutating func forEachChunk(of total: Int, _ body: (inout REINFORCE, _ start: Int, _ rows: Int) -> Void) {
        let size = hyperparameters.chunkSize, width = observationCount
        let actionWidth = head.actionWidth, maskWidth = head.maskWidth
        var start = 0
        while start < total {
            let rows = min(size, total - start)
            copyFloats(batch.observations, from: start * width, to: &actorChunk.input.storage, at: 0, count: rows * width)
            copyFloats(batch.observations, from: start * width, to: &criticChunk.input.storage, at: 0, count: rows * width)
            copyFloats(batch.actions, from: start * actionWidth, to: &headChunk.actions.storage, at: 0, count: rows * actionWidth)
            copyFlags(batch.masks, from: start * maskWidth, to: &headChunk.masks, at: 0, count: rows * maskWidth)
            for k in (rows * width)..<(size * width) {
                actorChunk.input.storage[k] = 0
                criticChunk.input.storage[k] = 0
            }
            for k in (rows * actionWidth)..<(size * actionWidth) { headChunk.actions.storage[k] = 0 }
            for k in (rows * maskWidth)..<(size * maskWidth) { headChunk.masks[k] = true }
            body(&self, start, rows)
            start += rows
        }
    }

    // MARK: Checkpoints

    public func save(to checkpoint: inout Checkpoint) {
        actor.save(to: &checkpoint, as: "reinforce.actor")
        critic.save(to: &checkpoint, as: "reinforce.critic")
        checkpoint.set("reinforce.log_std", .floats(logStd))
        actorOptimizer.save(to: &checkpoint, as: "reinforce.adam.actor")
        criticOptimizer.save(to: &checkpoint, as: "reinforce.adam.critic")
        logStdOptimizer.save(to: &checkpoint, as: "reinforce.adam.log_std")
        checkpoint.set("reinforce.updates", .integers([Int64(updates)]))
        checkpoint.set("reinforce.episode_lengths", .integers(episodes.map { Int64($0.count) }))
        checkpoint.set("reinforce.episodes.observations", .floats(episodes.flatMap(\.observations)))
        checkpoint.set("reinforce.episodes.actions", .floats(episodes.flatMap(\.actions)))
        checkpoint.set("reinforce.episodes.masks", .integers(episodes.flatMap(\.masks).map { $0 ? 1 : 0 }))
        checkpoint.set("reinforce.episodes.rewards", .doubles(episodes.flatMap(\.rewards)))
        checkpoint.set("reinforce.batch.episodes", .integers([Int64(batchEpisodes)]))
        checkpoint.set("reinforce.batch.observations", .floats(batch.observations))
        checkpoint.set("reinforce.batch.actions", .floats(batch.actions))
        checkpoint.set("reinforce.batch.masks", .integers(batch.masks.map { $0 ? 1 : 0 }))
        checkpoint.set("reinforce.batch.rewards", .doubles(batch.rewards))
        checkpoint.set("reinforce.batch.returns", .floats(batchReturns))
    }

    public mutating func load(from checkpoint: Checkpoint) throws(CheckpointError) {
        var copy = self
        try copy.actor.load(from: checkpoint, as: "reinforce.actor")
        try copy.critic.load(from: checkpoint, as: "reinforce.critic")
        copy.logStd = try checkpoint.floats("reinforce.log_std", count: logStd.count)
        try copy.actorOptimizer.load(from: checkpoint, as: "reinforce.adam.actor")
        try copy.criticOptimizer.load(from: checkpoint, as: "reinforce.adam.critic")
        try copy.logStdOptimizer.load(from: checkpoint, as: "reinforce.adam.log_std")
        let updates = try checkpoint.integer("reinforce.updates")
        guard updates >= 0 else { throw .mismatch("reinforce.updates is negative") }
        copy.updates = Int(updates)

        let lengths = try checkpoint.integers("reinforce.episode_lengths", count: count)
        // Bounded by the rewards actually stored, so a corrupt length can neither overflow nor allocate.
        let storedSteps = try checkpoint.doubles("reinforce.episodes.rewards").count
        guard lengths.allSatisfy({ $0 >= 0 && $0 <= storedSteps }) else {
            throw .mismatch("reinforce.episode_lengths has a length outside 0...\(storedSteps)")
        }
        let steps = Int(lengths.reduce(0, +))
        let observations = try checkpoint.floats("reinforce.episodes.observations", count: steps * observationCount)
        let actions = try checkpoint.floats("reinforce.episodes.actions", count: steps * head.actionWidth)
        let masks = try checkpoint.integers("reinforce.episodes.masks", count: steps * head.maskWidth)
        let rewards = try checkpoint.doubles("reinforce.episodes.rewards", count: steps)
        var offset = 0
        for i in 0..<count {
            let n = Int(lengths[i])
            copy.episodes[i] = Trace(
                observations: Array(observations[(offset * observationCount)..<((offset + n) * observationCount)]),
                actions: Array(actions[(offset * head.actionWidth)..<((offset + n) * head.actionWidth)]),
                masks: masks[(offset * head.maskWidth)..<((offset + n) * head.maskWidth)].map { $0 != 0 },
                rewards: Array(rewards[offset..<(offset + n)]))
            offset += n
        }

        let batchEpisodes = try checkpoint.integer("reinforce.batch.episodes")
        guard batchEpisodes >= 0 else { throw .mismatch("reinforce.batch.episodes is negative") }
        let batchRewards = try checkpoint.doubles("reinforce.batch.rewards")
        let rows = batchRewards.count
        copy.batch = Trace(
            observations: try checkpoint.floats("reinforce.batch.observations", count: rows * observationCount),
            actions: try checkpoint.floats("reinforce.batch.actions", count: rows * head.actionWidth),
            masks: try checkpoint.integers("reinforce.batch.masks", count: rows * head.maskWidth).map { $0 != 0 },
            rewards: batchRewards)
        copy.batchReturns = try checkpoint.floats("reinforce.batch.returns", count: rows)
        copy.batchEpisodes = Int(batchEpisodes)
        copy.recorded = Array(repeating: false, count: count)
        self = copy
    }
}
