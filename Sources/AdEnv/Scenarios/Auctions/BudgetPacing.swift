/// Budget pacing: one advertiser spreads a daily budget `B` over `S` time slots. Slot `i` brings
/// `N_i` auction opportunities, each worth `w_i` to the advertiser; each is a second-price auction
/// against one rival whose bid is uniform on `[0, M]`. Each step the agent sets a bid multiplier for
/// the slot, and bids `b_i = multiplier · w_i` in all its auctions.
///
/// - Observation (7 floats, each in [0, 1]), describing the slot about to be played (slot `i`, or
///   `i = S` after the last one):
///   - `slot_progress = i / S`;
///   - `budget_remaining_fraction = remaining / B`;
///   - `slot_value = w_i / M` (0 after the last slot);
///   - `slot_opportunities = N_i / max_j N_j` (0 after the last slot);
///   - `remaining_opportunity_share = Σ_{j ≥ i} N_j w_j² / Σ_j N_j w_j²`, the share of the day's
///     spendable value still ahead (a constant multiplier spends in proportion to it);
///   - `last_spend_fraction`, the previous slot's spend over `B` (0 at the start);
///   - `last_win_rate`, the previous slot's wins over its auctions (0 at the start or with none).
/// - Action: `Box(0, max_multiplier, [1])`, a `Float` bid multiplier. NaN or infinite values throw
///   ``ActionError/notFinite(action:)``; values outside the box throw ``ActionError/outOfSpace(action:space:)``.
/// - Auctions: for each of the slot's `N_i` opportunities the rival bids `r = M · u` (one uniform
///   draw `u` per opportunity, always, so the random stream does not depend on the actions). The
///   advertiser wins iff `b_i > r` **and** `r ≤ remaining budget`, and then pays `r`. The second
///   condition is the hard budget cut-off: an auction whose price would exceed the remaining budget is
///   lost, exactly as if the advertiser's bid were capped at its remaining budget. Spend therefore
///   never exceeds `B`, and there are no random drop-outs.
/// - Reward: the slot's quasi-linear utility, `Σ (w_i − r)` over the auctions won. It is negative for
///   an auction won above its value, which only bids above `w_i` (multiplier > 1) can do.
/// - Episode: `S` steps, one per slot; truncated after the last slot (the end of the budget
///   period). Never terminated: a spent budget only makes the remaining slots worthless, and the
///   episode still ends at the period's end. `max_episode_steps` must be `S` or absent.
/// - Info: `cost` (spend in the slot), `auctions` (`N_i`), `wins` (= `impressions`),
///   `budget_remaining`, and `least_winning_cost`, the mean rival bid over the slot's auctions
///   (in a second-price auction with one rival, the rival's bid is the least price that wins).
/// - Oracle: with bids `b ≤ M`, one auction is worth `(w b − b²/2) / M` in expectation and costs
///   `b² / (2M)`. Maximising `Σ N_i (w_i b_i − b_i²/2) / M` subject to the expected spend
///   `Σ N_i b_i² / (2M) ≤ B` gives `b_i = w_i / λ*` with `λ* = max(1, sqrt(Σ N_i w_i² / (2 M B)))`:
///   one constant multiplier `1/λ*` (``closedFormMultiplier()``). Its value,
///   ``expectedValue(multiplier:)`` at that multiplier, is `spec.oracle.expectedReturn`. The relaxation
///   only constrains the expected spend, so it bounds every policy's expected return; the oracle
///   loses a little to the hard cut-off (its spend varies around `B`: with the defaults about 0.3%).
///
/// Parameters:
/// - `budget`: `B`, in (0, 1e12]. Default 3,300.
/// - `rival_max_bid`: `M`, the rival bids uniformly on `[0, M]`, in (0, 1e6]. Default 1.
/// - `opportunities`: `N_i` per slot, 1 to 1,000 slots, each an integer in [0, 10,000,000], at least
///   one positive. Default a diurnal profile of 24 hourly slots from 450 to 2,550 (36,000 a day).
/// - `values`: `w_i` per slot, one per slot, each in (0, M] (so the optimal bids stay within the
///   rival's range, where the closed form holds). Default a diurnal profile from 0.2 to 0.8 peaking in
///   the evening, when traffic has passed its peak.
/// - `max_multiplier`: the action's upper bound, in [1, 100]. Default 4.
public struct BudgetPacing: ScenarioEnv {
    public static let kind = "budget-pacing"

    public static let defaultOpportunities = [
        975, 758, 591, 486, 450, 486, 591, 758, 975, 1228, 1500, 1772,
        2025, 2242, 2409, 2514, 2550, 2514, 2409, 2242, 2025, 1772, 1500, 1228,
    ]
    public static let defaultValues = [
        0.58, 0.5, 0.42, 0.35, 0.29, 0.24, 0.21, 0.2, 0.21, 0.24, 0.29, 0.35,
        0.42, 0.5, 0.58, 0.65, 0.71, 0.76, 0.79, 0.8, 0.79, 0.76, 0.71, 0.65,
    ]

    public let spec: EnvSpec
    /// `B`.
    public let budget: Double
    /// `M`.
    public let rivalMaxBid: Double
    /// `N_i` per slot.
    public let opportunities: [Int]
    /// `w_i` per slot.
    public let values: [Double]
    /// The action's upper bound.
    public let maxMultiplier: Float
    /// The number of slots `S`.
    public var slots: Int { opportunities.count }

    /// `1 / max N_j`, for the observation.
    private let opportunityScale: Float
    /// `Σ_{j ≥ i} N_j w_j² / Σ_j N_j w_j²` for `i = 0 … S`.
    private let remainingShare: [Float]
    private let oracleMultiplier: Float
    private var remaining: Double
    private var lastSpend = 0.0
    private var lastWinRate = 0.0
    private var clock: EpisodeClock
    private var rng = Xoshiro256(seed: 0)

    public init(scenario: Scenario) throws(ScenarioError) {
        var reader = ConfigReader(scenario.parameters, path: "parameters")
        let budget = try reader.double("budget", default: 3_300, in: Bounds(lower: 0, upper: 1e12, lowerInclusive: false))
        let rivalMaxBid = try reader.double("rival_max_bid", default: 1, in: Bounds(lower: 0, upper: 1e6, lowerInclusive: false))
        let opportunities = try reader.ints("opportunities", default: Self.defaultOpportunities, count: 1...1000, each: .closed(0, 10_000_000))
        let values = try reader.doubles(
            "values", default: Self.defaultValues, count: 1...1000, each: Bounds(lower: 0, upper: rivalMaxBid, lowerInclusive: false))
        let maxMultiplier = try reader.double("max_multiplier", default: 4, in: .closed(1, 100))
        try reader.finish()
        guard values.count == opportunities.count else {
            throw .invalidValue(path: reader.path(of: "values"), reason: "has \(values.count) elements, opportunities has \(opportunities.count)")
        }
        guard let busiest = opportunities.max(), busiest > 0 else {
            throw .invalidValue(path: reader.path(of: "opportunities"), reason: "has no opportunity at all")
        }
        if let steps = scenario.maxEpisodeSteps, steps != opportunities.count {
            throw .invalidValue(
                path: "max_episode_steps",
                reason: "is \(steps), but the episode has one step per slot: \(opportunities.count) (or leave it out)")
        }
        self.budget = budget
        self.rivalMaxBid = rivalMaxBid
        self.opportunities = opportunities
        self.values = values
        self.maxMultiplier = Float(maxMultiplier)
        self.opportunityScale = 1 / Float(busiest)
        let weights = zip(opportunities, values).map { Double($0) * $1 * $1 }
        let total = weights.reduce(0, +)
        var share = [Float](repeating: 0, count: opportunities.count + 1)
        var tail = 0.0
        for i in stride(from: opportunities.count - 1, through: 0, by: -1) {
            tail += weights[i]
            share[i] = Float(min(1, tail / total))
        }
        self.remainingShare = share
        self.remaining = budget
        self.clock = EpisodeClock(maxSteps: opportunities.count)
        let lambda = max(1, (total / (2 * rivalMaxBid * budget)).squareRoot())
        self.oracleMultiplier = Float(1 / lambda)
        let maxValue = values.max()!
        let optimum = Self.expectedValue(multiplier: 1 / lambda, opportunities: opportunities, values: values, rivalMaxBid: rivalMaxBid)
        self.spec = EnvSpec(
            id: scenario.id, kind: Self.kind, summary: scenario.summary,
            observationSpace: Box(low: 0, high: 1, shape: [7]),
            observationLabels: [
                "slot_progress", "budget_remaining_fraction", "slot_value", "slot_opportunities",
                "remaining_opportunity_share", "last_spend_fraction", "last_win_rate",
            ],
            actionSpace: .box(Box(low: 0, high: Float(maxMultiplier), shape: [1])), maxEpisodeSteps: opportunities.count,
            rewardRange: (-Double(busiest) * rivalMaxBid)...(Double(busiest) * maxValue),
            infoFields: [.cost, .auctions, .wins, .impressions, .budgetRemaining, .leastWinningCost],
            parameters: reader.resolved,
            oracle: OracleSpec(
                kind: .optimal, expectedReturn: optimum,
                note: "Bids w_i/λ* in every slot, λ* = max(1, sqrt(Σ N_i w_i² / (2MB))); expectedReturn is the value "
                    + "of that policy with the budget met in expectation, an upper bound the oracle nearly reaches under the hard cut-off."),
            source: scenario.source)
    }

    // MARK: Known answer

    /// The optimal constant bid multiplier `1/λ*`, `λ* = max(1, sqrt(Σ N_i w_i² / (2 M B)))`.
    public func closedFormMultiplier() -> Double { 1 / max(1, (weightTotal / (2 * rivalMaxBid * budget)).squareRoot()) }

    /// The expected return of bidding `multiplier · w_i` in every slot, ignoring the budget:
    /// `Σ N_i (w_i b_i − b_i²/2) / M` with each bid capped at `M` (a bid above `M` always wins and pays
    /// `M/2` on average). It is the real expected return as long as the budget is not hit.
    public func expectedValue(multiplier: Double) -> Double {
        Self.expectedValue(multiplier: multiplier, opportunities: opportunities, values: values, rivalMaxBid: rivalMaxBid)
    }

    /// The expected spend of bidding `multiplier · w_i` in every slot, ignoring the budget:
    /// `Σ N_i min(b_i, M)² / (2M)`.
    public func expectedSpend(multiplier: Double) -> Double {
        var total = 0.0
        for i in opportunities.indices {
            let b = min(multiplier * values[i], rivalMaxBid)
            total += Double(opportunities[i]) * b * b / (2 * rivalMaxBid)
        }
        return total
    }

    private var weightTotal: Double {
        zip(opportunities, values).reduce(0) { $0 + Double($1.0) * $1.1 * $1.1 }
    }

    static func expectedValue(multiplier: Double, opportunities: [Int], values: [Double], rivalMaxBid: Double) -> Double {
        var total = 0.0
        for i in opportunities.indices {
            let w = values[i], b = min(multiplier * w, rivalMaxBid)
            total += Double(opportunities[i]) * (w * b - b * b / 2) / rivalMaxBid
        }
        return total
    }

    // MARK: Env

    public mutating func reset(seed: UInt64?, observation: UnsafeMutableBufferPointer<Float>) -> StepInfo {
        if let seed { rng = Xoshiro256(seed: seed) }
        clock.start()
        remaining = budget
        lastSpend = 0
        lastWinRate = 0
        writeObservation(observation)
        var info = StepInfo()
        info.budgetRemaining = remaining
        return info
    }

    public func check(_ action: Float) throws(ActionError) {
        try clock.ensureRunning()
        try ActionError.checkScalar(action, in: 0...maxMultiplier)
    }

    public mutating func step(_ action: Float, observation: UnsafeMutableBufferPointer<Float>) throws(ActionError) -> Transition {
        try check(action)
        let slot = clock.step
        let n = opportunities[slot]
        let w = values[slot]
        let bid = Double(action) * w
        var spent = 0.0, utility = 0.0, rivalTotal = 0.0
        var wins = 0
        for _ in 0..<n {
            let rival = rivalMaxBid * rng.uniform()
            rivalTotal += rival
            if bid > rival && rival <= remaining {
                remaining -= rival
                spent += rival
                utility += w - rival
                wins += 1
            }
        }
        lastSpend = spent
        lastWinRate = n > 0 ? Double(wins) / Double(n) : 0
        let truncated = clock.advance(terminated: false)
        writeObservation(observation)
        var info = StepInfo()
        info.cost = spent
        info.auctions = Double(n)
        info.wins = Double(wins)
        info.impressions = Double(wins)
        info.budgetRemaining = remaining
        info.leastWinningCost = n > 0 ? rivalTotal / Double(n) : 0
        return Transition(reward: utility, terminated: false, truncated: truncated, info: info)
    }

    /// The closed-form optimal multiplier, whatever the state.
    public func oracleAction(using rng: inout Xoshiro256) -> Float { oracleMultiplier }

    /// A multiplier uniform on `[0, max_multiplier]`. One draw.
    public func randomAction(using rng: inout Xoshiro256) -> Float {
        min(maxMultiplier, Float(rng.uniform()) * maxMultiplier)
    }

    /// The budget left in the current episode.
    public var budgetRemaining: Double { remaining }

    private func writeObservation(_ observation: UnsafeMutableBufferPointer<Float>) {
        let i = clock.step
        let S = opportunities.count
        observation[0] = Float(i) / Float(S)
        observation[1] = Float(remaining / budget)
        observation[2] = i < S ? Float(values[i] / rivalMaxBid) : 0
        observation[3] = i < S ? Float(opportunities[i]) * opportunityScale : 0
        observation[4] = remainingShare[i]
        observation[5] = Float(min(1, lastSpend / budget))
        observation[6] = Float(lastWinRate)
    }
}
