#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The ad marketplace from one **advertiser's** side, scored as AuctionNet does: set a bid
/// multiplier per time slot under a daily budget and a CPA cap.
///
/// The world is ``MarketModel``'s. Our advertiser is campaign 0 (its creative, intercepts and
/// `budget` B); the other campaigns and R log-normal rival bidders compete with it in a GSP auction
/// with K slots for each opportunity.
///
/// - Step: one time slot of the day; the day has `max_episode_steps` of them (default 48, so 30
///   minutes each). Within slot i,
///   `Poisson(∫ λ(t) dt)` opportunities arrive, each a user drawn from the segments. The day's
///   expected opportunities, `24 · traffic.base_rate`, may be at most ``maxOpportunitiesPerDay``
///   (10 million; the env stores every opportunity of the day).
/// - Action: `Box([0], [alpha_max])`, the bid multiplier α (the box's high is `Float(alpha_max)`,
///   and actions are checked against that `Float`). For each opportunity we bid per click
///   `α · pCVR(user) · cpa_target`, ranked by `bid · pCTR` against the competitors' scores (CPM
///   campaigns `bid/1000`, CPC `bid · pCTR`, CPA `bid · pCTR · pCVR`, rivals `eCPM/1000`). Winning
///   slot k, we pay per click the least bid that keeps slot k (next score / our pCTR, at least the
///   reserve / pCTR). NaN or infinite α → ``ActionError/notFinite(action:)``; outside the bounds →
///   ``ActionError/outOfSpace(action:space:)``.
/// - Budget: a hard cut-off. We skip every auction whose bid per click (the most one click can
///   cost) exceeds the remaining budget, so spend never exceeds B.
/// - Reward: the conversions credited in the slot (conversions arrive after an exponential delay;
///   those due after the day's end are censored). At the last step the AuctionNet correction
///   `score − conversions` is added, so the episode return is exactly
///   `score = conversions · min(1, (cpa_target / CPA)²)`, `CPA = spend / conversions` (0 without
///   conversions), counting credited conversions and all spend.
/// - Episode: truncated after `max_episode_steps` steps (the day's end); never terminated.
/// - Observation: see ``observationLabels``.
/// - Info: `cost`, `auctions` (opportunities we bid in), `wins`, `impressions`, `clicks`,
///   `conversions` (credited now), `least_winning_cost` (mean over the slot's opportunities of
///   `max(K-th competitor score, reserve)`, money per mille), `budget_remaining`, `expected_reward`
///   (expected conversions of this slot's wins).
/// - Oracle (hindsight): ``hindsightBound()`` solves the LP of ``HindsightLP`` on the episode's
///   opportunities, which the env draws from its exogenous stream at reset (the same whatever the
///   bids). ``oracleAction(using:)`` bids the best constant multiplier for the episode, found by
///   replaying its opportunities in expectation (``bestConstantMultiplier()``), computed once per
///   episode (see ``OracleMemo``).
///
/// Simplifications kept for exogeneity: the other campaigns have no budgets here and are not worn
/// out, and each opportunity is a fresh user (no sessions, no fatigue). Our own creative wears out.
///
/// World changes (both from the market stream, at reset, so they stay exogenous): drift moves the
/// segment means at the start of every time slot but the first (one step = one time slot here, not
/// one opportunity as in AdMarket); the CTR switch shifts the click intercepts from step index
/// `ctr_switch.step` on (step 0: the whole day).
///
/// Random streams: the market stream (the day's opportunities and drift) and the outcome stream
/// (clicks, conversions, delays) are derived from the seed by ``streams(seed:)``; a new env starts
/// with those of seed 0, so `reset(seed: nil)` on a never-seeded env is `reset(seed: 0)`.
///
/// Parameters: every key of ``MarketConfig`` (with ``defaultWorld``'s defaults), plus
/// - `cpa_target` (0.5): the CPA cap κ, money per conversion.
/// - `alpha_max` (10): the largest bid multiplier.
public struct AutoBidding: ScenarioEnv {
    public static let kind = "auto-bidding"
    /// Time slots per day when the scenario file gives no `max_episode_steps`.
    public static let defaultTimeSteps = 48
    /// The most expected opportunities per day, `24 · traffic.base_rate`. The env keeps the whole
    /// day's opportunities in memory (about `(6 + K) · 8` bytes each), so larger days are refused.
    public static let maxOpportunitiesPerDay = 10_000_000.0

    /// The default world: the standard one with a performance advertiser as campaign 0 and
    /// 250 opportunities per hour.
    public static let defaultWorld: MarketConfig = {
        var c = MarketConfig.standard
        c.trafficBaseRate = 250
        c.switchStep = 24  // midday, when enabled
        c.campaigns[0] = Campaign(
            name: "our-shop", category: "retail", pricing: .cpc, bid: 0.3, budget: 30, value: 10,
            ctrIntercept: -4.0, cvrIntercept: -2.0, creative: [0.4, 0.6, 0.5, 0.2, 0.3, 0.3, 0.1, 0.2])
        return c
    }()

    public let spec: EnvSpec
    public private(set) var model: MarketModel
    public let timeSteps: Int
    public let cpaTarget: Double
    /// The largest bid multiplier, as the action space holds it: `Double(Float(alpha_max))`.
    public let alphaMax: Double
    /// `Float(alpha_max)`, the action space's high; actions are checked against it.
    public let alphaMaxF: Float
    public let budget: Double
    /// The most opportunities a day can hold (the Poisson count is clamped there; never reached in
    /// practice: the capacity is the mean plus 8 standard deviations plus 16 per slot).
    public let capacity: Int

    // Episode state.
    public private(set) var remaining = 0.0
    public private(set) var spend = 0.0
    /// Conversions credited so far.
    public private(set) var conversions = 0.0
    public private(set) var censoredConversions = 0
    /// Opportunities dropped because a slot's Poisson draw exceeded its capacity.
    public private(set) var clampedOpportunities = 0
    public private(set) var pending: DelayedConversions
    /// Our impressions in the episode (our creative's wear-out count).
    public private(set) var impressions = 0
    private var clock: EpisodeClock

    // The day's opportunities, drawn at reset. Opportunities of step i are
    // `start[i] ..< start[i + 1]`.
    public private(set) var start: [Int]
    private var hours: [Double]
    private var logit: [Double]        // our click logit z0 = u·a0 + b0 (no slot term, no wear)
    private var clickRate: [Double]    // σ(z0)
    private var conversionRate: [Double]
    private var arrival: [Double]      // P(conversion arrives before the day ends)
    private var top: [Double]          // K competitor scores per opportunity, descending (money per impression)
    private let slotCapacity: [Int]
    private let slotMean: [Double]

    // Scratch and observation state.
    private var scratch: [Double]
    private var rivalScratch: [Double]
    private var lastWinRate = 0.0
    private var lastLeastWinningCost = 0.0
    private var lastSpend = 0.0
    private var lastConversions = 0.0
    private var lastAlpha = 0.0
    private var lastOpportunities = 0.0
    private let slotIntercepts: [Double]
    private let slotInterceptsZero: Bool
    private let examination: [Double]
    private let reservePerImpression: Double
    private let bids: [Double]
    private let pricing: [PricingModel]
    /// `(1 + n/τ)^(−α)` for n = 0 ... capacity.
    private let wearTable: [Double]
    private let meanDelay: Double
    private var marketRng: Xoshiro256
    private var outcomeRng: Xoshiro256
    /// The episode's oracle multiplier, computed on the first oracle call; replaced at every reset.
    private(set) var oracleMemo = OracleMemo()

    public init(scenario: Scenario) throws(ScenarioError) {
        var reader = ConfigReader(scenario.parameters, path: "parameters")
        let config = try MarketConfig(reading: &reader, defaults: Self.defaultWorld)
        cpaTarget = try reader.double("cpa_target", default: 0.5, in: .positive)
        let alphaMaxConfigured = try reader.double("alpha_max", default: 10, in: .closed(1e-6, 1e6))
        try reader.finish()
        guard 24 * config.trafficBaseRate <= Self.maxOpportunitiesPerDay else {
            throw .outOfRange(
                path: "parameters.traffic.base_rate", value: "\(config.trafficBaseRate)",
                allowed: "[0.01, \(Self.maxOpportunitiesPerDay / 24)] for kind auto-bidding (at most \(Int(Self.maxOpportunitiesPerDay)) expected opportunities per day)")
        }
        alphaMaxF = Float(alphaMaxConfigured)
        alphaMax = Double(alphaMaxF)
        let steps = scenario.maxEpisodeSteps ?? Self.defaultTimeSteps
        guard steps <= 100_000 else {
            throw .outOfRange(path: "max_episode_steps", value: "\(steps)", allowed: "[1, 100000] for kind auto-bidding")
        }
        timeSteps = steps
        model = MarketModel(config: config)
        budget = config.campaigns[0].budget
        pending = DelayedConversions(capacity: config.queueCapacity)
        clock = EpisodeClock(maxSteps: steps)
        (marketRng, outcomeRng) = Self.streams(seed: 0)
        var means: [Double] = [], caps: [Int] = []
        for i in 0..<steps {
            let m = model.diurnal.expectedArrivals(from: 24 * Double(i) / Double(steps), to: 24 * Double(i + 1) / Double(steps))
            means.append(m)
            caps.append(Int((m + 8 * m.squareRoot() + 16).rounded(.up)))
        }
        slotMean = means
        slotCapacity = caps
        capacity = caps.reduce(0, +)
        let k = config.slots
        start = [Int](repeating: 0, count: steps + 1)
        hours = [Double](repeating: 0, count: capacity)
        logit = [Double](repeating: 0, count: capacity)
        clickRate = [Double](repeating: 0, count: capacity)
        conversionRate = [Double](repeating: 0, count: capacity)
        arrival = [Double](repeating: 0, count: capacity)
        top = [Double](repeating: 0, count: capacity * k)
        scratch = [Double](repeating: 0, count: config.latentDim)
        rivalScratch = [Double](repeating: 0, count: config.rivals)
        slotIntercepts = config.slotIntercepts
        slotInterceptsZero = config.slotIntercepts.allSatisfy { $0 == 0 }
        examination = model.clickModel.examination
        reservePerImpression = config.reserve / 1000
        bids = config.campaigns.map(\.bid)
        pricing = config.campaigns.map(\.pricing)
        meanDelay = config.meanDelayHours
        wearTable = (0...capacity).map { config.wearAlpha > 0 ? pow(1 + Double($0) / config.wearTau, -config.wearAlpha) : 1 }
        spec = EnvSpec(
            id: scenario.id, kind: Self.kind, summary: scenario.summary,
            observationSpace: Box(low: [Float](repeating: -1, count: Self.observationLabels.count),
                                  high: [Float](repeating: .infinity, count: Self.observationLabels.count)),
            observationLabels: Self.observationLabels,
            actionSpace: .box(Box(low: [0], high: [alphaMaxF])), maxEpisodeSteps: steps,
            infoFields: [.expectedReward, .cost, .auctions, .wins, .impressions, .clicks, .conversions,
                         .leastWinningCost, .budgetRemaining],
            parameters: reader.resolved,
            oracle: OracleSpec(
                kind: .hindsight, expectedReturn: nil,
                note: "Bids the constant multiplier with the best expected score on the episode's own opportunities (replayed in expectation); hindsightBound() gives the episode's LP upper bound (max expected conversions s.t. spend ≤ B and CPA ≤ target, extended to the score)."),
            source: scenario.source)
    }

    /// The observation's element names.
    public static let observationLabels = [
        "time_left", "time_sin", "time_cos", "budget_left", "last_win_rate", "last_least_winning_cost",
        "last_spend_vs_pace", "last_conversions_vs_pace", "cpa_vs_target", "conversions_vs_target",
        "last_alpha", "last_opportunities_vs_mean",
    ]

    // MARK: Episode

    /// The market and outcome streams of `seed` (splits 1 and 3 of the seed's stream, in that
    /// order). `init` starts with those of seed 0.
    public static func streams(seed: UInt64) -> (market: Xoshiro256, outcome: Xoshiro256) {
        var root = Xoshiro256(seed: seed)
        let market = root.split(stream: 1)
        let outcome = root.split(stream: 3)
        return (market, outcome)
    }

    public mutating func reset(seed: UInt64?, observation: UnsafeMutableBufferPointer<Float>) -> StepInfo {
        if let seed { (marketRng, outcomeRng) = Self.streams(seed: seed) }
        clock.start()
        model.startEpisode()
        impressions = 0
        oracleMemo = OracleMemo()
        pending.removeAll()
        remaining = budget
        spend = 0
        conversions = 0
        censoredConversions = 0
        clampedOpportunities = 0
        lastWinRate = 0; lastLeastWinningCost = 0; lastSpend = 0; lastConversions = 0; lastAlpha = 0; lastOpportunities = 0
        generateDay()
        writeObservation(observation)
        var info = StepInfo()
        info.budgetRemaining = remaining
        return info
    }

    public func check(_ action: Float) throws(ActionError) {
        try clock.ensureRunning()
        try ActionError.checkScalar(action, in: 0...alphaMaxF)
    }

    public mutating func step(_ action: Float, observation: UnsafeMutableBufferPointer<Float>) throws(ActionError) -> Transition {
        try check(action)
        let i = clock.step
        let alpha = Double(action)
        let k = model.slots
        var info = StepInfo()
        var lwcSum = 0.0
        let first = start[i], end = start[i + 1]
        // Disjoint stored properties: `top` is read while the budget, wear-out, queue and outcome
        // stream change.
        top.withUnsafeBufferPointer { all in
            for o in first..<end {
                let t = UnsafeBufferPointer(rebasing: all[(o * k)..<(o * k + k)])
                lwcSum += GSPAuction.leastWinningScore(against: t, reserve: reservePerImpression)
                let bidPerClick = alpha * conversionRate[o] * cpaTarget
                guard bidPerClick > 0, bidPerClick <= remaining else { continue }
                info.auctions += 1
                let w = wearTable[impressions]
                let pctr = clickRate[o] * w
                guard let (slot, threshold) = GSPAuction.place(score: bidPerClick * pctr, against: t, reserve: reservePerImpression) else { continue }
                info.wins += 1
                info.impressions += 1
                impressions += 1
                let pClick = examination[slot] * (slotInterceptsZero ? clickRate[o] : ClickModel.sigmoid(logit[o] + slotIntercepts[slot])) * w
                info.expectedReward += pClick * conversionRate[o] * arrival[o]
                guard outcomeRng.uniform() < pClick else { continue }
                info.clicks += 1
                let price = Swift.min(threshold / pctr, bidPerClick)
                remaining -= price
                spend += price
                info.cost += price
                if outcomeRng.uniform() < conversionRate[o] {
                    let delay = meanDelay > 0 ? outcomeRng.exponential(mean: meanDelay) : 0
                    let due = hours[o] + delay
                    if !(due < 24 && pending.push(time: due, campaign: 0)) { censoredConversions += 1 }
                }
            }
        }
        let endHour = 24 * Double(i + 1) / Double(timeSteps)
        while pending.popDue(atOrBefore: endHour) != nil { info.conversions += 1 }
        conversions += info.conversions
        var reward = info.conversions
        let truncated = clock.advance(terminated: false)
        if truncated {
            censoredConversions += pending.count
            pending.removeAll()
            reward += HindsightLP.score(conversions: conversions, spend: spend, cpaTarget: cpaTarget) - conversions
        }
        let n = Double(end - first)
        info.leastWinningCost = n > 0 ? 1000 * lwcSum / n : 0
        info.budgetRemaining = remaining
        lastWinRate = info.auctions > 0 ? info.wins / info.auctions : 0
        lastLeastWinningCost = info.leastWinningCost
        lastSpend = info.cost
        lastConversions = info.conversions
        lastAlpha = alpha
        lastOpportunities = n
        writeObservation(observation)
        return Transition(reward: reward, terminated: false, truncated: truncated, info: info)
    }

    // MARK: Oracle

    /// The expected cost and expected conversions of winning each ad slot of each opportunity of
    /// the day from step `from` on, with our creative unworn (`K` entries per opportunity; slots
    /// no multiplier up to `alpha_max` can win are marked unavailable with an infinite cost).
    public func hindsightItems(from firstStep: Int = 0) -> (costs: [Double], values: [Double]) {
        let k = model.slots
        var costs: [Double] = [], values: [Double] = []
        for o in start[firstStep]..<start[timeSteps] {
            let maxScore = alphaMax * conversionRate[o] * cpaTarget * clickRate[o]
            for slot in 0..<k {
                let competitor = top[o * k + slot]
                let threshold = Swift.max(competitor, reservePerImpression)
                let click = examination[slot] * (slotInterceptsZero ? clickRate[o] : ClickModel.sigmoid(logit[o] + slotIntercepts[slot]))
                let winnable = maxScore > competitor && maxScore >= reservePerImpression
                costs.append(winnable ? click / clickRate[o] * threshold : .infinity)
                values.append(click * conversionRate[o] * arrival[o])
            }
        }
        return (costs, values)
    }

    /// The hindsight LP on this episode's opportunities (the whole day, budget B): see
    /// ``HindsightLP``. `scoreBound` is a fluid upper bound on the expected episode return of any
    /// policy (expected conversions and expected spend; the realised return fluctuates around its
    /// expectation).
    public func hindsightSolution() -> HindsightLP.Solution {
        let items = hindsightItems()
        return HindsightLP.solve(costs: items.costs, values: items.values, options: model.slots, budget: budget, cpaTarget: cpaTarget)
    }

    /// The hindsight bound on this episode's score (``HindsightLP/Solution/scoreBound``).
    public func hindsightBound() -> Double { hindsightSolution().scoreBound }

    /// The multiplier the dual of the hindsight LP implies: an option is worth taking when its
    /// conversions per unit of money reach the marginal efficiency `e*`, which a bid per click of
    /// `pCVR / e*` achieves (ignoring censoring), i.e. `α = 1/(e* · cpa_target)`, clamped to
    /// `[0, alpha_max]`. In a multi-slot GSP this is only approximately optimal; the oracle uses
    /// ``bestConstantMultiplier()``.
    public func dualMultiplier() -> Double {
        let e = hindsightSolution().efficiency
        if e == 0 { return 0 }
        if !e.isFinite { return alphaMax }
        return Swift.min(Swift.max(1 / (e * cpaTarget), 0), alphaMax)
    }

    /// The expected (fluid) outcome of bidding the constant multiplier `alpha` all day on this
    /// episode's opportunities: expected spend and conversions, with the budget cut-off applied to the
    /// expected remaining budget and wear-out to the deterministic count of wins.
    public func fluidOutcome(alpha: Double) -> (conversions: Double, spend: Double, score: Double) {
        let k = model.slots
        var rem = budget, spent = 0.0, conv = 0.0, wins = 0
        for o in 0..<start[timeSteps] {
            let bid = alpha * conversionRate[o] * cpaTarget
            guard bid > 0, bid <= rem else { continue }
            let w = wins < wearTable.count ? wearTable[wins] : wearTable[wearTable.count - 1]
            let pctr = clickRate[o] * w
            let placed = top.withUnsafeBufferPointer {
                GSPAuction.place(score: bid * pctr, against: UnsafeBufferPointer(rebasing: $0[(o * k)..<(o * k + k)]), reserve: reservePerImpression)
            }
            guard let (slot, threshold) = placed else { continue }
            wins += 1
            let pClick = examination[slot] * (slotInterceptsZero ? clickRate[o] : ClickModel.sigmoid(logit[o] + slotIntercepts[slot])) * w
            let cost = pClick * Swift.min(threshold / pctr, bid)
            rem -= cost
            spent += cost
            conv += pClick * conversionRate[o] * arrival[o]
        }
        return (conv, spent, HindsightLP.score(conversions: conv, spend: spent, cpaTarget: cpaTarget))
    }

    /// The constant multiplier with the best fluid score on this episode's opportunities: a grid of
    /// 25 log-spaced values in `[alpha_max/10⁴, alpha_max]`, refined by 16 golden-section steps
    /// around the best grid point.
    public func bestConstantMultiplier() -> Double {
        // `alphaMax` is `Double(Float(alpha_max))`, the top of the action space exactly.
        let lo = log(alphaMax / 10_000), hi = log(alphaMax)
        var bestX = hi, bestF = -1.0
        let n = 25
        for j in 0..<n {
            let x = lo + (hi - lo) * Double(j) / Double(n - 1)
            let f = fluidOutcome(alpha: exp(x)).score
            if f > bestF { bestF = f; bestX = x }
        }
        let step = (hi - lo) / Double(n - 1)
        var a = Swift.max(bestX - step, lo), b = Swift.min(bestX + step, hi)
        let g = (5.0.squareRoot() - 1) / 2
        var x1 = b - g * (b - a), x2 = a + g * (b - a)
        var f1 = fluidOutcome(alpha: exp(x1)).score, f2 = fluidOutcome(alpha: exp(x2)).score
        for _ in 0..<16 {
            if f1 >= f2 {
                b = x2; x2 = x1; f2 = f1
                x1 = b - g * (b - a); f1 = fluidOutcome(alpha: exp(x1)).score
            } else {
                a = x1; x1 = x2; f1 = f2
                x2 = a + g * (b - a); f2 = fluidOutcome(alpha: exp(x2)).score
            }
        }
        if f1 > bestF { bestF = f1; bestX = x1 }
        if f2 > bestF { bestF = f2; bestX = x2 }
        return exp(bestX)
    }

    /// The hindsight oracle: the constant multiplier with the best fluid score on the episode's own
    /// opportunities (``bestConstantMultiplier()``, computed from the start of the day, so the same
    /// at every step of an episode), as a `Float` in the action space.
    ///
    /// The search (about a millisecond at the defaults) runs once per episode, on the first call;
    /// later calls read ``OracleMemo``.
    public func oracleAction(using rng: inout Xoshiro256) -> Float {
        guard clock.isRunning else { return 0 }
        if let alpha = oracleMemo.value { return alpha }
        let alpha = Float(bestConstantMultiplier()).clamped(0, alphaMaxF)
        oracleMemo.value = alpha
        return alpha
    }

    public func randomAction(using rng: inout Xoshiro256) -> Float {
        Float(rng.uniform(0, alphaMax)).clamped(0, alphaMaxF)
    }

    /// The oracle's multiplier for one episode, filled on the first ``oracleAction(using:)`` call.
    ///
    /// Why a reference: `oracleAction` does not mutate the env, and computing the multiplier at
    /// every reset would slow episodes of every other policy by about 40% (the search replays the
    /// day 43 times). The memo is write-once and its value is a pure function of the episode's
    /// opportunities, so it changes nothing observable: `reset` installs a fresh memo, hence copies
    /// of an env share one only while they are in the same episode (where they would compute the
    /// same value), a copy's reset never touches another copy's memo, and vector copies, which
    /// are all reset before their first step, never share one. `reset(seed:)` stays a pure
    /// function of the seed. The value is stored atomically (the bits of a `Float`, `UInt64.max`
    /// while unset), so copies on different threads may use it safely.
    final class OracleMemo: Sendable {
        private static let unset = UInt64.max
        private let bits = Atomic<UInt64>(OracleMemo.unset)

        var value: Float? {
            get {
                let b = bits.load(ordering: .acquiring)
                return b == Self.unset ? nil : Float(bitPattern: UInt32(truncatingIfNeeded: b))
            }
            set {
                bits.store(newValue.map { UInt64($0.bitPattern) } ?? Self.unset, ordering: .releasing)
            }
        }
    }

    // MARK: Internals

    /// Draws the day's opportunities from the market stream, independent of the bids: per slot one
    /// Poisson count; per opportunity 1 draw for the time, 1 for the segment, `2⌈d/2⌉` for `u` and
    /// `2⌈R/2⌉` for the rivals; with drift enabled, `2⌈S·d/2⌉` more at the start of every slot but
    /// the first (the segment means' steps).
    private mutating func generateDay() {
        let k = model.slots, d = model.latentDim, cCount = model.campaignCount
        let driftEnabled = model.config.driftEnabled, switchEnabled = model.config.switchEnabled
        let switchStep = model.config.switchStep, sigma = model.config.rivalSigma
        let gamma = model.clickModel.cvrAffinity
        var o = 0
        for i in 0..<timeSteps {
            if switchEnabled && i == switchStep { model.applySwitch() }
            if driftEnabled && i > 0 { model.drift(using: &marketRng) }
            start[i] = o
            var n = marketRng.poisson(mean: slotMean[i])
            if n > slotCapacity[i] {
                clampedOpportunities += n - slotCapacity[i]
                n = slotCapacity[i]
            }
            let slotStart = 24 * Double(i) / Double(timeSteps), slotLength = 24 / Double(timeSteps)
            for _ in 0..<n {
                let hour = slotStart + slotLength * marketRng.uniform()
                let s = model.drawSegment(using: &marketRng)
                scratch.withUnsafeMutableBufferPointer { marketRng.fillNormals($0) }
                let std = model.segmentStd[s]
                for j in 0..<d { scratch[j] = model.segmentMeans[s * d + j] + std * scratch[j] }
                // Competitors: the other campaigns, then the rivals.
                let base = o * k
                for slot in 0..<k { top[base + slot] = 0 }
                var ourDot = 0.0
                top.withUnsafeMutableBufferPointer { all in
                    let t = UnsafeMutableBufferPointer(rebasing: all[base..<(base + k)])
                    scratch.withUnsafeBufferPointer { u in
                        ourDot = model.affinity(u, campaign: 0)
                        for c in 1..<cCount {
                            let bid = bids[c]
                            let score: Double
                            switch pricing[c] {
                            case .cpm: score = bid / 1000
                            case .cpc:
                                let dot = model.affinity(u, campaign: c)
                                score = bid * ClickModel.sigmoid(dot + model.ctrIntercepts[c])
                            case .cpa:
                                let dot = model.affinity(u, campaign: c)
                                score = bid * ClickModel.sigmoid(dot + model.ctrIntercepts[c])
                                    * ClickModel.sigmoid(model.cvrIntercepts[c] + gamma * dot)
                            }
                            GSPAuction.insert(score, into: t)
                        }
                    }
                    let r = rivalScratch.count
                    if r > 0 {
                        rivalScratch.withUnsafeMutableBufferPointer { marketRng.fillNormals($0) }
                        let mu = model.rivalLocation(segment: s, hour: hour)
                        // Compare in log space; only bids that enter the top K need an `exp`.
                        var floor = t[k - 1] > 0 ? log(t[k - 1] * 1000) : -Double.infinity
                        for j in 0..<r {
                            let x = mu + sigma * rivalScratch[j]
                            if x > floor {
                                GSPAuction.insert(exp(x) / 1000, into: t)
                                floor = t[k - 1] > 0 ? log(t[k - 1] * 1000) : -Double.infinity
                            }
                        }
                    }
                }
                hours[o] = hour
                let z = ourDot + model.ctrIntercepts[0]
                logit[o] = z
                clickRate[o] = ClickModel.sigmoid(z)
                conversionRate[o] = ClickModel.sigmoid(model.cvrIntercepts[0] + gamma * ourDot)
                arrival[o] = model.arrivalProbability(atHour: hour)
                o += 1
            }
        }
        start[timeSteps] = o
    }

    private func writeObservation(_ obs: UnsafeMutableBufferPointer<Float>) {
        let step = clock.isRunning ? clock.step : timeSteps
        let hour = 24 * Double(step) / Double(timeSteps)
        obs[0] = Float(1 - Double(step) / Double(timeSteps))
        obs[1] = Float(sin(2 * Double.pi * hour / 24))
        obs[2] = Float(cos(2 * Double.pi * hour / 24))
        obs[3] = Float(remaining / budget)
        obs[4] = Float(lastWinRate)
        obs[5] = Float(lastLeastWinningCost / 5)
        let pace = budget / Double(timeSteps)
        obs[6] = Float(lastSpend / pace)
        obs[7] = Float(lastConversions / (pace / cpaTarget))
        obs[8] = conversions > 0 ? Float(Swift.min(spend / conversions / cpaTarget, 5)) : 0
        obs[9] = Float(conversions / (budget / cpaTarget))
        obs[10] = Float(lastAlpha / alphaMax)
        let meanOpportunities = step > 0 ? slotMean[step - 1] : slotMean[0]
        obs[11] = Float(lastOpportunities / meanOpportunities)
    }
}
