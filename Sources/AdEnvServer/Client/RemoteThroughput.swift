import AdEnv

/// Measures a Swift client stepping a session: the benchmark behind `adenv perf-remote`.
public enum RemoteThroughput {
    /// One measurement: steps (messages) and env-steps per second.
    public struct Result: Sendable {
        public var envs: Int
        public var steps: Int
        public var seconds: Double
        public var stepsPerSecond: Double { Double(steps) / seconds }
        public var envStepsPerSecond: Double { Double(steps * envs) / seconds }
    }

    /// Opens a session of `envs` copies, resets it with seed 0, then steps it with uniformly random
    /// valid actions (drawn from the last reply's masks) for at least `minimumSeconds`.
    public static func measure(connection: Connection, scenario: ScenarioRequest, envs: Int, minimumSeconds: Double) throws -> Result {
        let batch = try RemoteVectorEnv(connection: connection, scenario: scenario, count: envs)
        defer { try? batch.close() }
        try batch.reset(seed: 0)
        var rng = Xoshiro256(seed: 1)
        let width = batch.actionCount
        var ints = [Int64](repeating: 0, count: envs * width)
        var reals = [Float](repeating: 0, count: envs * width)
        let space = batch.spec.actionSpace
        func fill() {
            switch space {
            case .discrete(let d):
                for i in 0..<envs {
                    if batch.maskWidth > 0 {
                        ints[i] = Int64(batch.actionMasks.withUnsafeBufferPointer {
                            d.sample(using: &rng, mask: UnsafeBufferPointer(rebasing: $0[(i * d.n)..<((i + 1) * d.n)]))
                        })
                    } else {
                        ints[i] = Int64(d.sample(using: &rng))
                    }
                }
            case .box(let b):
                for i in 0..<envs {
                    let sample = b.sample(using: &rng)
                    for j in 0..<width { reals[i * width + j] = sample[j] }
                }
            default:
                for i in 0..<envs {
                    if case .ints(let values) = space.sample(using: &rng) {
                        for j in 0..<width { ints[i * width + j] = Int64(values[j]) }
                    }
                }
            }
        }
        let start = MonotonicClock.nanoseconds
        var steps = 0
        var elapsed = 0.0
        repeat {
            for _ in 0..<16 {
                fill()
                if batch.actionDType == .float32 {
                    try reals.withUnsafeBufferPointer { try batch.step(flat: $0) }
                } else {
                    try ints.withUnsafeBufferPointer { try batch.step(flat: $0) }
                }
                steps += 1
            }
            elapsed = Double(MonotonicClock.nanoseconds - start) / 1e9
        } while elapsed < minimumSeconds
        return Result(envs: envs, steps: steps, seconds: elapsed)
    }
}
