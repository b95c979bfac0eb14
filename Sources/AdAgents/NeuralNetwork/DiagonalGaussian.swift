import AdEnv

/// A Gaussian policy with a diagonal covariance for continuous actions (PPO's bid multipliers):
/// the mean comes from the network (one row per sample), the log standard deviations are a
/// state-independent parameter vector (one per action dimension), as in CleanRL's continuous PPO.
public enum DiagonalGaussian {
    /// `½ log(2π)`.
    @inlinable
    static func halfLogTwoPi<Scalar: NeuralScalar>() -> Scalar { Scalar(0.91893853320467274178) }

    /// `log N(x; μ, σ²)` summed over dimensions, per row:
    /// `Σ_d −(x_d − μ_d)²/(2σ_d²) − log σ_d − ½ log 2π`.
    @inlinable
    public static func logProbability<Scalar: NeuralScalar>(
        actions: Matrix<Scalar>, mean: Matrix<Scalar>, logStd: [Scalar], into result: inout [Scalar]
    ) {
        precondition(actions.rows == mean.rows && actions.columns == mean.columns && logStd.count == mean.columns && result.count == mean.rows,
                     "Gaussian log-probability: shapes differ")
        let n = mean.columns
        for r in 0..<mean.rows {
            var sum: Scalar = 0
            for d in 0..<n {
                let z = (actions.storage[r * n + d] - mean.storage[r * n + d]) * Scalar.exp(-logStd[d])
                sum += -z * z / 2 - logStd[d] - halfLogTwoPi()
            }
            result[r] = sum
        }
    }

    /// The backward pass of ``logProbability(actions:mean:logStd:into:)``: with
    /// `gradient[r] = ∂L/∂log p_r`, writes `∂L/∂μ = g(x − μ)/σ²` into `meanGradient` and adds
    /// `Σ_r g((x − μ)²/σ² − 1)` to `logStdGradient` (the log-std is shared by every row).
    @inlinable
    public static func logProbabilityBackward<Scalar: NeuralScalar>(
        actions: Matrix<Scalar>, mean: Matrix<Scalar>, logStd: [Scalar], gradient: [Scalar],
        meanGradient: inout Matrix<Scalar>, logStdGradient: inout [Scalar], accumulating: Bool = false
    ) {
        precondition(actions.rows == mean.rows && actions.columns == mean.columns && logStd.count == mean.columns
                     && gradient.count == mean.rows && meanGradient.rows == mean.rows && meanGradient.columns == mean.columns
                     && logStdGradient.count == mean.columns, "Gaussian log-probability backward: shapes differ")
        let n = mean.columns
        for r in 0..<mean.rows {
            for d in 0..<n {
                let i = r * n + d
                let inverseVariance = Scalar.exp(-2 * logStd[d])
                let diff = actions.storage[i] - mean.storage[i]
                let value = gradient[r] * diff * inverseVariance
                meanGradient.storage[i] = accumulating ? meanGradient.storage[i] + value : value
                logStdGradient[d] += gradient[r] * (diff * diff * inverseVariance - 1)
            }
        }
    }

    /// The entropy of the distribution, the same for every row: `Σ_d log σ_d + ½(1 + log 2π)`.
    /// Its gradient with respect to each `log σ_d` is 1.
    @inlinable
    public static func entropy<Scalar: NeuralScalar>(logStd: [Scalar]) -> Scalar {
        var h: Scalar = 0
        for s in logStd { h += s + Scalar(0.5) + halfLogTwoPi() }
        return h
    }

    /// A sample `μ + σ·ε` per element, with `ε` standard normal from `rng` (two draws each, row by row).
    @inlinable
    public static func sample<Scalar: NeuralScalar>(mean: Matrix<Scalar>, logStd: [Scalar], into actions: inout Matrix<Scalar>, using rng: inout Xoshiro256) {
        precondition(actions.rows == mean.rows && actions.columns == mean.columns && logStd.count == mean.columns, "Gaussian sample: shapes differ")
        let n = mean.columns
        for i in 0..<mean.count {
            actions.storage[i] = mean.storage[i] + Scalar.exp(logStd[i % n]) * Scalar(rng.normal())
        }
    }
}
