import AdEnv

extension BenchReport {
    /// One agent's statistics in one scenario, over its complete runs.
    public struct AgentResults: Sendable {
        public var label: String
        /// The agent's complete runs, by seed.
        public var runs: [Run]
        /// The finite scores of those runs.
        public var scores: [Double]
        /// Mean score with its percentile bootstrap 95% CI (NaN without runs).
        public var meanScore: ConfidenceInterval
        /// IQM of the scores with its bootstrap 95% CI.
        public var iqmScore: ConfidenceInterval
        /// The runs' normalized scores (those that have one).
        public var normalizedScores: [Double]
        /// Mean and IQM of ``normalizedScores``; `nil` when no run has one.
        public var meanNormalizedScore: Double?
        public var iqmNormalizedScore: Double?
        /// The runs' pseudo-regret: mean with a t-based 95% CI; `nil` when no run reports it.
        public var regret: Summary?
        /// Mean training steps/s over the runs that have a provenance.
        public var stepsPerSecond: Double?
    }

    /// P(A > B) for two agents of a scenario.
    public struct Improvement: Sendable {
        public var better: String
        public var worse: String
        /// The Mann–Whitney estimate with its bootstrap 95% CI.
        public var probability: ConfidenceInterval
    }

    /// A scenario's statistics.
    public struct ScenarioResults: Sendable {
        public var scenario: Scenario
        /// Agents ranked by mean score, best first; agents without a finite score last, in suite order.
        public var agents: [AgentResults]
        /// The mean reference scores over the scenario's distinct (seed, envs) runs, with bootstrap
        /// CIs; `nil` when no run has that reference.
        public var randomScore: ConfidenceInterval?
        public var oracleScore: ConfidenceInterval?
        /// P(A > B) for each pair of the top three agents (A ranked above B).
        public var improvements: [Improvement]
        /// The scenario's planned runs that are missing.
        public var missingRuns: [RunKey]
    }

    /// One agent's normalized score across scenarios.
    public struct AggregateResult: Sendable {
        public var label: String
        /// Scenarios with at least one normalized score for this agent.
        public var scenarioCount: Int
        public var runCount: Int
        /// IQM of every normalized score, with a stratified bootstrap 95% CI (scenarios as strata).
        public var iqm: ConfidenceInterval
    }

    /// The bootstrap behind every interval of the report: 2,000 resamples, 95%, seed 0.
    public static let bootstrap = Bootstrap(resamples: Bootstrap.defaultResamples, confidence: 0.95, seed: 0)

    /// How many agents of a scenario the probability of improvement compares, best first.
    public static let improvementCount = 3

    /// Every scenario's statistics, in suite order.
    public var scenarioResults: [ScenarioResults] { suite.scenarios.map(results(for:)) }

    /// The statistics of `scenario`.
    public func results(for scenario: Scenario) -> ScenarioResults {
        let scenarioRuns = runs.filter { $0.scenario == scenario.id }
        var agents: [AgentResults] = scenario.agents.map { agent in
            Self.agentResults(label: agent.label, runs: scenarioRuns.filter { $0.label == agent.label })
        }
        // Stable ranking: by mean score, ties and non-finite means in suite order.
        agents = agents.enumerated().sorted { a, b in
            let x = a.element.meanScore.estimate, y = b.element.meanScore.estimate
            if x.isFinite != y.isFinite { return x.isFinite }
            if x.isFinite, x != y { return x > y }
            return a.offset < b.offset
        }.map(\.element)
        var seen: [(Int, Int)] = [], randoms: [Double] = [], oracles: [Double] = []
        for run in scenarioRuns where !seen.contains(where: { $0 == (run.seed, run.envs) }) {
            seen.append((run.seed, run.envs))
            if let r = run.randomScore, r.isFinite { randoms.append(r) }
            if let o = run.oracleScore, o.isFinite { oracles.append(o) }
        }
        let ranked = agents.filter { $0.meanScore.estimate.isFinite }.prefix(Self.improvementCount)
        var improvements: [Improvement] = []
        for (i, a) in ranked.enumerated() {
            for b in ranked.dropFirst(i + 1) {
                improvements.append(Improvement(
                    better: a.label, worse: b.label,
                    probability: ProbabilityOfImprovement.interval(a.scores, over: b.scores, bootstrap: Self.bootstrap)))
            }
        }
        return ScenarioResults(
            scenario: scenario, agents: agents,
            randomScore: randoms.isEmpty ? nil : Self.bootstrap.interval(.mean, of: randoms),
            oracleScore: oracles.isEmpty ? nil : Self.bootstrap.interval(.mean, of: oracles),
            improvements: improvements, missingRuns: missingRuns.filter { $0.scenario == scenario.id })
    }

    static func agentResults(label: String, runs: [Run]) -> AgentResults {
        let scores = runs.map(\.score).filter(\.isFinite)
        let normalized = runs.compactMap(\.normalizedScore).filter(\.isFinite)
        let regrets = runs.compactMap(\.cumulativeRegret).filter(\.isFinite)
        let rates = runs.compactMap(\.stepsPerSecond).filter(\.isFinite)
        return AgentResults(
            label: label, runs: runs, scores: scores,
            meanScore: bootstrap.interval(.mean, of: scores), iqmScore: bootstrap.interval(.interquartileMean, of: scores),
            normalizedScores: normalized,
            meanNormalizedScore: normalized.isEmpty ? nil : Statistic.mean(normalized),
            iqmNormalizedScore: normalized.isEmpty ? nil : InterquartileMean.of(normalized),
            regret: regrets.isEmpty ? nil : Summary(regrets),
            stepsPerSecond: rates.isEmpty ? nil : Statistic.mean(rates))
    }

    /// Every agent label of the suite, in order of first appearance.
    public var labels: [String] {
        var labels: [String] = []
        for scenario in suite.scenarios {
            for agent in scenario.agents where !labels.contains(agent.label) { labels.append(agent.label) }
        }
        return labels
    }

    /// The normalized-score IQM of each agent label across scenarios, best first (agents without a
    /// normalized score last, in suite order).
    public var aggregateResults: [AggregateResult] {
        let results = labels.map { label in
            var strata: [[Double]] = []
            for scenario in suite.scenarios {
                let values = runs.filter { $0.scenario == scenario.id && $0.label == label }.compactMap(\.normalizedScore).filter(\.isFinite)
                if !values.isEmpty { strata.append(values) }
            }
            return AggregateResult(
                label: label, scenarioCount: strata.count, runCount: strata.reduce(0) { $0 + $1.count },
                iqm: Self.bootstrap.stratifiedInterval(.interquartileMean, of: strata))
        }
        return results.enumerated().sorted { a, b in
            let x = a.element.iqm.estimate, y = b.element.iqm.estimate
            if x.isFinite != y.isFinite { return x.isFinite }
            if x.isFinite, x != y { return x > y }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// The colour of an agent in a scenario's figures: its position among the scenario's agents in
    /// suite order, so colours stay put when the ranking changes.
    func color(of label: String, in scenario: Scenario) -> String {
        Palette.color(scenario.agents.firstIndex { $0.label == label } ?? 0)
    }
}
