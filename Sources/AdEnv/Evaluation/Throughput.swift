/// Steps per second of an env under its random policy, measured in-process.
///
/// Wall-clock rates are for `adenv perf` and `BENCHMARKS.md`, never for pass/fail tests.
public struct Throughput: Sendable {
    public var steps: Int
    public var seconds: Double

    public var stepsPerSecond: Double { Double(steps) / seconds }

    /// Steps one env for at least `minimumSeconds` (checking the clock every 4,096 steps) with the
    /// random policy, resetting when episodes end.
    public static func single<E: Env>(_ env: E, minimumSeconds: Double = 1, seed: UInt64 = 0) -> Throughput {
        var env = env
        var rng = Xoshiro256(seed: ScenarioPolicy.policySeed(forEnvSeed: seed))
        // A raw buffer rather than `withUnsafeMutableBufferPointer`: an env captured by a closure is
        // boxed, and every call on a boxed value copies it.
        let obs = UnsafeMutableBufferPointer<Float>.allocate(capacity: env.spec.observationCount)
        defer { obs.deallocate() }
        let clock = ContinuousClock()
        let start = clock.now
        var steps = 0
        var sink = 0.0
        _ = env.reset(seed: seed, observation: obs)
        while true {
            for _ in 0..<4096 {
                let action = env.randomAction(using: &rng)
                guard let t = try? env.step(action, observation: obs) else {
                    preconditionFailure("\(env.spec.id): the random policy chose an invalid action")
                }
                sink += t.reward
                if t.isDone { _ = env.reset(seed: nil, observation: obs) }
            }
            steps += 4096
            if (clock.now - start).inSeconds >= minimumSeconds { break }
        }
        precondition(!sink.isNaN, "rewards must not be NaN")  // also keeps the loop from being optimized away
        return Throughput(steps: steps, seconds: (clock.now - start).inSeconds)
    }

    /// Steps a ``VectorEnv`` of `copies` copies on `threads` threads for at least `minimumSeconds`,
    /// each copy choosing random actions on its worker thread. Counts env-steps (copies × batches).
    public static func vector<E: Env>(_ env: E, copies: Int, threads: Int, minimumSeconds: Double = 1, seed: UInt64 = 0) -> Throughput {
        let vector = VectorEnv(env, count: copies, threads: threads)
        vector.reset(seed: seed)
        let clock = ContinuousClock()
        let start = clock.now
        var batches = 0
        repeat {
            for _ in 0..<16 { vector.step(policy: .random) }
            batches += 16
        } while (clock.now - start).inSeconds < minimumSeconds
        return Throughput(steps: batches * copies, seconds: (clock.now - start).inSeconds)
    }
}
