import AdEnv

extension BenchReport {
    /// One complete run: its `result.json`, `curve.csv` and (when present) `provenance.json`.
    public struct Run: Sendable {
        public var scenario: String
        public var label: String
        public var agent: String
        public var seed: Int
        public var envs: Int
        /// Env-steps actually taken.
        public var steps: Int
        public var trainingEpisodes: Int
        /// The run's score; NaN when the file says null (a non-finite score).
        public var score: Double
        public var randomScore: Double?
        public var oracleScore: Double?
        public var normalizedScore: Double?
        /// The pseudo-regret of an online run, when the env reports it.
        public var cumulativeRegret: Double?
        /// The learning curve.
        public var curve: Curve
        /// Training env-steps per second of training wall time; `nil` without a run provenance.
        public var stepsPerSecond: Double?
    }

    /// A run's `curve.csv`: one row per recorded step.
    public struct Curve: Sendable {
        /// The step of each row.
        public var steps: [Double]
        /// Online: the cumulative pseudo-regret (NaN when not reported); train-eval: NaN.
        public var cumulativeRegret: [Double]
        /// Online: the running score; train-eval: NaN.
        public var cumulativeScore: [Double]
        /// Train-eval: the mean return of the training episodes that ended in the bin (NaN for
        /// none); online: NaN.
        public var meanReturn: [Double]
    }
}

extension BenchReport.Run {
    static let format = "adenv-bench-run/1"

    /// Loads the run in `path` (a `seed-<s>` directory) of `scenario`, checking that the files
    /// belong where they are.
    init(directory path: String, key: BenchReport.RunKey, in plan: BenchReport.Scenario) throws(BenchReportError) {
        let resultFile = path + "/result.json"
        let result = try JSONFields(parsing: try BenchReport.read(resultFile), file: resultFile)
        let format = try result.string("format")
        guard format == Self.format else { throw result.invalid("format", "expected '\(Self.format)', found '\(format)'") }
        scenario = try result.string("scenario")
        label = try result.string("label")
        seed = try result.int("seed")
        guard scenario == key.scenario else { throw result.invalid("scenario", "'\(scenario)' in the directory of '\(key.scenario)'") }
        guard label == key.label else { throw result.invalid("label", "'\(label)' in the directory of '\(key.label)'") }
        guard seed == key.seed else { throw result.invalid("seed", "\(seed) in the directory of seed \(key.seed)") }
        agent = try result.string("agent")
        envs = try result.int("envs")
        steps = try result.int("steps")
        trainingEpisodes = try result.int("training_episodes")
        score = try result.nullableNumber("score") ?? .nan
        randomScore = try result.nullableNumber("random_score")
        oracleScore = try result.nullableNumber("oracle_score")
        normalizedScore = try result.nullableNumber("normalized_score")
        cumulativeRegret = try result.nullableNumber("cumulative_regret")

        let curveFile = path + "/curve.csv"
        let text = try BenchReport.read(curveFile)
        switch plan.measurement {
        case .online:
            let table = try CSVTable(parsing: text, file: curveFile, expectedColumns: ["step", "cumulative_regret", "cumulative_score"])
            let none = [Double](repeating: .nan, count: table.rowCount)
            curve = BenchReport.Curve(
                steps: table.column("step"), cumulativeRegret: table.column("cumulative_regret"),
                cumulativeScore: table.column("cumulative_score"), meanReturn: none)
        case .trainEval:
            let table = try CSVTable(parsing: text, file: curveFile, expectedColumns: ["step", "episodes", "mean_return"])
            let none = [Double](repeating: .nan, count: table.rowCount)
            curve = BenchReport.Curve(steps: table.column("step"), cumulativeRegret: none, cumulativeScore: none, meanReturn: table.column("mean_return"))
        }

        let provenanceFile = path + "/provenance.json"
        if FileSystem.exists(provenanceFile) {
            let provenance = try JSONFields(parsing: try BenchReport.read(provenanceFile), file: provenanceFile)
            stepsPerSecond = try provenance.optionalNumber("steps_per_second")
        } else {
            stepsPerSecond = nil
        }
    }
}
