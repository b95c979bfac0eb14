/// The report of a bench directory (see `docs/BENCH.md`): it loads `suite.json`, the bench's
/// `provenance.json` when present and every complete run, computes the statistics, and writes
/// `report.md` with its SVG figures.
///
/// An incomplete bench is fine: runs that the suite plans but the directory lacks are listed in
/// ``missingRuns`` and named in the report. A file that is present but malformed is an error
/// (``BenchReportError``) naming the file and the field.
///
/// Everything the report computes is a pure function of the deterministic files: bootstrap
/// intervals use ``bootstrap`` (2,000 resamples, seed 0), so writing the report twice gives the same
/// bytes; only the provenance and the steps/s columns vary between benches.
public struct BenchReport: Sendable {
    /// The bench directory, as given.
    public let directory: String
    /// The resolved matrix (`suite.json`).
    public let suite: Suite
    /// The bench's machine and timing facts (`provenance.json`); `nil` when the file is absent.
    public let provenance: Provenance?
    /// Every complete run, in suite order: scenario, then agent, then seed.
    public let runs: [Run]
    /// Runs the suite plans that have no complete directory, in suite order.
    public let missingRuns: [RunKey]

    /// One planned run: scenario id, agent label and seed.
    public struct RunKey: Sendable, Equatable, CustomStringConvertible {
        public var scenario: String
        public var label: String
        public var seed: Int

        public init(scenario: String, label: String, seed: Int) {
            self.scenario = scenario
            self.label = label
            self.seed = seed
        }

        /// The run's directory below the bench directory.
        public var directory: String { "runs/\(scenario)/\(label)/seed-\(seed)" }

        public var description: String { "\(scenario) / \(label) / seed \(seed)" }
    }
}
