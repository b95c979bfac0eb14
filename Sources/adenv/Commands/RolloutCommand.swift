import AdEnv
import ArgumentParser

struct RolloutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Run the random and/or oracle policy and report the mean return with a 95% CI and a trajectory digest.",
        discussion: """
            The first episode resets with --seed, later ones continue the env's stream, so the output is a pure \
            function of the scenario, policy, seed and episode count. The digest is FNV-1a 64 over every \
            observation, action, reward and flag (see docs/SCENARIOS.md).
            """)

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: "The policy: random, oracle, or both (comma-separated).")
    var policy: String = "random,oracle"

    @Option(help: "The seed of the first episode.")
    var seed: UInt64 = 0

    @Option(help: "The number of episodes.")
    var episodes: Int = 10

    @Option(help: "Discount of the reported return (1 = undiscounted). Default: the discount of the scenario's known answer, 1 for most.")
    var discount: Double?

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard episodes >= 1 && episodes <= 10_000_000 else { throw ValidationError("--episodes must be in 1...10000000, got \(episodes)") }
        if let discount, !(discount > 0 && discount <= 1) { throw ValidationError("--discount must be in (0, 1], got \(discount)") }
        _ = try policies()
    }

    func policies() throws -> [ScenarioPolicy] {
        try policy.split(separator: ",", omittingEmptySubsequences: false).map {
            guard let p = ScenarioPolicy(rawValue: String($0)) else {
                throw ValidationError("unknown policy '\($0)' in --policy '\(policy)' (expected random, oracle, or both comma-separated)")
            }
            return p
        }
    }

    func run() throws {
        let env = try scenario.makeEnv()
        let spec = env.spec
        let discount = self.discount ?? spec.oracle.discount
        var results: [(ScenarioPolicy, Rollout)] = []
        for p in try policies() {
            results.append((p, env.rollout(policy: p, seed: seed, episodes: episodes, discount: discount)))
        }
        if json {
            let items: [ConfigValue] = results.map { policy, rollout in
                let summary = Summary(discount == 1 ? rollout.returns : rollout.discountedReturns)
                return [
                    "env": .string(spec.id), "policy": .string(policy.rawValue), "seed": .string(String(seed)),
                    "episodes": .number(Double(episodes)), "discount": .number(discount),
                    "mean_return": .number(summary.mean),
                    "ci95": .array([summary.interval95.lowerBound, summary.interval95.upperBound].map { $0.isFinite ? .number($0) : .null }),
                    "steps": .number(Double(rollout.steps)), "terminations": .number(Double(rollout.terminations)),
                    "regret": rollout.regret.map { .number($0) } ?? .null, "digest": .string(rollout.digest.hex),
                    "returns": .array((discount == 1 ? rollout.returns : rollout.discountedReturns).map { .number($0) }),
                ]
            }
            print(ConfigValue.array(items).jsonString(pretty: true))
            return
        }
        print("\(spec.id): \(episodes) episodes from seed \(seed)" + (discount == 1 ? "" : ", returns discounted by \(discount)"))
        print("policy".padding(to: 8) + "mean return".padding(to: 16) + "95% CI".padding(to: 30) + "steps".padding(to: 10) + "digest")
        for (policy, rollout) in results {
            let s = Summary(discount == 1 ? rollout.returns : rollout.discountedReturns)
            let ci = s.halfWidth95.isFinite ? "[\(fmt(s.interval95.lowerBound)), \(fmt(s.interval95.upperBound))]" : "n/a (one episode)"
            print(policy.rawValue.padding(to: 8) + fmt(s.mean).padding(to: 16) + ci.padding(to: 30)
                + "\(rollout.steps)".padding(to: 10) + rollout.digest.hex)
        }
        if let expected = spec.oracle.expectedReturn {
            print("oracle expected return (\(spec.oracle.kind.rawValue)): \(fmt(expected))")
        }
    }

    private func fmt(_ x: Double) -> String {
        let scaled = (x * 1000).rounded() / 1000
        return ConfigValue.format(scaled)
    }
}
