import Testing
@testable import AdEnv

#if canImport(Glibc)
import Glibc
#endif

@Suite struct VectorEnvTests {
    func bandit(steps: Int = 10_000) throws -> BernoulliBandit {
        try Registry.standard.make("StrategyBandit-v0", as: BernoulliBandit.self, overrides: [Override("max_episode_steps", .number(Double(steps)))])
    }

    /// Steps both vectors 20 times with `actions` and expects identical rewards and observations:
    /// how the tests show that a refused call changed nothing.
    static func expectSameSteps(_ vector: VectorEnv<BernoulliBandit>, _ reference: VectorEnv<BernoulliBandit>, actions: [Int]) throws {
        for _ in 0..<20 {
            try vector.step(actions)
            try reference.step(actions)
            #expect(vector.rewards == reference.rewards)
            #expect(vector.observations == reference.observations)
        }
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
        try Self.expectSameSteps(vector, reference, actions: [2, 0, 1])
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

    @Test func everyStepBeforeTheFirstResetIsRefusedAndChangesNothing() throws {
        let env = try bandit()
        let vector = VectorEnv(env, count: 3, threads: 2)
        let refused = VectorStepError(index: -1, error: .needsReset)
        #expect(throws: refused) { try vector.step([0, 1, 2]) }
        let integers: [Int64] = [0, 1, 2]
        #expect(throws: refused) { try integers.withUnsafeBufferPointer { try vector.step(flat: $0) } }
        let pacing = VectorEnv(try Registry.standard.make("BudgetPacing-v0", as: BudgetPacing.self), count: 2, threads: 2)
        let reals: [Float] = [1, 1]
        #expect(throws: refused) { try reals.withUnsafeBufferPointer { try pacing.step(flat: $0) } }
        #expect(vector.needsReset == [true, true, true] && pacing.needsReset == [true, true])
        // After a reset, the same batches are accepted, and the refusals left no trace.
        let reference = VectorEnv(env, count: 3, threads: 2)
        vector.reset(seed: 4)
        reference.reset(seed: 4)
        for _ in 0..<20 {
            try integers.withUnsafeBufferPointer { try vector.step(flat: $0) }
            try reference.step([0, 1, 2])
            #expect(vector.rewards == reference.rewards)
            #expect(vector.observations == reference.observations)
        }
        pacing.reset(seed: 1)
        try reals.withUnsafeBufferPointer { try pacing.step(flat: $0) }
        #expect(pacing.needsReset == [false, false])
    }

    @Test func policyStepBeforeTheFirstResetResetsWithTheDefaultSeedsFirst() throws {
        let env = try bandit(steps: 7)
        let unreset = VectorEnv(env, count: 4, threads: 2)
        let reset = VectorEnv(env, count: 4, threads: 2)
        reset.reset(seed: 0)
        for _ in 0..<30 {
            unreset.step(policy: .random)
            reset.step(policy: .random)
            #expect(unreset.lastActions == reset.lastActions)
            #expect(unreset.rewards == reset.rewards)
            #expect(unreset.observations == reset.observations)
            #expect(unreset.truncated == reset.truncated)
        }
    }

    @Test func aNilSeedInTheFirstResetSeedsCopyIWithI() throws {
        let env = try bandit()
        let nils = VectorEnv(env, count: 3), mixed = VectorEnv(env, count: 3)
        let zero = VectorEnv(env, count: 3), explicit = VectorEnv(env, count: 3)
        nils.reset(seeds: [nil, nil, nil])
        zero.reset(seed: 0)
        mixed.reset(seeds: [7, nil, nil])
        explicit.reset(seeds: [7, 1, 2])
        var rewards = [[Double]](repeating: [], count: 3)
        for _ in 0..<200 {
            try nils.step([0, 0, 0])
            try zero.step([0, 0, 0])
            try mixed.step([0, 0, 0])
            try explicit.step([0, 0, 0])
            #expect(nils.rewards == zero.rewards)
            #expect(mixed.rewards == explicit.rewards)
            for i in 0..<3 { rewards[i].append(nils.rewards[i]) }
        }
        // The copies are not identical.
        #expect(rewards[0] != rewards[1] && rewards[1] != rewards[2] && rewards[0] != rewards[2])
        // The policy streams follow the same seeds.
        nils.reset(seeds: [nil, nil, nil])
        zero.reset(seed: nil)
        for _ in 0..<20 {
            nils.step(policy: .random)
            zero.step(policy: .random)
            #expect(nils.lastActions == zero.lastActions)
        }
    }

    @Test func aNilSeedAfterTheFirstResetContinuesTheCopysStream() throws {
        let env = try bandit()
        let vector = VectorEnv(env, count: 2)
        var singles = [env, env]
        vector.reset(seed: 30)
        for i in 0..<2 { _ = singles[i].reset(seed: 30 + UInt64(i)) }
        for _ in 0..<10 { try vector.step([1, 1]) }
        for i in 0..<2 { for _ in 0..<10 { _ = try singles[i].step(1) } }
        vector.reset(seeds: [nil, 50])
        _ = singles[0].reset(seed: nil)
        _ = singles[1].reset(seed: 50)
        for _ in 0..<50 {
            try vector.step([2, 2])
            for i in 0..<2 { #expect(vector.rewards[i] == (try singles[i].step(2)).reward) }
        }
    }

    @Test func aBatchOfTheWrongSizeThrowsWrongCountAndChangesNothing() throws {
        let env = try bandit()
        let vector = VectorEnv(env, count: 3, threads: 2)
        let reference = VectorEnv(env, count: 3, threads: 2)
        vector.reset(seed: 2)
        reference.reset(seed: 2)
        #expect(throws: VectorStepError(index: -1, error: .wrongCount(expected: 3, got: 2))) { try vector.step([0, 1]) }
        #expect(throws: VectorStepError(index: -1, error: .wrongCount(expected: 3, got: 4))) { try vector.step([0, 1, 2, 3]) }
        try Self.expectSameSteps(vector, reference, actions: [4, 3, 2])
    }

    @Test func droppedVectorsStopTheirWorkerThreads() throws {
        let env = try bandit()
        let baseline = WorkerTeamTests.workerThreadCount()
        for round in 0..<20 {
            let vector = VectorEnv(env, count: 64, threads: 3)
            vector.reset(seed: UInt64(round))
            for _ in 0..<5 { vector.step(policy: .random) }
            if round % 4 == 0 { usleep(20_000) }  // let some vectors' workers fall asleep before the drop
        }
        // 40 worker threads were started; a leak would leave them all. Other tests' vectors may
        // hold a few workers of their own, so wait for the count to settle.
        #expect(WorkerTeamTests.threadCountSettles(atMost: baseline))
    }
}
