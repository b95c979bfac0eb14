#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import AdAgents
import AdEnv

/// The Float tanh layer runs a vectorised approximation (`FastTanh`); it must agree with libm.
@Suite struct FastTanhTests {
    @Test func theFloatTanhLayerIsWithinHalfAMillionthOfLibm() {
        // A dense sweep of [-12, 12] (both branches and their seam at |x| = 0.3), tiny and huge
        // magnitudes, and an odd count so the padded tail runs too.
        var inputs: [Float] = stride(from: -12.0, through: 12.0, by: 0.0007).map { Float($0) }
        inputs += [0, -0, 0.3, -0.3, 0.29999998, 1e-30, -1e-30, 1e-8, 19.9, 20, 20.1, 45, -45, 1e30, -1e30, .infinity, -.infinity]
        var layer = Matrix<Float>(rows: 1, columns: inputs.count, storage: inputs)
        Activation.tanh.forward(&layer)
        var worst = 0.0
        for (x, y) in zip(inputs, layer.storage) {
            let exact = Double(tanhf(x))
            let error = abs(Double(y) - exact) / max(abs(exact), 1e-30)
            worst = max(worst, error)
            #expect(y >= -1 && y <= 1)
        }
        #expect(worst < 5e-7, "worst relative error \(worst)")
    }

    @Test func nanStaysNaNAndTheResultIsOdd() {
        var layer = Matrix<Float>(rows: 1, columns: 4, storage: [.nan, 0.7, -0.7, 3])
        Activation.tanh.forward(&layer)
        #expect(layer.storage[0].isNaN)
        #expect(layer.storage[1] == -layer.storage[2])
        #expect(layer.storage[3] > 0.995 && layer.storage[3] < 1)
    }
}
