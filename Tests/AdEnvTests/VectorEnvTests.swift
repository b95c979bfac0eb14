import Testing
@testable import AdEnv

@Suite struct VectorEnvTests {
    func bandit(steps: Int = 10_000) throws -> BernoulliBandit {
        try Registry.standard.make("StrategyBandit-v0", as: BernoulliBandit.self, overrides: [Override("max_episode_steps", .number(Double(steps)))])
    }

    /// The digest of `batches` policy steps of a vector env.
    func vectorDigest(_ env: BernoulliBandit, copies: Int, threads: Int, seed: UInt64, batches: Int) -> String {
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
        return digest.hex
    }

    @Test func copyIBehavesLikeASingleEnvSeededWithSeedPlusI() throws {
        let env = try bandit()
        let vector = VectorEnv(env, count: 4, threads: 2)
        vector.reset(seed: 100)
        var singles = (0..<4).map { _ in env }
        for i in 0..<4 { _ = singles[i].reset(seed: 100 + UInt64(i)) }
        for t in 0..<50 {
            let actions = (0..<4).map { ($0 + t) % 5 }
            try vector.step(actions)
            for i in 0..<4 {
                let r = try singles[i].step(actions[i])
                #expect(vector.rewards[i] == r.reward)
                #expect(Array(vector.observations[i..<(i + 1)]) == r.observation)
            }
        }
    }

    @Test func nextStepAutoresetReturnsTheResetObservationAndIgnoresTheAction() throws {
        let vector = VectorEnv(try bandit(steps: 3), count: 2)
        vector.reset(seed: 1)
        for _ in 0..<2 { try vector.step([0, 0]) }
        try vector.step([0, 0])
        #expect(vector.truncated == [true, true])
        #expect(vector.terminated == [false, false])
        #expect(vector.observations == [1, 1])
        // The next step resets: reward 0, flags false, first observation; the (invalid) action is ignored.
        let ignored: [Int64] = [99, -7]
        try ignored.withUnsafeBufferPointer { try vector.step(flat: $0) }
        #expect(vector.rewards == [0, 0])
        #expect(vector.truncated == [false, false])
        #expect(vector.observations == [0, 0])
        #expect(vector.needsReset == [false, false])
        // And the step after that is a normal step of the new episode.
        try vector.step([1, 1])
        #expect(vector.observations.allSatisfy { abs($0 - 1.0 / 3) < 1e-6 })
    }

    @Test func resultsDoNotDependOnTheThreadCount() throws {
        let env = try bandit(steps: 37)
        let one = vectorDigest(env, copies: 33, threads: 1, seed: 5, batches: 200)
        #expect(vectorDigest(env, copies: 33, threads: 2, seed: 5, batches: 200) == one)
        #expect(vectorDigest(env, copies: 33, threads: 3, seed: 5, batches: 200) == one)
        #expect(vectorDigest(env, copies: 33, threads: 2, seed: 6, batches: 200) != one)
    }

    @Test func aBatchWithOneInvalidActionIsRefusedWholeAndChangesNothing() throws {
        let env = try bandit()
        let vector = VectorEnv(env, count: 3, threads: 2)
        let reference = VectorEnv(env, count: 3, threads: 2)
        vector.reset(seed: 9)
        reference.reset(seed: 9)
        #expect(throws: VectorStepError(index: 1, error: .outOfSpace(action: "5", space: "Discrete(5)"))) {
            try vector.step([0, 5, 0])
        }
        let wrongCount: [Int64] = [0, 1]
        #expect(throws: VectorStepError(index: -1, error: .wrongCount(expected: 3, got: 2))) {
            try wrongCount.withUnsafeBufferPointer { try vector.step(flat: $0) }
        }
        let reals: [Float] = [0, 1, 2]
        #expect(throws: VectorStepError(index: 0, error: .wrongDType(expected: "int64", got: "float32"))) {
            try reals.withUnsafeBufferPointer { try vector.step(flat: $0) }
        }
        for _ in 0..<20 {
            try vector.step([2, 0, 1])
            try reference.step([2, 0, 1])
            #expect(vector.rewards == reference.rewards)
            #expect(vector.observations == reference.observations)
        }
    }

    @Test func unseededVectorResetSeedsCopiesZeroToNMinusOne() throws {
        let env = try bandit()
        let a = VectorEnv(env, count: 2), b = VectorEnv(env, count: 2)
        a.reset()
        b.reset(seed: 0)
        for _ in 0..<100 {
            try a.step([0, 0])
            try b.step([0, 0])
            #expect(a.rewards == b.rewards)
        }
    }
}
