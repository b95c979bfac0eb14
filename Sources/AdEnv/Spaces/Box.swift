/// A box in R^shape with per-element bounds, Gymnasium's `Box(low, high, shape, float32)`.
///
/// Bounds may be infinite. Sampling follows Gymnasium: uniform on bounded dimensions, a shifted
/// exponential on half-bounded ones, and a standard normal on unbounded ones.
public struct Box: Sendable, Hashable {
    public let low: [Float]
    public let high: [Float]
    public let shape: [Int]

    /// - Precondition: `low` and `high` have `shape.reduce(1, *)` elements and `low <= high`.
    public init(low: [Float], high: [Float], shape: [Int]? = nil) {
        let shape = shape ?? [low.count]
        let count = shape.reduce(1, *)
        precondition(low.count == count && high.count == count, "Box bounds do not match shape \(shape)")
        precondition(zip(low, high).allSatisfy { $0 <= $1 }, "Box needs low <= high")
        self.low = low
        self.high = high
        self.shape = shape
    }

    /// The same bounds for every element.
    public init(low: Float, high: Float, shape: [Int]) {
        let count = shape.reduce(1, *)
        self.init(low: Array(repeating: low, count: count), high: Array(repeating: high, count: count), shape: shape)
    }

    /// The number of scalars in an element.
    public var count: Int { low.count }

    /// Whether `x` has the right size, is free of NaN and lies within the bounds.
    public func contains(_ x: some Collection<Float>) -> Bool {
        guard x.count == count else { return false }
        for (i, v) in x.enumerated() where !(v >= low[i] && v <= high[i]) { return false }
        return true
    }

    public func sample(using rng: inout Xoshiro256) -> [Float] {
        (0..<count).map { i in
            let lo = Double(low[i]), hi = Double(high[i])
            switch (lo.isFinite, hi.isFinite) {
            case (true, true): return Float(rng.uniform(lo, hi)).clamped(low[i], high[i])
            case (true, false): return Float(lo + rng.exponential(mean: 1))
            case (false, true): return Float(hi - rng.exponential(mean: 1))
            case (false, false): return Float(rng.normal())
            }
        }
    }
}

extension Float {
    @inlinable
    func clamped(_ lo: Float, _ hi: Float) -> Float { Swift.min(Swift.max(self, lo), hi) }
}
