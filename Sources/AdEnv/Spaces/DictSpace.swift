/// A named product of spaces, Gymnasium's `Dict`. Keys keep their given order, which is also the
/// order of the flattened layout.
public struct DictSpace: Sendable, Equatable {
    public let spaces: [(key: String, space: Space)]

    /// - Precondition: keys are unique.
    public init(_ spaces: [(key: String, space: Space)]) {
        precondition(Set(spaces.map(\.key)).count == spaces.count, "Dict space keys must be unique")
        self.spaces = spaces
    }

    public subscript(key: String) -> Space? { spaces.first { $0.key == key }?.space }

    public func contains(_ x: [(key: String, value: SpaceValue)]) -> Bool {
        x.count == spaces.count && zip(x, spaces).allSatisfy { $0.key == $1.key && $1.space.contains($0.value) }
    }

    public func sample(using rng: inout Xoshiro256) -> [(key: String, value: SpaceValue)] {
        spaces.map { (key: $0.key, value: $0.space.sample(using: &rng)) }
    }

    public static func == (lhs: DictSpace, rhs: DictSpace) -> Bool {
        lhs.spaces.count == rhs.spaces.count && zip(lhs.spaces, rhs.spaces).allSatisfy { $0.key == $1.key && $0.space == $1.space }
    }
}
