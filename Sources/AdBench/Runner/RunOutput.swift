import AdEnv

/// What one run produced: the text of its deterministic files and its timings.
public struct RunOutput: Sendable {
    /// `result.json`.
    public var result: String
    /// `curve.csv`.
    public var curve: String
    /// `episodes.csv`.
    public var episodes: String
    /// Env-steps trained.
    public var steps: Int
    /// The run's score (see ``BenchProtocol``).
    public var score: Double
    public var normalizedScore: Double?
    /// Seconds of training (acting, stepping and learning).
    public var trainSeconds: Double
    /// Seconds of evaluation and of the references.
    public var evaluationSeconds: Double

    /// `provenance.json`: the run's timings, which vary from run to run.
    public var provenance: String {
        let object: ConfigValue = [
            "train_seconds": .number(trainSeconds),
            "evaluation_seconds": .number(evaluationSeconds),
            "steps_per_second": .number(trainSeconds > 0 ? Double(steps) / trainSeconds : 0),
        ]
        return object.jsonString(pretty: true) + "\n"
    }
}
