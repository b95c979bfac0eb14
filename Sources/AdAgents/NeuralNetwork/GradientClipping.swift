/// Global gradient-norm clipping, as PyTorch's `clip_grad_norm_`: when the Euclidean norm of all
/// gradients together exceeds `maxNorm`, every gradient is scaled by `maxNorm / (norm + 1e-6)`.
public enum GradientClipping {
    /// `Σ g²` over one gradient array (accumulated in `Double`, so the norm of many arrays is
    /// `√(Σ squaredNorm)` regardless of how the parameters are split).
    @inlinable
    public static func squaredNorm<Scalar: NeuralScalar>(_ gradients: [Scalar]) -> Double {
        var sum = 0.0
        for g in gradients { sum += Double(g) * Double(g) }
        return sum
    }

    /// The factor that clips a total norm `norm` to `maxNorm`: `maxNorm / (norm + 1e-6)` when that
    /// is below 1, else 1 (no change).
    @inlinable
    public static func scale(forNorm norm: Double, maxNorm: Double) -> Double {
        let coefficient = maxNorm / (norm + 1e-6)
        return coefficient < 1 ? coefficient : 1
    }

    /// Clips one gradient array to global norm `maxNorm` and returns its norm before clipping.
    /// For several arrays, sum their ``squaredNorm(_:)``, take ``scale(forNorm:maxNorm:)`` and
    /// multiply each by it.
    @discardableResult
    @inlinable
    public static func clip<Scalar: NeuralScalar>(_ gradients: inout [Scalar], maxNorm: Double) -> Double {
        let norm = squaredNorm(gradients).squareRoot()
        let factor = scale(forNorm: norm, maxNorm: maxNorm)
        if factor < 1 {
            let s = Scalar(factor)
            for i in gradients.indices { gradients[i] *= s }
        }
        return norm
    }

    /// Clips three gradient arrays (an actor's, a critic's and a log-std's, say) together to global
    /// norm `maxNorm`, as one `clip_grad_norm_` over all their parameters, and returns the joint norm
    /// before clipping. Arrays may be empty.
    @discardableResult
    @inlinable
    public static func clip<Scalar: NeuralScalar>(
        _ first: inout [Scalar], _ second: inout [Scalar], _ third: inout [Scalar], maxNorm: Double
    ) -> Double {
        let norm = (squaredNorm(first) + squaredNorm(second) + squaredNorm(third)).squareRoot()
        let factor = scale(forNorm: norm, maxNorm: maxNorm)
        if factor < 1 {
            let s = Scalar(factor)
            for i in first.indices { first[i] *= s }
            for i in second.indices { second[i] *= s }
            for i in third.indices { third[i] *= s }
        }
        return norm
    }
}
