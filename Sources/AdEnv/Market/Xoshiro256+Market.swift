#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Xoshiro256 {
    /// Two independent standard normal deviates from one Box–Muller transform (its cosine and sine
    /// branches). Two draws. The market uses it to halve the cost of rival bids and user vectors.
    @inline(__always)
    public mutating func normalPair() -> (Double, Double) {
        let u1 = uniformPositive()
        let u2 = uniform()
        let r = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        return (r * cos(angle), r * sin(angle))
    }

    /// Fills `out` with standard normal deviates, `2 · ⌈n/2⌉` draws for `n` values.
    @inline(__always)
    public mutating func fillNormals(_ out: UnsafeMutableBufferPointer<Double>) {
        var i = 0
        while i < out.count {
            let (a, b) = normalPair()
            out[i] = a
            if i + 1 < out.count { out[i + 1] = b }
            i += 2
        }
    }
}
