import AdEnv
import ArgumentParser

struct PerfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perf",
        abstract: "Measure in-process steps/s under the random policy: one env, then a vector env.",
        discussion: "Rates are wall-clock and noisy on shared machines; compare figures measured in one run.")

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: "Copies in the vector env.")
    var envs: Int = 1024

    @Option(help: "Threads stepping the vector env.")
    var threads: Int = 2

    @Option(help: "Seconds to measure each configuration.")
    var seconds: Double = 2

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard envs >= 1 && envs <= 1 << 20 else { throw ValidationError("--envs must be in 1...1048576, got \(envs)") }
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be in 1...256, got \(threads)") }
        guard seconds > 0 && seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600], got \(seconds)") }
    }

    func run() throws {
        let env = try scenario.makeEnv()
        let single = env.singleThroughput(minimumSeconds: seconds)
        let vector1 = env.vectorThroughput(copies: envs, threads: 1, minimumSeconds: seconds)
        let vectorT = env.vectorThroughput(copies: envs, threads: threads, minimumSeconds: seconds)
        if json {
            let object: ConfigValue = [
                "env": .string(env.spec.id), "single_steps_per_second": .number(single.stepsPerSecond.rounded()),
                "vector_envs": .number(Double(envs)), "vector_1_thread_steps_per_second": .number(vector1.stepsPerSecond.rounded()),
                "threads": .number(Double(threads)), "vector_steps_per_second": .number(vectorT.stepsPerSecond.rounded()),
                "speedup_vs_vector_1_thread": .number((vectorT.stepsPerSecond / vector1.stepsPerSecond * 100).rounded() / 100),
                "speedup_vs_single": .number((vectorT.stepsPerSecond / single.stepsPerSecond * 100).rounded() / 100),
            ]
            print(object.jsonString(pretty: true))
            return
        }
        print("\(env.spec.id): random policy, \(seconds) s per configuration")
        print("  single env, 1 thread:          \(rate(single)) steps/s")
        print("  vector \(envs) envs, 1 thread:    \(rate(vector1)) steps/s")
        print("  vector \(envs) envs, \(threads) threads:   \(rate(vectorT)) steps/s"
            + "  (\(ratio(vectorT, vector1))x vector 1 thread, \(ratio(vectorT, single))x single)")
    }

    private func rate(_ t: Throughput) -> String {
        t.stepsPerSecond.groupedDigits
    }

    private func ratio(_ a: Throughput, _ b: Throughput) -> String {
        ConfigValue.format((a.stepsPerSecond / b.stepsPerSecond * 100).rounded() / 100)
    }
}
