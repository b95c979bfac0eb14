import Testing
@testable import AdEnv

@Suite struct RolloutTests {
    @Test func regretIsZeroForTheBestArmAndReportedOnlyWhereTheEnvDefinesIt() throws {
        let bandit = try Registry.standard.make("StrategyBandit-v0", as: BernoulliBandit.self, overrides: [Override("max_episode_steps", 1000)])
        #expect(Rollout(bandit, policy: .oracle, seed: 1, episodes: 2).regret == 0)
        // Random play loses max − mean(means) = 0.3 − 0.134 per step in expectation, exactly per step.
        let random = Rollout(bandit, policy: .random, seed: 1, episodes: 2)
        let regret = try #require(random.regret)
        #expect(abs(regret / 2000 - 0.166) < 0.02)
        let fatigue = try Registry.standard.make("FatigueMDP-v0")
        #expect(fatigue.rollout(policy: .random, seed: 1, episodes: 2, discount: 1).regret == nil)
    }

    @Test func discountedReturnsWeightStepTByGammaToTheT() throws {
        let env = try Registry.standard.make("StrategyBandit-v0", as: BernoulliBandit.self, overrides: [Override("max_episode_steps", 50)])
        let plain = Rollout(env, policy: .oracle, seed: 3, episodes: 3)
        #expect(plain.discountedReturns == plain.returns)
        let discounted = Rollout(env, policy: .oracle, seed: 3, episodes: 3, discount: 0.5)
        #expect(discounted.digest == plain.digest)
        // Recompute the first episode's discounted return from its rewards.
        var replay = env
        _ = replay.reset(seed: 3)
        var total = 0.0, weight = 1.0
        for _ in 0..<50 {
            total += weight * (try replay.step(replay.bestArm).reward)
            weight *= 0.5
        }
        #expect(discounted.discountedReturns[0] == total)
        #expect(plain.lengths == [50, 50, 50])
    }
}
