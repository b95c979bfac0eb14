/// A categorical distribution over the columns of each row of a logits matrix (a softmax policy),
/// with optional action masks.
///
/// Masks are flat `[Bool]` of `rows × columns` (an env's `actionMasks`), `true` for valid actions;
/// an empty mask means every action is valid. A masked action gets logit `-∞`: log-probability
/// `-∞`, probability 0, no gradient and no share of the entropy. Every row must keep at least one
/// valid action. The log-sum-exp subtracts the row's largest valid logit, so large logits do not
/// overflow.
public enum Categorical {
    /// `log softmax(logits)` row by row, masked entries `-∞`. A row whose mask forbids every action
    /// is taken as unmasked (its action is ignored by the env: an autoreset step).
    @inlinable
    public static func logSoftmax<Scalar: NeuralScalar>(_ logits: Matrix<Scalar>, mask: [Bool] = [], into result: inout Matrix<Scalar>) {
        precondition(result.rows == logits.rows && result.columns == logits.columns, "logSoftmax: shapes differ")
        precondition(mask.isEmpty || mask.count == logits.count, "logSoftmax: the mask needs one flag per logit")
        let n = logits.columns
        for r in 0..<logits.rows {
            let base = r * n
            // A row that masks every action (an env whose episode just ended on "nothing left to
            // do", whose next, autoreset step ignores the action) counts as unmasked.
            var masked = !mask.isEmpty
            if masked {
                masked = false
                for j in 0..<n where mask[base + j] { masked = true; break }
            }
            var top = -Scalar.infinity
            for j in 0..<n where !masked || mask[base + j] { top = max(top, logits.storage[base + j]) }
            precondition(top > -Scalar.infinity, "logSoftmax: row \(r) has no finite logit")
            var sum: Scalar = 0
            for j in 0..<n where !masked || mask[base + j] { sum += Scalar.exp(logits.storage[base + j] - top) }
            let logSum = top + Scalar.log(sum)
            for j in 0..<n {
                result.storage[base + j] = !masked || mask[base + j] ? logits.storage[base + j] - logSum : -Scalar.infinity
            }
        }
    }

    /// `softmax(logits)` row by row, masked entries 0.
    @inlinable
    public static func softmax<Scalar: NeuralScalar>(_ logits: Matrix<Scalar>, mask: [Bool] = [], into result: inout Matrix<Scalar>) {
        logSoftmax(logits, mask: mask, into: &result)
        for i in result.storage.indices { result.storage[i] = Scalar.exp(result.storage[i]) }
    }

    /// The backward pass of ``logSoftmax(_:mask:into:)``: from `gradient` (`∂L/∂log p`) writes
    /// `∂L/∂logits_i = g_i − p_i Σ_j g_j` (sums over valid actions; masked entries get 0), adding
    /// to `logitGradient` with `accumulating`.
    @inlinable
    public static func logSoftmaxBackward<Scalar: NeuralScalar>(
        logProbabilities: Matrix<Scalar>, gradient: Matrix<Scalar>, into logitGradient: inout Matrix<Scalar>, accumulating: Bool = false
    ) {
        precondition(gradient.rows == logProbabilities.rows && gradient.columns == logProbabilities.columns
                     && logitGradient.rows == logProbabilities.rows && logitGradient.columns == logProbabilities.columns,
                     "logSoftmaxBackward: shapes differ")
        let n = logProbabilities.columns
        for r in 0..<logProbabilities.rows {
            let base = r * n
            var total: Scalar = 0
            for j in 0..<n where logProbabilities.storage[base + j] > -Scalar.infinity { total += gradient.storage[base + j] }
            for j in 0..<n {
                let lp = logProbabilities.storage[base + j]
                let value = lp > -Scalar.infinity ? gradient.storage[base + j] - Scalar.exp(lp) * total : 0
                logitGradient.storage[base + j] = accumulating ? logitGradient.storage[base + j] + value : value
            }
        }
    }

    /// The entropy `H = −Σ p log p` of each row, from its log-probabilities (masked actions add 0).
    @inlinable
    public static func entropy<Scalar: NeuralScalar>(logProbabilities: Matrix<Scalar>, into entropies: inout [Scalar]) {
        precondition(entropies.count == logProbabilities.rows, "entropy: one value per row")
        let n = logProbabilities.columns
        for r in 0..<logProbabilities.rows {
            var h: Scalar = 0
            for j in 0..<n {
                let lp = logProbabilities.storage[r * n + j]
                if lp > -Scalar.infinity { h -= Scalar.exp(lp) * lp }
            }
            entropies[r] = h
        }
    }

    /// The backward pass of ``entropy(logProbabilities:into:)``: with `gradient[r] = ∂L/∂H_r`,
    /// `∂L/∂logits_i = −g·p_i(log p_i + H)` (0 for masked actions), added to `logitGradient` with
    /// `accumulating`.
    @inlinable
    public static func entropyBackward<Scalar: NeuralScalar>(
        logProbabilities: Matrix<Scalar>, entropies: [Scalar], gradient: [Scalar], into logitGradient: inout Matrix<Scalar>, accumulating: Bool = false
    ) {
        precondition(entropies.count == logProbabilities.rows && gradient.count == logProbabilities.rows
                     && logitGradient.rows == logProbabilities.rows && logitGradient.columns == logProbabilities.columns,
                     "entropyBackward: shapes differ")
        let n = logProbabilities.columns
        for r in 0..<logProbabilities.rows {
            for j in 0..<n {
                let i = r * n + j
                let lp = logProbabilities.storage[i]
                let value = lp > -Scalar.infinity ? -gradient[r] * Scalar.exp(lp) * (lp + entropies[r]) : 0
                logitGradient.storage[i] = accumulating ? logitGradient.storage[i] + value : value
            }
        }
    }
}
