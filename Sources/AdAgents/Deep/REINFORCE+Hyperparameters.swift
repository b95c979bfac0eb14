import AdEnv

extension REINFORCE {
    /// REINFORCE's hyper-parameters, read from a preset's `hyperparameters` object (snake_case keys).
    public struct Hyperparameters: AgentHyperparameters, Equatable {
        /// `learning_rate`, 1e-3, > 0: the actor's Adam step size.
        public var learningRate: Double
        /// `value_learning_rate`, 1e-3, > 0: the critic's (baseline's) Adam step size.
        public var valueLearningRate: Double
        /// `gamma`, absent by default, in [0, 1]: the discount of the Monte-Carlo returns. Absent
        /// means the scenario's own discount, `spec.oracle.discount` (0.99 for FatigueMDP-v0, 1 for
        /// scenarios scored undiscounted).
        public var gamma: Double?
        /// `episodes_per_update`, 8, ≥ 1: finished episodes (over all copies) per gradient step.
        public var episodesPerUpdate: Int
        /// `norm_adv`, true: normalise the batch's advantages `G − V(s)` (mean 0, standard deviation 1).
        public var normalizeAdvantages: Bool
        /// `ent_coef`, 0, ≥ 0: the entropy bonus.
        public var entropyCoefficient: Double
        /// `max_grad_norm`, 0.5, > 0: the global gradient-norm clip over actor, critic and log-std.
        public var maxGradientNorm: Double
        /// `hidden_sizes`, [64, 64]: the hidden widths of the actor and the critic.
        public var hiddenSizes: [Int]
        /// `activation`, "tanh": the hidden activation (`tanh` or `relu`).
        public var activation: Activation
        /// `adam_epsilon`, 1e-8 (PyTorch's default), > 0.
        public var adamEpsilon: Double
        /// `initial_log_std`, 0: the Gaussian policy's starting log standard deviation (Box actions).
        public var initialLogStd: Double
        /// `reward_scale`, 1, > 0: rewards are multiplied by it before learning.
        public var rewardScale: Double
        /// `chunk_size`, 256, ≥ 1: rows per forward/backward pass when computing a batch's gradient
        /// (episodes vary in length; gradients of the chunks are summed, so the result does not
        /// depend on it beyond rounding).
        public var chunkSize: Int

        public init(reading reader: inout ConfigReader) throws(ScenarioError) {
            learningRate = try reader.double("learning_rate", default: 1e-3, in: .positive)
            valueLearningRate = try reader.double("value_learning_rate", default: 1e-3, in: .positive)
            switch try reader.raw("gamma") {
            case nil:
                gamma = nil
            case .number(let x)?:
                guard Bounds.probability.contains(x) else {
                    throw .invalidValue(path: reader.path(of: "gamma"), reason: "\(x) is outside \(Bounds.probability.description)")
                }
                gamma = x
            case let other?:
                throw .wrongType(path: reader.path(of: "gamma"), expected: "number", found: other.typeName)
            }
            episodesPerUpdate = try reader.int("episodes_per_update", default: 8, in: .closed(1, 1_000_000))
            normalizeAdvantages = try reader.bool("norm_adv", default: true)
            entropyCoefficient = try reader.double("ent_coef", default: 0, in: .nonNegative)
            maxGradientNorm = try reader.double("max_grad_norm", default: 0.5, in: .positive)
            hiddenSizes = try reader.ints("hidden_sizes", default: [64, 64], count: 0...16, each: .closed(1, 65_536))
            activation = try reader.choice("activation", default: Activation.tanh)
            adamEpsilon = try reader.double("adam_epsilon", default: 1e-8, in: .positive)
            initialLogStd = try reader.double("initial_log_std", default: 0, in: .closed(-20, 2))
            rewardScale = try reader.double("reward_scale", default: 1, in: .positive)
            chunkSize = try reader.int("chunk_size", default: 256, in: .closed(1, 1_000_000))
        }
    }
}
