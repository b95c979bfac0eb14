/// The named scalar fields an env can report in its step info.
///
/// Gymnasium's `info` is a free-form dict; AdEnv's is a fixed, typed struct (``StepInfo``) so that
/// filling it costs nothing on the hot path and it can travel over the wire as one float64 column per
/// field. Each env lists the fields it fills in ``EnvSpec/infoFields``; the others stay zero.
public enum InfoField: String, Sendable, CaseIterable, Codable {
    /// The true expected reward of the action taken, given the state (what a bandit's regret uses).
    case expectedReward = "expected_reward"
    /// The largest expected immediate reward any valid action had in this state.
    case optimalExpectedReward = "optimal_expected_reward"
    /// Money spent this step (the advertiser's cost, or what the advertiser paid the publisher).
    case cost
    /// Impressions served this step.
    case impressions
    /// Clicks this step.
    case clicks
    /// Conversions credited this step, including delayed ones that arrived now.
    case conversions
    /// The least price that would have won an impression this step (AuctionNet's `leastWinningCost`),
    /// averaged over the step's auctions; zero when there was no auction.
    case leastWinningCost = "least_winning_cost"
    /// The budget left after this step, in money (for envs with one budget).
    case budgetRemaining = "budget_remaining"
    /// Whether the user left (churned) this step: 1 or 0.
    case churned
    /// Auctions held this step.
    case auctions
    /// Auctions won this step.
    case wins
}
