import AdEnv

/// The action distribution of a policy-gradient agent (REINFORCE, PPO) on top of its actor
/// network's output, for the two kinds of action space they support:
///
/// - **Discrete(n)**: the actor outputs `n` logits; a categorical (softmax) policy, masked by the
///   env's action mask (masked actions get probability 0). Stored actions are the index `0..<n`
///   (as a `Float`); the env receives `start + index`.
/// - **Box** (any shape, flattened to `D` values): the actor outputs the mean `μ` of a diagonal
///   Gaussian whose log standard deviations are a state-independent parameter vector (CleanRL's
///   `actor_logstd`). Stored actions are the *unclipped* sample `x`, whose log-density the loss
///   uses; the env receives `x` clipped to the box's bounds (as CleanRL's `ClipAction` wrapper).
///
/// Rows of matrices are samples (batch rows); every buffer is preallocated in a ``Workspace``.
struct PolicyHead: Sendable {
    enum Kind: Sendable, Equatable {
        /// `start` is the Discrete space's first action.
        case categorical(start: Int)
        /// The box's bounds, one per flattened dimension (possibly infinite).
        case gaussian(low: [Float], high: [Float])
    }

    let kind: Kind
    /// The actor's output width: the number of discrete actions, or the action's dimensions `D`.
    let outputCount: Int
    /// Scalars stored per action: 1 for discrete (the index), `D` for continuous.
    let actionWidth: Int
    /// The env's mask width (``BatchEnv/maskWidth``): the number of discrete actions, or 0.
    let maskWidth: Int

    /// The head for `spec`'s action space.
    ///
    /// - Throws: ``AgentError/unsupported(agent:env:reason:)`` for MultiDiscrete, MultiBinary and
    ///   Dict action spaces.
    init(spec: EnvSpec, agent: String) throws(AgentError) {
        switch spec.actionSpace {
        case .discrete(let d):
            kind = .categorical(start: d.start)
            outputCount = d.n
            actionWidth = 1
            maskWidth = spec.hasActionMask ? d.n : 0
        case .box(let box):
            kind = .gaussian(low: box.low, high: box.high)
            outputCount = box.count
            actionWidth = box.count
            maskWidth = 0
        default:
            throw .unsupported(agent: agent, env: spec.id, reason: "it needs a Discrete or a Box action space")
        }
    }

    var isContinuous: Bool {
        if case .gaussian = kind { true } else { false }
    }

    /// Scratch buffers for a batch of `rows` samples.
    struct Workspace: Sendable {
        /// Categorical: the log-probabilities of every action. Gaussian: unused (0 columns).
        var logProbabilities: Matrix<Float>
        /// Categorical: `∂L/∂log p` per action, then `∂L/∂logits`.
        var gradient: Matrix<Float>
        /// The actions being scored, `rows × actionWidth` (for the Gaussian, its sample).
        var actions: Matrix<Float>
        /// The action masks of the rows, `rows × maskWidth` (empty without masks).
        var masks: [Bool]
        /// Per-row log-probabilities and entropies.
        var rowLogProbabilities: [Float]
        var entropies: [Float]
    }

    func makeWorkspace(rows: Int) -> Workspace {
        let categoricalColumns = isContinuous ? 0 : outputCount
        return Workspace(
            logProbabilities: Matrix(rows: rows, columns: categoricalColumns),
            gradient: Matrix(rows: rows, columns: categoricalColumns),
            actions: Matrix(rows: rows, columns: actionWidth),
            masks: Array(repeating: true, count: rows * maskWidth),
            rowLogProbabilities: Array(repeating: 0, count: rows),
            entropies: Array(repeating: 0, count: rows))
    }

    // MARK: Acting

    /// Chooses one action per row of `output` (the actor's output for the env's current
    /// observations) and writes it into `actions`, with its probability:
    ///
    /// - `.training`: a sample of the policy. `workspace.actions` receives the stored form (the
    ///   index, or the unclipped Gaussian sample) and `workspace.rowLogProbabilities` its
    ///   log-probability (log-density); `actions.probabilities` gets `exp` of it.
    /// - `.evaluation`: the most probable valid action (first on ties), or the Gaussian mean clipped
    ///   to the box; a deterministic choice, so its probability is 1.
    ///
    /// `masks` is the env's ``BatchEnv/actionMasks`` (empty without masks); every row keeps at
    /// least one valid action.
    func act(
        output: Matrix<Float>, logStd: [Float], masks: [Bool], mode: ActingMode,
        workspace w: inout Workspace, into actions: inout ActionBatch, using rng: inout Xoshiro256
    ) {
        let rows = output.rows, n = outputCount
        switch kind {
        case .categorical(let start):
            Categorical.logSoftmax(output, mask: masks, into: &w.logProbabilities)
            for r in 0..<rows {
                let base = r * n
                var chosen = -1
                switch mode {
                case .evaluation:
                    var best = -Float.infinity
                    for j in 0..<n where w.logProbabilities.storage[base + j] > best {
                        best = w.logProbabilities.storage[base + j]
                        chosen = j
                    }
                    actions.probabilities[r] = 1
                case .training:
                    // Inverse CDF over the valid actions; rounding can leave u above the last
                    // cumulative sum, then the last valid action is taken.
                    let u = rng.uniform()
                    var cumulative = 0.0
                    for j in 0..<n {
                        let lp = w.logProbabilities.storage[base + j]
                        guard lp > -Float.infinity else { continue }
                        chosen = j
                        cumulative += Double(Float.exp(lp))
                        if u < cumulative { break }
                    }
                    let lp = w.logProbabilities.storage[base + chosen]
                    w.rowLogProbabilities[r] = lp
                    w.actions.storage[r] = Float(chosen)
                    actions.probabilities[r] = Double(Float.exp(lp))
                }
                actions.integers[r] = Int64(start + chosen)
            }
        case .gaussian(let low, let high):
            switch mode {
            case .evaluation:
                for r in 0..<rows {
                    for d in 0..<n { actions.reals[r * n + d] = min(max(output.storage[r * n + d], low[d]), high[d]) }
                    actions.probabilities[r] = 1
                }
            case .training:
                DiagonalGaussian.sample(mean: output, logStd: logStd, into: &w.actions, using: &rng)
                DiagonalGaussian.logProbability(actions: w.actions, mean: output, logStd: logStd, into: &w.rowLogProbabilities)
                for r in 0..<rows {
                    for d in 0..<n { actions.reals[r * n + d] = min(max(w.actions.storage[r * n + d], low[d]), high[d]) }
                    actions.probabilities[r] = Double(Float.exp(w.rowLogProbabilities[r]))
                }
            }
        }
    }

    // MARK: Learning

    /// The log-probabilities of `workspace.actions` (stored actions, masked by `workspace.masks`)
    /// under `output`, into `workspace.rowLogProbabilities`, and the policy's entropy per row into
    /// `workspace.entropies`.
    func evaluate(output: Matrix<Float>, logStd: [Float], workspace w: inout Workspace) {
        let rows = output.rows, n = outputCount
        switch kind {
        case .categorical:
            Categorical.logSoftmax(output, mask: w.masks, into: &w.logProbabilities)
            Categorical.entropy(logProbabilities: w.logProbabilities, into: &w.entropies)
            for r in 0..<rows { w.rowLogProbabilities[r] = w.logProbabilities.storage[r * n + Int(w.actions.storage[r])] }
        case .gaussian:
            DiagonalGaussian.logProbability(actions: w.actions, mean: output, logStd: logStd, into: &w.rowLogProbabilities)
            let h = DiagonalGaussian.entropy(logStd: logStd)
            for r in 0..<rows { w.entropies[r] = h }
        }
    }

    /// The backward pass of ``evaluate(output:logStd:workspace:)``: from `∂L/∂log p_r`
    /// (`logProbabilityGradient`) and `∂L/∂H_r` (`entropyGradient`) writes `∂L/∂output` into
    /// `outputGradient` and *adds* `∂L/∂logStd` to `logStdGradient` (Gaussian only).
    func backward(
        output: Matrix<Float>, logStd: [Float], logProbabilityGradient: [Float], entropyGradient: [Float],
        workspace w: inout Workspace, outputGradient: inout Matrix<Float>, logStdGradient: inout [Float]
    ) {
        let rows = output.rows, n = outputCount
        switch kind {
        case .categorical:
            for i in 0..<w.gradient.count { w.gradient.storage[i] = 0 }
            for r in 0..<rows { w.gradient.storage[r * n + Int(w.actions.storage[r])] = logProbabilityGradient[r] }
            Categorical.logSoftmaxBackward(logProbabilities: w.logProbabilities, gradient: w.gradient, into: &outputGradient)
            Categorical.entropyBackward(logProbabilities: w.logProbabilities, entropies: w.entropies, gradient: entropyGradient,
                                        into: &outputGradient, accumulating: true)
        case .gaussian:
            DiagonalGaussian.logProbabilityBackward(actions: w.actions, mean: output, logStd: logStd, gradient: logProbabilityGradient,
                                                    meanGradient: &outputGradient, logStdGradient: &logStdGradient)
            // H = Σ_d log σ_d + const for every row, so ∂H_r/∂log σ_d = 1.
            var total: Float = 0
            for r in 0..<rows { total += entropyGradient[r] }
            for d in 0..<n { logStdGradient[d] += total }
        }
    }
}
