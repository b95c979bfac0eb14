import AdEnv

/// How a ``Linear`` layer's weights and bias are drawn when a network is built. All draws come
/// from the `Xoshiro256` passed to the network, weights first (row by row of the `inputs × outputs`
/// weight matrix), then the bias.
public enum LayerInitialization: Sendable, Equatable {
    /// PyTorch's default for `nn.Linear` (Kaiming-uniform with `a = √5`): weights and bias
    /// uniform in `±1/√inputs`. CleanRL's DQN uses it.
    case uniform
    /// He/Kaiming normal for ReLU networks: weights `N(0, 2/inputs)`, bias 0.
    case kaiming
    /// An orthogonal weight matrix times `gain`, bias 0 (CleanRL's `layer_init` for PPO: gain √2 for
    /// hidden layers, 0.01 for the policy head, 1 for the value head). Columns are orthonormal when
    /// `inputs ≥ outputs` (`WᵀW = gain²·I`), rows otherwise (`WWᵀ = gain²·I`).
    case orthogonal(gain: Double)

    /// Draws `inputs × outputs` weights (row-major) and `outputs` biases.
    public func draw(inputs: Int, outputs: Int, using rng: inout Xoshiro256) -> (weights: [Double], bias: [Double]) {
        switch self {
        case .uniform:
            let bound = 1 / Double(inputs).squareRoot()
            let weights = (0..<(inputs * outputs)).map { _ in rng.uniform(-bound, bound) }
            let bias = (0..<outputs).map { _ in rng.uniform(-bound, bound) }
            return (weights, bias)
        case .kaiming:
            let std = (2 / Double(inputs)).squareRoot()
            return ((0..<(inputs * outputs)).map { _ in std * rng.normal() }, Array(repeating: 0, count: outputs))
        case .orthogonal(let gain):
            return (Self.orthogonal(rows: inputs, columns: outputs, gain: gain, using: &rng), Array(repeating: 0, count: outputs))
        }
    }

    /// A `rows × columns` matrix (row-major) with orthonormal columns (when `rows ≥ columns`) or
    /// rows (otherwise), times `gain`: the Q factor of a QR decomposition of a standard Gaussian
    /// matrix, by modified Gram–Schmidt with one re-orthogonalisation pass (so the columns are
    /// orthogonal to rounding). Taking `R`'s diagonal positive, as Gram–Schmidt does, makes Q
    /// uniformly (Haar) distributed. Draws `rows × columns` normals.
    public static func orthogonal(rows: Int, columns: Int, gain: Double, using rng: inout Xoshiro256) -> [Double] {
        let tall = max(rows, columns), wide = min(rows, columns)
        // Column j of the tall × wide Gaussian matrix is q[j].
        var q = (0..<wide).map { _ in [Double](repeating: 0, count: tall) }
        for i in 0..<tall {
            for j in 0..<wide { q[j][i] = rng.normal() }
        }
        for j in 0..<wide {
            for _ in 0..<2 {
                for p in 0..<j {
                    var dot = 0.0
                    for i in 0..<tall { dot += q[p][i] * q[j][i] }
                    for i in 0..<tall { q[j][i] -= dot * q[p][i] }
                }
            }
            var norm = 0.0
            for i in 0..<tall { norm += q[j][i] * q[j][i] }
            norm = norm.squareRoot()
            for i in 0..<tall { q[j][i] /= norm }
        }
        var result = [Double](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for c in 0..<columns {
                // Tall: element (r, c) is q[c][r]; wide: the transpose, q[r][c].
                result[r * columns + c] = gain * (rows >= columns ? q[c][r] : q[r][c])
            }
        }
        return result
    }
}
