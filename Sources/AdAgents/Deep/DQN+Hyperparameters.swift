import AdEnv

extension DQN {
    /// DQN's hyper-parameters, read from a preset's `hyperparameters` (snake_case keys). Defaults
    /// are CleanRL's `dqn.py` (classic control) except where noted; "steps" are env-steps as
    /// ``TrainingLoop`` counts them (every copy of the batch env, autoreset steps included).
    public struct Hyperparameters: AgentHyperparameters, Equatable {
        /// The regression loss on the TD error.
        public enum LossKind: String, Sendable, CaseIterable {
            /// Huber with δ = 1 (the choice; CleanRL's Atari DQN variants use it too).
            case huber
            /// Mean squared error (CleanRL's classic-control `dqn.py`).
            case mse
        }

        /// `learning_rate`: Adam's step size. Default 2.5e-4, in (0, 1].
        public var learningRate: Double
        /// `adam_epsilon`: Adam's ε. Default 1e-8 (PyTorch's), ≥ 0.
        public var adamEpsilon: Double
        /// `buffer_size`: replay capacity in transitions; the oldest is overwritten. Default 10,000, ≥ 1.
        public var bufferSize: Int
        /// `gamma`: the discount of the TD target. Default 0.99, in [0, 1].
        public var gamma: Double
        /// `target_network_frequency`: the target network is a hard copy of the online network,
        /// refreshed every this many steps (once training has started). Default 500, ≥ 1.
        public var targetNetworkFrequency: Int
        /// `batch_size`: transitions per gradient step, sampled uniformly with replacement. Default 128, ≥ 1.
        public var batchSize: Int
        /// `start_epsilon`, `end_epsilon`: ε falls linearly from start to end over
        /// `exploration_steps`, then stays at end. Defaults 1 and 0.05, in [0, 1].
        public var startEpsilon: Double
        public var endEpsilon: Double
        /// `exploration_steps`: the length of the ε schedule. Default 250,000 (CleanRL:
        /// `exploration_fraction` 0.5 × `total_timesteps` 500,000), ≥ 1.
        public var explorationSteps: Int
        /// `learning_starts`: no gradient step before this many steps. Default 10,000, ≥ 0.
        public var learningStarts: Int
        /// `train_frequency`: one gradient step every this many steps. Default 10, ≥ 1.
        public var trainFrequency: Int
        /// `hidden_sizes`: the Q-network's hidden widths. Default [120, 84], 1 to 8 layers of 1…4096.
        public var hiddenSizes: [Int]
        /// `double_dqn`: choose the next action with the online network and value it with the
        /// target network (van Hasselt et al.), rather than the target network's max. Default true.
        public var doubleDQN: Bool
        /// `loss`: `huber` (default) or `mse`.
        public var loss: LossKind
        /// `max_grad_norm`: global gradient-norm clip; 0 (default, as CleanRL) turns it off. ≥ 0.
        public var maxGradNorm: Double

        public init(reading reader: inout ConfigReader) throws(ScenarioError) {
            learningRate = try reader.double("learning_rate", default: 2.5e-4, in: Bounds(lower: 0, upper: 1, lowerInclusive: false))
            adamEpsilon = try reader.double("adam_epsilon", default: 1e-8, in: .nonNegative)
            bufferSize = try reader.int("buffer_size", default: 10_000, in: .closed(1, 100_000_000))
            gamma = try reader.double("gamma", default: 0.99, in: .probability)
            targetNetworkFrequency = try reader.int("target_network_frequency", default: 500, in: .atLeast(1))
            batchSize = try reader.int("batch_size", default: 128, in: .closed(1, 1_000_000))
            startEpsilon = try reader.double("start_epsilon", default: 1, in: .probability)
            endEpsilon = try reader.double("end_epsilon", default: 0.05, in: .probability)
            explorationSteps = try reader.int("exploration_steps", default: 250_000, in: .atLeast(1))
            learningStarts = try reader.int("learning_starts", default: 10_000, in: .nonNegative)
            trainFrequency = try reader.int("train_frequency", default: 10, in: .atLeast(1))
            hiddenSizes = try reader.ints("hidden_sizes", default: [120, 84], count: 1...8, each: .closed(1, 4096))
            doubleDQN = try reader.bool("double_dqn", default: true)
            loss = try reader.choice("loss", default: LossKind.huber)
            maxGradNorm = try reader.double("max_grad_norm", default: 0, in: .nonNegative)
        }

        /// ε after `steps` steps of training: exactly `end_epsilon` from `exploration_steps` on.
        public func epsilon(atStep steps: Int) -> Double {
            if steps >= explorationSteps { return endEpsilon }
            let fraction = Double(steps) / Double(explorationSteps)
            return startEpsilon + fraction * (endEpsilon - startEpsilon)
        }
    }
}
