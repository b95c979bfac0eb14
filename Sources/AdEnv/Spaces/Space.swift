/// Any of the Gymnasium space types.
///
/// Envs describe their observations and actions with spaces; ``jsonDescription`` travels over the
/// wire and parses back with ``init(description:)``.
public indirect enum Space: Sendable, Equatable {
    case discrete(Discrete)
    case box(Box)
    case multiDiscrete(MultiDiscrete)
    case multiBinary(MultiBinary)
    case dict(DictSpace)

    /// Whether `value` is an element of this space. A value of the wrong kind is not.
    public func contains(_ value: SpaceValue) -> Bool {
        switch (self, value) {
        case let (.discrete(s), .int(x)): s.contains(x)
        case let (.box(s), .floats(x)): s.contains(x)
        case let (.multiDiscrete(s), .ints(x)): s.contains(x)
        case let (.multiBinary(s), .ints(x)): s.contains(x)
        case let (.dict(s), .dict(x)): s.contains(x)
        default: false
        }
    }

    /// A random element, drawn from `rng` only.
    public func sample(using rng: inout Xoshiro256) -> SpaceValue {
        switch self {
        case .discrete(let s): .int(s.sample(using: &rng))
        case .box(let s): .floats(s.sample(using: &rng))
        case .multiDiscrete(let s): .ints(s.sample(using: &rng))
        case .multiBinary(let s): .ints(s.sample(using: &rng))
        case .dict(let s): .dict(s.sample(using: &rng))
        }
    }

    /// The number of scalars in the flat form of an element (1 for Discrete).
    public var flatCount: Int {
        switch self {
        case .discrete: 1
        case .box(let s): s.count
        case .multiDiscrete(let s): s.nvec.count
        case .multiBinary(let s): s.n
        case .dict(let s): s.spaces.reduce(0) { $0 + $1.space.flatCount }
        }
    }

    /// The numpy dtype name of the flat form: `int64`, `float32` or `int8`; `nil` for Dict.
    public var dtype: String? {
        switch self {
        case .discrete, .multiDiscrete: "int64"
        case .box: "float32"
        case .multiBinary: "int8"
        case .dict: nil
        }
    }
}
