import AdAgents
import AdEnv

/// Measures an agent under ``BenchProtocol/online``: it trains for a number of env-steps, and what
/// it collects on the way is its score.
///
/// The score is per episode: the mean, over the episodes that ended during the run, of what each
/// collected (a run that ends no episode scores what it collected). Per episode, not per step,
/// because an episode can end early: a budgeted bandit's ends when the budget is spent, and an
/// agent that spends fast must not score more by starting over with a fresh budget.
struct OnlineMeter {
    var score = 0.0
    /// What the whole run collected, episodes unfinished included.
    var total = 0.0
    var regret = 0.0
    var steps = 0
    var reportsRegret = false
    var episodes: [EpisodeRecord] = []
    /// `curve.csv`: `step,cumulative_regret,cumulative_score` at the online grid.
    var curve = ""

    /// Trains `agent` on `env` (reset with `seed`) for `total` env-steps, summing `expected_reward`
    /// when the env reports it (else the reward) over every step that was not an autoreset.
    static func measure<A: Agent, E: BatchEnv>(_ agent: A, on env: E, seed: UInt64, steps total: Int) throws -> OnlineMeter {
        var loop = try TrainingLoop(agent: agent, env: env, seed: seed, keepsLog: false)
        let reportsExpected = env.spec.infoFields.contains(.expectedReward)
        var meter = OnlineMeter()
        meter.reportsRegret = reportsExpected && env.spec.infoFields.contains(.optimalExpectedReward)
        let grid = LearningCurve.onlineGrid(steps: total)
        var next = 0
        meter.curve = "step,cumulative_regret,cumulative_score\n"
        var returns = DiscountedReturns(count: env.count, discount: 1)
        while loop.steps < total {
            let resetting = env.needsReset
            try loop.step()
            returns.record(reportsExpected ? env.infos.map(\.expectedReward) : env.rewards, of: env, resetting: resetting, step: loop.steps)
            meter.total = returns.collected
            guard next < grid.count, loop.steps >= grid[next] else { continue }
            while next < grid.count && loop.steps >= grid[next] { next += 1 }
            let regret = meter.reportsRegret ? ConfigValue.format(loop.cumulativeRegret) : ""
            meter.curve += "\(loop.steps),\(regret),\(ConfigValue.format(meter.total))\n"
        }
        let ended = returns.episodes.map(\.value)
        meter.score = ended.isEmpty ? meter.total : ended.reduce(0, +) / Double(ended.count)
        meter.regret = loop.cumulativeRegret
        meter.steps = loop.steps
        meter.episodes = loop.episodes
        return meter
    }
}
