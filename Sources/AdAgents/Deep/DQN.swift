import AdEnv

/// Deep Q-learning (Mnih et al., 2015) as CleanRL's `dqn.py` writes it, for Discrete action
/// spaces, with double-DQN targets (van Hasselt et al., 2016) by default and action masks.
///
/// One env-step of training (``act(on:mode:into:using:)`` then ``learn(from:actions:using:)``):
/// 1. **Act** ε-greedily: with probability ε (falling linearly from `start_epsilon` to
///    `end_epsilon` over `exploration_steps`) a uniformly random *valid* action, else the valid
///    action of highest Q (ties: the lowest index). Each copy draws its own coin; the reported
///    probability is `ε/valid + (1 − ε)·[greedy]`. In ``ActingMode/evaluation`` it acts greedily,
///    draws nothing from `rng`, and does not learn from the steps that follow.
/// 2. **Store** each copy's transition in the ``ReplayBuffer``: the observation acted on, the
///    action, the reward, `terminated`, and the step's observation, which at an episode's end is
///    its real final observation (NEXT_STEP autoreset). The autoreset step that follows an
///    episode's end is not a transition and is not stored.
/// 3. **Train** once past `learning_starts`, one gradient step per `train_frequency` env-steps:
///    sample `batch_size` transitions uniformly (with replacement), regress
///    `Q(s, a)` on `y = r + γ·(1 − terminated)·Q_target(s', a*)`, where `a*` is the online
///    network's best valid next action (double DQN) or the target network's (plain DQN). A
///    *truncated* transition bootstraps (the episode was cut, not ended); only `terminated`
///    removes the bootstrap. Huber (or MSE) loss, optional global-norm clip, Adam.
/// 4. **Sync** the target network to the online network every `target_network_frequency` steps.
///
/// Steps are env-steps of the batch env (`count` per batch step), so the schedules mean the same
/// with 1 or N copies. The agent has no random stream of its own: it draws from the `rng` it is
/// given. A checkpoint holds both networks, Adam's state, the counters and the whole replay buffer.
public struct DQN: Agent {
    public static let name = "dqn"
    public let hyperparameters: Hyperparameters
    public let observationCount: Int
    public let actionCount: Int
    /// The number of env copies it acts for.
    public let copies: Int

    /// The online Q-network: observation → one Q-value per action.
    public internal(set) var q: MLP<Float>
    /// The target network, a periodic hard copy of ``q``.
    public internal(set) var target: MLP<Float>
    public internal(set) var optimizer: Adam<Float>
    public internal(set) var replay: ReplayBuffer
    /// Env-steps learned from so far (autoreset steps included, as the training loop counts).
    public internal(set) var steps = 0
    /// Gradient steps taken so far.
    public internal(set) var updates = 0

    // Scratch space, allocated once; none of it outlives a step, so none of it is saved.
    private var acting: MLP<Float>.Workspace
    private var current: MLP<Float>.Workspace
    private var nextOnline: MLP<Float>.Workspace
    private var nextTarget: MLP<Float>.Workspace
    private var sampled: [Int]
    private var predictions: [Float]
    private var targets: [Float]
    private var lossGradient: [Float]
    private var observed: [Float]
    private var resetting: [Bool]
    private var learnsFromStep = false

    public init(spec: EnvSpec, count: Int, hyperparameters: Hyperparameters, using rng: inout Xoshiro256) throws(AgentError) {
        guard case .discrete(let discrete) = spec.actionSpace else {
            throw .unsupported(agent: Self.name, env: spec.id, reason: "DQN needs a Discrete action space, not \(spec.actionSpace)")
        }
        guard discrete.start == 0 else {
            throw .unsupported(agent: Self.name, env: spec.id, reason: "DQN needs a Discrete space starting at 0")
        }
        precondition(count > 0, "DQN acts for at least one copy")
        let h = hyperparameters
        self.hyperparameters = h
        observationCount = spec.observationCount
        actionCount = discrete.n
        copies = count
        q = MLP(sizes: [observationCount] + h.hiddenSizes + [actionCount], activation: .relu, initialization: .uniform, using: &rng)
        target = q
        optimizer = Adam(parameterCount: q.parameterCount, learningRate: Float(h.learningRate), epsilon: Float(h.adamEpsilon))
        replay = ReplayBuffer(capacity: h.bufferSize, observationCount: observationCount, actionCount: actionCount)
        acting = q.makeWorkspace(batchSize: count)
        current = q.makeWorkspace(batchSize: h.batchSize)
        nextOnline = q.makeWorkspace(batchSize: h.doubleDQN ? h.batchSize : 0)
        nextTarget = q.makeWorkspace(batchSize: h.batchSize)
        sampled = Array(repeating: 0, count: h.batchSize)
        predictions = Array(repeating: 0, count: h.batchSize)
        targets = predictions
        lossGradient = predictions
        observed = Array(repeating: 0, count: count * observationCount)
        resetting = Array(repeating: false, count: count)
    }

    // MARK: Acting

    public mutating func act<Env: BatchEnv>(on env: Env, mode: ActingMode, into actions: inout ActionBatch, using rng: inout Xoshiro256) {
        precondition(env.count == copies && env.spec.observationCount == observationCount, "DQN was built for another env")
        let observations = env.observations, masks = env.actionMasks, needsReset = env.needsReset
        let width = env.maskWidth
        for i in 0..<copies { resetting[i] = needsReset[i] }
        observed.withUnsafeMutableBufferPointer { o in observations.withUnsafeBufferPointer { o.baseAddress!.update(from: $0.baseAddress!, count: o.count) } }
        learnsFromStep = mode == .training
        let epsilon = mode == .training ? hyperparameters.epsilon(atStep: steps) : 0

        acting.input.storage.withUnsafeMutableBufferPointer { x in observed.withUnsafeBufferPointer { x.baseAddress!.update(from: $0.baseAddress!, count: $0.count) } }
        q.forward(in: &acting)
        let values = acting.output
        for i in 0..<copies {
            let valid = width == 0 ? actionCount : Self.validCount(masks, row: i, width: width)
            let greedy = Self.argmax(values.storage, row: i, actionCount: actionCount, masks: masks, maskWidth: width)
            var action = greedy
            if epsilon > 0, rng.uniform() < epsilon {
                action = Self.validAction(rng.below(valid), masks: masks, row: i, maskWidth: width)
            }
            actions.integers[i] = Int64(action)
            actions.probabilities[i] = epsilon / Double(valid) + (action == greedy ? 1 - epsilon : 0)
        }
    }

    /// The number of `true` flags in row `row` of `masks` (at least 1: an all-masked row, which
    /// no scenario produces, counts every action as valid).
    static func validCount(_ masks: [Bool], row: Int, width: Int) -> Int {
        var n = 0
        for j in 0..<width where masks[row * width + j] { n += 1 }
        return n == 0 ? width : n
    }

    /// The `k`-th valid action of row `row` (every action is valid without a mask).
    static func validAction(_ k: Int, masks: [Bool], row: Int, maskWidth: Int) -> Int {
        if maskWidth == 0 { return k }
        var seen = 0
        for j in 0..<maskWidth where masks[row * maskWidth + j] {
            if seen == k { return j }
            seen += 1
        }
        return k  // an all-masked row: every action counts as valid
    }

    /// The valid action of highest value in row `row` of `values` (ties: the lowest index), under
    /// row `maskRow` of `masks` (every action valid when `maskWidth` is 0 or the row is all masked).
    static func argmax(_ values: [Float], row: Int, actionCount: Int, masks: [Bool], maskRow: Int? = nil, maskWidth: Int) -> Int {
        let m = (maskRow ?? row) * maskWidth
        var best = -1
        var bestValue = -Float.infinity
        for j in 0..<actionCount where maskWidth == 0 || masks[m + j] {
            let v = values[row * actionCount + j]
            if best < 0 || v > bestValue {
                best = j
                bestValue = v
            }
        }
        if best >= 0 { return best }
        return argmax(values, row: row, actionCount: actionCount, masks: [], maskWidth: 0)
    }

    // MARK: Learning

    public mutating func learn<Env: BatchEnv>(from env: Env, actions: ActionBatch, using rng: inout Xoshiro256) {
        guard learnsFromStep else { return }
        learnsFromStep = false
        let next = env.observations, rewards = env.rewards, terminated = env.terminated, masks = env.actionMasks
        let width = env.maskWidth, n = observationCount
        observed.withUnsafeBufferPointer { o in
            next.withUnsafeBufferPointer { s in
                masks.withUnsafeBufferPointer { m in
                    for i in 0..<copies where !resetting[i] {
                        replay.append(
                            observation: UnsafeBufferPointer(rebasing: o[(i * n)..<((i + 1) * n)]), action: Int(actions.integers[i]),
                            reward: rewards[i], terminated: terminated[i],
                            nextObservation: UnsafeBufferPointer(rebasing: s[(i * n)..<((i + 1) * n)]),
                            nextMask: width == 0 ? UnsafeBufferPointer(rebasing: m[0..<0]) : UnsafeBufferPointer(rebasing: m[(i * width)..<((i + 1) * width)]))
                    }
                }
            }
        }
        let before = steps
        steps += copies
        let h = hyperparameters
        guard steps > h.learningStarts, replay.count > 0 else { return }
        // Multiples of a period crossed by this batch step, counting from `learning_starts`.
        let from = max(before, h.learningStarts)
        for _ in 0..<(steps / h.trainFrequency - from / h.trainFrequency) { trainStep(using: &rng) }
        if steps / h.targetNetworkFrequency > from / h.targetNetworkFrequency { target.copyParameters(from: q) }
    }

    /// One gradient step on a uniformly sampled minibatch.
    private mutating func trainStep(using rng: inout Xoshiro256) {
        for b in 0..<hyperparameters.batchSize { sampled[b] = rng.below(replay.count) }
        computeTargets()
        let batch = hyperparameters.batchSize, width = actionCount
        q.forward(in: &current)
        let output = current.output
        for b in 0..<batch { predictions[b] = output.storage[b * width + Int(replay.actions[sampled[b]])] }
        switch hyperparameters.loss {
        case .huber: _ = Loss.huber(predictions: predictions, targets: targets, gradient: &lossGradient)
        case .mse: _ = Loss.meanSquaredError(predictions: predictions, targets: targets, gradient: &lossGradient)
        }
        current.outputGradient.storage.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        for b in 0..<batch { current.outputGradient.storage[b * width + Int(replay.actions[sampled[b]])] = lossGradient[b] }
        q.backward(in: &current)
        if hyperparameters.maxGradNorm > 0 { GradientClipping.clip(&q.gradients, maxNorm: hyperparameters.maxGradNorm) }
        optimizer.update(&q.parameters, gradients: q.gradients)
        updates += 1
    }

    /// Loads the transitions `sampled` into the workspaces' inputs and writes their TD targets
    /// `r + γ·(1 − terminated)·Q_target(s', a*)` into `targets`.
    private mutating func computeTargets() {
        let n = observationCount, width = actionCount, batch = hyperparameters.batchSize
        let double = hyperparameters.doubleDQN
        Self.gather(replay.observations, rows: sampled, width: n, into: &current.input.storage)
        Self.gather(replay.nextObservations, rows: sampled, width: n, into: &nextTarget.input.storage)
        target.forward(in: &nextTarget)
        if double {
            Self.gather(replay.nextObservations, rows: sampled, width: n, into: &nextOnline.input.storage)
            q.forward(in: &nextOnline)
        }
        let gamma = Float(hyperparameters.gamma)
        let chooser = double ? nextOnline.output.storage : nextTarget.output.storage
        let valuer = nextTarget.output.storage, masks = replay.nextMasks
        for b in 0..<batch {
            let i = sampled[b]
            let best = Self.argmax(chooser, row: b, actionCount: width, masks: masks, maskRow: i, maskWidth: width)
            let bootstrap = replay.terminated[i] ? 0 : gamma * valuer[b * width + best]
            targets[b] = replay.rewards[i] + bootstrap
        }
    }

    /// The TD targets the next gradient step would regress on for replay transitions `indices`
    /// (at most `batch_size` of them), computed by the training code itself. For tests and
    /// inspection; it changes no learned state.
    public mutating func temporalDifferenceTargets(forTransitions indices: [Int]) -> [Float] {
        precondition(!indices.isEmpty && indices.count <= hyperparameters.batchSize, "between 1 and batch_size transitions")
        precondition(indices.allSatisfy { (0..<replay.count).contains($0) }, "transitions must be stored ones")
        for b in sampled.indices { sampled[b] = b < indices.count ? indices[b] : indices[0] }
        computeTargets()
        return Array(targets.prefix(indices.count))
    }

    /// Copies rows `rows` (each `width` values) of `source` into consecutive rows of `destination`.
    private static func gather(_ source: [Float], rows: [Int], width: Int, into destination: inout [Float]) {
        source.withUnsafeBufferPointer { s in
            destination.withUnsafeMutableBufferPointer { d in
                for (b, i) in rows.enumerated() {
                    (d.baseAddress! + b * width).update(from: s.baseAddress! + i * width, count: width)
                }
            }
        }
    }
}
