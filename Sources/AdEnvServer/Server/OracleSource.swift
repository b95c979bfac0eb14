import AdEnv

/// Writes the oracle actions of a session's env copies: the one place the server needs the env's
/// concrete type, reached through a generic function opened on `any ScenarioEnv`.
protocol OracleSource: AnyObject {
    /// Writes each copy's oracle action (zeros for copies the next step will reset), drawing from
    /// `rngs[i]` for copy i.
    func writeOracleActions(into message: ZeroMQMessage, rngs: UnsafeMutableBufferPointer<Xoshiro256>)
}

/// The oracle of the copies of a ``VectorEnv``.
final class VectorOracle<E: Env>: OracleSource {
    let vector: VectorEnv<E>

    init(_ vector: VectorEnv<E>) {
        self.vector = vector
    }

    func writeOracleActions(into message: ZeroMQMessage, rngs: UnsafeMutableBufferPointer<Xoshiro256>) {
        let width = vector.actionCount, count = vector.count
        let real = E.Action.dtype == .float32
        let scalarSize = real ? MemoryLayout<Float>.size : MemoryLayout<Int64>.size
        message.resize(to: count * width * scalarSize)
        message.data.initializeMemory(as: UInt8.self, repeating: 0, count: count * width * scalarSize)
        vector.envs.withUnsafeBufferPointer { envs in
            for i in 0..<count where !vector.needsReset[i] {
                let action = envs[i].oracleAction(using: &rngs[i])
                if real {
                    let row = message.data.bindMemory(to: Float.self, capacity: count * width) + i * width
                    action.write(to: UnsafeMutableBufferPointer(start: row, count: width))
                } else {
                    let row = message.data.bindMemory(to: Int64.self, capacity: count * width) + i * width
                    action.write(to: UnsafeMutableBufferPointer(start: row, count: width))
                }
            }
        }
    }
}

/// Builds the copies of `env` with ``ScenarioEnv/makeBatch(count:threads:)``, and their oracle when
/// the batch is a ``VectorEnv`` (as every built-in kind's is).
func makeBatchWithOracle<E: ScenarioEnv>(_ env: E, count: Int, threads: Int) -> (any BatchEnv, (any OracleSource)?) {
    let batch = env.makeBatch(count: count, threads: threads)
    return (batch, (batch as? VectorEnv<E>).map { VectorOracle($0) })
}
