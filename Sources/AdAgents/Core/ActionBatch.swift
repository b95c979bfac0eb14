import AdEnv

/// One action per copy of a ``BatchEnv``, in the env's flat form, with the probability the agent's
/// policy gave each.
///
/// - Discrete and MultiDiscrete spaces use ``integers`` (`count × width` values) and leave
///   ``reals`` empty; Box spaces use ``reals``.
/// - ``probabilities`` holds, per copy, the probability of the chosen action (a density for
///   continuous actions, 1 for a deterministic choice), logged for off-policy evaluation.
public struct ActionBatch: Sendable, Equatable {
    public let count: Int
    /// Scalars per action: the action space's flat count.
    public let width: Int
    public let dtype: ActionDType
    public var integers: [Int64]
    public var reals: [Float]
    public var probabilities: [Double]

    /// A batch of zero actions shaped for `count` copies of envs with `spec`.
    public init(spec: EnvSpec, count: Int) {
        self.count = count
        width = spec.actionCount
        dtype = spec.actionSpace.dtype == "float32" ? .float32 : .int64
        integers = dtype == .int64 ? Array(repeating: 0, count: count * width) : []
        reals = dtype == .float32 ? Array(repeating: 0, count: count * width) : []
        probabilities = Array(repeating: 1, count: count)
    }

    /// Steps `env` with these actions.
    ///
    /// - Throws: what the env throws; an in-process ``VectorEnv`` refuses an invalid batch whole.
    public func step<Env: BatchEnv>(_ env: Env) throws {
        switch dtype {
        case .int64: try integers.withUnsafeBufferPointer { try env.step(flat: $0) }
        case .float32: try reals.withUnsafeBufferPointer { try env.step(flat: $0) }
        }
    }
}
