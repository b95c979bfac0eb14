import AdEnv
import Testing
@testable import AdEnvServer

extension ServerTests {
    /// Scenarios covering every action kind: Discrete, masked Discrete, Box, MultiDiscrete.
    static let equalityScenarios = ["StrategyBandit-v0", "AdMarket-v0", "BudgetedBandit-v0", "BudgetPacing-v0", "AutoBidding-v0", "SlateRanking-v0"]

    @Test(arguments: equalityScenarios)
    func remoteBatchEqualsInProcessVectorEnv(id: String) throws {
        let harness = try ServerHarness()
        let connection = try harness.connection()
        // Short episodes where the scenario allows, so that autoreset is compared too.
        let short = ["StrategyBandit-v0", "BudgetedBandit-v0", "SlateRanking-v0"].contains(id)
        let overrides: [(key: String, value: ConfigValue)] = short ? [("max_episode_steps", 6)] : []
        let remote = try RemoteVectorEnv(connection: connection, scenario: ScenarioRequest(env: id, overrides: overrides), count: 4, threads: 2)
        let local = try Registry.standard.make(id, overrides: overrides.map { try Override($0.key, $0.value) }).makeBatch(count: 4, threads: 1)
        #expect(remote.spec.jsonDescription == local.spec.jsonDescription)
        #expect(remote.maskWidth == local.maskWidth)
        try remote.reset(seeds: [5, nil, 7, 1 << 60])
        try local.reset(seeds: [5, nil, 7, 1 << 60])
        expectSame(remote, local)
        var rng = Xoshiro256(seed: 3)
        var ended = false
        for _ in 0..<14 {
            switch local.spec.actionSpace {
            case .box(let box):
                let actions = (0..<4).flatMap { _ in box.sample(using: &rng) }
                try actions.withUnsafeBufferPointer { try remote.step(flat: $0) }
                try actions.withUnsafeBufferPointer { try local.step(flat: $0) }
            default:
                let actions = validIntActions(local, using: &rng)
                try actions.withUnsafeBufferPointer { try remote.step(flat: $0) }
                try actions.withUnsafeBufferPointer { try local.step(flat: $0) }
            }
            expectSame(remote, local)
            ended = ended || local.needsReset.contains(true)
        }
        #expect(ended || !short, "short episodes should have ended and autoreset")
        try remote.close()
    }

    @Test func oracleActionsMatchTheInProcessOracle() throws {
        let harness = try ServerHarness()
        let remote = try RemoteVectorEnv(connection: harness.connection(), scenario: ScenarioRequest(env: "AdMarket-v0"), count: 3)
        let env = try Registry.standard.make("AdMarket-v0", as: AdMarket.self)
        let local = VectorEnv(env, count: 3)
        try remote.reset(seed: 21)
        local.reset(seed: 21)
        var remoteActions = [Int64](repeating: -1, count: 3)
        try remoteActions.withUnsafeMutableBufferPointer { try remote.oracleActions(into: $0) }
        let expected = (0..<3).map { i in
            var rng = Xoshiro256(seed: ScenarioPolicy.policySeed(forEnvSeed: 21 + UInt64(i)))
            return Int64(local.envs[i].oracleAction(using: &rng))
        }
        #expect(remoteActions == expected)
        // The ORACLE request did not change the envs: stepping with its actions matches locally.
        try remoteActions.withUnsafeBufferPointer { try remote.step(flat: $0) }
        try local.step(expected.map { Int($0) })
        #expect(remote.observations == local.observations)
        #expect(remote.rewards == local.rewards)
    }

    @Test func remoteEnvRunsGenericEnvCode() throws {
        let harness = try ServerHarness()
        var remote = try RemoteEnv<Int>(connection: harness.connection(), scenario: ScenarioRequest(env: "BudgetedBandit-v0", overrides: [("max_episode_steps", 10)]))
        var local = try Registry.standard.make("BudgetedBandit-v0", as: BudgetedBandit.self, overrides: [Override("max_episode_steps", 10)])
        let remoteReturn = episodeReturn(&remote, seed: 4)
        let localReturn = episodeReturn(&local, seed: 4)
        #expect(remoteReturn == localReturn)
        // After the episode, steps are refused until reset, without a round trip.
        #expect(throws: ActionError.needsReset) { try remote.check(0) }
        #expect(throws: (any Error).self) { try RemoteEnv<Float>(connection: harness.connection(), scenario: ScenarioRequest(env: "AdMarket-v0")) }
    }

    @Test func remoteEnvRefusesMaskedAndOutOfSpaceActionsLocally() throws {
        let harness = try ServerHarness()
        var env = try RemoteEnv<Int>(connection: harness.connection(), scenario: ScenarioRequest(env: "BudgetedBandit-v0"))
        var observation = [Float](repeating: 0, count: env.spec.observationCount)
        _ = observation.withUnsafeMutableBufferPointer { env.reset(seed: 1, observation: $0) }
        #expect(throws: ActionError.self) { try env.check(99) }
        var mask = [Bool](repeating: false, count: env.spec.discreteActionCount)
        mask.withUnsafeMutableBufferPointer { env.writeActionMask(into: $0) }
        var rng = Xoshiro256(seed: 2)
        for _ in 0..<20 {
            let action = env.randomAction(using: &rng)
            #expect(mask[action])
        }
        _ = try observation.withUnsafeMutableBufferPointer { try env.step(0, observation: $0) }
    }

    // MARK: Helpers

    private func expectSame(_ remote: RemoteVectorEnv, _ local: any BatchEnv, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(remote.observations == local.observations, sourceLocation: sourceLocation)
        #expect(remote.rewards == local.rewards, sourceLocation: sourceLocation)
        #expect(remote.terminated == local.terminated, sourceLocation: sourceLocation)
        #expect(remote.truncated == local.truncated, sourceLocation: sourceLocation)
        #expect(remote.infos == local.infos, sourceLocation: sourceLocation)
        #expect(remote.actionMasks == local.actionMasks, sourceLocation: sourceLocation)
        #expect(remote.needsReset == local.needsReset, sourceLocation: sourceLocation)
    }

    /// Uniform valid int64 actions for every copy (masked envs: among the unmasked actions).
    private func validIntActions(_ batch: any BatchEnv, using rng: inout Xoshiro256) -> [Int64] {
        var out: [Int64] = []
        for i in 0..<batch.count {
            switch batch.spec.actionSpace {
            case .discrete(let d) where batch.maskWidth > 0:
                let mask = Array(batch.actionMasks[(i * d.n)..<((i + 1) * d.n)])
                out.append(Int64(mask.withUnsafeBufferPointer { d.sample(using: &rng, mask: $0) }))
            case .multiDiscrete(let m):
                var pool = Array(0..<m.nvec[0])
                for k in 0..<m.nvec.count { pool.swapAt(k, k + rng.below(pool.count - k)) }
                out += pool.prefix(m.nvec.count).map { Int64($0) }
            case .discrete(let d):
                out.append(Int64(d.sample(using: &rng)))
            default:
                Issue.record("unexpected action space \(batch.spec.actionSpace)")
            }
        }
        return out
    }

    /// The undiscounted return of one episode under a fixed policy (the first valid action).
    private func episodeReturn<E: Env>(_ env: inout E, seed: UInt64) -> Double where E.Action == Int {
        var observation = [Float](repeating: 0, count: env.spec.observationCount)
        var mask = [Bool](repeating: true, count: env.spec.discreteActionCount)
        _ = observation.withUnsafeMutableBufferPointer { env.reset(seed: seed, observation: $0) }
        var total = 0.0
        while true {
            mask.withUnsafeMutableBufferPointer { env.writeActionMask(into: $0) }
            let action = mask.lastIndex(of: true) ?? 0
            guard let t = try? observation.withUnsafeMutableBufferPointer({ try env.step(action, observation: $0) }) else {
                Issue.record("a valid action was refused")
                return total
            }
            total += t.reward
            if t.isDone { return total }
        }
    }
}
