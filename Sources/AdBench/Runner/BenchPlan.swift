import AdAgents
import AdEnv

/// A suite resolved against the registry and the agent catalog: every scenario loaded with its
/// overrides, every preset read and checked, the agents that cannot act in a scenario set aside
/// with the reason. It is what `suite.json` records and what the runner runs.
public struct BenchPlan: Sendable {
    /// One scenario of the plan.
    public struct Scenario: Sendable {
        /// The env ID (the spec's, also the run directory's name).
        public var id: String
        /// The ID or file path the suite gave.
        public var source: String
        public var kind: String
        public var measurement: BenchProtocol
        public var steps: Int
        public var evaluationEpisodes: Int
        /// The scenario's episode length (`max_episode_steps`).
        public var episodeLength: Int
        public var overrides: [String]
        public var seeds: [UInt64]
        /// The resolved scenario parameters.
        public var parameters: ConfigObject
        public var oracle: OracleSpec
        public var agents: [Agent]
        /// Agents that cannot act in this scenario, with the reason.
        public var skipped: [(label: String, reason: String)]
    }

    /// One agent column of a scenario.
    public struct Agent: Sendable {
        public var label: String
        /// The preset as the suite named it.
        public var preset: String
        /// The catalog name of the agent the preset is for.
        public var agent: String
        public var envs: Int
        public var overrides: [String]
        /// The preset with overrides and the planned steps applied, ready to read.
        public var resolvedPreset: Preset
        /// Every hyper-parameter, given or default.
        public var hyperparameters: ConfigObject
    }

    /// One run: scenario × agent × seed, by index.
    public struct Run: Sendable, Hashable {
        public var scenario: Int
        public var agent: Int
        public var seed: UInt64
    }

    public var name: String
    public var summary: String
    public var scenarios: [Scenario]

    /// Resolves `suite`.
    ///
    /// - Throws: ``BenchError/invalidSuite(_:)`` for an unknown scenario or agent, a bad override,
    ///   invalid hyper-parameters, or a scenario left with no agent; an agent that merely cannot act
    ///   in a scenario is skipped, not an error.
    public init(_ suite: BenchSuite) throws(BenchError) {
        name = suite.name
        summary = suite.summary
        scenarios = []
        for entry in suite.scenarios {
            let env = try Self.makeEnv(entry.id, overrides: entry.overrides)
            let spec = env.spec
            guard BenchAgent.isValidLabel(spec.id) else { throw .invalidSuite("scenario ID '\(spec.id)' cannot name a directory") }
            guard !scenarios.contains(where: { $0.id == spec.id }) else { throw .invalidSuite("scenario \(spec.id) is listed twice") }
            var scenario = Scenario(
                id: spec.id, source: entry.id, kind: spec.kind, measurement: entry.measurement ?? .default(forKind: spec.kind),
                steps: entry.steps, evaluationEpisodes: entry.evaluationEpisodes, episodeLength: spec.maxEpisodeSteps, overrides: entry.overrides,
                seeds: (entry.seeds ?? suite.seeds).seeds, parameters: spec.parameters, oracle: spec.oracle, agents: [], skipped: [])
            for agent in entry.agents {
                switch try Self.resolve(agent, in: env, steps: entry.steps) {
                case .success(let resolved): scenario.agents.append(resolved)
                case .failure(let reason): scenario.skipped.append((agent.label, reason))
                }
            }
            guard !scenario.agents.isEmpty else {
                throw .invalidSuite("no agent of the suite can act in \(spec.id): " + scenario.skipped.map { "\($0.label): \($0.reason)" }.joined(separator: "; "))
            }
            scenarios.append(scenario)
        }
    }

    /// Every run, scenario by scenario, agent by agent, seed by seed.
    public var runs: [Run] {
        scenarios.indices.flatMap { s in
            scenarios[s].agents.indices.flatMap { a in scenarios[s].seeds.map { Run(scenario: s, agent: a, seed: $0) } }
        }
    }

    /// The run's directory below the bench directory: `runs/<scenario>/<label>/seed-<s>`.
    public func directory(of run: Run) -> String {
        "runs/\(scenarios[run.scenario].id)/\(scenarios[run.scenario].agents[run.agent].label)/seed-\(run.seed)"
    }

    /// Loads a scenario with `key=JSON` overrides.
    static func makeEnv(_ id: String, overrides: [String]) throws(BenchError) -> any ScenarioEnv {
        do {
            let parsed = try overrides.map { text throws(ScenarioError) in try Override(parsing: text) }
            return try Registry.standard.make(id, overrides: parsed)
        } catch {
            throw .invalidSuite("\(id): \(error)")
        }
    }

    private enum Resolution {
        case success(Agent)
        case failure(String)
    }

    /// Reads the preset and checks the agent can act in `env`.
    private static func resolve(_ entry: BenchAgent, in env: any ScenarioEnv, steps: Int) throws(BenchError) -> Resolution {
        var preset: Preset
        do {
            preset = try Preset.named(entry.preset)
            try preset.apply(try entry.overrides.map { text throws(ScenarioError) in try Override(parsing: text) })
        } catch {
            throw .invalidSuite("\(env.spec.id), \(entry.label): \(error)")
        }
        let batch = env.makeBatch(count: entry.envs, threads: 1)
        do {
            let (agent, resolvedPreset, hyperparameters) = try check(preset, on: batch, steps: steps)
            return .success(Agent(label: entry.label, preset: entry.preset, agent: agent, envs: entry.envs, overrides: entry.overrides,
                                  resolvedPreset: resolvedPreset, hyperparameters: hyperparameters))
        } catch let error as AgentError {
            if case .unsupported = error { return .failure(error.description) }
            throw .invalidSuite("\(env.spec.id), \(entry.label): \(error)")
        } catch {
            throw .invalidSuite("\(env.spec.id), \(entry.label): \(error)")
        }
    }

    private static func check<E: BatchEnv>(_ preset: Preset, on env: E, steps: Int) throws -> (String, Preset, ConfigObject) {
        try AgentCatalog.visit(preset.agent, with: Check(env: env, preset: preset, steps: steps))
    }

    /// Reads an agent's hyper-parameters (with the planned steps) and builds it once on the env.
    private struct Check<E: BatchEnv>: AgentVisitor {
        let env: E
        let preset: Preset
        let steps: Int

        func visit<A: AdAgents.Agent>(_ type: A.Type) throws -> (String, Preset, ConfigObject) {
            var preset = preset
            if let key = A.Hyperparameters.plannedStepsKey, preset.hyperparameters[key] == nil {
                preset.hyperparameters[key] = .number(Double(steps))
            }
            let (hyperparameters, resolved) = try A.hyperparameters(from: preset)
            try A.check(canActOn: env)
            var rng = Xoshiro256(seed: 0)
            _ = try A(spec: env.spec, count: env.count, hyperparameters: hyperparameters, using: &rng)
            return (A.name, preset, resolved)
        }
    }
}
