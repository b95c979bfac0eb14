import AdAgents
import AdEnv
import ArgumentParser

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a built-in agent on a scenario, writing episodes.csv, checkpoint.adck and run.json into --out.",
        discussion: """
            Agents: \(AgentCatalog.names.joined(separator: ", ")). Hyper-parameters come from the agent's preset \
            (Agents/<name>.json, or --preset FILE) with --set overrides; scenario parameters take --env-set overrides. \
            A run is a pure function of the scenario, agent, hyper-parameters, seed and copies. --resume DIR continues \
            the run saved in DIR up to --steps in total (bit-identical to training that long in one go), with the \
            scenario, agent, hyper-parameters, seed and copies recorded in DIR/run.json.
            """)

    @Argument(help: "A registered env ID or the path of a scenario JSON file (optional with --resume).")
    var id: String?

    @Option(help: "The agent (see the list above).")
    var agent: String?

    @Option(help: "A preset file (default: Agents/<agent>.json, or the agent's defaults).")
    var preset: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a hyper-parameter, as key=value (value in JSON). Repeatable.", valueName: "key=value"))
    var hyperparameterOverrides: [String] = []

    @Option(name: .customLong("env-set"), help: ArgumentHelp("Override a scenario parameter, as key=value (value in JSON). Repeatable.", valueName: "key=value"))
    var envOverrides: [String] = []

    @Option(help: "Total env-steps to train (over all copies).")
    var steps: Int

    @Option(help: "The seed: copy i of the env is seeded with seed + i; the agent's streams derive from it.")
    var seed: UInt64?

    @Option(help: "The output directory (default with --resume: the resumed directory).")
    var out: String?

    @Option(help: "Copies of the env stepped together (one shared agent).")
    var envs: Int?

    @Option(help: "Continue the run saved in this directory.")
    var resume: String?

    @Option(help: ArgumentHelp("Also save the run every this many env-steps, so a killed run loses at most that much (0: only at the end).", valueName: "steps"))
    var checkpointEvery: Int = 100_000

    @Option(help: ArgumentHelp("Train against the envs of an `adenv serve` server at this ZeroMQ endpoint instead of in process (same results, bit for bit).", valueName: "endpoint"))
    var address: String?

    @Option(help: ArgumentHelp("The server's Z85 CURVE public key, for a server that serves with CURVE.", valueName: "key"))
    var curveServerKey: String?

    @Option(help: ArgumentHelp("With --address: seconds to wait for each reply before resending it (twice) and giving up.", valueName: "seconds"))
    var timeout: Double = 10

    func validate() throws {
        guard steps >= 1 && steps <= 1_000_000_000 else { throw ValidationError("--steps must be in 1...1000000000, got \(steps)") }
        guard timeout > 0 && timeout <= 3600 else { throw ValidationError("--timeout must be in (0, 3600] seconds, got \(timeout)") }
        guard checkpointEvery >= 0 else { throw ValidationError("--checkpoint-every must be >= 0, got \(checkpointEvery)") }
        if let envs, !(envs >= 1 && envs <= 65_536) { throw ValidationError("--envs must be in 1...65536, got \(envs)") }
        if resume == nil {
            guard id != nil else { throw ValidationError("missing the scenario ID (or --resume DIR)") }
            guard agent != nil else { throw ValidationError("missing --agent NAME (one of \(AgentCatalog.names.joined(separator: ", ")))") }
            guard out != nil else { throw ValidationError("missing --out DIR") }
        } else if preset != nil || !hyperparameterOverrides.isEmpty || !envOverrides.isEmpty {
            throw ValidationError("--resume continues a run as recorded in its run.json: --preset, --set and --env-set cannot change it")
        }
    }

    /// Everything a run needs, resolved from the options or from the resumed run's record.
    struct Plan {
        var id: String
        var envOverrides: [String]
        var agent: String
        var preset: Preset
        var seed: UInt64
        var envs: Int
        var steps: Int
        var output: RunDirectory
        var resumed: Checkpoint?
        var commandLines: [[String]]
        var checkpointEvery: Int
    }

    func plan() throws -> Plan {
        let arguments = Array(Swift.CommandLine.arguments.dropFirst())
        guard let resume else {
            let name = agent!
            do { _ = try AgentCatalog.type(named: name) } catch { throw ValidationError("\(error)") }
            var preset: Preset
            do {
                preset = try self.preset.map { try Preset.load(path: $0) } ?? Preset.named(name)
                try preset.apply(hyperparameterOverrides.map { text throws(ScenarioError) in try Override(parsing: text) })
            } catch { throw ValidationError("\(error)") }
            return Plan(
                id: id!, envOverrides: envOverrides, agent: name, preset: preset, seed: seed ?? 0, envs: envs ?? 1, steps: steps,
                output: RunDirectory(path: out!), resumed: nil, commandLines: [arguments], checkpointEvery: checkpointEvery)
        }
        let source = RunDirectory(path: resume)
        let record = try source.readRecord()
        func same<T: Equatable>(_ given: T?, _ recorded: T, _ name: String) throws {
            if let given, given != recorded { throw ValidationError("\(name) \(given) does not match the run in \(resume) (\(recorded))") }
        }
        try same(id, record.scenario, "the scenario")
        try same(agent, record.agent, "--agent")
        try same(seed, record.seed, "--seed")
        try same(envs, record.envs, "--envs")
        let checkpoint = try source.readCheckpoint()
        return Plan(
            id: record.scenario, envOverrides: record.envOverrides, agent: record.agent,
            preset: Preset(agent: record.agent, hyperparameters: record.hyperparameters, source: record.presetSource),
            seed: record.seed, envs: record.envs, steps: steps, output: RunDirectory(path: out ?? resume), resumed: checkpoint,
            commandLines: record.commandLines + [arguments], checkpointEvery: checkpointEvery)
    }

    func run() throws {
        let plan = try plan()
        if let address {
            let env = try openRemoteScenario(plan.id, overrides: plan.envOverrides, count: plan.envs, address: address, curveServerKey: curveServerKey, timeout: timeout)
            defer { try? env.close() }
            try train(on: env, plan, parameters: env.spec.parameters)
            return
        }
        let env = try makeScenario(plan.id, overrides: plan.envOverrides)
        try train(on: env.makeBatch(count: plan.envs, threads: 1), plan, parameters: env.spec.parameters)
    }

    private func train<E: BatchEnv>(on env: E, _ plan: Plan, parameters: ConfigObject) throws {
        try AgentCatalog.visit(plan.agent, with: Trainer(env: env, plan: plan, parameters: parameters))
    }

    /// The run itself, generic over the agent so the loop is specialized for it.
    struct Trainer<E: BatchEnv>: AgentVisitor {
        let env: E
        let plan: Plan
        let parameters: ConfigObject

        func visit<A: Agent>(_ type: A.Type) throws {
            var preset = plan.preset
            if let key = A.Hyperparameters.plannedStepsKey {
                if preset.hyperparameters[key] == nil {
                    preset.hyperparameters[key] = .number(Double(plan.steps))
                } else if plan.resumed != nil, preset.hyperparameters[key] != .number(Double(plan.steps)) {
                    // The schedule (PPO's learning-rate annealing) was planned over another length:
                    // resuming to a different total would not be the run it was planned as.
                    let planned = preset.hyperparameters[key].map { $0.jsonString() } ?? "?"
                    throw ValidationError(
                        "\(A.name) planned its schedule over \(key)=\(planned) steps; resume with --steps \(planned), "
                            + "or plan a longer run from the start with --set \(key)=N")
                }
            }
            let (hyperparameters, resolved) = try usage { () throws(AgentError) in try A.hyperparameters(from: preset) }
            try usage { () throws(AgentError) in try A.check(canActOn: env) }
            var rng = Xoshiro256(seed: plan.seed ^ 0xA6E5_7A6E_1D5E_ED00)
            let agent = try usage { () throws(AgentError) in try A(spec: env.spec, count: env.count, hyperparameters: hyperparameters, using: &rng) }
            var loop: TrainingLoop<A, E>
            if let checkpoint = plan.resumed {
                do { loop = try TrainingLoop.resume(from: checkpoint, agent: agent, env: env) } catch { throw ValidationError("\(plan.output.path): \(error)") }
            } else {
                loop = try TrainingLoop(agent: agent, env: env, seed: plan.seed)
            }
            try plan.output.create()
            /// Writes the run's three files, each atomically: the record first, so that a
            /// checkpoint on disk always has the record that says how to resume it.
            func save(_ loop: borrowing TrainingLoop<A, E>) throws {
                try plan.output.write(record: RunDirectory.Record(
                    scenario: plan.id, envOverrides: plan.envOverrides, parameters: parameters,
                    preset: preset.json(resolved: resolved), presetSource: preset.source, agent: A.name,
                    hyperparameters: resolved, seed: plan.seed, steps: loop.steps, envs: env.count, commandLines: plan.commandLines))
                try plan.output.write(checkpoint: loop.checkpoint())
                try plan.output.write(episodes: loop.episodes)
            }
            let start = loop.steps
            var progress = ProgressReporter(start: start, total: plan.steps)
            var nextSave = plan.checkpointEvery > 0 ? start + plan.checkpointEvery : Int.max
            var saveError: (any Error)?
            if plan.steps > start {
                try loop.run(steps: plan.steps - start) { loop in
                    progress.update(steps: loop.steps, episodes: loop.episodes)
                    if loop.steps >= nextSave && loop.steps < plan.steps && saveError == nil {
                        do { try save(loop) } catch { saveError = error }
                        nextSave = loop.steps + plan.checkpointEvery
                    }
                }
            }
            if let saveError { throw saveError }
            progress.finish()
            try save(loop)
            let recent = loop.episodes.suffix(100)
            let mean = recent.isEmpty ? "n/a" : ConfigValue.format((recent.map(\.reward).reduce(0, +) / Double(recent.count) * 1000).rounded() / 1000)
            print("\(env.spec.id) \(A.name): \(loop.steps) steps, \(loop.episodes.count) episodes, mean return of the last \(recent.count): \(mean), "
                + "pseudo-regret \(ConfigValue.format((loop.cumulativeRegret * 1000).rounded() / 1000)); wrote \(plan.output.path)")
        }
    }
}

/// Builds a scenario's env, turning scenario errors into one-line command errors.
func makeScenario(_ id: String, overrides: [String]) throws -> any ScenarioEnv {
    do {
        let parsed = try overrides.map { text throws(ScenarioError) in try Override(parsing: text) }
        return try Registry.standard.make(id, overrides: parsed)
    } catch {
        throw ValidationError(error.path == nil || error.path!.contains(".json: ") ? error.description : "\(id): \(error)")
    }
}

/// Runs `body`, turning its typed error into a one-line usage error (exit 64).
func usage<T, Failure: Error>(_ body: () throws(Failure) -> T) throws -> T {
    do { return try body() } catch { throw ValidationError("\(error)") }
}
