/// Per-arm ridge regressions of reward on a `d`-dimensional context — the model of LinUCB and LinTS
/// ("disjoint": no parameters shared between arms).
///
/// For each arm `k`: `A_k = λI + Σ x xᵀ` over the contexts it was pulled in, `b_k = Σ r x`, and the
/// estimate `θ_k = A_k⁻¹ b_k`. `A_k⁻¹` is kept directly and updated by the Sherman–Morrison formula
/// `A⁻¹ ← A⁻¹ − (A⁻¹x)(A⁻¹x)ᵀ / (1 + xᵀA⁻¹x)`, so an update costs `O(d²)` and never inverts or
/// allocates. Storage is flat, row-major, `Double` (the rank-one downdates accumulate rounding; in
/// `Double` it stays far below the estimates' noise over millions of updates).
public struct DisjointRidge: Sendable, Equatable {
    /// The number of arms `K`.
    public let arms: Int
    /// The context dimension `d`.
    public let dimension: Int
    /// `A_k⁻¹` for every arm, `K × d × d`.
    public internal(set) var inverses: [Double]
    /// `b_k` for every arm, `K × d`.
    public internal(set) var targets: [Double]
    /// `θ_k = A_k⁻¹ b_k` for every arm, `K × d`.
    public internal(set) var estimates: [Double]
    /// Scratch for `A⁻¹x`.
    private var scratch: [Double]

    /// `K` arms with `A_k = λI`, `b_k = 0`.
    public init(arms: Int, dimension d: Int, ridge lambda: Double) {
        self.arms = arms
        dimension = d
        inverses = Array(repeating: 0, count: arms * d * d)
        for k in 0..<arms {
            for j in 0..<d { inverses[k * d * d + j * d + j] = 1 / lambda }
        }
        targets = Array(repeating: 0, count: arms * d)
        estimates = targets
        scratch = Array(repeating: 0, count: d)
    }

    /// `θ_k · x`.
    @inline(__always)
    public func mean(arm k: Int, context x: UnsafeBufferPointer<Double>) -> Double {
        estimates.withUnsafeBufferPointer { theta in
            var s = 0.0
            let base = k &* dimension
            for j in 0..<dimension { s += theta[base &+ j] * x[j] }
            return s
        }
    }

    /// `xᵀ A_k⁻¹ x`, the squared width of the arm's confidence ellipsoid along `x`.
    @inline(__always)
    public func variance(arm k: Int, context x: UnsafeBufferPointer<Double>) -> Double {
        inverses.withUnsafeBufferPointer { a in
            let d = dimension, base = k &* d &* d
            var s = 0.0
            for r in 0..<d {
                var row = 0.0
                let rowBase = base &+ r &* d
                for c in 0..<d { row += a[rowBase &+ c] * x[c] }
                s += x[r] * row
            }
            return s
        }
    }

    /// Adds the observation `(x, r)` to arm `k`: the Sherman–Morrison update of `A_k⁻¹`, then
    /// `b_k += r x` and `θ_k = A_k⁻¹ b_k`.
    public mutating func update(arm k: Int, context x: UnsafeBufferPointer<Double>, reward r: Double) {
        let d = dimension
        inverses.withUnsafeMutableBufferPointer { a in
        targets.withUnsafeMutableBufferPointer { b in
        estimates.withUnsafeMutableBufferPointer { theta in
        scratch.withUnsafeMutableBufferPointer { u in
            let m = k &* d &* d, v = k &* d
            // u = A⁻¹x (A⁻¹ is symmetric), and xᵀA⁻¹x.
            var quadratic = 0.0
            for r in 0..<d {
                var s = 0.0
                for c in 0..<d { s += a[m &+ r &* d &+ c] * x[c] }
                u[r] = s
                quadratic += x[r] * s
            }
            let scale = 1 / (1 + quadratic)
            for r in 0..<d {
                let ur = u[r] * scale
                for c in 0..<d { a[m &+ r &* d &+ c] -= ur * u[c] }
            }
            for j in 0..<d { b[v &+ j] += r * x[j] }
            for r in 0..<d {
                var s = 0.0
                for c in 0..<d { s += a[m &+ r &* d &+ c] * b[v &+ c] }
                theta[v &+ r] = s
            }
        }}}}
    }

    /// Restores a saved model of the same shape.
    public mutating func restore(inverses: [Double], targets: [Double]) {
        self.inverses = inverses
        self.targets = targets
        let d = dimension
        for k in 0..<arms {
            for r in 0..<d {
                var s = 0.0
                for c in 0..<d { s += inverses[k * d * d + r * d + c] * targets[k * d + c] }
                estimates[k * d + r] = s
            }
        }
    }
}
