import Testing
import AdAgents
import AdEnv

/// The quality bars of issue 4 on StrategyBandit-v0 (means 0.3, 0.2, 0.1, 0.05, 0.02): mean
/// pseudo-regret over 50 seeds at T = 10,000, as ``TrainingLoop`` records it.
@Suite struct BanditQualityTests {
    static let seeds: Range<UInt64> = 0..<50

    @Test func thompsonSamplingRegretIsAtMost48() throws {
        let regret = BanditRuns.mean(try BanditRuns.regrets(ThompsonSampling.self, on: "StrategyBandit-v0", as: BernoulliBandit.self, steps: 10_000, seeds: Self.seeds))
        print("BanditQualityTests: thompson regret T=1e4: \(regret)")
        #expect(regret <= 48)
    }

    @Test func ucb1RegretIsBetween236And262() throws {
        let regret = BanditRuns.mean(try BanditRuns.regrets(UCB1.self, on: "StrategyBandit-v0", as: BernoulliBandit.self, steps: 10_000, seeds: Self.seeds))
        print("BanditQualityTests: ucb1 regret T=1e4: \(regret)")
        #expect(regret >= 236 && regret <= 262)
    }

    @Test func epsilonGreedyRegretIsBetween150And215() throws {
        let regret = BanditRuns.mean(try BanditRuns.regrets(EpsilonGreedy.self, on: "StrategyBandit-v0", as: BernoulliBandit.self, steps: 10_000, seeds: Self.seeds))
        print("BanditQualityTests: epsilon-greedy regret T=1e4: \(regret)")
        #expect(regret >= 150 && regret <= 215)
    }

    /// KL-UCB's regret is below half of UCB1's band (which starts at 236).
    @Test func klUCBRegretIsBelowHalfOfUCB1s() throws {
        let kl = BanditRuns.mean(try BanditRuns.regrets(KLUCB.self, on: "StrategyBandit-v0", as: BernoulliBandit.self, steps: 10_000, seeds: Self.seeds))
        print("BanditQualityTests: kl-ucb regret T=1e4: \(kl)")
        #expect(kl <= 118)
    }
}

/// Regret growth from T = 10⁴ to T = 10⁵ on StrategyBandit-v0, 50 seeds: Thompson sampling's is
/// logarithmic, ε-greedy's linear. 10 million steps in all, so release builds only (CI runs
/// `swift test -c release`).
@Suite struct BanditRegretGrowthTests {
    /// Mean regret at 10⁴ and 10⁵ steps of the same runs (one 10⁵-step episode each).
    static func growth<A: Agent>(_ type: A.Type) throws -> (short: Double, long: Double) {
        var short = 0.0, long = 0.0
        for seed in BanditQualityTests.seeds {
            let vector = VectorEnv(try Registry.standard.make("StrategyBandit-v0", as: BernoulliBandit.self, overrides: [Override("max_episode_steps", 100_000)]), count: 1)
            var rng = Xoshiro256(seed: seed)
            var loop = try TrainingLoop(agent: try A(spec: vector.spec, count: 1, hyperparameters: .defaults, using: &rng), env: vector, seed: seed, keepsLog: false)
            try loop.run(steps: 10_000)
            short += loop.cumulativeRegret
            try loop.run(steps: 90_000)
            long += loop.cumulativeRegret
        }
        let n = Double(BanditQualityTests.seeds.count)
        return (short / n, long / n)
    }

    @Test(.enabled(if: isReleaseBuild, "5 million steps per agent: release builds only"))
    func thompsonSamplingsRegretGrowsByAtMost30() throws {
        let r = try Self.growth(ThompsonSampling.self)
        print("BanditRegretGrowthTests: thompson regret T=1e4 \(r.short), T=1e5 \(r.long)")
        #expect(r.long - r.short <= 30)
    }

    @Test(.enabled(if: isReleaseBuild, "5 million steps per agent: release builds only"))
    func epsilonGreedysRegretGrowsByAtLeast1300() throws {
        let r = try Self.growth(EpsilonGreedy.self)
        print("BanditRegretGrowthTests: epsilon-greedy regret T=1e4 \(r.short), T=1e5 \(r.long)")
        #expect(r.long - r.short >= 1_300)
    }
}
