import AdBench
import AdEnv
import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run scenarios × agents × seeds, write every run's results, and write a report with statistics and plots.",
        discussion: """
            With no options it runs the default suite (Benchmarks/suites/default.json, about two minutes on two cores) into \
            out/bench/default. --suite names another suite (a name in Benchmarks/suites or a file). --envs and --agents \
            narrow a suite to those scenarios and agent labels; without a suite, --envs A,B with --steps N runs an ad-hoc \
            matrix of those scenarios and --agents (default: every preset in Agents/ that can act there, random and oracle \
            aside, since every run measures them as its references). Runs go in parallel (--jobs). Every result file is \
            byte-identical when the same command runs again; timings go to provenance.json. An interrupted bench \
            continues with --resume, which skips completed runs. The format is in docs/BENCH.md.
            """)

    @Option(help: "A suite name (Benchmarks/suites/<name>.json) or file. Default: 'default', unless --envs is given.")
    var suite: String?

    @Option(help: ArgumentHelp("Scenarios, comma-separated: a filter on the suite, or the scenarios of an ad-hoc matrix.", valueName: "A,B"))
    var envs: String?

    @Option(help: ArgumentHelp("Agent labels (presets), comma-separated: a filter on the suite, or the agents of an ad-hoc matrix.", valueName: "a,b"))
    var agents: String?

    @Option(help: ArgumentHelp("Seeds, both ends included (replaces the suite's).", valueName: "A..B"))
    var seeds: String?

    @Option(help: "Env-steps per run (replaces the suite's; needed for an ad-hoc matrix).")
    var steps: Int?

    @Option(help: "Evaluation episodes per train-eval run (replaces the suite's).")
    var evalEpisodes: Int?

    @Option(help: "The bench directory (default: out/bench/<suite name>).")
    var out: String?

    @Option(help: "Runs at a time (default: the number of cores).")
    var jobs: Int?

    @Flag(help: "Continue the bench in --out: skip the runs that are complete.")
    var resume = false

    func validate() throws {
        if let steps, !(steps >= 1 && steps <= 10_000_000_000) { throw ValidationError("--steps must be in 1...10000000000, got \(steps)") }
        if let evalEpisodes, !(evalEpisodes >= 1 && evalEpisodes <= 1000) { throw ValidationError("--eval-episodes must be in 1...1000, got \(evalEpisodes)") }
        if let jobs, !(jobs >= 1 && jobs <= 256) { throw ValidationError("--jobs must be in 1...256, got \(jobs)") }
        if suite == nil, envs != nil, steps == nil { throw ValidationError("an ad-hoc matrix (--envs without --suite) needs --steps N") }
    }

    func run() throws {
        let suite = try matrix()
        let plan: BenchPlan
        do { plan = try BenchPlan(suite) } catch { throw ValidationError("\(error)") }
        let directory = out ?? "out/bench/\(suite.name)"
        let jobs = self.jobs ?? max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let runner = BenchRunner(plan: plan, directory: directory, jobs: jobs)
        // The machine's facts before the bench writes anything.
        let arguments = ["adenv"] + Array(Swift.CommandLine.arguments.dropFirst()).filter { $0 != "--resume" }
        var provenance = Provenance.current(arguments: arguments, jobs: jobs, runs: plan.runs.count, runsResumed: 0)
        let pending: [BenchPlan.Run]
        do { pending = try runner.prepare(resume: resume) } catch { throw ValidationError("\(error)") }
        let total = plan.runs.count
        provenance.runsResumed = total - pending.count
        for scenario in plan.scenarios where scenario.measurement == .online && scenario.steps < scenario.episodeLength {
            print("\(scenario.id): warning: \(scenario.steps) steps are less than one episode (\(scenario.episodeLength)); "
                + "online scores are then partial episodes, and normalized scores compare partial episodes")
        }
        for scenario in plan.scenarios where !scenario.skipped.isEmpty {
            print("\(scenario.id): skipping " + scenario.skipped.map { "\($0.label) (\($0.reason))" }.joined(separator: "; "))
        }
        print("bench '\(plan.name)': \(total) runs (\(plan.scenarios.count) scenarios), \(pending.count) to do, \(jobs) at a time, into \(directory)")
        fflush(nil)
        let progress = BenchProgress(plan: plan, pending: pending, done: total - pending.count, total: total)
        let clock = ContinuousClock(), started = clock.now
        var failure: BenchError?
        do { try runner.run(pending) { progress.handle($0) } } catch { failure = error }
        progress.finish()
        provenance.wallSeconds = (clock.now - started).inSeconds
        do { try FileWriter.writeAtomically(provenance.json, to: directory + "/provenance.json") } catch { throw ValidationError("\(error)") }
        if let failure { throw ValidationError("\(failure)") }
        try ReportCommand.writeReport(directory: directory)
    }

    /// The suite to run: a named suite narrowed by --envs/--agents, or an ad-hoc matrix; then
    /// --seeds, --steps and --eval-episodes replace the suite's.
    func matrix() throws -> BenchSuite {
        let scenarioFilter = envs.map(Self.list), agentFilter = agents.map(Self.list)
        var suite: BenchSuite
        if self.suite != nil || envs == nil {
            do { suite = try BenchSuite.named(self.suite ?? "default") } catch { throw ValidationError("\(error)") }
            if let scenarioFilter {
                let unknown = scenarioFilter.filter { id in !suite.scenarios.contains { $0.id == id } }
                guard unknown.isEmpty else {
                    throw ValidationError("suite '\(suite.name)' has no scenario \(unknown.joined(separator: ", ")) (it has \(suite.scenarios.map(\.id).joined(separator: ", ")))")
                }
                suite.scenarios = suite.scenarios.filter { scenarioFilter.contains($0.id) }
            }
            if let agentFilter {
                for i in suite.scenarios.indices { suite.scenarios[i].agents = suite.scenarios[i].agents.filter { agentFilter.contains($0.label) } }
                suite.scenarios = suite.scenarios.filter { !$0.agents.isEmpty }
                guard !suite.scenarios.isEmpty else { throw ValidationError("no scenario of suite '\(suite.name)' has an agent labelled \(agentFilter.joined(separator: ", "))") }
            }
        } else {
            let presets = agentFilter ?? Self.allPresets()
            suite = BenchSuite(name: "adhoc", summary: "adenv bench --envs \(envs!)", scenarios: scenarioFilter!.map {
                BenchScenario(id: $0, steps: steps!, agents: presets.map { BenchAgent(preset: $0) })
            })
        }
        if let seeds {
            let range: SeedRange
            do { range = try SeedRange(parsing: seeds) } catch { throw ValidationError("\(error)") }
            suite.seeds = range
            for i in suite.scenarios.indices { suite.scenarios[i].seeds = range }
        }
        for i in suite.scenarios.indices {
            if let steps { suite.scenarios[i].steps = steps }
            if let evalEpisodes { suite.scenarios[i].evaluationEpisodes = evalEpisodes }
        }
        return suite
    }

    /// Every preset file in Agents/, random and oracle aside.
    static func allPresets() -> [String] {
        guard let directory = FileSystem.locateDirectory(named: "Agents", environmentVariable: "ADENV_AGENTS_DIR") else { return [] }
        return FileSystem.list(directory).filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.filter { $0 != "random" && $0 != "oracle" }
    }

    static func list(_ text: String) -> [String] {
        // IDs and labels hold no spaces, so "a, b" means "a,b".
        text.split(separator: ",").map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty }
    }
}
