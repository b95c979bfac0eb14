import AdEnv

/// Percentile bootstrap confidence intervals, deterministic for a given seed.
///
/// Resamples are drawn with replacement by ``Xoshiro256`` seeded with ``seed`` (never system
/// randomness), so the same sample, statistic and settings always give the same interval. The
/// interval is the [(1 − c)/2, (1 + c)/2] percentile range of the statistic over ``resamples``
/// resamples (c = ``confidence``), each percentile interpolated linearly between order statistics
/// (NumPy's default "linear" method); the estimate is the statistic of the original sample.
///
/// Edges: an empty sample gives NaN everywhere; a sample of one value, or of equal values, gives a
/// zero-width interval at that value. Samples must not contain NaN (filter missing values first).
public struct Bootstrap: Sendable, Equatable {
    /// 2,000 resamples: percentile endpoints of a 95% interval move by well under a tenth of the
    /// interval's width from one seed to another at this count.
    public static let defaultResamples = 2_000

    /// How many resamples to draw (at least 1).
    public var resamples: Int
    /// The interval's coverage, in (0, 1); 0.95 by default.
    public var confidence: Double
    /// The seed of the resampling stream.
    public var seed: UInt64

    public init(resamples: Int = Bootstrap.defaultResamples, confidence: Double = 0.95, seed: UInt64 = 0) {
        precondition(resamples >= 1, "a bootstrap needs at least one resample")
        precondition(confidence > 0 && confidence < 1, "confidence must lie in (0, 1)")
        self.resamples = resamples
        self.confidence = confidence
        self.seed = seed
    }

    /// The interval of `statistic` over resamples of `sample`.
    public func interval(_ statistic: Statistic, of sample: [Double]) -> ConfidenceInterval {
        stratifiedInterval(statistic, of: [sample])
    }

    /// The stratified bootstrap (as rliable's aggregate intervals): each resample draws, within each
    /// stratum (for example one scenario's runs), as many values as the stratum holds, and applies
    /// `statistic` to all strata's draws pooled together. Strata keep their sizes, so a scenario
    /// with more seeds weighs more in the pool. Empty strata are ignored.
    public func stratifiedInterval(_ statistic: Statistic, of strata: [[Double]]) -> ConfidenceInterval {
        let strata = strata.filter { !$0.isEmpty }
        let pooled = strata.flatMap { $0 }
        guard !pooled.isEmpty else { return ConfidenceInterval(estimate: .nan, lower: .nan, upper: .nan) }
        var rng = Xoshiro256(seed: seed)
        var buffer = [Double](repeating: 0, count: pooled.count)
        var values = [Double](repeating: 0, count: resamples)
        for r in 0..<resamples {
            var offset = 0
            for stratum in strata {
                for i in 0..<stratum.count { buffer[offset + i] = stratum[rng.below(stratum.count)] }
                offset += stratum.count
            }
            values[r] = statistic(buffer)
        }
        return interval(estimate: statistic(pooled), distribution: values)
    }

    /// The interval of a two-sample statistic, resampling `x` and `y` independently (each resample
    /// draws x's values, then y's, from one stream).
    public func interval(
        of x: [Double], _ y: [Double], _ statistic: ([Double], [Double]) -> Double
    ) -> ConfidenceInterval {
        guard !x.isEmpty, !y.isEmpty else { return ConfidenceInterval(estimate: .nan, lower: .nan, upper: .nan) }
        var rng = Xoshiro256(seed: seed)
        var bx = x, by = y
        var values = [Double](repeating: 0, count: resamples)
        for r in 0..<resamples {
            for i in 0..<x.count { bx[i] = x[rng.below(x.count)] }
            for i in 0..<y.count { by[i] = y[rng.below(y.count)] }
            values[r] = statistic(bx, by)
        }
        return interval(estimate: statistic(x, y), distribution: values)
    }

    private func interval(estimate: Double, distribution: [Double]) -> ConfidenceInterval {
        let sorted = distribution.sorted()
        let alpha = (1 - confidence) / 2
        return ConfidenceInterval(
            estimate: estimate,
            lower: Bootstrap.percentile(sorted, alpha),
            upper: Bootstrap.percentile(sorted, 1 - alpha))
    }

    /// The `p`-quantile (p in [0, 1]) of ascending `sorted` values, interpolated linearly between
    /// order statistics at position p·(n − 1); NaN for no values.
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = min(max(p, 0), 1) * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        let fraction = position - Double(below)
        if fraction == 0 || sorted[below] == sorted[above] { return sorted[below] }
        return sorted[below] + (sorted[above] - sorted[below]) * fraction
    }
}
