/// The element-wise nonlinearity between the layers of an ``MLP``: the ReLU and Tanh layers.
///
/// Both backward passes need only the layer's *output* `y`, which the forward pass keeps:
/// `ReLU'(x) = 1 when y > 0, else 0` (0 at the kink, as PyTorch), `tanh'(x) = 1 − y²`.
public enum Activation: String, Sendable, CaseIterable {
    /// `max(x, 0)`.
    case relu
    /// `tanh(x)`.
    case tanh

    /// Applies the function to every element of `values`, in place.
    @inlinable
    public func forward<Scalar: NeuralScalar>(_ values: inout Matrix<Scalar>) {
        values.storage.withUnsafeMutableBufferPointer { apply(to: $0) }
    }

    /// Multiplies `gradient` (the loss gradient with respect to the outputs) by the derivative at
    /// each element, given the forward pass's `output`; the result is the gradient with respect to
    /// the inputs.
    @inlinable
    public func backward<Scalar: NeuralScalar>(output: Matrix<Scalar>, gradient: inout Matrix<Scalar>) {
        precondition(output.rows == gradient.rows && output.columns == gradient.columns, "activation backward: shapes differ")
        output.storage.withUnsafeBufferPointer { y in
            gradient.storage.withUnsafeMutableBufferPointer { multiplyByDerivative(output: y, $0) }
        }
    }

    @inlinable
    func apply<Scalar: NeuralScalar>(to x: UnsafeMutableBufferPointer<Scalar>) {
        switch self {
        case .relu:
            for i in x.indices where !(x[i] > 0) { x[i] = 0 }
        case .tanh:
            // Float (training) takes the vectorised FastTanh; Double (the gradient checks) libm's.
            if Scalar.self == Float.self {
                FastTanh.apply(to: UnsafeMutableBufferPointer(start: UnsafeMutableRawPointer(x.baseAddress)?.assumingMemoryBound(to: Float.self), count: x.count))
            } else {
                for i in x.indices { x[i] = Scalar.tanh(x[i]) }
            }
        }
    }

    @inlinable
    func multiplyByDerivative<Scalar: NeuralScalar>(output y: UnsafeBufferPointer<Scalar>, _ g: UnsafeMutableBufferPointer<Scalar>) {
        switch self {
        case .relu:
            for i in g.indices where !(y[i] > 0) { g[i] = 0 }
        case .tanh:
            for i in g.indices { g[i] = g[i] * (1 - y[i] * y[i]) }
        }
    }
}
