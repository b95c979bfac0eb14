/// The xoshiro256** generator (Blackman and Vigna, 2018): fast, 256 bits of state, and seedable.
///
/// Every random draw in AdEnv comes from this generator. Its output depends only on the seed, never
/// on the platform, the build mode or the system clock. Seeding expands the 64-bit seed with
/// ``SplitMix64``, as the authors recommend, so nearby seeds give unrelated streams.
///
/// It conforms to `RandomNumberGenerator`, but AdEnv's own samplers (``uniform()``, ``normal()``,
/// ...) are preferred: the standard library's `Int.random(in:using:)` is not guaranteed to consume the
/// same number of draws across Swift versions.
public struct Xoshiro256: RandomNumberGenerator, Sendable, Hashable {
    public var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Creates a generator whose stream is a pure function of `seed`.
    @inlinable
    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        s0 = mixer.next(); s1 = mixer.next(); s2 = mixer.next(); s3 = mixer.next()
    }

    /// Restores a generator from a saved state. An all-zero state is replaced by the state of seed 0,
    /// since xoshiro would emit zeros forever from it.
    @inlinable
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        let isZero = state.0 == 0 && state.1 == 0 && state.2 == 0 && state.3 == 0
        self = isZero ? Xoshiro256(seed: 0) : Xoshiro256(s0: state.0, s1: state.1, s2: state.2, s3: state.3)
    }

    @inlinable
    init(s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64) {
        self.s0 = s0; self.s1 = s1; self.s2 = s2; self.s3 = s3
    }

    /// The full state, for checkpoints.
    @inlinable
    public var state: (UInt64, UInt64, UInt64, UInt64) { (s0, s1, s2, s3) }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inlinable
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    /// Derives an independent generator, for example one per vector-env copy or per sub-stream.
    ///
    /// The child's stream is a pure function of this generator's state and `stream`; the parent
    /// advances by one draw.
    @inlinable
    public mutating func split(stream: UInt64 = 0) -> Xoshiro256 {
        Xoshiro256(seed: next() ^ (stream &* 0xD1B5_4A32_D192_ED03))
    }
}
