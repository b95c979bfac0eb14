#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Adam optimiser (Kingma & Ba), as PyTorch's `torch.optim.Adam` without weight decay:
///
///     m ← β1·m + (1 − β1)·g        v ← β2·v + (1 − β2)·g²
///     θ ← θ − lr · (m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε)
///
/// It is element-wise with one shared step count, so one `Adam` per parameter array (an actor, a
/// critic, a log-std vector), all stepped together, equals one Adam over their concatenation.
public struct Adam<Scalar: NeuralScalar>: Sendable, Equatable {
    public var learningRate: Scalar
    public let beta1: Scalar
    public let beta2: Scalar
    /// Added to the denominator: PyTorch's default 1e-8; CleanRL's PPO uses 1e-5.
    public let epsilon: Scalar
    @usableFromInline var m: [Scalar]
    @usableFromInline var v: [Scalar]
    @usableFromInline var t = 0

    /// The first moment estimates, one per parameter.
    public var firstMoment: [Scalar] { m }
    /// The second moment estimates, one per parameter.
    public var secondMoment: [Scalar] { v }
    /// Updates taken so far (`t`).
    public var step: Int { t }

    /// An optimiser for `parameterCount` parameters, its moments zero.
    public init(parameterCount: Int, learningRate: Scalar, beta1: Scalar = 0.9, beta2: Scalar = 0.999, epsilon: Scalar = 1e-8) {
        precondition(learningRate >= 0 && (0..<1).contains(beta1) && (0..<1).contains(beta2) && epsilon >= 0, "Adam: invalid settings")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        m = Array(repeating: 0, count: parameterCount)
        v = Array(repeating: 0, count: parameterCount)
    }

    /// One update of `parameters` along `gradients` (the same count as the optimiser's).
    @inlinable
    public mutating func update(_ parameters: inout [Scalar], gradients: [Scalar]) {
        precondition(parameters.count == m.count && gradients.count == m.count, "Adam: parameter count differs")
        t += 1
        let step = t
        let b1 = beta1, b2 = beta2, eps = epsilon
        let correction1 = 1 - pow(Double(b1), Double(step)), correction2 = 1 - pow(Double(b2), Double(step))
        let stepSize = learningRate / Scalar(correction1)
        let rootCorrection2 = Scalar(correction2.squareRoot())
        m.withUnsafeMutableBufferPointer { m in
            v.withUnsafeMutableBufferPointer { v in
                parameters.withUnsafeMutableBufferPointer { p in
                    gradients.withUnsafeBufferPointer { g in
                        // Eight at a time, then one at a time: the same IEEE operations either
                        // way (square root and division are correctly rounded), so the result
                        // does not depend on where an element falls.
                        let n = p.count, wide = n & ~7
                        let pm = m.baseAddress!, pv = v.baseAddress!, pp = p.baseAddress!, pg = g.baseAddress!
                        var i = 0
                        while i < wide {
                            let gi = Kernels.load(pg + i)
                            let mi = SIMD8(repeating: b1) * Kernels.load(pm + i) + SIMD8(repeating: 1 - b1) * gi
                            let vi = SIMD8(repeating: b2) * Kernels.load(pv + i) + SIMD8(repeating: 1 - b2) * gi * gi
                            Kernels.store(mi, pm + i)
                            Kernels.store(vi, pv + i)
                            let denominator = vi.squareRoot() / SIMD8(repeating: rootCorrection2) + SIMD8(repeating: eps)
                            Kernels.store(Kernels.load(pp + i) - SIMD8(repeating: stepSize) * mi / denominator, pp + i)
                            i += 8
                        }
                        while i < n {
                            let gi = pg[i]
                            pm[i] = b1 * pm[i] + (1 - b1) * gi
                            pv[i] = b2 * pv[i] + (1 - b2) * gi * gi
                            pp[i] -= stepSize * pm[i] / (pv[i].squareRoot() / rootCorrection2 + eps)
                            i += 1
                        }
                    }
                }
            }
        }
    }
}
