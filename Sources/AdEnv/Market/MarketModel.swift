#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The world of a ``MarketConfig`` in flat, precomputed arrays: creatives, intercepts, segment
/// Gaussians and their cumulative weights, the click model and the diurnal curve, plus the two
/// mechanics that change the world during an episode (interest drift and the CTR switch).
///
/// Everything is allocated in `init`; the mutating methods work in place.
public struct MarketModel: Sendable {
    public let config: MarketConfig
    /// d, S, C, K and R.
    public let latentDim: Int
    public let segmentCount: Int
    public let campaignCount: Int
    public let slots: Int
    public let rivals: Int
    public let diurnal: Diurnal
    public let clickModel: ClickModel
    /// Creative vectors, campaign-major: `creatives[c * d + j]`.
    public let creatives: [Double]
    /// The click-logit intercepts `b_c` now (the CTR switch adds its shifts to them).
    public private(set) var ctrIntercepts: [Double]
    public let cvrIntercepts: [Double]
    /// Segment means now (drift moves them), segment-major: `segmentMeans[s * d + j]`.
    public private(set) var segmentMeans: [Double]
    public let segmentStd: [Double]
    public let rivalMu: [Double]
    /// Cumulative segment probabilities; the last is 1.
    public let segmentCDF: [Double]
    /// Whether the CTR switch has happened in this episode.
    public private(set) var switched = false

    public init(config: MarketConfig) {
        self.config = config
        latentDim = config.latentDim
        segmentCount = config.segments.count
        campaignCount = config.campaigns.count
        slots = config.slots
        rivals = config.rivals
        diurnal = Diurnal(baseRate: config.trafficBaseRate, amplitude: config.trafficAmplitude, phaseHours: config.trafficPhaseHours)
        clickModel = ClickModel(slots: config.slots, eta: config.examinationEta, slotIntercepts: config.slotIntercepts, cvrAffinity: config.cvrAffinity)
        creatives = config.campaigns.flatMap(\.creative)
        ctrIntercepts = config.campaigns.map(\.ctrIntercept)
        cvrIntercepts = config.campaigns.map(\.cvrIntercept)
        segmentMeans = config.segments.flatMap(\.mean)
        segmentStd = config.segments.map(\.std)
        rivalMu = config.segments.map(\.rivalMu)
        var cdf: [Double] = []
        var total = 0.0
        for p in config.segmentProbabilities {
            total += p
            cdf.append(total)
        }
        cdf[cdf.count - 1] = 1
        segmentCDF = cdf
    }

    /// Restores the world as configured (undoes drift and the CTR switch).
    public mutating func startEpisode() {
        for c in 0..<campaignCount { ctrIntercepts[c] = config.campaigns[c].ctrIntercept }
        for s in 0..<segmentCount {
            for j in 0..<latentDim { segmentMeans[s * latentDim + j] = config.segments[s].mean[j] }
        }
        switched = false
    }

    /// Adds the configured shifts to the click intercepts (once per episode).
    public mutating func applySwitch() {
        guard !switched else { return }
        for c in 0..<campaignCount { ctrIntercepts[c] += config.switchShifts[c] }
        switched = true
    }

    /// Moves every segment mean by a N(0, std²) step per dimension: `2·⌈S·d/2⌉` draws.
    public mutating func drift(using rng: inout Xoshiro256) {
        let std = config.driftStd
        var i = 0
        let n = segmentMeans.count
        while i < n {
            let (a, b) = rng.normalPair()
            segmentMeans[i] += std * a
            if i + 1 < n { segmentMeans[i + 1] += std * b }
            i += 2
        }
    }

    /// A segment drawn by weight. One draw.
    @inline(__always)
    public func drawSegment(using rng: inout Xoshiro256) -> Int {
        let x = rng.uniform()
        var s = 0
        while s < segmentCount - 1 && x >= segmentCDF[s] { s += 1 }
        return s
    }

    /// The log-normal location of rival eCPM bids for segment `s` at hour `t`:
    /// `rival_mu_s + rival_diurnal_shift · sin(2π (t − phase)/24)` (rivals bid more when traffic peaks).
    @inline(__always)
    public func rivalLocation(segment s: Int, hour t: Double) -> Double {
        rivalMu[s] + config.rivalDiurnalShift * sin(2 * Double.pi * (t - config.trafficPhaseHours) / 24)
    }

    /// `u · a_c` for a user vector stored in `u`.
    @inline(__always)
    public func affinity(_ u: UnsafeBufferPointer<Double>, campaign c: Int) -> Double {
        var sum = 0.0
        let base = c * latentDim
        for j in 0..<latentDim { sum += u[j] * creatives[base + j] }
        return sum
    }

    /// The probability that a conversion of delay Exp(mean) happening at hour `t` arrives before the
    /// day ends at hour 24: `1 − exp(−(24 − t)/mean)` (1 when the mean delay is 0).
    public func arrivalProbability(atHour t: Double) -> Double {
        let mean = config.meanDelayHours
        if mean <= 0 { return t < 24 ? 1 : 0 }
        return 1 - exp(-Swift.max(24 - t, 0) / mean)
    }
}
