/// The integers `start ..< start + n`, Gymnasium's `Discrete(n, start)`. Its dtype is int64.
public struct Discrete: Sendable, Hashable {
    public let n: Int
    public let start: Int

    /// - Precondition: `n > 0`.
    public init(_ n: Int, start: Int = 0) {
        precondition(n > 0, "Discrete needs n > 0")
        self.n = n
        self.start = start
    }

    public func contains(_ x: Int) -> Bool { x >= start && x < start + n }

    /// A uniform element; one call to ``Xoshiro256/below(_:)``.
    public func sample(using rng: inout Xoshiro256) -> Int { start + rng.below(n) }

    /// A uniform element among those whose `mask` entry is true. With no allowed element it returns
    /// `start`, as Gymnasium does. `mask.count` must be `n`.
    public func sample(using rng: inout Xoshiro256, mask: UnsafeBufferPointer<Bool>) -> Int {
        precondition(mask.count == n, "mask has \(mask.count) entries for Discrete(\(n))")
        var allowed = 0
        for m in mask where m { allowed += 1 }
        if allowed == 0 { return start }
        var k = rng.below(allowed)
        for i in 0..<n where mask[i] {
            if k == 0 { return start + i }
            k -= 1
        }
        return start
    }
}
