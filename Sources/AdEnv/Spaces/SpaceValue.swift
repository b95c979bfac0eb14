/// A single element of a ``Space``: what `sample` returns and `contains` accepts.
///
/// Discrete elements are `.int`; MultiDiscrete and MultiBinary elements are `.ints`; Box elements
/// are `.floats` in row-major order; Dict elements are `.dict` with keys in the space's order.
public enum SpaceValue: Sendable, Equatable {
    case int(Int)
    case ints([Int])
    case floats([Float])
    case dict([(key: String, value: SpaceValue)])

    public static func == (lhs: SpaceValue, rhs: SpaceValue) -> Bool {
        switch (lhs, rhs) {
        case let (.int(a), .int(b)): a == b
        case let (.ints(a), .ints(b)): a == b
        case let (.floats(a), .floats(b)): a == b
        case let (.dict(a), .dict(b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }
}
