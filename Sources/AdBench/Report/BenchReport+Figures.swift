#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AdEnv

extension BenchReport {
    /// A figure of the report: its file name below `figures/` and its SVG text.
    public struct Figure: Sendable {
        public var name: String
        /// What it shows, for the image's alt text.
        public var caption: String
        public var svg: String
    }

    /// The aggregate interval plot, `nil` when no agent has a normalized score.
    func aggregateFigure(_ aggregate: [AggregateResult]) -> Figure? {
        let rows = aggregate.filter { $0.iqm.estimate.isFinite }
        guard !rows.isEmpty else { return nil }
        let plot = IntervalPlot(
            title: "Normalized score across scenarios (IQM, 95% CI)", axisLabel: "normalized score: 0 = random, 1 = oracle",
            rows: rows.map { IntervalPlot.Row(label: $0.label, interval: $0.iqm) })
        return Figure(name: "aggregate.svg", caption: "normalized-score IQM per agent with 95% stratified bootstrap CIs", svg: plot.svg)
    }

    /// The figures of one scenario: its learning curve and, for a Bernoulli bandit with regret, the
    /// regret against ln T with the Lai–Robbins line.
    func scenarioFigures(_ results: ScenarioResults) -> [Figure] {
        let scenario = results.scenario
        let agents = results.agents.filter { !$0.runs.isEmpty }
        guard !agents.isEmpty else { return [] }
        var figures: [Figure] = []
        switch scenario.measurement {
        case .trainEval:
            var chart = LineChart(
                title: "\(scenario.id): training return", xLabel: "env-steps",
                yLabel: scenario.discount == 1 ? "mean return of training episodes" : "mean discounted return (γ = \(ConfigValue.format(scenario.discount)))",
                series: agents.map { curveSeries($0, value: \.meanReturn, in: scenario) })
            if let random = results.randomScore { chart.references.append(.init(label: "random (eval)", y: random.estimate)) }
            if let oracle = results.oracleScore { chart.references.append(.init(label: "oracle (eval)", y: oracle.estimate)) }
            figures.append(Figure(
                name: "\(scenario.id)-curve.svg", caption: "\(scenario.id): mean training return against env-steps, 95% CI over seeds",
                svg: chart.svg))
        case .online:
            let hasRegret = agents.contains { agent in agent.runs.contains { $0.curve.cumulativeRegret.contains(where: \.isFinite) } }
            let value: KeyPath<Curve, [Double]> = hasRegret ? \.cumulativeRegret : \.cumulativeScore
            let what = hasRegret ? "cumulative pseudo-regret" : "cumulative score"
            let chart = LineChart(
                title: "\(scenario.id): \(what)", xLabel: "env-steps", yLabel: what, series: agents.map { curveSeries($0, value: value, in: scenario) })
            figures.append(Figure(
                name: "\(scenario.id)-curve.svg", caption: "\(scenario.id): \(what) against env-steps, 95% CI over seeds", svg: chart.svg))
            // Every bandit with a regret gets the ln T view; the Lai–Robbins line only where it holds
            // (Bernoulli arms without context).
            if hasRegret {
                var series = agents.map { agent in
                    var s = curveSeries(agent, value: \.cumulativeRegret, in: scenario)
                    let keep = s.x.map { $0 >= 1 }
                    s.x = s.x.map { $0 >= 1 ? log($0) : .nan }
                    s.y = zip(s.y, keep).map { $1 ? $0 : .nan }
                    return s
                }
                var caption = "\(scenario.id): cumulative pseudo-regret against ln T"
                if scenario.kind == "bernoulli-bandit", let means = scenario.armMeans, means.count >= 2 {
                    let c = LaiRobbinsBound.coefficient(means: means)
                    let xs = series.flatMap(\.x).filter(\.isFinite)
                    if c > 0, let top = xs.max() {
                        series.append(LineChart.Series(
                            name: "Lai–Robbins bound \(DecimalText.significant(c, digits: 3))·ln T", x: [0, top], y: [0, c * top],
                            isDashed: true, color: "#000000"))
                        caption += " with the Lai–Robbins lower bound"
                    }
                }
                let chart = LineChart(title: "\(scenario.id): regret against ln T", xLabel: "ln T (T = env-steps)", yLabel: "cumulative pseudo-regret", series: series)
                figures.append(Figure(name: "\(scenario.id)-regret-log.svg", caption: caption, svg: chart.svg))
            }
        }
        return figures
    }

    /// An agent's mean curve over its runs (rows aligned by index; runs of one label share a grid),
    /// with a t-based 95% CI band where at least two runs have a value. A row where no run has a
    /// value (a training bin in which no episode ended, as between the ends of long episodes run in
    /// lockstep) is left out, so the line joins its neighbours instead of breaking into dots.
    func curveSeries(_ agent: AgentResults, value: KeyPath<Curve, [Double]>, in scenario: Scenario) -> LineChart.Series {
        let rows = agent.runs.map { $0.curve.steps.count }.min() ?? 0
        var x: [Double] = [], y: [Double] = [], lower: [Double] = [], upper: [Double] = []
        for row in 0..<rows {
            let values = agent.runs.map { $0.curve[keyPath: value][row] }.filter(\.isFinite)
            guard !values.isEmpty else { continue }
            x.append(Statistic.mean(agent.runs.map { $0.curve.steps[row] }))
            let summary = Summary(values)
            y.append(summary.mean)
            let half = summary.halfWidth95.isFinite ? summary.halfWidth95 : .nan
            lower.append(summary.mean - half)
            upper.append(summary.mean + half)
        }
        return LineChart.Series(name: agent.label, x: x, y: y, band: (lower, upper), color: color(of: agent.label, in: scenario))
    }
}
