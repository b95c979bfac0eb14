import Testing
@testable import AdEnv

@Suite struct BatchEnvTests {
    /// Steps a batch through the protocol only, as a learner generic over `some BatchEnv` would.
    static func stepThroughProtocol(_ batch: some BatchEnv, seed: UInt64, steps: Int) throws -> [Double] {
        try batch.reset(seed: seed)
        var actions = [Int64](repeating: 0, count: batch.count * batch.spec.actionCount)
        var rewards: [Double] = []
        for t in 0..<steps {
            for i in actions.indices { actions[i] = Int64((i + t) % 5) }
            try actions.withUnsafeBufferPointer { try batch.step(flat: $0) }
            rewards += batch.rewards
        }
        return rewards
    }

    @Test func aRegistryBatchStepsLikeAVectorEnvOfTheSameScenario() throws {
        let env = try Registry.standard.make("StrategyBandit-v0", as: BernoulliBandit.self)
        let batch = try Registry.standard.make("StrategyBandit-v0").makeBatch(count: 3, threads: 1)
        let vector = VectorEnv(env, count: 3)
        #expect(batch.count == 3)
        #expect(batch.maskWidth == 0)
        let viaProtocol = try Self.stepThroughProtocol(batch, seed: 9, steps: 40)
        let viaVector = try Self.stepThroughProtocol(vector, seed: 9, steps: 40)
        #expect(viaProtocol == viaVector)
        #expect(Set(viaProtocol).count == 2)  // Bernoulli rewards: both 0 and 1 occur
    }

    @Test func steppingABatchBeforeResetThrows() throws {
        let batch = try Registry.standard.make("StrategyBandit-v0").makeBatch(count: 2, threads: 1)
        let actions: [Int64] = [0, 1]
        #expect(throws: VectorStepError.self) { try actions.withUnsafeBufferPointer { try batch.step(flat: $0) } }
    }

    @Test func aMaskedScenarioExposesItsMaskWidth() throws {
        let batch = try Registry.standard.make("AdMarket-v0").makeBatch(count: 2, threads: 1)
        try batch.reset(seed: 1)
        #expect(batch.maskWidth == batch.spec.discreteActionCount)
        #expect(batch.actionMasks.count == 2 * batch.maskWidth)
        #expect(batch.actionMasks.contains(true))
    }
}
