/// The interquartile mean (IQM): the mean of the middle 50% of a sample.
///
/// It is the integral of the sample's empirical quantile function over [0.25, 0.75], times 2. The
/// sorted value x₍ₖ₎ (k = 1…n) owns the quantile interval ((k − 1)/n, k/n], so its weight is twice the
/// length of that interval inside [0.25, 0.75]. Values wholly in the bottom or top quarter weigh 0;
/// a value straddling a quartile counts fractionally. The weights sum to 1.
///
/// - When n is divisible by 4 this is the mean of the sorted values n/4 + 1 … 3n/4, which is SciPy's
///   `trim_mean(x, 0.25)` and rliable's IQM.
/// - n = 1: the value itself. n = 2: the mean of both. n = 3: weights 1/6, 2/3, 1/6.
///   n = 5: weights 0, 0.3, 0.4, 0.3, 0.
/// - Ties need no special handling: equal values are interchangeable in the sorted order.
/// - Empty sample: NaN. Any NaN in the sample makes the result NaN.
///
/// Weights are computed in integers (in units of 1/(4n)), so the result has no rounding error
/// beyond the weighted sum itself.
public enum InterquartileMean {
    /// The IQM of `values` (any order).
    public static func of(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        if values.contains(where: \.isNaN) { return .nan }
        return ofSorted(values.sorted())
    }

    /// The IQM of values already sorted in ascending order (no NaN).
    public static func ofSorted(_ sorted: [Double]) -> Double {
        let n = sorted.count
        guard n > 0 else { return .nan }
        // Value k (0-based) covers [4k, 4k + 4] in units of 1/(4n); the middle half is [n, 3n].
        var total = 0.0
        for k in (n / 4)..<n where 4 * k < 3 * n {
            let overlap = min(4 * k + 4, 3 * n) - max(4 * k, n)
            if overlap > 0 { total += sorted[k] * Double(overlap) }
        }
        // Each unit of 1/(4n) weighs 2/(4n) = 1/(2n).
        return total / Double(2 * n)
    }
}
