#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The full ad marketplace from the publisher's side: for each ad slot of each page view, choose
/// which direct campaign fills it, or sell it to the ad exchange.
///
/// The world (``MarketModel``): users of S segments with latent interests `u ∈ R^d` browse in
/// sessions of page views with K slots each; campaigns have creatives `a ∈ R^d`, a pricing model
/// (CPM, CPC, CPA), a bid and a daily budget; clicks follow
/// `θ_k · σ(u·a + b_a + b_slot) · ρ^(recent exposures) · (1 + n/τ)^(−α)`; CPA conversions arrive
/// after an exponential delay and are censored at the end of the day; R rival bidders in the
/// exchange bid log-normal eCPMs whose location depends on the segment and the hour.
///
/// - Step: one ad opportunity, slot `k` of the current page view (slots fill top-down). After the
///   K-th slot the page view ends: the user leaves with probability
///   `leave_base + irrelevance_weight · (1 − mean relevance of the page's ads) +
///   repetition_weight · (fraction of the page's ads the user had already seen this session)`,
///   and a departure costs `churn_gap` page views of inventory before the next user arrives. With
///   `idle_gap` those page views are played as idle steps (K each): no user, only the exchange action
///   valid, nothing sold, reward 0 (conversions of earlier clicks may still arrive), observation
///   element `idle` = 1; then the day always has `⌈24 · base_rate⌉ · K` steps.
/// - Time: the day is measured in expected page views, `24 · base_rate` of them; page view `x`
///   happens at hour `Λ⁻¹(x)` of the diurnal curve `λ(t) = λ0 (1 + A sin(2π(t − phase)/24))`. The
///   episode is one budget day: it is truncated at the end of the page view that uses up the day's
///   page views (departures' gaps included), and never terminated, since departing users are
///   replaced by new ones. The episode length is derived, not configured: without departures the day
///   has `⌈24 · base_rate⌉` whole page views, so at most `⌈24 · base_rate⌉ · K` steps, which is
///   ``EnvSpec/maxEpisodeSteps``. A scenario may leave `max_episode_steps` out (the default) or set it
///   at least that high (it then never binds); a smaller value is rejected, since it would silently
///   cut the budget day short.
/// - Action: `Discrete(C + 1)`. Action `c < C` shows campaign `c`; action `C` sells the slot to the
///   exchange (a second-price auction among the rivals with the reserve; always valid). Campaigns
///   already shown on this page view, and campaigns whose remaining budget (less what their
///   pending conversions may still charge) cannot cover their largest charge, are masked.
/// - Reward: `reward_scale ·` publisher revenue this step (CPM: `bid/1000` per impression; CPC: `bid`
///   on a click; CPA: `bid` when a conversion arrives; exchange: the clearing eCPM / 1000) minus
///   `ux_weight · (1 − relevance)`, relevance = `σ(u·a)` for a campaign and `exchange_relevance`
///   for an exchange ad.
/// - Observation: see ``observationLabels(config:exchangePrice:ecpmEstimates:idle:)`` and
///   `docs/scenarios/AdMarket-v0.md` (`AdMarket-v1.md` for the `ad_server` and `idle_gap` elements).
/// - Info: `cost` (money paid by advertisers this step), `impressions`, `clicks`, `conversions`
///   (CPA conversions credited now), `least_winning_cost` (the exchange's least winning eCPM,
///   `max(highest rival bid, reserve)`, money per mille), `auctions`/`wins` (exchange sales),
///   `budget_remaining` (all campaigns), `churned`, `expected_reward` and `optimal_expected_reward`.
/// - Oracle: privileged and myopic: the valid action with the highest true expected immediate
///   reward (true `u`, fatigue, wear-out, the drawn rival bids). It ignores budgets, fatigue and
///   churn to come, so planning agents can beat it.
///
/// Random streams: the market stream draws the rival bids (`2⌈R/2⌉` draws per opportunity, whatever
/// the action); the user stream draws arriving users and drift; the outcome stream draws clicks,
/// conversions, delays and departures. All three are derived from the seed by ``streams(seed:)``; a
/// new env starts with the streams of seed 0, so `reset(seed: nil)` on a never-seeded env is
/// `reset(seed: 0)`.
///
/// World changes: drift moves the segment means and the current user's interests after every step
/// (one step = one opportunity here). The CTR switch takes effect from step index `ctr_switch.step`
/// on: the opportunity of that step and all later ones see the shifted intercepts (`step` 0 applies
/// it at reset, before the first user arrives).
///
/// Parameters: every key of ``MarketConfig`` (the world), plus
/// - `reward_scale` (1000): reward units per unit of money (1000 makes rewards eCPMs).
/// - `ux_weight` (2.0): the user-experience penalty per unit of irrelevance, in reward units.
/// - `exchange_relevance` (0.5): the relevance of an exchange ad.
/// - `ad_server`: what the publisher's ad server knows at decision time and puts in the observation
///   (both off by default, as in `AdMarket-v0`): `exchange_price` (false) appends the exchange's
///   clearing price for this opportunity (0 if it would go unsold), as header bidding or a unified
///   auction reveals it before the direct-versus-exchange choice; `ecpm_estimates` (false) appends
///   ``estimatedECPM(_:)`` per campaign, from the click and conversion models at the *observed*
///   user features; `ecpm_scale` (10) divides both (money per mille). Neither draws randomness.
/// - `idle_gap` (false): play a departure's `churn_gap` page views as idle steps instead of skipping
///   them (the same day return; a learner that discounts per step now sees the lost inventory).
public struct AdMarket: ScenarioEnv {
    public static let kind = "ad-market"

    public let spec: EnvSpec
    public private(set) var model: MarketModel
    public private(set) var user: UserSession
    public private(set) var fatigue: FatigueState
    public private(set) var pending: DelayedConversions
    public let rewardScale: Double
    public let uxWeight: Double
    public let exchangeRelevance: Double
    /// Whether the observation ends with the exchange's clearing price (`ad_server.exchange_price`).
    public let showsExchangePrice: Bool
    /// Whether the observation ends with the ad server's eCPM estimate per campaign
    /// (`ad_server.ecpm_estimates`).
    public let showsECPMEstimates: Bool
    /// Observed prices are money per mille divided by this (`ad_server.ecpm_scale`).
    public let ecpmScale: Double
    /// Whether a departure's churn gap is played as idle steps (`idle_gap`) instead of skipped.
    public let playsIdleGap: Bool
    /// Page views of the current churn gap still to play (0 while a user is browsing); only with
    /// ``playsIdleGap``.
    public private(set) var idlePageViewsLeft = 0.0
    /// Whether the current step is an idle one: no user, nothing to sell.
    @inline(__always) public var isIdle: Bool { idlePageViewsLeft > 0 }
    /// The ad server's pCTR/pCVR estimates for the current user (kept only when
    /// ``showsECPMEstimates``).
    public private(set) var estimates: AdServerEstimates
    /// Money left per campaign.
    public private(set) var remaining: [Double]
    /// Money reserved per campaign for its pending conversions.
    public private(set) var reserved: [Double]
    /// The slot (0-based) of the current opportunity.
    public private(set) var slot = 0
    /// The hour of the current page view.
    public private(set) var hour = 0.0
    /// Operational time: expected page views elapsed, in `[0, pageViewsPerDay]`.
    public private(set) var elapsedPageViews = 0.0
    public let pageViewsPerDay: Double
    /// The two highest rival eCPM bids for the current opportunity (money per mille).
    public private(set) var rivalTop = (0.0, 0.0)
    /// Users who left in this episode, and conversions lost to censoring.
    public private(set) var departures = 0
    public private(set) var censoredConversions = 0

    private var shownOnPage: [Bool]
    private var pageRelevance = 0.0
    private var pageRepeats = 0
    private var arrivalProbability = 1.0
    private var timeSin: Float = 0
    private var timeCos: Float = 1
    private var rivalLocation = 0.0
    private var rivalNormals: [Double]
    private let maxCharge: [Double]
    // Flat copies of the parameters the hot path reads (no struct copies per step).
    private let bids: [Double]
    private let budgets: [Double]
    private let pricing: [PricingModel]
    private let reserve: Double
    private let rivalSigma: Double
    private let meanDelay: Double
    private let leaveBase: Double
    private let irrelevanceWeight: Double
    private let repetitionWeight: Double
    private let churnGap: Double
    private let driftStd: Double
    private let driftEnabled: Bool
    private let switchEnabled: Bool
    private let switchStep: Int
    private let bidCode: [Float]
    private var clock: EpisodeClock
    private var marketRng: Xoshiro256
    private var userRng: Xoshiro256
    private var outcomeRng: Xoshiro256
    /// Whether the exchange has any rival bidder (without one it never sells).
    private let hasRivals: Bool

    public init(scenario: Scenario) throws(ScenarioError) {
        var reader = ConfigReader(scenario.parameters, path: "parameters")
        let config = try MarketConfig(reading: &reader, defaults: .standard)
        rewardScale = try reader.double("reward_scale", default: 1000, in: .positive)
        uxWeight = try reader.double("ux_weight", default: 2, in: .nonNegative)
        exchangeRelevance = try reader.double("exchange_relevance", default: 0.5, in: .probability)
        var showsPrice = false, showsECPM = false, scale = 10.0
        try reader.object("ad_server") { r throws(ScenarioError) in
            showsPrice = try r.bool("exchange_price", default: false)
            showsECPM = try r.bool("ecpm_estimates", default: false)
            scale = try r.double("ecpm_scale", default: 10, in: .positive)
        }
        playsIdleGap = try reader.bool("idle_gap", default: false)
        showsExchangePrice = showsPrice
        showsECPMEstimates = showsECPM
        ecpmScale = scale
        try reader.finish()
        model = MarketModel(config: config)
        user = UserSession(model: model)
        estimates = AdServerEstimates(model: model)
        let c = config.campaigns.count
        fatigue = FatigueState(campaigns: c, rho: config.fatigueRho, halfLife: config.fatigueHalfLife,
                               wearTau: config.wearTau, wearAlpha: config.wearAlpha)
        pending = DelayedConversions(capacity: config.queueCapacity)
        remaining = config.campaigns.map(\.budget)
        reserved = [Double](repeating: 0, count: c)
        shownOnPage = [Bool](repeating: false, count: c)
        rivalNormals = [Double](repeating: 0, count: config.rivals)
        maxCharge = config.campaigns.map(\.maxCharge)
        bids = config.campaigns.map(\.bid)
        budgets = config.campaigns.map(\.budget)
        pricing = config.campaigns.map(\.pricing)
        reserve = config.reserve
        hasRivals = config.rivals > 0
        rivalSigma = config.rivalSigma
        meanDelay = config.meanDelayHours
        leaveBase = config.leaveBase
        irrelevanceWeight = config.irrelevanceWeight
        repetitionWeight = config.repetitionWeight
        churnGap = config.churnGap
        driftStd = config.driftStd
        driftEnabled = config.driftEnabled
        switchEnabled = config.switchEnabled
        switchStep = config.switchStep
        bidCode = config.campaigns.map { campaign in
            let top = config.campaigns.filter { $0.pricing == campaign.pricing }.map(\.bid).max()!
            return Float(campaign.bid / top)
        }
        pageViewsPerDay = 24 * config.trafficBaseRate
        // The day ends after the page view that reaches `pageViewsPerDay`: at most ⌈pageViewsPerDay⌉
        // whole page views of K steps each (exactly that many without departures).
        let dayLength = Int(pageViewsPerDay.rounded(.up)) * config.slots
        if let steps = scenario.maxEpisodeSteps, steps < dayLength {
            throw .invalidValue(
                path: "max_episode_steps",
                reason: "is \(steps), but the budget day has up to \(dayLength) steps (⌈24 · traffic.base_rate⌉ page views × \(config.slots) slots); leave it out or set it at least that high")
        }
        let steps = scenario.maxEpisodeSteps ?? dayLength
        clock = EpisodeClock(maxSteps: steps)
        (marketRng, userRng, outcomeRng) = Self.streams(seed: 0)
        let labels = Self.observationLabels(config: config, exchangePrice: showsPrice, ecpmEstimates: showsECPM, idle: playsIdleGap)
        var low = [Float](repeating: 0, count: labels.count), high = [Float](repeating: 1, count: labels.count)
        low[0] = -1; low[1] = -1
        let featureStart = 3 + config.segments.count
        for j in 0..<config.latentDim { low[featureStart + j] = -.infinity; high[featureStart + j] = .infinity }
        high[featureStart + config.latentDim] = .infinity
        let campaignStart = featureStart + config.latentDim + 1 + config.slots
        for i in 0..<c { high[campaignStart + 5 * i + 1] = .infinity }
        for i in (campaignStart + 5 * c)..<labels.count { high[i] = .infinity }
        spec = EnvSpec(
            id: scenario.id, kind: Self.kind, summary: scenario.summary,
            observationSpace: Box(low: low, high: high), observationLabels: labels,
            actionSpace: .discrete(Discrete(c + 1)), maxEpisodeSteps: steps,
            infoFields: [.expectedReward, .optimalExpectedReward, .cost, .impressions, .clicks, .conversions,
                         .leastWinningCost, .auctions, .wins, .budgetRemaining, .churned],
            hasActionMask: true, parameters: reader.resolved,
            oracle: OracleSpec(
                kind: .myopic, expectedReturn: nil,
                note: Self.oracleNote(exchangePrice: showsPrice, ecpmEstimates: showsECPM)),
            source: scenario.source)
    }

    /// What the oracle is, for the SPEC: what it sees beyond the agent's observation.
    static func oracleNote(exchangePrice: Bool, ecpmEstimates: Bool) -> String {
        let base = "Privileged myopic: the valid action with the highest true expected immediate reward (true interests, fatigue, wear-out and the drawn rival bids)."
        guard exchangePrice || ecpmEstimates else {
            return base + " It ignores budgets, fatigue and churn to come, so planning agents can beat it."
        }
        let seen = exchangePrice && ecpmEstimates ? "the exchange's clearing price and the ad server's eCPM estimates"
            : exchangePrice ? "the exchange's clearing price" : "the ad server's eCPM estimates"
        return base + " Agents see \(seen) too, but estimates from noisy user features where the oracle knows the true rates; the oracle ignores budgets, fatigue and churn to come, so planning agents can beat it."
    }

    /// The observation's element names: time, progress, segment, user features, session depth, slot,
    /// five values per campaign, then (when shown) the exchange's clearing price and one eCPM
    /// estimate per campaign.
    public static func observationLabels(config: MarketConfig, exchangePrice: Bool = false, ecpmEstimates: Bool = false, idle: Bool = false) -> [String] {
        var labels = ["time_sin", "time_cos", "progress"]
        labels += config.segments.indices.map { "segment_\($0)" }
        labels += (0..<config.latentDim).map { "user_feature_\($0)" }
        labels.append("session_depth")
        labels += (0..<config.slots).map { "slot_\($0)" }
        for c in config.campaigns.indices {
            labels += ["c\(c)_budget_left", "c\(c)_fatigue", "c\(c)_bid", "c\(c)_pricing", "c\(c)_shown_on_page"]
        }
        if exchangePrice { labels.append("exchange_price") }
        if ecpmEstimates { labels += config.campaigns.indices.map { "c\($0)_ecpm" } }
        if idle { labels.append("idle") }
        return labels
    }

    // MARK: Episode

    /// The market, user and outcome streams of `seed` (split 1, 2 and 3 of the seed's stream, in
    /// that order). `init` starts with those of seed 0.
    public static func streams(seed: UInt64) -> (market: Xoshiro256, user: Xoshiro256, outcome: Xoshiro256) {
        var root = Xoshiro256(seed: seed)
        let market = root.split(stream: 1)
        let user = root.split(stream: 2)
        let outcome = root.split(stream: 3)
        return (market, user, outcome)
    }

    public mutating func reset(seed: UInt64?, observation: UnsafeMutableBufferPointer<Float>) -> StepInfo {
        if let seed { (marketRng, userRng, outcomeRng) = Self.streams(seed: seed) }
        clock.start()
        model.startEpisode()
        // A switch at step 0 applies before the first user arrives (later ones after step − 1).
        if switchEnabled && switchStep == 0 { model.applySwitch() }  // before newUser() computes tables
        fatigue.startEpisode()
        pending.removeAll()
        for c in remaining.indices {
            remaining[c] = budgets[c]
            reserved[c] = 0
            shownOnPage[c] = false
        }
        slot = 0
        elapsedPageViews = 0
        idlePageViewsLeft = 0
        departures = 0
        censoredConversions = 0
        pageRelevance = 0
        pageRepeats = 0
        setHour()
        newUser()
        drawOpportunity()
        writeObservation(observation)
        var info = StepInfo()
        info.budgetRemaining = remaining.reduce(0, +)
        return info
    }

    public func check(_ action: Int) throws(ActionError) {
        try clock.ensureRunning()
        let c = model.campaignCount
        guard action >= 0 && action <= c else { throw .outOfSpace(action: "\(action)", space: "Discrete(\(c + 1))") }
        guard action == c || isValid(action) else {
            let reason = isIdle ? "no user is browsing (an idle step of a churn gap): only the exchange action \(c) is valid"
                : shownOnPage[action]
                ? "campaign \(action) is already shown on this page view"
                : "campaign \(action) cannot afford an impression (remaining \(remaining[action] - reserved[action]), needs \(maxCharge[action]))"
            throw .masked(action: action, reason: reason)
        }
    }

    /// Whether action `a` is valid now (the exchange always is).
    @inline(__always)
    public func isValid(_ a: Int) -> Bool {
        if a == model.campaignCount { return true }
        return !isIdle && !shownOnPage[a] && remaining[a] - reserved[a] >= maxCharge[a] * (1 - 1e-12)
    }

    public func writeActionMask(into mask: UnsafeMutableBufferPointer<Bool>) {
        for a in 0...model.campaignCount { mask[a] = isValid(a) }
    }

    /// The exchange's clearing price for the current opportunity, money per mille, or `nil` if the
    /// slot would go unsold (no rival, or the highest rival bid is below the reserve). A sale may
    /// clear at 0 (reserve 0 and a single rival).
    public var exchangeSale: Double? {
        hasRivals && !isIdle ? GSPAuction.secondPrice(highest: rivalTop.0, second: rivalTop.1, reserve: reserve) : nil
    }

    /// The exchange's clearing price for the current opportunity, money per mille (0 if unsold).
    public var exchangePrice: Double { exchangeSale ?? 0 }

    /// The probability that campaign `c`'s ad in the current slot is clicked, given the true state.
    @inline(__always)
    public func clickProbability(_ c: Int) -> Double {
        user.clickBase[slot * model.campaignCount + c] * fatigue.multiplier(c)
    }

    /// The true expected immediate reward of action `a` now (censoring of late conversions included).
    @inline(__always)
    public func expectedReward(of a: Int) -> Double {
        let cCount = model.campaignCount
        if a == cCount {
            if isIdle { return 0 }
            return rewardScale * exchangePrice / 1000 - uxWeight * (1 - exchangeRelevance)
        }
        let bid = bids[a]
        let money: Double
        switch pricing[a] {
        case .cpm: money = bid / 1000
        case .cpc: money = bid * clickProbability(a)
        case .cpa: money = bid * clickProbability(a) * user.conversion[a] * arrivalProbability
        }
        return rewardScale * money - uxWeight * (1 - user.relevance[a])
    }

    /// The ad server's estimate of campaign `c`'s expected revenue from an impression in the current
    /// slot, money per mille: the bid for CPM; `1000 · bid · p̂` for CPC; `1000 · bid · p̂ · ĉ ·`
    /// P(arrival before the day ends) for CPA, where `p̂` (with the true fatigue and wear-out) and
    /// `ĉ` are ``estimates``. Meaningful only when ``showsECPMEstimates``.
    @inline(__always)
    public func estimatedECPM(_ c: Int) -> Double {
        let bid = bids[c]
        switch pricing[c] {
        case .cpm: return bid
        case .cpc: return 1000 * bid * estimates.clickBase[slot * model.campaignCount + c] * fatigue.multiplier(c)
        case .cpa:
            return 1000 * bid * estimates.clickBase[slot * model.campaignCount + c] * fatigue.multiplier(c)
                * estimates.conversion[c] * arrivalProbability
        }
    }

    public mutating func step(_ action: Int, observation: UnsafeMutableBufferPointer<Float>) throws(ActionError) -> Transition {
        try check(action)
        let cCount = model.campaignCount
        var info = StepInfo()
        var best = -Double.infinity
        for a in 0...cCount where isValid(a) { best = Swift.max(best, expectedReward(of: a)) }
        info.optimalExpectedReward = best
        info.expectedReward = expectedReward(of: action)

        var money = 0.0
        var relevance = 1.0
        var dayOver = false
        if isIdle {
            // No user, no ad, no auction: the gap's page views pass, K steps each.
            slot += 1
            if slot == model.slots {
                slot = 0
                let passed = Swift.min(1, idlePageViewsLeft)
                idlePageViewsLeft = idlePageViewsLeft - passed > 1e-9 ? idlePageViewsLeft - passed : 0
                elapsedPageViews += passed
                dayOver = elapsedPageViews >= pageViewsPerDay
                setHour()
                if !isIdle { newUser() } else { rivalLocation = model.rivalLocation(segment: user.segment, hour: hour) }
            }
        } else {
        if action < cCount {
            let c = action
            let bid = bids[c]
            let p = clickProbability(c)
            if fatigue.sessionExposures[c] > 0 { pageRepeats += 1 }
            fatigue.expose(c)
            shownOnPage[c] = true
            info.impressions = 1
            let clicked = outcomeRng.uniform() < p
            if clicked { info.clicks = 1 }
            var charge = 0.0
            switch pricing[c] {
            case .cpm: charge = bid / 1000
            case .cpc: if clicked { charge = bid }
            case .cpa:
                if clicked && outcomeRng.uniform() < user.conversion[c] {
                    let delay = meanDelay > 0 ? outcomeRng.exponential(mean: meanDelay) : 0
                    let due = hour + delay
                    if due < 24 && pending.push(time: due, campaign: c) {
                        reserved[c] += bid
                    } else {
                        censoredConversions += 1
                    }
                }
            }
            remaining[c] -= charge
            money += charge
            relevance = user.relevance[c]
        } else {
            info.auctions = 1
            if let price = exchangeSale {
                info.wins = 1
                info.impressions = 1
                money += price / 1000
            }
            relevance = exchangeRelevance
        }
        info.leastWinningCost = Swift.max(rivalTop.0, reserve)
        pageRelevance += relevance
        slot += 1

        if slot == model.slots {
            let k = Double(model.slots)
            let leave = leaveBase + irrelevanceWeight * (1 - pageRelevance / k) + repetitionWeight * Double(pageRepeats) / k
            let left = outcomeRng.uniform() < leave
            slot = 0
            pageRelevance = 0
            pageRepeats = 0
            for c in 0..<cCount { shownOnPage[c] = false }
            fatigue.pageViewPassed()
            user.depth += 1
            elapsedPageViews += 1
            if left {
                info.churned = 1
                departures += 1
                if playsIdleGap { idlePageViewsLeft = churnGap } else { elapsedPageViews += churnGap }
            }
            dayOver = elapsedPageViews >= pageViewsPerDay
            setHour()
            if left && !isIdle { newUser() } else { rivalLocation = model.rivalLocation(segment: user.segment, hour: hour) }
        }
        }
        if driftEnabled {
            model.drift(using: &userRng)
            user.drift(std: driftStd, using: &userRng, model: model)
        }
        if switchEnabled && clock.step + 1 == switchStep {
            model.applySwitch()
            user.computeTables(model: model)
            if showsECPMEstimates { estimates.update(observed: user.observed, model: model) }
        }
        while let c = pending.popDue(atOrBefore: hour) {
            let bid = bids[c]
            reserved[c] -= bid
            remaining[c] -= bid
            money += bid
            info.conversions += 1
        }
        // The end of the day stops the clock (it is a truncation, the budget period's end).
        let truncated = clock.advance(terminated: dayOver) || dayOver
        if truncated {
            censoredConversions += pending.count
            pending.removeAll()
        } else {
            drawOpportunity()
        }
        info.cost = money
        var total = 0.0
        for c in 0..<cCount { total += remaining[c] }
        info.budgetRemaining = total
        writeObservation(observation)
        // An idle step shows nothing (relevance stays 1: no penalty); conversions may still arrive.
        let reward = rewardScale * money - uxWeight * (1 - relevance)
        return Transition(reward: reward, terminated: false, truncated: truncated, info: info)
    }

    // MARK: Oracle

    /// The privileged myopic action: the valid action with the highest true expected immediate
    /// reward (the lowest index on ties).
    public func oracleAction(using rng: inout Xoshiro256) -> Int {
        var bestAction = model.campaignCount
        var best = expectedReward(of: bestAction)
        for a in 0..<model.campaignCount where isValid(a) {
            let r = expectedReward(of: a)
            if r > best { best = r; bestAction = a }
        }
        return bestAction
    }

    // MARK: Internals

    private mutating func setHour() {
        hour = model.diurnal.hour(atFraction: elapsedPageViews / pageViewsPerDay)
        arrivalProbability = model.arrivalProbability(atHour: hour)
        let angle = 2 * Double.pi * hour / 24
        timeSin = Float(sin(angle))
        timeCos = Float(cos(angle))
    }

    private mutating func newUser() {
        let s = model.drawSegment(using: &userRng)
        user.arrive(segment: s, using: &userRng, model: model)
        if showsECPMEstimates { estimates.update(observed: user.observed, model: model) }
        fatigue.startSession()
        rivalLocation = model.rivalLocation(segment: s, hour: hour)
    }

    /// Draws the rival bids of the next opportunity: `2⌈R/2⌉` market draws, two `exp` calls.
    private mutating func drawOpportunity() {
        let r = rivalNormals.count
        guard r > 0 else { rivalTop = (0, 0); return }
        rivalNormals.withUnsafeMutableBufferPointer { marketRng.fillNormals($0) }
        var z1 = -Double.infinity, z2 = -Double.infinity
        for i in 0..<r {
            let z = rivalNormals[i]
            if z > z1 { z2 = z1; z1 = z } else if z > z2 { z2 = z }
        }
        let sigma = rivalSigma
        rivalTop.0 = exp(rivalLocation + sigma * z1)
        rivalTop.1 = r > 1 ? exp(rivalLocation + sigma * z2) : 0
    }

    private func writeObservation(_ obs: UnsafeMutableBufferPointer<Float>) {
        obs[0] = timeSin
        obs[1] = timeCos
        obs[2] = Float(Swift.min(elapsedPageViews / pageViewsPerDay, 1))
        var i = 3
        for s in 0..<model.segmentCount { obs[i] = s == user.segment ? 1 : 0; i += 1 }
        for j in 0..<model.latentDim { obs[i] = user.observed[j]; i += 1 }
        obs[i] = Float(user.depth) / 20; i += 1
        for k in 0..<model.slots { obs[i] = k == slot ? 1 : 0; i += 1 }
        for c in 0..<model.campaignCount {
            obs[i] = Float(Swift.max(remaining[c] - reserved[c], 0) / budgets[c])
            obs[i + 1] = Float(fatigue.recent[c])
            obs[i + 2] = bidCode[c]
            obs[i + 3] = pricing[c].code
            obs[i + 4] = shownOnPage[c] ? 1 : 0
            i += 5
        }
        if showsExchangePrice { obs[i] = Float(exchangePrice / ecpmScale); i += 1 }
        if showsECPMEstimates {
            for c in 0..<model.campaignCount { obs[i] = Float(estimatedECPM(c) / ecpmScale); i += 1 }
        }
        if playsIdleGap { obs[i] = isIdle ? 1 : 0 }
    }
}
