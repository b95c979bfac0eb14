/// A type an env can take as its action: it converts from and to the flat form of ``ActionRow``.
///
/// AdEnv's envs use `Int` (Discrete), `Float` (a one-dimensional Box) and ``Slate`` (MultiDiscrete).
public protocol EnvAction: Sendable, Equatable {
    /// The scalar type of the flat form.
    static var dtype: ActionDType { get }
    /// Decodes an action from `count` flat scalars. Checks the count, the dtype and finiteness, but
    /// not membership in the action space, which the env checks in `step`.
    init(row: ActionRow, count: Int) throws(ActionError)
    /// Writes the flat form; `out.count` is the action space's ``Space/flatCount``.
    func write(to out: UnsafeMutableBufferPointer<Int64>)
    /// Writes the flat form for real-valued actions.
    func write(to out: UnsafeMutableBufferPointer<Float>)
    /// Feeds the action's flat form into a digest.
    func combine(into digest: inout TrajectoryDigest)
}

/// The scalar type of an action's flat form.
public enum ActionDType: String, Sendable {
    case int64
    case float32
}

extension Int: EnvAction {
    public static var dtype: ActionDType { .int64 }

    @inlinable
    public init(row: ActionRow, count: Int) throws(ActionError) {
        guard row.count == 1 else { throw .wrongCount(expected: 1, got: row.count) }
        guard case .integers(let values) = row else { throw .wrongDType(expected: "int64", got: "float32") }
        self = Int(values[0])
    }

    @inlinable
    public func write(to out: UnsafeMutableBufferPointer<Int64>) { out[0] = Int64(self) }
    @inlinable
    public func write(to out: UnsafeMutableBufferPointer<Float>) { out[0] = Float(self) }
    @inlinable
    public func combine(into digest: inout TrajectoryDigest) { digest.combine(Int64(self)) }
}

extension Float: EnvAction {
    public static var dtype: ActionDType { .float32 }

    @inlinable
    public init(row: ActionRow, count: Int) throws(ActionError) {
        guard row.count == 1 else { throw .wrongCount(expected: 1, got: row.count) }
        guard case .reals(let values) = row else { throw .wrongDType(expected: "float32", got: "int64") }
        guard values[0].isFinite else { throw .notFinite(action: "\(values[0])") }
        self = values[0]
    }

    @inlinable
    public func write(to out: UnsafeMutableBufferPointer<Int64>) { out[0] = Int64(self) }
    @inlinable
    public func write(to out: UnsafeMutableBufferPointer<Float>) { out[0] = self }
    @inlinable
    public func combine(into digest: inout TrajectoryDigest) { digest.combine(self) }
}
