/// The typed, deterministic info of one reset or step. It holds no wall-clock values.
///
/// Fields an env does not report (see ``EnvSpec/infoFields``) are zero. The action mask, where an
/// env has one, is read with ``Env/writeActionMask(into:)``; the Gymnasium-style API puts it in
/// ``Info/actionMask``.
public struct StepInfo: Sendable, Equatable {
    public var expectedReward: Double = 0
    public var optimalExpectedReward: Double = 0
    public var cost: Double = 0
    public var impressions: Double = 0
    public var clicks: Double = 0
    public var conversions: Double = 0
    public var leastWinningCost: Double = 0
    public var budgetRemaining: Double = 0
    public var churned: Double = 0
    public var auctions: Double = 0
    public var wins: Double = 0

    @inlinable
    public init() {}

    /// The value of `field`.
    @inlinable
    public subscript(field: InfoField) -> Double {
        get {
            switch field {
            case .expectedReward: expectedReward
            case .optimalExpectedReward: optimalExpectedReward
            case .cost: cost
            case .impressions: impressions
            case .clicks: clicks
            case .conversions: conversions
            case .leastWinningCost: leastWinningCost
            case .budgetRemaining: budgetRemaining
            case .churned: churned
            case .auctions: auctions
            case .wins: wins
            }
        }
        set {
            switch field {
            case .expectedReward: expectedReward = newValue
            case .optimalExpectedReward: optimalExpectedReward = newValue
            case .cost: cost = newValue
            case .impressions: impressions = newValue
            case .clicks: clicks = newValue
            case .conversions: conversions = newValue
            case .leastWinningCost: leastWinningCost = newValue
            case .budgetRemaining: budgetRemaining = newValue
            case .churned: churned = newValue
            case .auctions: auctions = newValue
            case .wins: wins = newValue
            }
        }
    }

    /// The instantaneous (pseudo-)regret: `optimalExpectedReward - expectedReward`.
    @inlinable
    public var regret: Double { optimalExpectedReward - expectedReward }
}
