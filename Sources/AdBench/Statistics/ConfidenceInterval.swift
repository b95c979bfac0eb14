/// A point estimate with a confidence interval around it.
public struct ConfidenceInterval: Sendable, Equatable {
    /// The statistic on the original sample(s).
    public var estimate: Double
    public var lower: Double
    public var upper: Double

    public init(estimate: Double, lower: Double, upper: Double) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
    }

    /// The interval's width, `upper − lower`.
    public var width: Double { upper - lower }

    /// Whether `x` lies in `lower...upper`.
    public func contains(_ x: Double) -> Bool { lower <= x && x <= upper }
}
