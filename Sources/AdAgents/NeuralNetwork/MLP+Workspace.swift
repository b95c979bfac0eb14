extension MLP {
    /// The buffers of forward and backward passes over batches of a fixed size: the input, every
    /// layer's output (after its activation), the gradients flowing back, made once and reused.
    public struct Workspace: Sendable {
        /// The widths of the network it serves.
        public let sizes: [Int]
        public let batchSize: Int
        /// The batch to run forward: `batchSize × sizes[0]`. Write rows here before ``MLP/forward(in:)``.
        public var input: Matrix<Scalar>
        /// `outputs[l]`: layer `l`'s output (`batchSize × sizes[l + 1]`), after its activation.
        @usableFromInline var outputs: [Matrix<Scalar>]
        /// `deltas[l]`: the loss gradient with respect to layer `l`'s linear output, for hidden layers.
        @usableFromInline var deltas: [Matrix<Scalar>]
        /// `∂L/∂output`, `batchSize × sizes.last`: write it before ``MLP/backward(in:accumulating:inputGradient:)``.
        public var outputGradient: Matrix<Scalar>
        /// `∂L/∂input`, `batchSize × sizes[0]`, written by a backward pass that asks for it.
        public var inputGradient: Matrix<Scalar> { inputGradientStorage }
        @usableFromInline var inputGradientStorage: Matrix<Scalar>

        init(sizes: [Int], batchSize: Int) {
            precondition(batchSize >= 0, "a batch size cannot be negative")
            self.sizes = sizes
            self.batchSize = batchSize
            input = Matrix(rows: batchSize, columns: sizes[0])
            outputs = sizes.dropFirst().map { Matrix(rows: batchSize, columns: $0) }
            deltas = sizes.dropFirst().dropLast().map { Matrix(rows: batchSize, columns: $0) }
            outputGradient = Matrix(rows: batchSize, columns: sizes[sizes.count - 1])
            inputGradientStorage = Matrix(rows: batchSize, columns: sizes[0])
        }

        /// The network's output of the last forward pass: `batchSize × sizes.last`.
        public var output: Matrix<Scalar> { outputs[outputs.count - 1] }

        /// Every layer's output of the last forward pass, after its activation: `layerOutputs[l]`
        /// is `batchSize × sizes[l + 1]`.
        public var layerOutputs: [Matrix<Scalar>] { outputs }
    }
}
