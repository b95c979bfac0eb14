/// A 64-bit FNV-1a hash over the little-endian bytes of a trajectory: every observation, action,
/// reward and flag, in order.
///
/// Two runs give the same digest exactly when they produced the same bits, so a digest proves
/// reproducibility across builds, machines and processes. The algorithm is fixed and documented in
/// `docs/SCENARIOS.md`, so other tools can compute it too.
public struct TrajectoryDigest: Sendable, Hashable {
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    public init() {}

    mutating func combine(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    public mutating func combine(_ x: UInt64) {
        var v = x
        for _ in 0..<8 {
            combine(byte: UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }

    public mutating func combine(_ x: Int64) { combine(UInt64(bitPattern: x)) }

    public mutating func combine(_ x: Float) {
        var v = x.bitPattern
        for _ in 0..<4 {
            combine(byte: UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }

    public mutating func combine(_ x: Double) { combine(x.bitPattern) }

    public mutating func combine(_ flag: Bool) { combine(byte: flag ? 1 : 0) }

    public mutating func combine(_ values: UnsafeBufferPointer<Float>) {
        for x in values { combine(x) }
    }

    /// The digest as 16 lowercase hex digits.
    public var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
