/// The mean of a sample with its 95% confidence interval (Student's t).
public struct Summary: Sendable, Equatable {
    public var count: Int
    public var mean: Double
    /// The sample standard deviation (n − 1 in the denominator); 0 for a single value.
    public var standardDeviation: Double
    /// Half the width of the 95% confidence interval of the mean; infinite for a single value.
    public var halfWidth95: Double

    /// - Precondition: `values` is not empty.
    public init(_ values: [Double]) {
        precondition(!values.isEmpty, "a summary needs at least one value")
        count = values.count
        mean = values.reduce(0, +) / Double(count)
        guard count > 1 else {
            standardDeviation = 0
            halfWidth95 = .infinity
            return
        }
        let m = mean
        let variance = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(count - 1)
        standardDeviation = variance.squareRoot()
        halfWidth95 = Summary.tQuantile975(degreesOfFreedom: count - 1) * standardDeviation / Double(count).squareRoot()
    }

    /// The 95% confidence interval of the mean.
    public var interval95: ClosedRange<Double> { (mean - halfWidth95)...(mean + halfWidth95) }

    /// The 0.975 quantile of Student's t distribution: a table up to 30 degrees of freedom, then the
    /// Cornish–Fisher expansion around the normal quantile (error below 1e-4).
    public static func tQuantile975(degreesOfFreedom df: Int) -> Double {
        precondition(df >= 1)
        let table: [Double] = [
            12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
            2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
            2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
        ]
        if df <= table.count { return table[df - 1] }
        let z = 1.959964, n = Double(df)
        let z3 = z * z * z, z5 = z3 * z * z
        return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n)
    }
}
