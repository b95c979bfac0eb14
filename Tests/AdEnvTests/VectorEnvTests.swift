import Testing
@testable import AdEnv

@Suite struct VectorEnvTests {
    func bandit(steps: Int = 10_000) throws -> BernoulliBandit {
        try Registry.standard.make("StrategyBandit-v0", as: BernoulliBandit.self, overrides: [Override("max_episode_steps", .number(Double(steps)))])
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
        func digest(threads: Int, seed: UInt64) -> TrajectoryDigest {
            DeterminismTests.vectorDigest(env, copies: 33, threads: threads, seed: seed, batches: 200)
        }
        let one = digest(threads: 1, seed: 5)
        #expect(digest(threads: 2, seed: 5) == one)
        #expect(digest(threads: 3, seed: 5) == one)
        #expect(digest(threads: 2, seed: 6) != one)
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
