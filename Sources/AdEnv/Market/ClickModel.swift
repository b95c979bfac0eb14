#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The position-biased click model of a page with K slots.
///
/// The probability that the ad of campaign `c` in slot `k` (1-based) is clicked by user `u` is
///
///     P(click) = θ_k · σ(u·a_c + b_c + b_slot,k) · ρ^(recent exposures) · (1 + n_c/τ)^(−α)
///
/// with examination `θ_k = k^(−η)`, the fatigue multiplier of ``FatigueState`` and the creative
/// wear-out of campaign `c` after `n_c` impressions. A click converts with probability
/// `σ(cvr_c + cvr_affinity · u·a_c)`.
public struct ClickModel: Sendable {
    /// `θ_k = k^(−η)` for k = 1...K (index 0 is the top slot).
    public let examination: [Double]
    /// `b_slot,k`, additive click-logit intercepts per slot.
    public let slotIntercepts: [Double]
    /// η, in [0.5, 1].
    public let eta: Double
    /// How much the user–creative affinity `u·a` raises the conversion logit.
    public let cvrAffinity: Double

    public init(slots: Int, eta: Double, slotIntercepts: [Double], cvrAffinity: Double) {
        precondition(slots > 0 && slotIntercepts.count == slots)
        self.eta = eta
        self.slotIntercepts = slotIntercepts
        self.cvrAffinity = cvrAffinity
        self.examination = (1...slots).map { pow(Double($0), -eta) }
    }

    /// K, the number of slots.
    public var slots: Int { examination.count }

    /// The logistic function `1 / (1 + e^(−x))`.
    @inline(__always)
    public static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
}
