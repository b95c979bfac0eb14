import Foundation
import Testing
import AdAgents
import AdEnv

/// PPO's per-step objectives, checked case by case against the formulas and by finite differences.
@Suite struct PPOObjectiveTests {
    let epsilon: Float = 0.2

    /// Central difference of `f` at `x`.
    static func slope(_ f: (Float) -> Float, at x: Float, h: Float = 1e-3) -> Float {
        (f(x + h) - f(x - h)) / (2 * h)
    }

    @Test(arguments: [
        // (log ratio, advantage, clip active?)
        (Float(log(1.5)), Float(2), true),    // A > 0 and the ratio is above 1 + ε: no more push
        (Float(log(0.5)), Float(2), false),   // A > 0 and the ratio fell below 1 − ε: keep pushing up
        (Float(log(0.5)), Float(-2), true),   // A < 0 and the ratio is below 1 − ε: no more push
        (Float(log(1.5)), Float(-2), false),  // A < 0 and the ratio rose above 1 + ε: keep pushing down
        (Float(log(1.1)), Float(3), false),   // inside the clip range: plain −A·ρ
    ])
    func clippedSurrogateStopsTheGradientOnlyWhereTheClipBinds(logRatio: Float, advantage: Float, clipActive: Bool) {
        let ratio = Float.exp(logRatio)
        let result = PPO.clippedSurrogate(logRatio: logRatio, advantage: advantage, epsilon: epsilon)
        let expectedLoss = max(-advantage * ratio, -advantage * min(max(ratio, 1 - epsilon), 1 + epsilon))
        #expect(result.loss == expectedLoss)
        let numeric = Self.slope({ PPO.clippedSurrogate(logRatio: $0, advantage: advantage, epsilon: epsilon).loss }, at: logRatio)
        if clipActive {
            #expect(result.gradient == 0)
            #expect(abs(numeric) < 1e-3)
        } else {
            #expect(result.gradient == -advantage * ratio)
            #expect(abs(numeric - result.gradient) <= 1e-2 * abs(result.gradient))
        }
    }

    @Test func unclippedValueLossIsHalfTheSquaredError() {
        let result = PPO.valueLoss(value: 3, oldValue: 0, target: 1, epsilon: nil)
        #expect(result.loss == 2)
        #expect(result.gradient == 2)
    }

    @Test(arguments: [
        // (value, old value, target, expected loss, expected gradient)
        (Float(0.5), Float(1), Float(3), Float(2.5 * 2.5 / 2), Float(-2.5)),   // moved away from the target past the clip: unclipped error larger
        (Float(2.9), Float(1), Float(3), Float(1.8 * 1.8 / 2), Float(0)),      // clipped term larger, clip active: no gradient
        (Float(1.1), Float(1), Float(-1), Float(2.1 * 2.1 / 2), Float(2.1)),   // within ε of the old value: plain gradient
    ])
    func clippedValueLossTakesTheLargerErrorAndStopsAtTheClip(value: Float, old: Float, target: Float, loss: Float, gradient: Float) {
        let result = PPO.valueLoss(value: value, oldValue: old, target: target, epsilon: epsilon)
        #expect(abs(result.loss - loss) <= 1e-5)
        #expect(abs(result.gradient - gradient) <= 1e-5)
        let numeric = Self.slope({ PPO.valueLoss(value: $0, oldValue: old, target: target, epsilon: epsilon).loss }, at: value)
        #expect(abs(numeric - result.gradient) <= 1e-2 * max(1, abs(result.gradient)))
    }

    /// Every rollout step must land in exactly one minibatch per epoch: 3 copies × 10 steps cannot be
    /// cut into 4 minibatches, and the error names the field.
    @Test func minibatchesMustDivideTheRollout() throws {
        let env = try Registry.standard.make("FatigueMDP-v0", as: FatigueMDP.self)
        var preset = try Preset.named("ppo")
        try preset.apply([Override("num_steps", 10), Override("num_minibatches", 4)])
        let h = try PPO.Hyperparameters.read(preset.hyperparameters).hyperparameters
        var rng = Xoshiro256(seed: 1)
        do {
            _ = try PPO(spec: env.spec, count: 3, hyperparameters: h, using: &rng)
            Issue.record("a rollout of 30 steps was cut into 4 minibatches")
        } catch {
            guard case .invalidHyperparameters(let scenarioError) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(scenarioError.path == "hyperparameters.num_minibatches")
        }
        _ = try PPO(spec: env.spec, count: 2, hyperparameters: h, using: &rng)  // 20 steps: 4 minibatches of 5
    }
}
