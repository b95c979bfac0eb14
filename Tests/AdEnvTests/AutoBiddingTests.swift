import Testing
@testable import AdEnv

@Suite struct AutoBiddingTests {
    /// A fifth of the default day (λ0 = 50 opportunities per hour, budget 6) for fast debug tests.
    static func small(_ overrides: String...) throws -> AutoBidding {
        let base = ["traffic.base_rate=50", "campaigns[0].budget=6"]
        return try Registry.standard.make("AutoBidding-v0", as: AutoBidding.self, overrides: (base + overrides).map { try Override(parsing: $0) })
    }

    /// One episode with `alpha(env, step)`; returns the return and the per-step transitions.
    static func episode(_ env: inout AutoBidding, seed: UInt64, alpha: (AutoBidding, Int) -> Float) throws -> (Double, [Transition]) {
        var obs = [Float](repeating: 0, count: env.spec.observationCount)
        var total = 0.0, steps: [Transition] = []
        try obs.withUnsafeMutableBufferPointer { o in
            _ = env.reset(seed: seed, observation: o)
            var i = 0
            while true {
                let t = try env.step(alpha(env, i), observation: o)
                total += t.reward
                steps.append(t)
                i += 1
                if t.isDone { break }
            }
        }
        return (total, steps)
    }

    @Test func defaultScenarioHasTheDocumentedShape() throws {
        let env = try Registry.standard.make("AutoBidding-v0", as: AutoBidding.self)
        #expect(env.timeSteps == 48 && env.spec.maxEpisodeSteps == 48)
        #expect(env.budget == 30 && env.cpaTarget == 0.5 && env.alphaMax == 10)
        #expect(env.spec.oracle.kind == .hindsight && env.spec.oracle.expectedReturn == nil)
        #expect(env.spec.observationCount == AutoBidding.observationLabels.count)
        guard case .box(let box) = env.spec.actionSpace else { Issue.record("not a box"); return }
        #expect(box.low == [0] && box.high == [10])
    }

    @Test func theScoreFormulaIsAppliedExactly() throws {
        // A constructed case: 10 conversions for 200 at a CPA cap of 10 → CPA 20 → 10 · (10/20)² = 2.5.
        #expect(HindsightLP.score(conversions: 10, spend: 200, cpaTarget: 10) == 2.5)
        #expect(HindsightLP.score(conversions: 10, spend: 100, cpaTarget: 10) == 10)
        #expect(HindsightLP.score(conversions: 10, spend: 50, cpaTarget: 10) == 10)
        #expect(HindsightLP.score(conversions: 0, spend: 5, cpaTarget: 10) == 0)
        // In the env: an aggressive bidder overshoots the CPA cap; every step but the last pays the
        // conversions credited, and the last adds the correction, so the return is the score.
        var env = try Self.small()
        let (total, steps) = try Self.episode(&env, seed: 3) { _, _ in 10 }
        let conversions = steps.reduce(0) { $0 + $1.info.conversions }, spend = steps.reduce(0) { $0 + $1.info.cost }
        #expect(conversions == env.conversions && abs(spend - env.spend) < 1e-9)
        let cpa = spend / conversions
        #expect(conversions > 0 && cpa > env.cpaTarget)
        let score = conversions * (env.cpaTarget / cpa) * (env.cpaTarget / cpa)
        #expect(abs(total - score) < 1e-9)
        for t in steps.dropLast() { #expect(t.reward == t.info.conversions) }
        #expect(abs(steps.last!.reward - (steps.last!.info.conversions + score - conversions)) < 1e-9)
    }

    @Test func theBudgetIsNeverExceeded() throws {
        var env = try Self.small("campaigns[0].budget=2")
        for alpha: Float in [10, 3] {
            var remaining = env.budget
            let (_, steps) = try Self.episode(&env, seed: 5) { _, _ in alpha }
            for t in steps {
                remaining -= t.info.cost
                #expect(abs(t.info.budgetRemaining - remaining) < 1e-9)
                #expect(t.info.budgetRemaining >= 0)
            }
            #expect(env.spend <= env.budget)
            #expect(env.spend > 0.5 * env.budget)  // the cap binds: the bidder runs out of budget
        }
    }

    @Test func theOpportunityStreamDoesNotDependOnTheBids() throws {
        var a = try Self.small(), b = try Self.small()
        let (_, ta) = try Self.episode(&a, seed: 9) { _, i in Float(i % 5) }
        let (_, tb) = try Self.episode(&b, seed: 9) { _, _ in 0.7 }
        #expect(ta.map(\.info.leastWinningCost) == tb.map(\.info.leastWinningCost))
        #expect(a.start == b.start)
        #expect(a.hindsightBound() == b.hindsightBound())
        for t in ta where t.info.leastWinningCost > 0 { #expect(t.info.leastWinningCost >= 1.0) }  // at least the reserve
    }

    @Test func opportunitiesArriveAtTheDiurnalRate() throws {
        var env = try Self.small("max_episode_steps=24")
        var counts = [Double](repeating: 0, count: 24)
        let seeds = 20
        for seed in 0..<seeds {
            _ = env.reset(seed: UInt64(seed))
            for h in 0..<24 { counts[h] += Double(env.start[h + 1] - env.start[h]) }
        }
        for h in 0..<24 {
            let expected = Double(seeds) * env.model.diurnal.expectedArrivals(from: Double(h), to: Double(h + 1))
            #expect(abs(counts[h] - expected) < 4 * expected.squareRoot())
        }
        #expect(counts[6] > 2 * counts[18])
        #expect(env.clampedOpportunities == 0)
    }

    @Test func theLPBoundSolvesTheLagrangianDualAndBoundsEveryFeasibleAllocation() {
        var rng = Xoshiro256(seed: 12)
        for _ in 0..<30 {
            let n = 8, k = 2
            var costs: [Double] = [], values: [Double] = []
            for _ in 0..<n {
                let c1 = rng.uniform(0.2, 1), v1 = rng.uniform(0.1, 1)
                costs += [c1, c1 + rng.uniform(0, 1)]
                values += [v1, v1 + rng.uniform(0, 0.6)]
            }
            let budget = rng.uniform(0.5, 5), kappa = rng.uniform(0.8, 3)
            let solution = HindsightLP.solve(costs: costs, values: values, options: k, budget: budget, cpaTarget: kappa)
            // Weak duality: every dual point bounds the LP; the grid minimum is close to it.
            var dualMin = Double.infinity
            for a in 0...60 {
                for b in 0...60 {
                    let lambda = Double(a) * 0.1, mu = Double(b) * 0.1
                    var g = lambda * budget
                    for i in 0..<n {
                        var best = 0.0
                        for o in 0..<k { best = max(best, (1 + mu * kappa) * values[i * k + o] - (lambda + mu) * costs[i * k + o]) }
                        g += best
                    }
                    dualMin = min(dualMin, g)
                }
            }
            #expect(solution.conversionsBound <= dualMin + 1e-9)
            #expect(solution.conversionsBound >= dualMin - 0.05 * max(dualMin, 1))
            // Primal: random fractional allocations never beat the bounds.
            for _ in 0..<300 {
                var conv = 0.0, spend = 0.0
                for i in 0..<n {
                    let x1 = rng.uniform(), x2 = rng.uniform() * (1 - x1)
                    conv += x1 * values[i * k] + x2 * values[i * k + 1]
                    spend += x1 * costs[i * k] + x2 * costs[i * k + 1]
                }
                let scale = min(1, budget / spend)
                conv *= scale; spend *= scale
                #expect(HindsightLP.score(conversions: conv, spend: spend, cpaTarget: kappa) <= solution.scoreBound + 1e-9)
                if spend <= kappa * conv { #expect(conv <= solution.conversionsBound + 1e-9) }
            }
            #expect(solution.scoreBound >= solution.conversionsBound - 1e-12)
        }
    }

    @Test func theHindsightBoundExceedsTheOracleAndEveryConstantMultiplier() throws {
        let env = try Self.small()
        var bounds: [Double] = []
        var returns: [String: [Double]] = [:]
        for seed in UInt64(0)..<8 {
            var e = env
            _ = e.reset(seed: seed)
            let bound = e.hindsightBound()
            bounds.append(bound)
            // Fluid check, exact for every seed: the expected score of any constant multiplier.
            for alpha in [0.3, 0.6, 1.0, 1.5, 2.5, 5, 10] { #expect(e.fluidOutcome(alpha: alpha).score <= bound + 1e-9) }
            var rng = Xoshiro256(seed: 0)
            let oracleAlpha = e.oracleAction(using: &rng)
            #expect(e.fluidOutcome(alpha: Double(oracleAlpha)).score >= e.fluidOutcome(alpha: 1).score - 1e-9)
            for (name, alpha) in [("oracle", oracleAlpha), ("0.5", 0.5), ("1", 1), ("2", 2), ("10", 10)] as [(String, Float)] {
                var copy = env
                returns[name, default: []].append(try Self.episode(&copy, seed: seed) { _, _ in alpha }.0)
            }
        }
        let b = Summary(bounds)
        for (name, r) in returns {
            let s = Summary(r)
            #expect(s.mean <= b.mean, "\(name): \(s.mean) vs bound \(b.mean)")
        }
        print("AutoBidding (small day) hindsight bound \(b.mean); oracle \(Summary(returns["oracle"]!).mean)")
    }

    @Test func theOracleMultiplierIsConstantWithinAnEpisodeAndBeatsRandomClearly() throws {
        // Half of the default day: enough conversions per episode for a clear separation.
        var env = try Registry.standard.make("AutoBidding-v0", as: AutoBidding.self,
                                             overrides: [Override("traffic.base_rate", 125), Override("campaigns[0].budget", 15)])
        _ = env.reset(seed: 1)
        var rng = Xoshiro256(seed: 0)
        let first = env.oracleAction(using: &rng)
        _ = try env.step(first); _ = try env.step(first)
        #expect(env.oracleAction(using: &rng) == first)

        var oracle: [Double] = [], random: [Double] = []
        for seed in UInt64(0)..<12 {
            var e = env
            _ = e.reset(seed: seed)
            let alpha = e.oracleAction(using: &rng)
            oracle.append(try Self.episode(&e, seed: seed) { _, _ in alpha }.0)
            var policyRng = Xoshiro256(seed: seed)
            random.append(try Self.episode(&e, seed: seed) { env, _ in env.randomAction(using: &policyRng) }.0)
        }
        let o = Summary(oracle), r = Summary(random)
        print("AutoBidding (half day) oracle \(o.mean) ± \(o.halfWidth95), random \(r.mean) ± \(r.halfWidth95)")
        #expect(o.interval95.lowerBound > r.interval95.upperBound)
    }

    @Test func driftAndCTRSwitchChangeTheOpportunitiesOnlyWhenEnabled() throws {
        func items(_ overrides: String...) throws -> (start: [Int], values: [Double], costs: [Double]) {
            var env = try Registry.standard.make("AutoBidding-v0", as: AutoBidding.self,
                                                 overrides: (["traffic.base_rate=20"] + overrides).map { try Override(parsing: $0) })
            _ = env.reset(seed: 4)
            let i = env.hindsightItems()
            return (env.start, i.values, i.costs)
        }
        let base = try items(), disabled = try items("ctr_switch.step=10", "drift.std=0.5")
        #expect(base.values == disabled.values && base.costs == disabled.costs)
        // The switch shifts click intercepts from step 10 on: earlier opportunities are untouched.
        let switched = try items("ctr_switch.enabled=true", "ctr_switch.step=10")
        let cut = base.start[10] * 3
        #expect(switched.start == base.start)
        #expect(Array(switched.values[..<cut]) == Array(base.values[..<cut]))
        #expect(Array(switched.values[cut...]) != Array(base.values[cut...]))
        // Drift moves the segment means every step after the first.
        let drifted = try items("drift.enabled=true", "drift.std=0.2")
        let firstStep = base.start[1] * 3
        #expect(Array(drifted.values[..<firstStep]) == Array(base.values[..<firstStep]))
        #expect(drifted.values != base.values)
    }

    @Test func invalidActionsThrowAndChangeNothing() throws {
        var env = try Self.small()
        #expect(throws: ActionError.needsReset) { try env.step(Float(1)) }
        _ = env.reset(seed: 2)
        _ = try env.step(Float(1))
        let before = env
        #expect(throws: ActionError.notFinite(action: "nan")) { try env.step(Float.nan) }
        #expect(throws: ActionError.notFinite(action: "inf")) { try env.step(Float.infinity) }
        #expect(throws: ActionError.outOfSpace(action: "-0.1", space: "Box(0.0, 10.0, (1,), float32)")) { try env.step(Float(-0.1)) }
        #expect(throws: ActionError.outOfSpace(action: "10.5", space: "Box(0.0, 10.0, (1,), float32)")) { try env.step(Float(10.5)) }
        let nan: [Float] = [.nan]
        nan.withUnsafeBufferPointer { row in
            var obs = [Float](repeating: 0, count: env.spec.observationCount)
            obs.withUnsafeMutableBufferPointer { o in
                #expect(throws: ActionError.notFinite(action: "nan")) { try env.step(row: .reals(row), observation: o) }
                return ()
            }
        }
        var a = before, b = env
        for i in 0..<10 {
            let ta = try a.step(Float(i) / 4), tb = try b.step(Float(i) / 4)
            #expect(ta.reward == tb.reward && ta.observation == tb.observation && ta.info.values == tb.info.values)
        }
    }

    @Test func badParametersNameTheField() {
        func error(_ texts: String...) -> ScenarioError? {
            do {
                _ = try Registry.standard.make("AutoBidding-v0", as: AutoBidding.self, overrides: texts.map { try Override(parsing: $0) })
                return nil
            } catch { return error as? ScenarioError }
        }
        if case .outOfRange(let path, _, _)? = error("cpa_target=0") { #expect(path == "parameters.cpa_target") } else { Issue.record("cpa") }
        if case .unknownKey(let path, _)? = error("time_steps=24") { #expect(path == "parameters.time_steps") } else { Issue.record("steps") }
        if case .outOfRange(let path, _, _)? = error("alpha_max=-1") { #expect(path == "parameters.alpha_max") } else { Issue.record("alpha") }
        if case .invalidValue(let path, _)? = error("campaigns[0].creative=[1]") { #expect(path == "parameters.campaigns[0].creative") } else { Issue.record("creative") }
        #expect(error("max_episode_steps=24") == nil)
    }

    @Test func anAlphaMaxThatFloatRoundsUpIsStillInsideTheActionSpace() throws {
        // Float(1.1) > 1.1: the box's high must pass the check, and the oracle (whose search tops
        // out at the box's high) and the random policy must only produce valid actions.
        var env = try Self.small("alpha_max=1.1")
        guard case .box(let box) = env.spec.actionSpace else { Issue.record("not a box"); return }
        #expect(Double(box.high[0]) > 1.1 && box.high[0] == Float(1.1))
        #expect(env.alphaMaxF == box.high[0] && env.alphaMax == Double(box.high[0]))
        _ = env.reset(seed: 1)
        try env.check(box.high[0])
        #expect(throws: ActionError.outOfSpace(action: "\(box.high[0].nextUp)", space: "Box(0.0, 1.1, (1,), float32)")) {
            try env.check(box.high[0].nextUp)
        }
        var rng = Xoshiro256(seed: 0)
        #expect(env.oracleAction(using: &rng) <= box.high[0])
        _ = try env.step(box.high[0])
        // The oracle's search reaches the top of the box when the budget allows: a large budget.
        var rich = try Self.small("alpha_max=1.1", "campaigns[0].budget=1000", "cpa_target=5")
        _ = rich.reset(seed: 1)
        #expect(rich.oracleAction(using: &rng) == box.high[0])
        for policy in ScenarioPolicy.allCases {
            let r = Rollout(rich, policy: policy, seed: 4, episodes: 2)
            #expect(r.lengths == [48, 48])
            _ = Rollout(env, policy: policy, seed: 4, episodes: 2)
        }
    }

    @Test func aCTRSwitchAtStepZeroShiftsTheWholeDay() throws {
        func make(_ overrides: String...) throws -> AutoBidding {
            var env = try Registry.standard.make("AutoBidding-v0", as: AutoBidding.self,
                                                 overrides: (["traffic.base_rate=20"] + overrides).map { try Override(parsing: $0) })
            _ = env.reset(seed: 4)
            return env
        }
        let base = try make("ctr_switch.step=0"), switched = try make("ctr_switch.enabled=true", "ctr_switch.step=0")
        #expect(!base.model.switched && switched.model.switched)
        #expect(switched.start == base.start)
        let a = base.hindsightItems().values, b = switched.hindsightItems().values
        #expect(a.count == b.count && !a.isEmpty)
        // Our intercept moves by +0.7 from the first opportunity on: every option's value changes.
        #expect(zip(a, b).allSatisfy { $0 < $1 })
    }

    @Test func aNeverSeededEnvBehavesAsSeededWithZero() throws {
        let env = try Self.small()
        func run(_ seed: UInt64?) throws -> (start: [Int], rewards: [Double], observations: [Float]) {
            var e = env
            var obs = [Float](repeating: 0, count: e.spec.observationCount)
            var rewards: [Double] = [], observations: [Float] = []
            var starts: [Int] = []
            try obs.withUnsafeMutableBufferPointer { o in
                _ = e.reset(seed: seed, observation: o)
                for episode in 0..<2 {  // the second episode continues the streams
                    if episode == 1 { _ = e.reset(seed: nil, observation: o) }
                    starts += e.start
                    observations += o
                    var i = 0
                    while true {
                        let t = try e.step(Float(1 + i % 3), observation: o)
                        rewards.append(t.reward)
                        observations += o
                        i += 1
                        if t.isDone { break }
                    }
                }
            }
            return (starts, rewards, observations)
        }
        let unseeded = try run(nil), zero = try run(0), one = try run(1)
        #expect(unseeded.start == zero.start && unseeded.rewards == zero.rewards && unseeded.observations == zero.observations)
        #expect(unseeded.start != one.start)
    }

    @Test func tooManyOpportunitiesPerDayAreRefusedNamingTheField() throws {
        func error(_ texts: String...) -> ScenarioError? {
            do {
                _ = try Registry.standard.make("AutoBidding-v0", as: AutoBidding.self, overrides: texts.map { try Override(parsing: $0) })
                return nil
            } catch { return error as? ScenarioError }
        }
        // 24 · 500,000 = 12 million expected opportunities per day > 10 million.
        guard case .outOfRange(let path, let value, _)? = error("traffic.base_rate=500000") else { Issue.record("accepted"); return }
        #expect(path == "parameters.traffic.base_rate" && value == "500000.0")
        if case .outOfRange(let path, _, _)? = error("traffic.base_rate=10000000") { #expect(path == "parameters.traffic.base_rate") } else { Issue.record("accepted") }
        #expect(AutoBidding.maxOpportunitiesPerDay == 10_000_000)
        #expect(error("traffic.base_rate=2000") == nil)
    }

    @Test func theOracleSearchRunsOncePerEpisodeAndMatchesTheBestConstantMultiplier() throws {
        var env = try Self.small()
        var rng = Xoshiro256(seed: 0)
        #expect(env.oracleAction(using: &rng) == 0)  // before the first reset
        for seed in UInt64(0)..<3 {
            _ = env.reset(seed: seed)
            #expect(env.oracleMemo.value == nil)  // each reset forgets the last episode's multiplier
            let best = Float(env.bestConstantMultiplier()).clamped(0, env.alphaMaxF)
            var actions: [Float] = []
            while true {
                let a = env.oracleAction(using: &rng)
                #expect(env.oracleMemo.value == best)  // the search ran on the first call only
                actions.append(a)
                let r = try env.step(a)
                if r.terminated || r.truncated { break }
            }
            #expect(actions.count == 48 && actions.allSatisfy { $0 == best })
        }
        // Copies: a copy that resets to another episode gets its own multiplier and leaves the
        // original's alone, in either order of first use.
        _ = env.reset(seed: 10)
        let own = env.oracleAction(using: &rng)
        var copy = env
        _ = copy.reset(seed: 11)
        let other = copy.oracleAction(using: &rng)
        #expect(other == Float(copy.bestConstantMultiplier()).clamped(0, copy.alphaMaxF))
        #expect(own != other && env.oracleAction(using: &rng) == own)
        var fresh = env
        _ = fresh.reset(seed: 12)
        _ = env.reset(seed: 13)
        let thirteen = env.oracleAction(using: &rng), twelve = fresh.oracleAction(using: &rng)
        #expect(thirteen == Float(env.bestConstantMultiplier()).clamped(0, env.alphaMaxF))
        #expect(twelve == Float(fresh.bestConstantMultiplier()).clamped(0, fresh.alphaMaxF))
        // A vector env's copies (all reset with different seeds) each bid their own episode's multiplier.
        let vector = VectorEnv(try Self.small(), count: 3)
        vector.reset(seed: 20)
        for i in 0..<3 {
            var single = try Self.small()
            _ = single.reset(seed: 20 + UInt64(i))
            #expect(vector.envs[i].oracleAction(using: &rng) == single.oracleAction(using: &rng))
        }
    }

    @Test func ourImpressionsCountOurWinsAndWearOutFollowsTheTable() throws {
        var env = try Self.small()
        let (_, steps) = try Self.episode(&env, seed: 2) { _, _ in 3 }
        let wins = steps.reduce(0) { $0 + $1.info.wins }
        #expect(wins > 0 && Double(env.impressions) == wins)
        _ = env.reset(seed: 2)
        #expect(env.impressions == 0)
    }

    @Test func sameSeedSameDigestDifferentSeedDifferentDigest() throws {
        let env = try Self.small()
        DeterminismTests.expectSeedDeterminism(env, seed: 3)
    }
}
