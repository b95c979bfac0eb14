import AdEnv

extension BenchReport {
    /// How many missing runs a scenario's section lists by name (the rest are counted).
    static let missingRunsListed = 20

    /// `report.md`, with its figures (written beside it in `figures/`).
    public func document() -> (markdown: String, figures: [Figure]) {
        var text = "# Benchmark report: \(suite.name)\n\n"
        var figures: [Figure] = []
        if !suite.description.isEmpty { text += suite.description + "\n\n" }
        let scenarios = scenarioResults
        let runCount = runs.count, planned = runs.count + missingRuns.count
        text += "\(suite.scenarios.count) scenario\(suite.scenarios.count == 1 ? "" : "s"), \(planned) planned runs, \(runCount) complete"
        text += missingRuns.isEmpty ? ".\n\n" : " (\(missingRuns.count) missing, listed under their scenarios).\n\n"
        text += "Reproduce the runs (every result file byte for byte) with\n\n"
        text += "```sh\n\(provenance?.command ?? "adenv bench   # the command was not recorded (no provenance.json)")\n```\n\n"
        text += "and rebuild this report from the files alone with `adenv report \(directory)`.\n\n"

        text += provenanceSection()

        // Aggregate.
        let aggregate = aggregateResults
        text += "## Aggregate\n\n"
        text += "Normalized score of a run: (score − random) / (oracle − random), with the random and oracle agents measured "
        text += "on the same seeds (0 = random, 1 = oracle). Per agent: the interquartile mean (IQM) of every normalized score "
        text += "it has across scenarios, with a 95% stratified bootstrap CI (scenarios as strata, "
        text += "\(Self.bootstrap.resamples) resamples, seed \(Self.bootstrap.seed)). Every run counts once, so a scenario with more "
        text += "seeds weighs more, and agents that ran on different scenarios are not compared on equal ground.\n\n"
        text += ReportText.table(
            ["agent", "normalized-score IQM [95% CI]", "scenarios", "runs"],
            aggregate.map { [$0.label, ReportText.interval($0.iqm, decimals: 3), "\($0.scenarioCount)", "\($0.runCount)"] },
            rightAligned: [2, 3])
        if let figure = aggregateFigure(aggregate) {
            figures.append(figure)
            text += "\n![\(figure.caption)](figures/\(figure.name))\n"
        }
        text += "\n"

        for results in scenarios {
            let (section, scenarioFigures) = scenarioSection(results)
            text += section
            figures += scenarioFigures
        }
        return (text, figures)
    }

    func provenanceSection() -> String {
        let text = "## Provenance\n\n"
        guard let p = provenance else { return text + "No `provenance.json` in the bench directory.\n\n" }
        var rows: [[String]] = []
        if let commit = p.commit { rows.append(["commit", commit + (p.dirty == true ? " (dirty: uncommitted changes)" : "")]) }
        if let toolchain = p.toolchain { rows.append(["toolchain", toolchain]) }
        if let cpu = p.cpu { rows.append(["CPU", cpu + (p.cores.map { ", \($0) cores" } ?? "")]) }
        if let jobs = p.jobs { rows.append(["jobs", "\(jobs) in parallel" + (p.envThreads.map { ", \($0) env thread\($0 == 1 ? "" : "s") each" } ?? "")]) }
        if let started = p.started { rows.append(["started", started]) }
        if let wall = p.wallSeconds { rows.append(["wall time", DecimalText.fixed(wall, decimals: 1) + " s"]) }
        if let runs = p.runs { rows.append(["runs", "\(runs)" + (p.runsResumed.map { $0 > 0 ? " (\($0) resumed from an earlier invocation)" : "" } ?? "")]) }
        return text + ReportText.table(["", ""], rows) + "\n"
    }

    func scenarioSection(_ results: ScenarioResults) -> (String, [Figure]) {
        let scenario = results.scenario
        var text = "## \(scenario.id)\n\n"
        var facts = "Protocol `\(scenario.measurement.rawValue)`, \(scenario.steps) env-steps per run"
        if let episodes = scenario.evaluationEpisodes, scenario.measurement == .trainEval { facts += ", scored on \(episodes) evaluation episodes" }
        facts += ", \(scenario.seeds.count) seed\(scenario.seeds.count == 1 ? "" : "s") (\(ReportText.seeds(scenario.seeds))), kind `\(scenario.kind)`"
        if scenario.source != scenario.id { facts += ", from `\(scenario.source)`" }
        if !scenario.overrides.isEmpty { facts += ", overrides " + scenario.overrides.map { "`\($0)`" }.joined(separator: " ") }
        text += facts + ".\n\n"
        text += scenario.measurement == .online
            ? "Score: the reward collected while learning, per episode (the mean over the episodes that ended in the run; "
                + "the expected reward when the env reports it).\n\n"
            : scenario.discount == 1
                ? "Score: the mean undiscounted return of the evaluation episodes after training.\n\n"
                : "Score: the mean return of the evaluation episodes after training, discounted by γ = \(ConfigValue.format(scenario.discount)) "
                    + "as the oracle optimises it (training curves too).\n\n"

        let decimals = ReportText.decimals(
            for: results.agents.map(\.meanScore.estimate) + [results.randomScore?.estimate, results.oracleScore?.estimate].compactMap { $0 })
        let regretDecimals = ReportText.decimals(for: results.agents.compactMap { $0.regret?.mean })
        let online = scenario.measurement == .online
        var header = ["agent", "mean score [95% CI]", "IQM [95% CI]", "normalized (mean)", "normalized (IQM)"]
        if online { header.append("pseudo-regret (mean ± 95% CI)") }
        header += ["steps/s", "runs"]
        var rows: [[String]] = []
        for agent in results.agents {
            var row = [
                agent.label, ReportText.interval(agent.meanScore, decimals: decimals), ReportText.interval(agent.iqmScore, decimals: decimals),
                ReportText.number(agent.meanNormalizedScore, decimals: 3), ReportText.number(agent.iqmNormalizedScore, decimals: 3),
            ]
            if online { row.append(ReportText.plusMinus(agent.regret, decimals: regretDecimals)) }
            row += [ReportText.rate(agent.stepsPerSecond), "\(agent.runs.count)/\(scenario.seeds.count)"]
            rows.append(row)
        }
        for (name, reference, normalized) in [("random (reference)", results.randomScore, 0.0), ("oracle (reference)", results.oracleScore, 1.0)] {
            guard let reference else { continue }
            var row = [name, ReportText.interval(reference, decimals: decimals), ReportText.missing, ReportText.number(normalized, decimals: 3), ReportText.missing]
            if online { row.append(ReportText.missing) }
            row += [ReportText.missing, ReportText.missing]
            rows.append(row)
        }
        text += ReportText.table(header, rows, rightAligned: Set(1..<header.count)) + "\n"
        text += "Mean and IQM over seeds with percentile bootstrap 95% CIs" + (online ? "; the pseudo-regret CI is Student's t. " : ". ")
        text += "References: the random and oracle agents on the same seeds, averaged over the distinct runs.\n\n"

        if !results.improvements.isEmpty {
            text += "**Probability of improvement** (top agents by mean score): P(A > B) that a run of A scores above a run of B "
            text += "(ties count ½), with a 95% bootstrap CI.\n\n"
            text += ReportText.table(
                ["A", "B", "P(A > B) [95% CI]"],
                results.improvements.map { [$0.better, $0.worse, ReportText.interval($0.probability, decimals: 2)] }, rightAligned: [2])
            text += "\n"
        }

        let figures = scenarioFigures(results)
        for figure in figures { text += "![\(figure.caption)](figures/\(figure.name))\n\n" }

        if !scenario.skipped.isEmpty {
            text += "Skipped agents:\n\n"
            for skipped in scenario.skipped { text += "- `\(skipped.label)`: \(skipped.reason)\n" }
            text += "\n"
        }
        if !results.missingRuns.isEmpty {
            text += "Missing runs (\(results.missingRuns.count)), not counted above:\n\n"
            for key in results.missingRuns.prefix(Self.missingRunsListed) { text += "- `\(key.directory)`\n" }
            if results.missingRuns.count > Self.missingRunsListed { text += "- … and \(results.missingRuns.count - Self.missingRunsListed) more\n" }
            text += "\n"
        }
        return (text, figures)
    }
}
