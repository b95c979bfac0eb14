import AdEnv

/// A policy that acts on the N copies of a ``BatchEnv`` and, if it learns, learns from what they
/// return: bandits, DQN, REINFORCE, PPO and the fixed baselines all conform.
///
/// One training step, as ``TrainingLoop`` drives it (the loop of CleanRL's scripts):
/// 1. `act(on:mode:into:using:)` reads the env's current buffers (observations, action masks,
///    ``BatchEnv/needsReset``) and writes one action per copy. The agent keeps whatever it needs
///    to learn later (the observation it acted on, a log-probability, a value estimate).
/// 2. The loop steps the env with those actions.
/// 3. `learn(from:actions:using:)` reads the step's results (rewards, `terminated`, `truncated`,
///    the next observations) and updates. A copy whose ``BatchEnv/needsReset`` was true before
///    the step was autoreset (NEXT_STEP): its action was ignored and its "transition" is not one,
///    so learners skip it.
///
/// Randomness comes only from the `rng` arguments, so a run is a pure function of its seeds.
/// Agents are value types; checkpoints hold everything needed to continue bit for bit.
public protocol Agent {
    associatedtype Hyperparameters: AgentHyperparameters

    /// The agent's name, as in `Agents/<name>.json` and `adenv train --agent`.
    static var name: String { get }

    /// The hyper-parameters the agent was built with.
    var hyperparameters: Hyperparameters { get }

    /// Builds an agent for `count` copies of envs with `spec`, drawing initial weights from `rng`.
    ///
    /// - Throws: ``AgentError/unsupported(agent:env:reason:)`` when the agent cannot act in this
    ///   env (for example DQN on a Box action space).
    init(spec: EnvSpec, count: Int, hyperparameters: Hyperparameters, using rng: inout Xoshiro256) throws(AgentError)

    /// Writes an action for every copy into `actions`, and its probability into
    /// `actions.probabilities`. Actions of copies that will autoreset are ignored by the env but
    /// must still be valid.
    mutating func act<Env: BatchEnv>(on env: Env, mode: ActingMode, into actions: inout ActionBatch, using rng: inout Xoshiro256)

    /// Learns from the step the env just took with `actions`. Fixed policies do nothing.
    mutating func learn<Env: BatchEnv>(from env: Env, actions: ActionBatch, using rng: inout Xoshiro256)

    /// Writes the agent's whole state (weights, optimiser moments, counters, buffers) under its
    /// own entry names.
    func save(to checkpoint: inout Checkpoint)

    /// Restores the state written by ``save(to:)`` into an agent built with the same spec, count
    /// and hyper-parameters.
    ///
    /// - Throws: ``CheckpointError`` for a missing entry or one of the wrong type or size.
    mutating func load(from checkpoint: Checkpoint) throws(CheckpointError)

    /// Forgets per-episode state (a controller's integral, an episode in progress) because every
    /// copy was just reset outside the autoreset flow: at the start of a run or of an evaluation.
    /// What the agent has learned stays. The default does nothing.
    mutating func resetEpisodes()
}

extension Agent {
    public mutating func resetEpisodes() {}
}

/// Whether an agent acts to learn (exploring) or to be evaluated.
public enum ActingMode: Sendable {
    /// Explore as training requires: ε-greedy, sampling from the policy, optimism.
    case training
    /// Act as the trained policy would be deployed: DQN greedy, PPO's Gaussian mean, a bandit's
    /// posterior mean. Each agent documents what it does.
    case evaluation
}
