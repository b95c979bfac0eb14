import AdEnv

/// What a benchmark run measures (see `docs/BENCH.md`).
public enum BenchProtocol: String, Sendable, CaseIterable {
    /// Learning is the measurement: the score is what the agent collected while training (the sum of
    /// `expected_reward` when the env reports it, else of the reward).
    case online
    /// Train for the run's steps, then score the mean return of evaluation episodes without learning.
    case trainEval = "train-eval"

    /// The default for a scenario kind: `online` for the bandit kinds, `train-eval` otherwise.
    public static func `default`(forKind kind: String) -> BenchProtocol {
        kind.hasSuffix("bandit") ? .online : .trainEval
    }
}
