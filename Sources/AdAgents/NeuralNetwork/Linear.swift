/// A fully connected layer `y = x·W + b`, as a view into its network's flat parameter array:
/// the weights `W` (`inputs × outputs`, row-major) start at ``weightOffset``, the bias `b`
/// (`outputs`) follows them. The gradients array has the same layout.
///
/// `W` is the transpose of PyTorch's `weight` (`outputs × inputs`), so the forward pass is
/// `A·B` and the backward passes are `Aᵀ·B` (weights) and `A·Bᵀ` (inputs), each vectorised along
/// contiguous rows.
public struct Linear: Sendable, Equatable {
    public let inputs: Int
    public let outputs: Int
    /// Where the weights start in the parameter array.
    public let weightOffset: Int

    public init(inputs: Int, outputs: Int, weightOffset: Int) {
        precondition(inputs > 0 && outputs > 0, "a linear layer needs at least one input and one output")
        self.inputs = inputs
        self.outputs = outputs
        self.weightOffset = weightOffset
    }

    /// Where the bias starts in the parameter array.
    public var biasOffset: Int { weightOffset + inputs * outputs }
    /// The number of parameters, weights and bias.
    public var parameterCount: Int { (inputs + 1) * outputs }

    /// `output = input·W + b` for every row of `input` (`batch × inputs`) into `output`
    /// (`batch × outputs`).
    @inlinable
    public func forward<Scalar: NeuralScalar>(parameters: UnsafePointer<Scalar>, input: Matrix<Scalar>, output: inout Matrix<Scalar>) {
        precondition(input.columns == inputs && output.columns == outputs && output.rows == input.rows, "linear forward: shapes do not agree")
        if input.rows == 0 { return }
        let bias = parameters + biasOffset
        input.storage.withUnsafeBufferPointer { x in
            output.storage.withUnsafeMutableBufferPointer { y in
                for r in 0..<input.rows {
                    (y.baseAddress! + r * outputs).update(from: bias, count: outputs)
                }
                Kernels.multiply(x.baseAddress!, rowStride: inputs, innerStride: 1, parameters + weightOffset, y.baseAddress!,
                                 m: input.rows, k: inputs, n: outputs, accumulating: true)
            }
        }
    }

    /// The backward pass for a batch: from `outputGradient` (`∂L/∂y`, `batch × outputs`) and the
    /// forward pass's `input`, writes `∂L/∂W = xᵀ·∂L/∂y` and `∂L/∂b = Σ_rows ∂L/∂y` into
    /// `gradients` (or adds them, with `accumulating`), and `∂L/∂x = ∂L/∂y·Wᵀ` into
    /// `inputGradient` (`batch × inputs`, row-major) when one is given.
    @inlinable
    public func backward<Scalar: NeuralScalar>(
        parameters: UnsafePointer<Scalar>, input: Matrix<Scalar>, outputGradient: Matrix<Scalar>,
        gradients: UnsafeMutablePointer<Scalar>, inputGradient: UnsafeMutablePointer<Scalar>?, accumulating: Bool
    ) {
        precondition(input.columns == inputs && outputGradient.columns == outputs && outputGradient.rows == input.rows, "linear backward: shapes do not agree")
        let batch = input.rows
        let weightGradient = gradients + weightOffset, biasGradient = gradients + biasOffset
        if batch == 0 {
            if !accumulating { gradients.advanced(by: weightOffset).update(repeating: 0, count: parameterCount) }
            return
        }
        input.storage.withUnsafeBufferPointer { x in
            outputGradient.storage.withUnsafeBufferPointer { dy in
                Kernels.multiply(x.baseAddress!, rowStride: 1, innerStride: inputs, dy.baseAddress!, weightGradient,
                                 m: inputs, k: batch, n: outputs, accumulating: accumulating)
                if !accumulating { biasGradient.update(repeating: 0, count: outputs) }
                for r in 0..<batch {
                    let row = dy.baseAddress! + r * outputs
                    for j in 0..<outputs { biasGradient[j] += row[j] }
                }
                if let inputGradient {
                    Kernels.multiplyTransposingB(dy.baseAddress!, parameters + weightOffset, inputGradient,
                                                 m: batch, k: outputs, n: inputs, accumulating: false)
                }
            }
        }
    }
}
