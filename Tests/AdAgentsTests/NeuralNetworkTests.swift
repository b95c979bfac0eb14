import Testing
import AdAgents
import AdEnv

/// The neural-network core beyond gradients: the kernels against a naive product, initialisation,
/// Adam, clipping, target copies and checkpoints.
@Suite struct NeuralNetworkTests {
    static func random(_ rows: Int, _ columns: Int, _ rng: inout Xoshiro256) -> Matrix<Float> {
        Matrix(rows: rows, columns: columns, storage: (0..<(rows * columns)).map { _ in Float(rng.uniform(-1, 1)) })
    }

    /// `a·b` by the textbook triple loop, in Double.
    static func naive(_ a: Matrix<Float>, _ b: Matrix<Float>) -> [Double] {
        var c = [Double](repeating: 0, count: a.rows * b.columns)
        for i in 0..<a.rows {
            for j in 0..<b.columns {
                for p in 0..<a.columns { c[i * b.columns + j] += Double(a[i, p]) * Double(b[p, j]) }
            }
        }
        return c
    }

    static func close(_ x: [Float], _ y: [Double], k: Int) -> Bool {
        x.count == y.count && zip(x, y).allSatisfy { abs(Double($0) - $1) <= 1e-6 * Double(k) }
    }

    /// Shapes that exercise every path: 4-row blocks and leftover rows, 8-wide, 4-wide and single
    /// leftover columns, narrow outputs (n < 8 ≤ m, taken in the other orientation), odd inner
    /// sizes, and the DQN layer sizes.
    static let shapes: [(m: Int, k: Int, n: Int)] = [
        (1, 1, 1), (3, 5, 7), (4, 8, 8), (5, 3, 13), (9, 17, 30), (128, 120, 84), (7, 84, 2), (128, 84, 2), (9, 5, 7), (16, 3, 1), (2, 0, 3),
    ]

    @Test func kernelsMatchANaiveProduct() {
        var rng = Xoshiro256(seed: 11)
        for (m, k, n) in Self.shapes {
            let a = Self.random(m, k, &rng), b = Self.random(k, n, &rng)
            let expected = Self.naive(a, b)
            var c = Matrix<Float>(rows: m, columns: n, repeating: 9)
            Matrix.multiply(a, b, into: &c)
            #expect(Self.close(c.storage, expected, k: k), "A·B \(m)×\(k)×\(n)")
            Matrix.multiply(transposing: a.transposed, b, into: &c)
            #expect(Self.close(c.storage, expected, k: k), "Aᵀ·B \(m)×\(k)×\(n)")
            Matrix.multiply(a, transposing: b.transposed, into: &c)
            #expect(Self.close(c.storage, expected, k: k), "A·Bᵀ \(m)×\(k)×\(n)")
            // Accumulating adds the product to what is there.
            Matrix.multiply(a, b, into: &c, accumulating: true)
            #expect(Self.close(c.storage, expected.map { 2 * $0 }, k: k), "C + A·B \(m)×\(k)×\(n)")
            Matrix.multiply(a, transposing: b.transposed, into: &c, accumulating: true)
            #expect(Self.close(c.storage, expected.map { 3 * $0 }, k: k), "C + A·Bᵀ \(m)×\(k)×\(n)")
        }
    }

    @Test(arguments: [(8, 3), (3, 8), (5, 5)])
    func orthogonalInitialisationGivesOrthonormalColumnsOrRows(_ shape: (Int, Int)) {
        let (rows, columns) = shape
        var rng = Xoshiro256(seed: 12)
        let gain = 2.0.squareRoot()
        let w = LayerInitialization.orthogonal(rows: rows, columns: columns, gain: gain, using: &rng)
        // WᵀW (tall) or WWᵀ (wide) must be gain²·I.
        let small = min(rows, columns)
        for i in 0..<small {
            for j in 0..<small {
                var dot = 0.0
                if rows >= columns {
                    for r in 0..<rows { dot += w[r * columns + i] * w[r * columns + j] }
                } else {
                    for c in 0..<columns { dot += w[i * columns + c] * w[j * columns + c] }
                }
                #expect(abs(dot - (i == j ? gain * gain : 0)) <= 1e-12)
            }
        }
        // And it is random: another stream gives another matrix.
        var other = Xoshiro256(seed: 13)
        #expect(LayerInitialization.orthogonal(rows: rows, columns: columns, gain: gain, using: &other) != w)
    }

    @Test func uniformInitialisationStaysWithinOneOverRootFanIn() {
        var rng = Xoshiro256(seed: 14)
        let net = MLP<Float>(sizes: [16, 32, 4], activation: .relu, using: &rng)
        for layer in net.layers {
            let bound = Float(1 / Double(layer.inputs).squareRoot())
            let slice = net.parameters[layer.weightOffset..<(layer.weightOffset + layer.parameterCount)]
            #expect(slice.allSatisfy { abs($0) <= bound })
            #expect(slice.contains { abs($0) > bound / 2 })
        }
    }

    @Test func adamMatchesAHandComputedTwoStepExample() {
        // lr 0.1, β = (0.9, 0.999), ε = 1e-8; gradients (0.5, −1) then (0.1, 0.2). Expected values
        // computed by hand (40-digit decimal arithmetic) from the update rule.
        var adam = Adam<Double>(parameterCount: 2, learningRate: 0.1)
        var p = [1.0, -2.0]
        adam.update(&p, gradients: [0.5, -1])
        #expect(abs(p[0] - 0.90000000199999996) <= 1e-15 && abs(p[1] + 1.90000000099999999) <= 1e-15)
        adam.update(&p, gradients: [0.1, 0.2])
        #expect(abs(p[0] - 0.81969590638465121) <= 1e-14 && abs(p[1] + 1.84889739399049420) <= 1e-14)
        #expect(abs(adam.firstMoment[0] - 0.055) <= 1e-15 && abs(adam.secondMoment[1] - 0.001039) <= 1e-15)
        #expect(adam.step == 2)

        // The 8-wide path and the one-at-a-time tail compute the same thing: nine equal
        // parameters with equal gradients stay equal.
        var wide = Adam<Float>(parameterCount: 9, learningRate: 0.01)
        var q = [Float](repeating: 0.3, count: 9)
        for g: Float in [0.7, -0.2, 1e-3] { wide.update(&q, gradients: Array(repeating: g, count: 9)) }
        #expect(q.allSatisfy { $0 == q[0] } && q[0] != 0.3)
    }

    @Test func clippingScalesOnlyGradientsAboveTheNorm() {
        var g: [Float] = [3, 4]
        let norm = GradientClipping.clip(&g, maxNorm: 1)
        #expect(norm == 5)
        #expect(abs(g[0] - 0.6) <= 1e-6 && abs(g[1] - 0.8) <= 1e-6)
        var small: [Float] = [0.3, 0.4]
        GradientClipping.clip(&small, maxNorm: 1)
        #expect(small == [0.3, 0.4])
        // The global norm of several arrays is that of their concatenation.
        #expect(GradientClipping.squaredNorm([Float(3)]) + GradientClipping.squaredNorm([Float(4)]) == 25)
    }

    @Test func copyingParametersMakesTheSameFunction() {
        var rng = Xoshiro256(seed: 15)
        let online = MLP<Float>(sizes: [3, 8, 2], activation: .relu, using: &rng)
        var target = MLP<Float>(sizes: [3, 8, 2], activation: .relu, using: &rng)
        #expect(target.parameters != online.parameters)
        target.copyParameters(from: online)
        #expect(target == online)
    }

    @Test func networkAndAdamSurviveACheckpointAndRefuseAnotherShape() throws {
        var rng = Xoshiro256(seed: 16)
        var net = MLP<Float>(sizes: [4, 6, 3], activation: .tanh, initialization: .orthogonal(gain: 1.4), using: &rng)
        var adam = Adam<Float>(parameterCount: net.parameterCount, learningRate: 1e-3, epsilon: 1e-5)
        net.gradients = net.parameters.map { $0 * 0.5 + 0.1 }
        adam.update(&net.parameters, gradients: net.gradients)
        adam.learningRate = 5e-4
        var c = Checkpoint(agent: "test")
        net.save(to: &c, as: "q")
        adam.save(to: &c, as: "adam")
        let decoded = try Checkpoint(decoding: c.encoded())

        var other = MLP<Float>(sizes: [4, 6, 3], activation: .tanh, using: &rng)
        var otherAdam = Adam<Float>(parameterCount: other.parameterCount, learningRate: 1e-3, epsilon: 1e-5)
        try other.load(from: decoded, as: "q")
        try otherAdam.load(from: decoded, as: "adam")
        #expect(other.parameters == net.parameters)
        #expect(otherAdam == adam)

        var wrong = MLP<Float>(sizes: [4, 5, 3], activation: .tanh, using: &rng)
        let before = wrong.parameters
        #expect(throws: CheckpointError.self) { try wrong.load(from: decoded, as: "q") }
        #expect(wrong.parameters == before)
        var double = MLP<Double>(sizes: [4, 6, 3], activation: .tanh, using: &rng)
        #expect(throws: CheckpointError.self) { try double.load(from: decoded, as: "q") }
    }

    @Test func maskedSoftmaxGivesMaskedActionsProbabilityZero() {
        let logits = Matrix<Float>(rows: 2, columns: 3, storage: [1000, 2, 3, -5, 0, 5])
        var p = Matrix<Float>(rows: 2, columns: 3)
        Categorical.softmax(logits, mask: [false, true, true, true, true, false], into: &p)
        #expect(p[0, 0] == 0 && p[1, 2] == 0)
        #expect(abs(p[0, 1] + p[0, 2] - 1) <= 1e-6 && p[0, 2] > p[0, 1])
        // A huge logit does not overflow.
        Categorical.softmax(logits, into: &p)
        #expect(p[0, 0] == 1 && p.storage.allSatisfy { $0.isFinite })
    }
}
