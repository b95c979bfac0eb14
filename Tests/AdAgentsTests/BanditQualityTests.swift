import Testing
import AdAgents
import AdEnv

/// The quality bars of issue 4 on StrategyBandit-v0 (means 0.3, 0.2, 0.1, 0.05, 0.02): mean
/// pseudo-regret over 50 seeds at T = 10,000, as ``TrainingLoop`` records it.
@Suite struct BanditQualityTests {
    static let seeds: Range<UInt64> = 0..<50

    @Test func thompsonSamplingRegretIsAtMost48() throws {
        let regret = BanditRuns.mean(try BanditRuns.regrets(ThompsonSampling.self, on: "StrategyBandit-v0", as: BernoulliBandit.self, steps: 10_000, seeds: Self.seeds))
        print("thompson regret T=1e4:", regret)
        #expect(regret <= 48)
    }

    @Test func ucb1RegretIsBetween236And262() throws {
        let regret = BanditRuns.mean(try BanditRuns.regrets(UCB1.self, on: "StrategyBandit-v0", as: BernoulliBandit.self, steps: 10_000, seeds: Self.seeds))
        print("ucb1 regret T=1e4:", regret)
        #expect(regret >= 236 && regret <= 262)
    }

    @Test func epsilonGreedyRegretIsBetween150And215() throws {
        let regret = BanditRuns.mean(try BanditRuns.regrets(EpsilonGreedy.self, on: "StrategyBandit-v0", as: BernoulliBandit.self, steps: 10_000, seeds: Self.seeds))
        print("epsilon-greedy regret T=1e4:", regret)
        #expect(regret >= 150 && regret <= 215)
    }

    @Test func klUCBRegretIsBelowUCB1s() throws {
        let kl = BanditRuns.mean(try BanditRuns.regrets(KLUCB.self, on: "StrategyBandit-v0", as: BernoulliBandit.self, steps: 10_000, seeds: Self.seeds))
        let ucb = BanditRuns.mean(try BanditRuns.regrets(UCB1.self, on: "StrategyBandit-v0", as: BernoulliBandit.self, steps: 10_000, seeds: Self.seeds))
        print("kl-ucb regret T=1e4:", kl, "ucb1:", ucb)
        #expect(kl < 0.5 * ucb)
    }
}
