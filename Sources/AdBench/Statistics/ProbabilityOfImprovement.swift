/// The probability that a draw from X beats a draw from Y: P(X > Y) + ½·P(X = Y), estimated by the
/// Mann–Whitney statistic
///
///     (1 / nm) Σᵢ Σⱼ [1(xᵢ > yⱼ) + ½·1(xᵢ = yⱼ)]
///
/// over all pairs of the two samples (rliable's probability of improvement, on one task). 0.5 means
/// neither is better; 1 means every x beats every y.
public enum ProbabilityOfImprovement {
    /// The estimate for samples `x` and `y`; NaN when either is empty.
    public static func estimate(_ x: [Double], over y: [Double]) -> Double {
        guard !x.isEmpty, !y.isEmpty else { return .nan }
        var wins = 0  // counted in halves: 2 per win, 1 per tie
        for a in x {
            for b in y {
                if a > b { wins += 2 } else if a == b { wins += 1 }
            }
        }
        return Double(wins) / Double(2 * x.count * y.count)
    }

    /// The estimate with a percentile bootstrap interval, resampling both samples independently.
    public static func interval(_ x: [Double], over y: [Double], bootstrap: Bootstrap = Bootstrap()) -> ConfidenceInterval {
        bootstrap.interval(of: x, y) { estimate($0, over: $1) }
    }
}
