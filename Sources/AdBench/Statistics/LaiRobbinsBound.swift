#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Lai–Robbins asymptotic lower bound on the regret of any consistent policy on a Bernoulli
/// bandit: regret(T) ≥ c · ln T (1 + o(1)), with
///
///     c = Σ_{a: μₐ < μ*} (μ* − μₐ) / KL(μₐ ‖ μ*)
///
/// and KL the Bernoulli Kullback–Leibler divergence.
public enum LaiRobbinsBound {
    /// The constant c for arm means `means` (each in [0, 1]). Arms tied with the best add nothing;
    /// when μ* = 1 the divergence of a worse arm is infinite and that arm adds nothing either. No
    /// arms, or all tied: 0.
    public static func coefficient(means: [Double]) -> Double {
        guard let best = means.max() else { return 0 }
        var c = 0.0
        for mu in means where mu < best {
            let kl = bernoulliKL(mu, best)
            if kl.isFinite && kl > 0 { c += (best - mu) / kl }
        }
        return c
    }

    /// KL(Bernoulli(p) ‖ Bernoulli(q)) = p ln(p/q) + (1 − p) ln((1 − p)/(1 − q)), with 0 ln 0 = 0;
    /// infinite when q is 0 or 1 and p differs from it.
    public static func bernoulliKL(_ p: Double, _ q: Double) -> Double {
        func term(_ a: Double, _ b: Double) -> Double {
            if a == 0 { return 0 }
            if b == 0 { return .infinity }
            return a * log(a / b)
        }
        return term(p, q) + term(1 - p, 1 - q)
    }
}
