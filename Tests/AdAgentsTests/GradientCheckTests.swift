import Testing
#if canImport(Glibc)
import Glibc
#endif
import AdAgents
import AdEnv

/// Every layer and loss of the neural-network core against central finite differences, run in
/// `Double` through the same generic code the agents run in `Float`.
@Suite struct GradientCheckTests {
    typealias Net = MLP<Double>

    /// Checks `∂(Σ w ⊙ output)/∂parameters` and `/∂input` of `net` on a random batch.
    static func checkNetwork(_ sizes: [Int], _ activation: Activation, seed: UInt64) -> (parameters: Double, input: Double) {
        var rng = Xoshiro256(seed: seed)
        var net = Net(sizes: sizes, activation: activation, initialization: .kaiming, outputInitialization: .uniform, using: &rng)
        // Nonzero biases, so their gradients are exercised away from 0.
        for l in net.layers.indices {
            for j in 0..<net.layers[l].outputs { net.parameters[net.layers[l].biasOffset + j] = rng.uniform(-0.5, 0.5) }
        }
        let batch = 5
        let input = GradientCheck.uniform(batch * sizes[0], -1, 1, &rng)
        let weights = GradientCheck.uniform(batch * sizes.last!, -1, 1, &rng)
        var workspace = net.makeWorkspace(batchSize: batch)
        func loss(_ parameters: [Double], _ x: [Double]) -> Double {
            var copy = net
            copy.parameters = parameters
            var w = copy.makeWorkspace(batchSize: batch)
            w.input.storage = x
            copy.forward(in: &w)
            return GradientCheck.weightedSum(w.output.storage, weights)
        }
        workspace.input.storage = input
        net.forward(in: &workspace)
        workspace.outputGradient.storage = weights
        net.backward(in: &workspace, inputGradient: true)
        let numericalParameters = GradientCheck.numerical(net.parameters) { loss($0, input) }
        let numericalInput = GradientCheck.numerical(input) { loss(net.parameters, $0) }
        return (GradientCheck.relativeError(net.gradients, numericalParameters),
                GradientCheck.relativeError(workspace.inputGradient.storage, numericalInput))
    }

    @Test func linearLayerGradientsOfWeightsBiasAndInput() {
        // One layer: no activation, the network is exactly Linear.
        let errors = Self.checkNetwork([6, 4], .relu, seed: 1)
        #expect(errors.parameters <= GradientCheck.tolerance)
        #expect(errors.input <= GradientCheck.tolerance)
    }

    @Test(arguments: Activation.allCases)
    func activationBackwardMatchesFiniteDifferences(_ activation: Activation) {
        var rng = Xoshiro256(seed: 2)
        // Keep ReLU inputs away from its kink, where the derivative jumps.
        let x = GradientCheck.uniform(24, -2, 2, &rng).map { abs($0) < 0.05 ? $0 + 0.2 : $0 }
        let w = GradientCheck.uniform(24, -1, 1, &rng)
        func loss(_ x: [Double]) -> Double {
            var m = Matrix(rows: 4, columns: 6, storage: x)
            activation.forward(&m)
            return GradientCheck.weightedSum(m.storage, w)
        }
        var output = Matrix(rows: 4, columns: 6, storage: x)
        activation.forward(&output)
        var gradient = Matrix(rows: 4, columns: 6, storage: w)
        activation.backward(output: output, gradient: &gradient)
        #expect(GradientCheck.relativeError(gradient.storage, GradientCheck.numerical(x, loss)) <= GradientCheck.tolerance)
        // ReLU zeroes the gradient exactly where it zeroed the input.
        if activation == .relu { #expect(zip(x, gradient.storage).allSatisfy { $0 > 0 || $1 == 0 }) }
    }

    @Test(arguments: Activation.allCases)
    func multilayerPerceptronEndToEnd(_ activation: Activation) {
        let errors = Self.checkNetwork([5, 7, 6, 3], activation, seed: 3)
        #expect(errors.parameters <= GradientCheck.tolerance)
        #expect(errors.input <= GradientCheck.tolerance)
    }

    @Test func accumulatingBackwardAddsToTheGradients() {
        var rng = Xoshiro256(seed: 4)
        var net = Net(sizes: [3, 4, 2], activation: .tanh, using: &rng)
        var w = net.makeWorkspace(batchSize: 2)
        w.input.storage = GradientCheck.uniform(6, -1, 1, &rng)
        net.forward(in: &w)
        w.outputGradient.storage = [1, -1, 0.5, 2]
        net.backward(in: &w)
        let once = net.gradients
        w.outputGradient.storage = [1, -1, 0.5, 2]
        net.backward(in: &w, accumulating: true)
        #expect(zip(net.gradients, once).allSatisfy { abs($0 - 2 * $1) <= 1e-12 * max(1, abs($1)) })
        #expect(once.contains { $0 != 0 })
    }

    @Test func meanSquaredErrorGradient() {
        var rng = Xoshiro256(seed: 5)
        let p = GradientCheck.uniform(9, -3, 3, &rng), t = GradientCheck.uniform(9, -3, 3, &rng)
        var g = [Double](repeating: 0, count: 9)
        let value = Loss.meanSquaredError(predictions: p, targets: t, gradient: &g)
        var scratch = g
        let numerical = GradientCheck.numerical(p) { Loss.meanSquaredError(predictions: $0, targets: t, gradient: &scratch) }
        #expect(GradientCheck.relativeError(g, numerical) <= GradientCheck.tolerance)
        #expect(abs(value - zip(p, t).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / 9) <= 1e-12)
    }

    @Test func huberGradientInBothRegimes() {
        // Errors of magnitude below δ = 1 (quadratic) and above it (linear), none near |d| = 1.
        let t = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
        let p = [0.3, -0.7, 0.05, 2.5, -4.0, 1.6]
        var g = [Double](repeating: 0, count: 6)
        let value = Loss.huber(predictions: p, targets: t, gradient: &g)
        var scratch = g
        let numerical = GradientCheck.numerical(p) { Loss.huber(predictions: $0, targets: t, gradient: &scratch) }
        #expect(GradientCheck.relativeError(g, numerical) <= GradientCheck.tolerance)
        // Quadratic inside (d/n), clipped to ±1/n outside.
        #expect(abs(g[0] - 0.3 / 6) <= 1e-15 && abs(g[3] - 1.0 / 6) <= 1e-15 && abs(g[4] + 1.0 / 6) <= 1e-15)
        let expected = (0.045 + 0.245 + 0.00125 + 2.0 + 3.5 + 1.1) / 6
        #expect(abs(value - expected) <= 1e-12)
    }

    static func logits(_ rng: inout Xoshiro256) -> Matrix<Double> {
        Matrix(rows: 3, columns: 5, storage: GradientCheck.uniform(15, -3, 3, &rng))
    }

    static let mask: [Bool] = [
        true, false, true, true, false,
        true, true, true, true, true,
        false, false, true, false, false,
    ]

    @Test(arguments: [false, true])
    func logSoftmaxGradient(masked: Bool) {
        var rng = Xoshiro256(seed: 6)
        let logits = Self.logits(&rng)
        let mask = masked ? Self.mask : []
        let w = GradientCheck.uniform(15, -1, 1, &rng)
        func loss(_ z: [Double]) -> Double {
            var lp = Matrix<Double>(rows: 3, columns: 5)
            Categorical.logSoftmax(Matrix(rows: 3, columns: 5, storage: z), mask: mask, into: &lp)
            // Masked entries are -inf and carry no gradient: leave them out of the loss.
            return zip(lp.storage, w).reduce(0) { $0 + ($1.0 > -.infinity ? $1.0 * $1.1 : 0) }
        }
        var lp = Matrix<Double>(rows: 3, columns: 5)
        Categorical.logSoftmax(logits, mask: mask, into: &lp)
        var g = Matrix<Double>(rows: 3, columns: 5)
        Categorical.logSoftmaxBackward(logProbabilities: lp, gradient: Matrix(rows: 3, columns: 5, storage: w), into: &g)
        #expect(GradientCheck.relativeError(g.storage, GradientCheck.numerical(logits.storage, loss)) <= GradientCheck.tolerance)
        if masked {
            for i in 0..<15 where !mask[i] {
                #expect(lp.storage[i] == -.infinity)
                #expect(g.storage[i] == 0)
            }
            // The single valid action of row 2 has probability 1.
            #expect(lp.storage[12] == 0)
        }
    }

    @Test(arguments: [false, true])
    func categoricalEntropyGradient(masked: Bool) {
        var rng = Xoshiro256(seed: 7)
        let logits = Self.logits(&rng)
        let mask = masked ? Self.mask : []
        let c = [0.7, -1.3, 2.0]
        func entropies(_ z: [Double]) -> [Double] {
            var lp = Matrix<Double>(rows: 3, columns: 5)
            Categorical.logSoftmax(Matrix(rows: 3, columns: 5, storage: z), mask: mask, into: &lp)
            var h = [0.0, 0, 0]
            Categorical.entropy(logProbabilities: lp, into: &h)
            return h
        }
        var lp = Matrix<Double>(rows: 3, columns: 5)
        Categorical.logSoftmax(logits, mask: mask, into: &lp)
        let h = entropies(logits.storage)
        var g = Matrix<Double>(rows: 3, columns: 5)
        Categorical.entropyBackward(logProbabilities: lp, entropies: h, gradient: c, into: &g)
        let numerical = GradientCheck.numerical(logits.storage) { GradientCheck.weightedSum(entropies($0), c) }
        // A row with one valid action has entropy 0 and no gradient: compare elements where either is nonzero.
        #expect(GradientCheck.relativeError(g.storage, numerical) <= GradientCheck.tolerance)
        #expect(h.allSatisfy { $0 >= 0 && $0 <= log(5.0) + 1e-12 })
        if masked { #expect(h[2] == 0) }
    }

    @Test func gaussianLogProbabilityGradientsOfMeanAndLogStd() {
        var rng = Xoshiro256(seed: 8)
        let rows = 4, dims = 3
        let actions = Matrix(rows: rows, columns: dims, storage: GradientCheck.uniform(12, -2, 2, &rng))
        let mean = Matrix(rows: rows, columns: dims, storage: GradientCheck.uniform(12, -1, 1, &rng))
        let logStd = GradientCheck.uniform(dims, -1, 0.5, &rng)
        let c = GradientCheck.uniform(rows, -1, 1, &rng)
        func loss(_ mu: [Double], _ s: [Double]) -> Double {
            var lp = [Double](repeating: 0, count: rows)
            DiagonalGaussian.logProbability(actions: actions, mean: Matrix(rows: rows, columns: dims, storage: mu), logStd: s, into: &lp)
            return GradientCheck.weightedSum(lp, c)
        }
        var meanGradient = Matrix<Double>(rows: rows, columns: dims)
        var logStdGradient = [Double](repeating: 0, count: dims)
        DiagonalGaussian.logProbabilityBackward(actions: actions, mean: mean, logStd: logStd, gradient: c,
                                                meanGradient: &meanGradient, logStdGradient: &logStdGradient)
        let numericalMean = GradientCheck.numerical(mean.storage) { loss($0, logStd) }
        let numericalLogStd = GradientCheck.numerical(logStd) { loss(mean.storage, $0) }
        #expect(GradientCheck.relativeError(meanGradient.storage, numericalMean) <= GradientCheck.tolerance)
        #expect(GradientCheck.relativeError(logStdGradient, numericalLogStd) <= GradientCheck.tolerance)
        // The density of a standard normal at 0 is 1/√(2π).
        var lp = [0.0]
        DiagonalGaussian.logProbability(actions: Matrix(rows: 1, columns: 1), mean: Matrix(rows: 1, columns: 1), logStd: [0], into: &lp)
        #expect(abs(lp[0] + 0.5 * log(2 * Double.pi)) <= 1e-15)
    }

    @Test func gaussianEntropyGradientIsOnePerLogStd() {
        let logStd = [-0.5, 0.2, 1.1]
        let numerical = GradientCheck.numerical(logStd) { DiagonalGaussian.entropy(logStd: $0) }
        #expect(GradientCheck.relativeError([1, 1, 1], numerical) <= GradientCheck.tolerance)
        // A unit normal's entropy is ½ log(2πe) per dimension.
        #expect(abs(DiagonalGaussian.entropy(logStd: [0.0, 0.0]) - log(2 * Double.pi * exp(1.0))) <= 1e-12)
    }
}
