/// A number computed from a sample, such as its mean or its interquartile mean, for the bootstrap.
public struct Statistic: Sendable {
    /// A short name for tables ("mean", "IQM").
    public let name: String
    private let evaluate: @Sendable ([Double]) -> Double

    /// A statistic computed by `evaluate` from a non-empty sample.
    public init(name: String, _ evaluate: @escaping @Sendable ([Double]) -> Double) {
        self.name = name
        self.evaluate = evaluate
    }

    /// The statistic of `sample`; NaN for an empty sample.
    public func callAsFunction(_ sample: [Double]) -> Double {
        sample.isEmpty ? .nan : evaluate(sample)
    }

    /// The arithmetic mean.
    public static let mean = Statistic(name: "mean") { $0.reduce(0, +) / Double($0.count) }

    /// The interquartile mean (see ``InterquartileMean``).
    public static let interquartileMean = Statistic(name: "IQM") { InterquartileMean.of($0) }
}
