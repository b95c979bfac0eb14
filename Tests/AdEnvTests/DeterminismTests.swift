import Testing
@testable import AdEnv

@Suite struct DeterminismTests {
    /// Expects two random-policy rollouts with seed `seed` to agree bit for bit, and one with
    /// `seed + 1` to differ.
    static func expectSeedDeterminism<E: Env>(_ env: E, seed: UInt64, _ comment: Comment? = nil) {
        let a = Rollout(env, policy: .random, seed: seed, episodes: 2)
        let b = Rollout(env, policy: .random, seed: seed, episodes: 2)
        let c = Rollout(env, policy: .random, seed: seed + 1, episodes: 2)
        #expect(a.digest == b.digest, comment)
        #expect(a.returns == b.returns, comment)
        #expect(a.digest != c.digest, comment)
    }

    @Test func sameSeedGivesTheSameDigestAndADifferentSeedADifferentOne() throws {
        for scenario in try Registry.standard.scenarios() {
            let env = try Registry.make(scenario)
            Self.expectSeedDeterminism(env, seed: 1, "\(scenario.id)")
        }
    }

    /// The digest of `batches` random-policy steps of a vector env of `copies` copies.
    static func vectorDigest<E: Env>(_ env: E, copies: Int, threads: Int, seed: UInt64, batches: Int) -> TrajectoryDigest {
        let vector = VectorEnv(env, count: copies, threads: threads)
        vector.reset(seed: seed)
        var digest = TrajectoryDigest()
        for _ in 0..<batches {
            vector.step(policy: .random)
            vector.observations.withUnsafeBufferPointer { digest.combine($0) }
            for i in 0..<copies {
                vector.lastActions[i].combine(into: &digest)
                digest.combine(vector.rewards[i])
                digest.combine(vector.terminated[i])
                digest.combine(vector.truncated[i])
            }
        }
        return digest
    }

    @Test func vectorEnvsAreDeterministicAndIndependentOfTheThreadCount() throws {
        for scenario in try Registry.standard.scenarios() {
            let env = try Registry.make(scenario)
            let a = Self.vectorDigest(env, copies: 3, threads: 1, seed: 8, batches: 60)
            #expect(a == Self.vectorDigest(env, copies: 3, threads: 2, seed: 8, batches: 60), "\(scenario.id)")
            #expect(a != Self.vectorDigest(env, copies: 3, threads: 2, seed: 9, batches: 60), "\(scenario.id)")
        }
    }

    @Test func resetWithoutASeedContinuesTheStream() throws {
        var env = try Registry.standard.make("StrategyBandit-v0", as: BernoulliBandit.self, overrides: [Override("max_episode_steps", 20)])
        _ = env.reset(seed: 3)
        let first = try (0..<20).map { _ in try env.step(0).reward }
        _ = env.reset()
        let second = try (0..<20).map { _ in try env.step(0).reward }
        _ = env.reset(seed: 3)
        let replay = try (0..<20).map { _ in try env.step(0).reward }
        #expect(first == replay)
        #expect(first != second)
    }

    /// Golden digests: `Rollout(env, policy: .random, seed: 42, episodes: 2)` for every registered
    /// scenario. They pin the exact bits of every scenario in debug and release builds. A change to a
    /// scenario's dynamics must change its ID's version or, during development, these values; print
    /// the new ones with `adenv rollout ID --policy random --seed 42 --episodes 2`.
    static let golden: [String: String] = [
        "AdMarket-v0": "fe6ef20f0b4a1b5a",
        "AdMarket-v1": "f48b0d06e95bc01e",
        "AutoBidding-v0": "ddfb8f5025ba2a26",
        "BannerBandit-v0": "7d16c39fe64b0978",
        "BudgetPacing-v0": "7caee9f080f1a092",
        "BudgetedBandit-v0": "f430590de4ed5427",
        "ContextualBanner-v0": "9455a99e32b90b8b",
        "FatigueMDP-v0": "0befcb8585c2b57c",
        "SlateRanking-v0": "d301b0dff1c03e12",
        "StrategyBandit-v0": "a09f2b9917eb8db6",
    ]

    @Test func everyScenarioMatchesItsGoldenDigest() throws {
        let scenarios = try Registry.standard.scenarios()
        #expect(Set(scenarios.map(\.id)) == Set(Self.golden.keys), "every scenario needs a golden digest")
        for scenario in scenarios {
            let env = try Registry.make(scenario)
            let digest = Rollout(env, policy: .random, seed: 42, episodes: 2).digest.hex
            #expect(digest == Self.golden[scenario.id], "\(scenario.id): digest \(digest)")
        }
    }
}
