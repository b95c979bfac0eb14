/// A user segment (for example an age band × device): a share of the traffic, a Gaussian over the
/// latent interest vector `u ∈ R^d`, and the level of rival demand for its users.
public struct Segment: Sendable, Equatable {
    /// A label for docs and logs.
    public var name: String
    /// The segment's share of arriving users (weights are normalised over segments).
    public var weight: Double
    /// The mean of `u`, `d` numbers.
    public var mean: [Double]
    /// The standard deviation of each component of `u` around `mean`.
    public var std: Double
    /// The log-normal location `mu` of the rival bidders' eCPM bids for this segment's users
    /// (money per mille; the median rival bid is `exp(rival_mu)`).
    public var rivalMu: Double

    public init(name: String, weight: Double, mean: [Double], std: Double, rivalMu: Double) {
        self.name = name
        self.weight = weight
        self.mean = mean
        self.std = std
        self.rivalMu = rivalMu
    }
}
