import Testing
@testable import AdEnv

@Suite struct BernoulliBanditTests {
    let env = try! Registry.standard.make("StrategyBandit-v0", as: BernoulliBandit.self)

    @Test func bestArmIsTheHighestMeanAndEmpiricalMeansConverge() throws {
        var env = env
        var counts = [Int](repeating: 0, count: env.means.count)
        var successes = [Double](repeating: 0, count: env.means.count)
        _ = env.reset(seed: 7)
        var rng = Xoshiro256(seed: 1)
        for _ in 0..<200_000 {
            let arm = rng.below(env.means.count)
            var result = try env.step(arm)
            if result.truncated { _ = env.reset() }
            counts[arm] += 1
            successes[arm] += result.reward
            result.observation.removeAll()
        }
        let empirical = zip(successes, counts).map { $0 / Double($1) }
        #expect(empirical.indices.max { empirical[$0] < empirical[$1] } == env.bestArm)
        for (p, q) in zip(empirical, env.means) {
            let sigma = (q * (1 - q) / 40_000).squareRoot()
            #expect(abs(p - q) < 4 * sigma + 1e-9)
        }
        #expect(env.bestArm == 0)
    }

    @Test func outOfRangeActionIsRefusedAndChangesNothing() throws {
        var env = env
        _ = env.reset(seed: 3)
        let before = env
        #expect(throws: ActionError.outOfSpace(action: "5", space: "Discrete(5)")) { try env.step(5) }
        #expect(throws: ActionError.outOfSpace(action: "-1", space: "Discrete(5)")) { try env.step(-1) }
        var a = before, b = env
        #expect(try a.step(2).reward == b.step(2).reward)
    }

    @Test func stepBeforeResetThrowsNeedsReset() {
        var env = env
        #expect(throws: ActionError.needsReset) { try env.step(0) }
    }

    @Test func truncatesAtTheTimeLimitAndNeverTerminates() throws {
        var env = try Registry.standard.make("StrategyBandit-v0", as: BernoulliBandit.self, overrides: [Override("max_episode_steps", 3)])
        _ = env.reset(seed: 0)
        let flags = try (0..<3).map { _ in let r = try env.step(0); return (r.terminated, r.truncated) }
        #expect(flags.map(\.0) == [false, false, false])
        #expect(flags.map(\.1) == [false, false, true])
        #expect(throws: ActionError.needsReset) { try env.step(0) }
    }
}
