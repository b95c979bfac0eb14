#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Samplers for the distributions the simulator uses. Each consumes a documented, fixed number of
/// draws, so streams stay aligned across builds. They use only `+ - * /`, `log`, `exp`, `sqrt`,
/// `sin` and `cos` from the C library, which are deterministic for a given libm.
extension Xoshiro256 {
    /// A uniform `Double` in [0, 1) with 53 random bits. One draw.
    @inlinable
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform `Double` in (0, 1]: never zero, safe for `log`. One draw.
    @inlinable
    public mutating func uniformPositive() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
    }

    /// A uniform `Float` in [0, 1) with 24 random bits. One draw.
    @inlinable
    public mutating func uniformFloat() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// A uniform `Double` in [low, high). One draw.
    @inlinable
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * uniform()
    }

    /// An integer uniform in `0..<bound` without modulo bias (Lemire's method). `bound` must be
    /// positive. Usually one draw; rejection makes more draws very rare.
    @inlinable
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "below(_:) needs a positive bound")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// `true` with probability `p`. One draw. `p <= 0` is never, `p >= 1` always.
    @inlinable
    public mutating func bernoulli(_ p: Double) -> Bool {
        uniform() < p
    }

    /// A standard normal deviate by the Box–Muller transform. Two draws, one value: keeping no
    /// cached spare makes the generator state the only state.
    @inlinable
    public mutating func normal() -> Double {
        let u1 = uniformPositive()
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A normal deviate with the given mean and standard deviation. Two draws.
    @inlinable
    public mutating func normal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * normal()
    }

    /// A log-normal deviate `exp(N(mu, sigma²))`. Two draws.
    @inlinable
    public mutating func logNormal(mu: Double, sigma: Double) -> Double {
        exp(mu + sigma * normal())
    }

    /// An exponential deviate with the given mean. One draw.
    @inlinable
    public mutating func exponential(mean: Double) -> Double {
        -mean * log(uniformPositive())
    }

    /// A Poisson deviate. For `mean < 30` it multiplies uniforms (Knuth), about `mean + 1` draws;
    /// above, it uses the PTRS transformed-rejection method (Hörmann, 1993). `mean <= 0` gives 0.
    @inlinable
    public mutating func poisson(mean: Double) -> Int {
        if !(mean > 0) { return 0 }
        if mean < 30 {
            let limit = exp(-mean)
            var k = 0
            var product = uniform()
            while product > limit {
                k += 1
                product *= uniform()
            }
            return k
        }
        let slam = mean.squareRoot()
        let logLam = log(mean)
        let b = 0.931 + 2.53 * slam
        let a = -0.059 + 0.02483 * b
        let invAlpha = 1.1239 + 1.1328 / (b - 3.4)
        let vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = uniform() - 0.5
            let v = uniform()
            let us = 0.5 - abs(u)
            let k = (2 * a / us + b) * u + mean + 0.43
            if us >= 0.07 && v <= vr { return Int(k) }
            if k < 0 || (us < 0.013 && v > us) { continue }
            let kf = k.rounded(.down)
            if log(v) + log(invAlpha) - log(a / (us * us) + b)
                <= -mean + kf * logLam - lgamma(kf + 1) {
                return Int(kf)
            }
        }
    }

    /// A Gamma(shape, 1) deviate (Marsaglia–Tsang), used by Beta sampling. `shape` must be positive.
    @inlinable
    public mutating func gamma(shape: Double) -> Double {
        precondition(shape > 0, "gamma(shape:) needs a positive shape")
        if shape < 1 {
            let u = uniformPositive()
            return gamma(shape: shape + 1) * pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = uniformPositive()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A Beta(a, b) deviate from two Gamma deviates.
    @inlinable
    public mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(shape: a)
        let y = gamma(shape: b)
        return x / (x + y)
    }

    /// Shuffles `buffer` in place (Fisher–Yates), `count - 1` calls to ``below(_:)``.
    @inlinable
    public mutating func shuffle<T>(_ buffer: inout [T]) {
        var i = buffer.count - 1
        while i > 0 {
            let j = below(i + 1)
            buffer.swapAt(i, j)
            i -= 1
        }
    }
}
