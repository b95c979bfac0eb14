/// One env's action in flat form, as it arrives from a vector batch or the wire: int64 scalars for
/// Discrete and MultiDiscrete action spaces, float32 scalars for Box action spaces.
public enum ActionRow {
    case integers(UnsafeBufferPointer<Int64>)
    case reals(UnsafeBufferPointer<Float>)

    public var count: Int {
        switch self {
        case .integers(let b): b.count
        case .reals(let b): b.count
        }
    }
}
