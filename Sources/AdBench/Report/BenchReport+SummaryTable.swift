extension BenchReport {
    /// The plain-text table `adenv bench` and `adenv report` print: one block per scenario (agent,
    /// mean score [95% CI], IQM, normalized score, steps/s, best first), then the aggregate.
    public var summaryTable: String {
        var text = ""
        for results in scenarioResults {
            let scenario = results.scenario
            text += "\(scenario.id)  (\(scenario.measurement.rawValue), \(scenario.steps) steps, \(scenario.seeds.count) seeds)\n"
            let decimals = ReportText.decimals(for: results.agents.map(\.meanScore.estimate))
            var rows = [["agent", "mean score [95% CI]", "IQM", "normalized", "steps/s"]]
            for agent in results.agents {
                var label = agent.label
                if agent.runs.count < scenario.seeds.count { label += " (\(agent.runs.count)/\(scenario.seeds.count) runs)" }
                rows.append([
                    label, ReportText.interval(agent.meanScore, decimals: decimals), ReportText.number(agent.iqmScore.estimate, decimals: decimals),
                    ReportText.number(agent.meanNormalizedScore, decimals: 3), ReportText.rate(agent.stepsPerSecond),
                ])
            }
            for (name, reference) in [("random", results.randomScore), ("oracle", results.oracleScore)] {
                if let reference { rows.append([name, ReportText.number(reference.estimate, decimals: decimals), "", "", ""]) }
            }
            text += ReportText.columns(rows)
            for skipped in scenario.skipped { text += "  skipped \(skipped.label): \(skipped.reason)\n" }
            text += "\n"
        }
        let aggregate = aggregateResults.filter { $0.iqm.estimate.isFinite }
        if !aggregate.isEmpty {
            text += "aggregate  (normalized-score IQM across scenarios)\n"
            var rows = [["agent", "IQM [95% CI]", "scenarios"]]
            for result in aggregate { rows.append([result.label, ReportText.interval(result.iqm, decimals: 3), "\(result.scenarioCount)"]) }
            text += ReportText.columns(rows) + "\n"
        }
        if !missingRuns.isEmpty { text += "\(missingRuns.count) of \(runs.count + missingRuns.count) runs missing (see the report)\n" }
        return text
    }
}
