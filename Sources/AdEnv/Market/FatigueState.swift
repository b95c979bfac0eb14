#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-user fatigue and per-campaign creative wear-out, in fixed arrays (one entry per campaign).
///
/// - Fatigue: each exposure of the current user to campaign `c` adds 1 to `recent[c]`, and every
///   page view multiplies it by `0.5^(1/half_life)`; the click multiplier is `ρ^recent[c]`. The
///   counters start at zero for every new user.
/// - Wear-out: `impressions[c]` counts the campaign's impressions in the episode (all users); the
///   click multiplier is `(1 + n/τ)^(−α)`.
public struct FatigueState: Sendable {
    /// ρ, the click multiplier per recent exposure.
    public let rho: Double
    /// The per-page-view decay factor of the recent-exposure counts, `0.5^(1/half_life)`.
    public let decay: Double
    /// τ and α of the wear-out curve.
    public let wearTau: Double
    public let wearAlpha: Double
    /// The decayed exposure count of the current user to each campaign.
    public private(set) var recent: [Double]
    /// `ρ^recent[c]`.
    public private(set) var fatigueMultiplier: [Double]
    /// The current user's exposures to each campaign in this session (not decayed).
    public private(set) var sessionExposures: [Int]
    /// Each campaign's impressions in the episode.
    public private(set) var impressions: [Int]
    /// `(1 + impressions[c]/τ)^(−α)`.
    public private(set) var wearMultiplier: [Double]
    private let logRho: Double
    /// `(1 + n/τ)^(−α)` for `n < wearTableSize`, so that an impression costs no `pow`; counts past
    /// the table (more than a day's inventory) fall back to `pow`.
    private let wearTable: [Double]
    static let wearTableSize = 16_384

    public init(campaigns: Int, rho: Double, halfLife: Double, wearTau: Double, wearAlpha: Double) {
        self.rho = rho
        self.logRho = log(rho)
        self.decay = pow(0.5, 1 / halfLife)
        self.wearTau = wearTau
        self.wearAlpha = wearAlpha
        recent = [Double](repeating: 0, count: campaigns)
        fatigueMultiplier = [Double](repeating: 1, count: campaigns)
        sessionExposures = [Int](repeating: 0, count: campaigns)
        impressions = [Int](repeating: 0, count: campaigns)
        wearMultiplier = [Double](repeating: 1, count: campaigns)
        wearTable = wearAlpha > 0 ? (0..<Self.wearTableSize).map { pow(1 + Double($0) / wearTau, -wearAlpha) } : []
    }

    /// Forgets the current user (a new session starts).
    public mutating func startSession() {
        for c in recent.indices {
            recent[c] = 0
            fatigueMultiplier[c] = 1
            sessionExposures[c] = 0
        }
    }

    /// Forgets everything (a new episode starts).
    public mutating func startEpisode() {
        startSession()
        for c in impressions.indices {
            impressions[c] = 0
            wearMultiplier[c] = 1
        }
    }

    /// Records an impression of campaign `c` to the current user.
    public mutating func expose(_ c: Int) {
        recent[c] += 1
        fatigueMultiplier[c] *= rho
        sessionExposures[c] += 1
        recordImpression(c)
    }

    /// Records an impression of campaign `c` for wear-out only (no session).
    public mutating func recordImpression(_ c: Int) {
        impressions[c] += 1
        guard wearAlpha > 0 else { return }
        let n = impressions[c]
        wearMultiplier[c] = n < wearTable.count ? wearTable[n] : pow(1 + Double(n) / wearTau, -wearAlpha)
    }

    /// One page view passes: recent exposures decay toward zero.
    public mutating func pageViewPassed() {
        for c in recent.indices where recent[c] > 0 {
            let r = recent[c] * decay
            if r < 1e-3 {
                recent[c] = 0
                fatigueMultiplier[c] = 1
            } else {
                recent[c] = r
                fatigueMultiplier[c] = exp(r * logRho)
            }
        }
    }

    /// The combined click multiplier of campaign `c`: fatigue × wear-out.
    @inline(__always)
    public func multiplier(_ c: Int) -> Double { fatigueMultiplier[c] * wearMultiplier[c] }
}
