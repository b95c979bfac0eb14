import Testing
@testable import AdEnv

/// AdMarket-v1's mechanics: the ad server's view in the observation (the exchange's clearing price,
/// eCPM estimates) and churn gaps played as idle steps. AdMarket-v0 keeps none of them.
@Suite struct AdMarketV1Tests {
    static func make(_ id: String = "AdMarket-v1", _ overrides: String...) throws -> AdMarket {
        try Registry.standard.make(id, as: AdMarket.self, overrides: overrides.map { try Override(parsing: $0) })
    }

    /// Steps `env` from `reset(seed:)` for at most `steps` steps with `policy`, calling `observe` with
    /// the env and observation before the step, the action, the transition and the env after it.
    static func run(_ env: inout AdMarket, seed: UInt64, steps: Int, policy: (AdMarket, inout Xoshiro256) -> Int,
                    observe: (AdMarket, [Float], Int, Transition, AdMarket) -> Void) throws {
        var rng = Xoshiro256(seed: seed ^ 0x5EED)
        var obs = [Float](repeating: 0, count: env.spec.observationCount)
        obs.withUnsafeMutableBufferPointer { _ = env.reset(seed: seed, observation: $0) }
        for _ in 0..<steps {
            let before = env, seen = obs
            let a = policy(env, &rng)
            let t = try obs.withUnsafeMutableBufferPointer { o throws(ActionError) in try env.step(a, observation: o) }
            observe(before, seen, a, t, env)
            if t.isDone { break }
        }
    }

    static func index(_ label: String, in env: AdMarket) -> Int {
        env.spec.observationLabels.firstIndex(of: label)!
    }

    @Test func v0ShowsNoneOfTheAdServersViewAndV1AppendsIt() throws {
        let v0 = try Self.make("AdMarket-v0"), v1 = try Self.make()
        let c = v1.model.campaignCount
        #expect(!v0.showsExchangePrice && !v0.showsECPMEstimates && !v0.playsIdleGap)
        #expect(v1.spec.observationCount == v0.spec.observationCount + 1 + c + 1)
        #expect(Array(v1.spec.observationLabels.prefix(v0.spec.observationCount)) == v0.spec.observationLabels)
        #expect(Array(v1.spec.observationLabels.suffix(c + 2)) == ["exchange_price"] + (0..<c).map { "c\($0)_ecpm" } + ["idle"])
        #expect(v1.spec.discreteActionCount == c + 1)
    }

    /// The observed exchange price is the one the exchange pays: selling the slot earns exactly it
    /// (v1 has no CPA campaign, so no conversion adds to the reward) and reports it as the sale.
    @Test func theObservedExchangePriceIsWhatTheExchangePays() throws {
        var env = try Self.make()
        let at = Self.index("exchange_price", in: env), scale = Float(env.ecpmScale)
        var sales = 0, unsold = 0
        try Self.run(&env, seed: 3, steps: 3000, policy: { e, _ in e.model.campaignCount }) { before, seen, _, t, _ in
            guard !before.isIdle else { return }
            let price = before.exchangeSale
            #expect(abs(seen[at] - Float(price ?? 0) / scale) <= 1e-6 * max(1, seen[at]))
            #expect(t.info.auctions == 1 && t.info.wins == (price == nil ? 0 : 1))
            #expect(abs(t.reward - before.rewardScale * (price ?? 0) / 1000) < 1e-9)
            if price == nil { unsold += 1 } else { sales += 1 }
        }
        #expect(sales > 100)
        #expect(unsold > 0)  // the reserve leaves some slots unsold: the price 0 is seen too
    }

    /// The eCPM estimates are the true model at the observed features: without observation noise they
    /// equal the true expected revenue of CPC and CPA campaigns (CPM: the bid); with noise they differ.
    @Test func eCPMEstimatesAreTheTrueModelAtTheObservedFeatures() throws {
        let overrides = ["ad_server.ecpm_estimates=true", "ux_weight=0"]
        var exact = try Registry.standard.make("AdMarket-v0", as: AdMarket.self, overrides: (overrides + ["observation_noise=0"]).map { try Override(parsing: $0) })
        var noisy = try Registry.standard.make("AdMarket-v0", as: AdMarket.self, overrides: overrides.map { try Override(parsing: $0) })
        let first = Self.index("c0_ecpm", in: exact), c = exact.model.campaignCount
        var checked = 0, largestNoisyError = 0.0
        try Self.run(&exact, seed: 5, steps: 900, policy: { e, r in
            var a = Int(r.next() % UInt64(c + 1))
            while !e.isValid(a) { a = Int(r.next() % UInt64(c + 1)) }
            return a
        }) { before, seen, _, _, _ in
            for k in 0..<c {
                let truth = before.expectedReward(of: k) * 1000 / before.rewardScale
                #expect(abs(before.estimatedECPM(k) - truth) <= 1e-5 * max(1, truth))
                #expect(abs(Double(seen[first + k]) * before.ecpmScale - before.estimatedECPM(k)) <= 1e-5 * max(1, truth))
                checked += 1
            }
        }
        try Self.run(&noisy, seed: 5, steps: 900, policy: { e, _ in e.model.campaignCount }) { before, _, _, _, _ in
            for k in 0..<c where before.model.config.campaigns[k].pricing != .cpm {
                let truth = before.expectedReward(of: k) * 1000 / before.rewardScale
                largestNoisyError = max(largestNoisyError, abs(before.estimatedECPM(k) - truth) / truth)
            }
            for k in 0..<c where before.model.config.campaigns[k].pricing == .cpm {
                #expect(before.estimatedECPM(k) == before.model.config.campaigns[k].bid)
            }
        }
        #expect(checked == 900 * c)
        #expect(largestNoisyError > 0.05)
    }

    /// A departure leaves `churn_gap` page views of K idle steps: only the exchange is valid, it sells
    /// nothing, the observation says so, and the time advances one page view per K steps; then a new
    /// user arrives. The day has exactly ⌈24 · base_rate⌉ page views of K steps.
    @Test func aDepartureIsFollowedByIdleStepsThatSellNothing() throws {
        var env = try Self.make()
        let idle = Self.index("idle", in: env), k = env.model.slots, c = env.model.campaignCount
        let gap = env.model.config.churnGap, gapSteps = Int(gap) * k
        var steps = 0, departures = 0, idleRun = 0, idleSteps = 0
        var mask = [Bool](repeating: false, count: c + 1)
        try Self.run(&env, seed: 9, steps: 20_000, policy: { e, _ in
            // The myopic oracle shows irrelevant deals, so users leave often.
            var r = Xoshiro256(seed: 0)
            return e.oracleAction(using: &r)
        }) { before, seen, _, t, after in
            steps += 1
            mask.withUnsafeMutableBufferPointer { before.writeActionMask(into: $0) }
            if before.isIdle {
                idleSteps += 1
                idleRun += 1
                #expect(seen[idle] == 1)
                #expect(mask == Array(repeating: false, count: c) + [true])
                #expect(t.reward == 0 && t.info.auctions == 0 && t.info.impressions == 0)
                #expect(throws: ActionError.self) { var e = before; _ = try e.step(0) }
                if !after.isIdle && !t.truncated {
                    #expect(idleRun == gapSteps)
                    #expect(after.elapsedPageViews == before.elapsedPageViews + 1 && after.user.depth == 0)
                }
            } else {
                #expect(seen[idle] == 0)
                idleRun = 0
            }
            if t.info.churned == 1 {
                departures += 1
                #expect(after.idlePageViewsLeft == gap)
            }
        }
        #expect(departures > 10)
        #expect(idleSteps >= (departures - 1) * gapSteps)
        #expect(steps == Int(env.pageViewsPerDay.rounded(.up)) * k)
        #expect(steps == env.spec.maxEpisodeSteps)
    }
}
