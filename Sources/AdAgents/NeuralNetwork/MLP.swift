import AdEnv

/// A multilayer perceptron: ``Linear`` layers with an ``Activation`` after every layer but the
/// last (the output is linear: Q-values, logits, a Gaussian mean or a value).
///
/// - Parameters live in one flat array, ``parameters``, layer after layer (weights then bias), and
///   their gradients in ``gradients`` with the same layout, so the optimiser, gradient clipping,
///   target-network copies and checkpoints each handle one contiguous array.
/// - Forward and backward passes run in a ``Workspace`` made once per batch size
///   (``makeWorkspace(batchSize:)``), which caches every layer's output for the backward pass; a
///   training step allocates nothing.
/// - Generic over the scalar so that the finite-difference checks run this same code in `Double`.
public struct MLP<Scalar: NeuralScalar>: Sendable, Equatable {
    /// The layer widths, input first: `[6, 120, 84, 2]` is 6 inputs, two hidden layers, 2 outputs.
    public let sizes: [Int]
    public let activation: Activation
    public let layers: [Linear]
    public var parameters: [Scalar]
    /// `∂L/∂parameters` from the last ``backward(in:accumulating:inputGradient:)``.
    public var gradients: [Scalar]

    /// A network with layer widths `sizes` (at least an input and an output width, all positive).
    /// Hidden layers are drawn with `initialization`, the output layer with `outputInitialization`
    /// (default: the same), layer by layer from `rng`.
    public init(
        sizes: [Int], activation: Activation, initialization: LayerInitialization = .uniform,
        outputInitialization: LayerInitialization? = nil, using rng: inout Xoshiro256
    ) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 > 0 }, "an MLP needs an input and an output width, all positive")
        self.sizes = sizes
        self.activation = activation
        var layers: [Linear] = []
        var offset = 0
        for l in 0..<(sizes.count - 1) {
            layers.append(Linear(inputs: sizes[l], outputs: sizes[l + 1], weightOffset: offset))
            offset += layers[l].parameterCount
        }
        self.layers = layers
        var parameters = [Scalar](repeating: 0, count: offset)
        for (l, layer) in layers.enumerated() {
            let scheme = l == layers.count - 1 ? (outputInitialization ?? initialization) : initialization
            let (weights, bias) = scheme.draw(inputs: layer.inputs, outputs: layer.outputs, using: &rng)
            for (i, w) in weights.enumerated() { parameters[layer.weightOffset + i] = Scalar(w) }
            for (j, b) in bias.enumerated() { parameters[layer.biasOffset + j] = Scalar(b) }
        }
        self.parameters = parameters
        gradients = Array(repeating: 0, count: offset)
    }

    public var inputCount: Int { sizes[0] }
    public var outputCount: Int { sizes[sizes.count - 1] }
    public var parameterCount: Int { parameters.count }

    /// Buffers for passes over batches of `batchSize` rows.
    public func makeWorkspace(batchSize: Int) -> Workspace {
        Workspace(sizes: sizes, batchSize: batchSize)
    }

    /// The forward pass over `workspace.input`; the result is `workspace.output`
    /// (`batchSize × outputCount`). Every layer's output stays in the workspace for ``backward``.
    @inlinable
    public func forward(in workspace: inout Workspace) {
        precondition(workspace.sizes == sizes, "the workspace was made for another network")
        parameters.withUnsafeBufferPointer { p in
            for l in layers.indices {
                let x = l == 0 ? workspace.input : workspace.outputs[l - 1]
                layers[l].forward(parameters: p.baseAddress!, input: x, output: &workspace.outputs[l])
                if l < layers.count - 1 { activation.forward(&workspace.outputs[l]) }
            }
        }
    }

    /// The backward pass for the last ``forward(in:)`` in `workspace`, from
    /// `workspace.outputGradient` (`∂L/∂output`): writes `∂L/∂parameters` into ``gradients`` (or
    /// adds to them, with `accumulating`), and `∂L/∂input` into `workspace.inputGradient` when
    /// `inputGradient` is true (the first layer's input gradient is skipped otherwise).
    @inlinable
    public mutating func backward(in workspace: inout Workspace, accumulating: Bool = false, inputGradient: Bool = false) {
        precondition(workspace.sizes == sizes, "the workspace was made for another network")
        let layers = self.layers, activation = self.activation, last = layers.count - 1
        parameters.withUnsafeBufferPointer { p in
            gradients.withUnsafeMutableBufferPointer { g in
                for l in stride(from: last, through: 0, by: -1) {
                    // ∂L/∂(layer l's linear output): the output gradient for the last layer, else
                    // deltas[l], already multiplied by the activation's derivative.
                    let dy = l == last ? workspace.outputGradient : workspace.deltas[l]
                    if l > 0 {
                        let x = workspace.outputs[l - 1]
                        workspace.deltas[l - 1].storage.withUnsafeMutableBufferPointer { dx in
                            layers[l].backward(parameters: p.baseAddress!, input: x, outputGradient: dy,
                                               gradients: g.baseAddress!, inputGradient: dx.baseAddress, accumulating: accumulating)
                        }
                        activation.backward(output: x, gradient: &workspace.deltas[l - 1])
                    } else {
                        let x = workspace.input
                        if inputGradient {
                            workspace.inputGradientStorage.storage.withUnsafeMutableBufferPointer { dx in
                                layers[0].backward(parameters: p.baseAddress!, input: x, outputGradient: dy,
                                                   gradients: g.baseAddress!, inputGradient: dx.baseAddress, accumulating: accumulating)
                            }
                        } else {
                            layers[0].backward(parameters: p.baseAddress!, input: x, outputGradient: dy,
                                               gradients: g.baseAddress!, inputGradient: nil, accumulating: accumulating)
                        }
                    }
                }
            }
        }
    }

    /// Takes `other`'s parameters (a DQN target network's hard update). The shapes must match.
    @inlinable
    public mutating func copyParameters(from other: MLP) {
        precondition(other.sizes == sizes, "copyParameters: the networks differ in shape")
        parameters.withUnsafeMutableBufferPointer { mine in
            other.parameters.withUnsafeBufferPointer { mine.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
        }
    }

    /// The weights of layer `l` as an `inputs × outputs` matrix (a copy).
    public func weights(of l: Int) -> Matrix<Scalar> {
        let layer = layers[l]
        return Matrix(rows: layer.inputs, columns: layer.outputs, storage: Array(parameters[layer.weightOffset..<layer.biasOffset]))
    }
}
