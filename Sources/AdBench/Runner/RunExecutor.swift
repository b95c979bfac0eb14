import AdAgents
import AdEnv

/// Runs one cell of a plan (scenario × agent × seed) in process and returns its files.
///
/// A run is a pure function of the plan and the seed: the env's copy `i` is seeded `seed + i`,
/// the agent is built from `seed` exactly as `adenv train --seed` builds it (so a bench run trains
/// bit for bit like the same `adenv train`), and evaluation uses its own seeds
/// (`1_000_000 + seed·1_000 + i`), disjoint from training for seeds below 1,000.
public struct RunExecutor: Sendable {
    public let plan: BenchPlan

    public init(plan: BenchPlan) {
        self.plan = plan
    }

    /// The seed of evaluation copy 0 for a run seeded `seed`.
    public static func evaluationSeed(forRun seed: UInt64) -> UInt64 { 1_000_000 &+ seed &* 1_000 }

    /// Runs `run`.
    ///
    /// - Throws: ``BenchError/invalidSuite(_:)`` if the scenario no longer loads; what the env or
    ///   the agent throws (an invalid action).
    public func execute(_ run: BenchPlan.Run) throws -> RunOutput {
        let scenario = plan.scenarios[run.scenario]
        let env = try BenchPlan.makeEnv(scenario.source, overrides: scenario.overrides)
        return try execute(run, scenario: scenario, env: env, batch: env.makeBatch(count: scenario.agents[run.agent].envs, threads: 1))
    }

    private func execute<E: BatchEnv>(_ run: BenchPlan.Run, scenario: BenchPlan.Scenario, env: any ScenarioEnv, batch: E) throws -> RunOutput {
        let agent = scenario.agents[run.agent]
        return try AgentCatalog.visit(agent.agent, with: Visitor(run: run, scenario: scenario, entry: agent, env: env, batch: batch))
    }

    /// The run, generic over the agent so that its loop is specialized.
    private struct Visitor<E: BatchEnv>: AgentVisitor {
        let run: BenchPlan.Run
        let scenario: BenchPlan.Scenario
        let entry: BenchPlan.Agent
        let env: any ScenarioEnv
        let batch: E

        func visit<A: Agent>(_ type: A.Type) throws -> RunOutput {
            let (hyperparameters, _) = try A.hyperparameters(from: entry.resolvedPreset)
            var rng = Xoshiro256(seed: run.seed ^ 0xA6E5_7A6E_1D5E_ED00)
            let agent = try A(spec: batch.spec, count: batch.count, hyperparameters: hyperparameters, using: &rng)
            let clock = ContinuousClock()
            switch scenario.measurement {
            case .online:
                let started = clock.now
                let measured = try OnlineMeter.measure(agent, on: batch, seed: run.seed, steps: scenario.steps)
                let trainSeconds = (clock.now - started).inSeconds
                let referencesStarted = clock.now
                let random = try reference(RandomAgent.self) { try OnlineMeter.measure($0, on: $1, seed: run.seed, steps: scenario.steps).score }
                let oracle = try reference(OracleAgent.self) { try OnlineMeter.measure($0, on: $1, seed: run.seed, steps: scenario.steps).score }
                return output(
                    score: measured.score, random: random, oracle: oracle, regret: measured.reportsRegret ? measured.regret : nil,
                    steps: measured.steps, episodes: measured.episodes, curve: measured.curve, evaluation: nil,
                    trainSeconds: trainSeconds, evaluationSeconds: (clock.now - referencesStarted).inSeconds)
            case .trainEval:
                let started = clock.now
                let discount = scenario.oracle.discount
                var loop = try TrainingLoop(agent: agent, env: batch, seed: run.seed, keepsLog: false)
                var returns = DiscountedReturns(count: batch.count, discount: discount)
                while loop.steps < scenario.steps {
                    let resetting = batch.needsReset
                    try loop.step()
                    returns.record(batch, resetting: resetting, step: loop.steps)
                }
                let trainSeconds = (clock.now - started).inSeconds
                let evaluationStarted = clock.now
                let evaluationSeed = RunExecutor.evaluationSeed(forRun: run.seed)
                let evaluationEnv = env.makeBatch(count: batch.count, threads: 1)
                var trained = loop.agent
                var evaluationRNG = Xoshiro256(seed: evaluationSeed ^ 0xE7A1_5EED_0000_0001)
                let outcome = try evaluate(&trained, on: evaluationEnv, seed: evaluationSeed, discount: discount, using: &evaluationRNG)
                // The references replay exactly the episodes the agent played: episode k from seed + k.
                let references = (0..<outcome.returns.count).map { evaluationSeed &+ UInt64($0) }
                let random = references.flatMap { env.rollout(policy: .random, seed: $0, episodes: 1, discount: discount).discountedReturns }
                let oracle = references.flatMap { env.rollout(policy: .oracle, seed: $0, episodes: 1, discount: discount).discountedReturns }
                return output(
                    score: mean(outcome.returns), random: mean(random), oracle: mean(oracle), regret: nil,
                    steps: loop.steps, episodes: loop.episodes, curve: Self.binnedCurve(returns.episodes, steps: scenario.steps),
                    evaluation: (evaluationSeed, outcome.returns), trainSeconds: trainSeconds, evaluationSeconds: (clock.now - evaluationStarted).inSeconds)
            }
        }

        private func evaluate<A: Agent, F: BatchEnv>(
            _ agent: inout A, on env: F, seed: UInt64, discount: Double, using rng: inout Xoshiro256
        ) throws -> EvaluationOutcome {
            try agent.evaluate(on: env, episodes: scenario.evaluationEpisodes, seed: seed, discount: discount, using: &rng)
        }

        /// A reference agent's online score on a fresh batch like the run's; `nil` when it cannot act here.
        private func reference<R: Agent>(_ type: R.Type, _ measure: (R, any BatchEnv) throws -> Double) throws -> Double? {
            let fresh = env.makeBatch(count: batch.count, threads: 1)
            var rng = Xoshiro256(seed: run.seed ^ 0xA6E5_7A6E_1D5E_ED00)
            do {
                try R.check(canActOn: fresh)
                let agent = try R(spec: fresh.spec, count: fresh.count, hyperparameters: .defaults, using: &rng)
                return try measure(agent, fresh)
            } catch let error as AgentError {
                if case .unsupported = error { return nil }
                throw error
            }
        }

        private func output(
            score: Double, random: Double?, oracle: Double?, regret: Double?, steps: Int, episodes: [EpisodeRecord], curve: String,
            evaluation: (seed: UInt64, returns: [Double])?, trainSeconds: Double, evaluationSeconds: Double
        ) -> RunOutput {
            var normalized: Double?
            if let random, let oracle, oracle != random { normalized = (score - random) / (oracle - random) }
            func number(_ x: Double?) -> ConfigValue { x.flatMap { $0.isFinite ? ConfigValue.number($0) : nil } ?? .null }
            let result: ConfigValue = [
                "format": "adenv-bench-run/1",
                "scenario": .string(scenario.id),
                "kind": .string(scenario.kind),
                "protocol": .string(scenario.measurement.rawValue),
                "label": .string(entry.label),
                "agent": .string(entry.agent),
                "preset": ["name": .string(entry.preset), "source": .string(Self.portable(entry.resolvedPreset.source)), "set": .array(entry.overrides.map { .string($0) })],
                "hyperparameters": .object(entry.hyperparameters),
                "scenario_overrides": .array(scenario.overrides.map { .string($0) }),
                "scenario_parameters": .object(scenario.parameters),
                "seed": .number(Double(run.seed)),
                "envs": .number(Double(batch.count)),
                "steps": .number(Double(steps)),
                "training_episodes": .number(Double(episodes.count)),
                "discount": .number(scenario.oracle.discount),
                "score": number(score),
                "random_score": number(random),
                "oracle_score": number(oracle),
                "normalized_score": number(normalized),
                "cumulative_regret": number(regret),
                "evaluation": evaluation.map {
                    ["episodes": .number(Double($0.returns.count)), "seed": .number(Double($0.seed)), "returns": .array($0.returns.map { number($0) })]
                } ?? .null,
            ]
            return RunOutput(
                result: result.jsonString(pretty: true) + "\n", curve: curve, episodes: Self.episodesCSV(episodes), steps: steps,
                score: score, normalizedScore: normalized, trainSeconds: trainSeconds, evaluationSeconds: evaluationSeconds)
        }

        /// `step,episodes,mean_return` over the 50 bins of the run, from each training episode's end
        /// step and return.
        static func binnedCurve(_ episodes: [(step: Int, value: Double)], steps total: Int) -> String {
            let ends = LearningCurve.binEnds(steps: total)
            var sums = [Double](repeating: 0, count: ends.count), counts = [Int](repeating: 0, count: ends.count)
            for episode in episodes {
                // The first bin whose end is at or after the episode's step (episodes past the planned
                // end, from a batch's overshoot, go to the last bin).
                var lo = 0, hi = ends.count - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if ends[mid] >= episode.step { hi = mid } else { lo = mid + 1 }
                }
                sums[lo] += episode.value
                counts[lo] += 1
            }
            var text = "step,episodes,mean_return\n"
            for b in ends.indices {
                text += "\(ends[b]),\(counts[b]),\(counts[b] > 0 ? ConfigValue.format(sums[b] / Double(counts[b])) : "")\n"
            }
            return text
        }

        /// A preset found in the presets directory, as `Agents/<name>.json` wherever the checkout is,
        /// so that result files do not depend on the directory the bench ran from.
        static func portable(_ source: String) -> String {
            let parts = source.split(separator: "/")
            guard parts.count >= 2, parts[parts.count - 2] == "Agents" else { return source }
            return "Agents/" + parts[parts.count - 1]
        }

        static func episodesCSV(_ episodes: [EpisodeRecord]) -> String {
            var text = "episode,copy,step,return,length,regret,terminated\n"
            for (n, e) in episodes.enumerated() {
                text += "\(n),\(e.copy),\(e.step),\(ConfigValue.format(e.reward)),\(e.length),\(ConfigValue.format(e.regret)),\(e.terminated ? 1 : 0)\n"
            }
            return text
        }

        private func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
    }
}
