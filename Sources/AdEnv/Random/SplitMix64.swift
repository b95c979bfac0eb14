/// SplitMix64, used to expand one 64-bit seed into the state of a larger generator.
///
/// The sequence is fixed by the algorithm (Steele, Lea and Flood, 2014), so the same seed gives the
/// same numbers on every platform and in every build mode.
public struct SplitMix64: Sendable, Hashable {
    public var state: UInt64

    @inlinable
    public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
