import AdAgents
import AdEnv

/// Central finite differences in `Double`: the reference that every hand-written backward pass
/// of the neural-network core is checked against.
enum GradientCheck {
    /// The largest relative error allowed between an analytic and a numerical derivative.
    static let tolerance = 1e-6

    /// `∂f/∂x_i` for every `i`, by `(f(x + h·e_i) − f(x − h·e_i)) / 2h`.
    static func numerical(_ x: [Double], step h: Double = 1e-5, _ f: ([Double]) -> Double) -> [Double] {
        var probe = x
        return x.indices.map { i in
            probe[i] = x[i] + h
            let up = f(probe)
            probe[i] = x[i] - h
            let down = f(probe)
            probe[i] = x[i]
            return (up - down) / (2 * h)
        }
    }

    /// The largest element-wise relative error `|a − n| / max(|a|, |n|, 1e-8)`.
    static func relativeError(_ analytic: [Double], _ numerical: [Double]) -> Double {
        precondition(analytic.count == numerical.count)
        var worst = 0.0
        for (a, n) in zip(analytic, numerical) {
            worst = max(worst, abs(a - n) / max(abs(a), abs(n), 1e-8))
        }
        return worst
    }

    /// `count` values uniform in `low..<high`.
    static func uniform(_ count: Int, _ low: Double, _ high: Double, _ rng: inout Xoshiro256) -> [Double] {
        (0..<count).map { _ in rng.uniform(low, high) }
    }

    /// `Σ w ⊙ y`: a loss whose gradient with respect to `y` is `w`.
    static func weightedSum(_ y: [Double], _ w: [Double]) -> Double {
        zip(y, w).reduce(0) { $0 + $1.0 * $1.1 }
    }
}
