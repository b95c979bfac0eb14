/// Regression losses, averaged over their `n` elements, each returning the loss and writing
/// `∂loss/∂prediction` into a preallocated `gradient` (same count as the predictions).
public enum Loss {
    /// `mean((p − t)²)`, PyTorch's `mse_loss`; the gradient is `2(p − t)/n`. Empty input gives 0.
    @inlinable
    public static func meanSquaredError<Scalar: NeuralScalar>(predictions: [Scalar], targets: [Scalar], gradient: inout [Scalar]) -> Scalar {
        precondition(predictions.count == targets.count && gradient.count == predictions.count, "loss: counts differ")
        let n = predictions.count
        if n == 0 { return 0 }
        let scale = 1 / Scalar(n)
        var sum: Scalar = 0
        for i in 0..<n {
            let d = predictions[i] - targets[i]
            sum += d * d
            gradient[i] = 2 * d * scale
        }
        return sum * scale
    }

    /// The Huber loss with `δ = delta` (PyTorch's `huber_loss`, equal to `smooth_l1_loss` at
    /// δ = 1), averaged: `½d²` where `|d| < δ`, else `δ(|d| − ½δ)`, with `d = p − t`. The gradient is
    /// `d/n` inside and `δ·sign(d)/n` outside, so large TD errors move the network by a bounded step.
    @inlinable
    public static func huber<Scalar: NeuralScalar>(predictions: [Scalar], targets: [Scalar], gradient: inout [Scalar], delta: Scalar = 1) -> Scalar {
        precondition(predictions.count == targets.count && gradient.count == predictions.count, "loss: counts differ")
        precondition(delta > 0, "the Huber loss needs a positive delta")
        let n = predictions.count
        if n == 0 { return 0 }
        let scale = 1 / Scalar(n)
        var sum: Scalar = 0
        for i in 0..<n {
            let d = predictions[i] - targets[i]
            if abs(d) < delta {
                sum += d * d / 2
                gradient[i] = d * scale
            } else {
                sum += delta * (abs(d) - delta / 2)
                gradient[i] = (d > 0 ? delta : -delta) * scale
            }
        }
        return sum * scale
    }
}
