import AdEnv

extension PPO {
    /// PPO's hyper-parameters, read from a preset's `hyperparameters` object (snake_case keys).
    /// The defaults are CleanRL's `ppo.py` (Atari/classic-control discrete settings); the
    /// continuous preset (`Agents/ppo-continuous.json`) takes `ppo_continuous_action.py`'s.
    public struct Hyperparameters: AgentHyperparameters, Equatable {
        /// `learning_rate`, 2.5e-4, > 0: Adam's step size at the start of training.
        public var learningRate: Double
        /// `anneal_lr`, true: decay the learning rate linearly from `learning_rate` at the first
        /// update to 0 after `total_steps` env-steps (CleanRL's `frac = 1 − (iteration − 1) /
        /// num_iterations`). Updates past `total_steps` run at rate 0.
        public var annealLearningRate: Bool
        /// `total_steps`, 500,000, ≥ 1: the planned length of training in env-steps (all copies,
        /// autoreset steps included, as ``TrainingLoop/steps``), used only by the annealing. Give
        /// it the run's length: a driver such as `adenv train --steps N` should set it to N when
        /// neither the preset nor `--set` does.
        public var totalSteps: Int
        /// `num_steps`, 128, ≥ 1: rollout length per copy; a rollout holds `num_steps × count` steps.
        public var rolloutSteps: Int
        /// `gamma`, 0.99, in [0, 1]: the discount.
        public var gamma: Double
        /// `gae_lambda`, 0.95, in [0, 1]: GAE's λ.
        public var gaeLambda: Double
        /// `num_minibatches`, 4, ≥ 1: minibatches per epoch; each holds
        /// `⌊num_steps × count / num_minibatches⌋` steps (leftovers of the shuffle sit the epoch out).
        public var minibatches: Int
        /// `update_epochs`, 4, ≥ 1: passes over each rollout.
        public var epochs: Int
        /// `norm_adv`, true: normalise advantages per minibatch (mean 0, standard deviation 1).
        public var normalizeAdvantages: Bool
        /// `clip_coef`, 0.2, > 0: the surrogate's ratio clip ε.
        public var clipCoefficient: Double
        /// `clip_vloss`, true: clip the value loss around the rollout's values (CleanRL's default).
        public var clipValueLoss: Bool
        /// `ent_coef`, 0.01, ≥ 0: the entropy bonus.
        public var entropyCoefficient: Double
        /// `vf_coef`, 0.5, ≥ 0: the value loss's weight.
        public var valueCoefficient: Double
        /// `max_grad_norm`, 0.5, > 0: the global gradient-norm clip over all parameters.
        public var maxGradientNorm: Double
        /// `target_kl`, 0 (off), ≥ 0: stop the epochs of an update early once a minibatch's
        /// approximate KL divergence exceeds it (checked after each epoch, as CleanRL).
        public var targetKL: Double
        /// `hidden_sizes`, [64, 64]: the hidden widths of both the actor and the critic.
        public var hiddenSizes: [Int]
        /// `activation`, "tanh": the hidden activation (`tanh` or `relu`).
        public var activation: Activation
        /// `adam_epsilon`, 1e-5, > 0: Adam's ε.
        public var adamEpsilon: Double
        /// `initial_log_std`, 0: the Gaussian policy's starting log standard deviation (continuous
        /// actions only).
        public var initialLogStd: Double
        /// `reward_scale`, 1, > 0: rewards are multiplied by it before learning (CleanRL's continuous
        /// script normalises rewards with a running statistic instead; a fixed scale keeps the
        /// update a pure function of the rollout). Returns reported by the loop are unscaled.
        public var rewardScale: Double

        /// `adenv train --steps N` fills `total_steps` with N when the preset leaves it out.
        public static var plannedStepsKey: String? { "total_steps" }

        public init(reading reader: inout ConfigReader) throws(ScenarioError) {
            learningRate = try reader.double("learning_rate", default: 2.5e-4, in: .positive)
            annealLearningRate = try reader.bool("anneal_lr", default: true)
            totalSteps = try reader.int("total_steps", default: 500_000, in: .atLeast(1))
            rolloutSteps = try reader.int("num_steps", default: 128, in: .closed(1, 1_000_000))
            gamma = try reader.double("gamma", default: 0.99, in: .probability)
            gaeLambda = try reader.double("gae_lambda", default: 0.95, in: .probability)
            minibatches = try reader.int("num_minibatches", default: 4, in: .closed(1, 1_000_000))
            epochs = try reader.int("update_epochs", default: 4, in: .closed(1, 10_000))
            normalizeAdvantages = try reader.bool("norm_adv", default: true)
            clipCoefficient = try reader.double("clip_coef", default: 0.2, in: .positive)
            clipValueLoss = try reader.bool("clip_vloss", default: true)
            entropyCoefficient = try reader.double("ent_coef", default: 0.01, in: .nonNegative)
            valueCoefficient = try reader.double("vf_coef", default: 0.5, in: .nonNegative)
            maxGradientNorm = try reader.double("max_grad_norm", default: 0.5, in: .positive)
            targetKL = try reader.double("target_kl", default: 0, in: .nonNegative)
            hiddenSizes = try reader.ints("hidden_sizes", default: [64, 64], count: 0...16, each: .closed(1, 65_536))
            activation = try reader.choice("activation", default: Activation.tanh)
            adamEpsilon = try reader.double("adam_epsilon", default: 1e-5, in: .positive)
            initialLogStd = try reader.double("initial_log_std", default: 0, in: .closed(-20, 2))
            rewardScale = try reader.double("reward_scale", default: 1, in: .positive)
        }
    }
}
