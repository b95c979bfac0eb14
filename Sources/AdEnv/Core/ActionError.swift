/// Why a step was refused. A refused step changes nothing: the env's state, its random stream and
/// its step count are as they were before the call.
public enum ActionError: Error, Sendable, Equatable {
    /// The action is not an element of the action space.
    case outOfSpace(action: String, space: String)
    /// The action is in the space but masked in this state (for example a campaign with no budget).
    case masked(action: Int, reason: String)
    /// A continuous action is NaN or infinite.
    case notFinite(action: String)
    /// The flat action row has the wrong number of scalars.
    case wrongCount(expected: Int, got: Int)
    /// The flat action row has the wrong scalar type (integers for a Box, reals for a Discrete).
    case wrongDType(expected: String, got: String)
    /// `step` was called before the first `reset`, or after the episode ended.
    case needsReset
}

extension ActionError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .outOfSpace(action, space): "action \(action) is not in the action space \(space)"
        case let .masked(action, reason): "action \(action) is masked: \(reason)"
        case let .notFinite(action): "action \(action) is not finite"
        case let .wrongCount(expected, got): "action has \(got) values, the action space needs \(expected)"
        case let .wrongDType(expected, got): "action has dtype \(got), the action space needs \(expected)"
        case .needsReset: "step called before reset or after the episode ended; call reset first"
        }
    }
}

extension ActionError {
    /// Checks a one-dimensional continuous action (a `Box` of shape `(1,)`): throws ``notFinite(action:)``
    /// for NaN or infinity and ``outOfSpace(action:space:)`` outside `bounds` (both ends included).
    public static func checkScalar(_ action: Float, in bounds: ClosedRange<Float>) throws(ActionError) {
        guard action.isFinite else { throw .notFinite(action: "\(action)") }
        guard bounds.contains(action) else {
            throw .outOfSpace(action: "\(action)", space: "\(Space.box(Box(low: bounds.lowerBound, high: bounds.upperBound, shape: [1])))")
        }
    }
}
