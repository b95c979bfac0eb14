import Testing
@testable import AdEnv

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private let z99 = 2.5758

private func meanAndHalfWidth99(_ xs: [Double]) -> (mean: Double, halfWidth: Double) {
    let s = Summary(xs)
    return (s.mean, z99 * s.standardDeviation / Double(xs.count).squareRoot())
}

/// One second-price auction against a rival bid uniform on [0, M], integrated numerically (Simpson's
/// rule over the rival's bid `r`, which wins for us when `r < b`): expected utility `E[(w − r) 1{r<b}]`,
/// spend `E[r 1{r<b}]` and second moment of the spend `E[r² 1{r<b}]`.
private func auction(value w: Double, bid b: Double, rivalMax M: Double) -> (utility: Double, spend: Double, spendSquared: Double) {
    let top = min(max(b, 0), M), n = 64, h = top / Double(n)
    var u = 0.0, s = 0.0, s2 = 0.0
    for k in 0...n {
        let r = Double(k) * h
        let weight: Double = (k == 0 || k == n) ? 1 : (k % 2 == 1 ? 4 : 2)
        u += weight * (w - r)
        s += weight * r
        s2 += weight * r * r
    }
    let scale = h / 3 / M
    return (u * scale, s * scale, s2 * scale)
}

/// Maximises `Σ N_i E[utility(b_i)]` subject to `Σ N_i E[spend(b_i)] ≤ B` over per-slot bids
/// `b_i ∈ [0, M]`, without the closed form: each slot maximises its Lagrangian `utility − μ · spend`
/// by golden-section search, and `μ` is found by bisection so that the budget binds (or is 0 when it
/// does not).
private func lagrangianOptimum(_ env: BudgetPacing) -> (bids: [Double], value: Double, spend: Double, mu: Double) {
    let M = env.rivalMaxBid
    func bestBids(_ mu: Double) -> [Double] {
        env.values.map { w in
            let phi = (5.0.squareRoot() - 1) / 2
            var lo = 0.0, hi = M
            func f(_ b: Double) -> Double { let a = auction(value: w, bid: b, rivalMax: M); return a.utility - mu * a.spend }
            for _ in 0..<100 {
                let x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo)
                if f(x1) < f(x2) { lo = x1 } else { hi = x2 }
            }
            return (lo + hi) / 2
        }
    }
    func totals(_ bids: [Double]) -> (value: Double, spend: Double) {
        var value = 0.0, spend = 0.0
        for i in bids.indices {
            let a = auction(value: env.values[i], bid: bids[i], rivalMax: M)
            value += Double(env.opportunities[i]) * a.utility
            spend += Double(env.opportunities[i]) * a.spend
        }
        return (value, spend)
    }
    var mu = 0.0
    if totals(bestBids(0)).spend > env.budget {
        var lo = 0.0, hi = 1.0
        while totals(bestBids(hi)).spend > env.budget { hi *= 2 }
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            if totals(bestBids(mid)).spend > env.budget { lo = mid } else { hi = mid }
        }
        mu = hi
    }
    let bids = bestBids(mu)
    let t = totals(bids)
    return (bids, t.value, t.spend, mu)
}

/// Returns and total spends of `episodes` episodes bidding a constant multiplier (or random ones).
private func constantMultiplierEpisodes(
    _ env: BudgetPacing, multiplier: Float?, seed: UInt64, episodes: Int
) throws -> (returns: [Double], spends: [Double], minimumRemaining: Double, bookkeepingError: Double) {
    var env = env
    var rng = Xoshiro256(seed: seed ^ 0xABCD)
    var returns: [Double] = [], spends: [Double] = []
    var minimumRemaining = Double.infinity, bookkeepingError = 0.0
    var observation = [Float](repeating: 0, count: env.spec.observationCount)
    try observation.withUnsafeMutableBufferPointer { obs in
        for e in 0..<episodes {
            _ = env.reset(seed: e == 0 ? seed : nil, observation: obs)
            var total = 0.0, spent = 0.0
            while true {
                let t = try env.step(multiplier ?? env.randomAction(using: &rng), observation: obs)
                total += t.reward
                spent += t.info.cost
                minimumRemaining = min(minimumRemaining, t.info.budgetRemaining)
                bookkeepingError = max(bookkeepingError, abs(env.budget - spent - t.info.budgetRemaining))
                if t.truncated || t.terminated { break }
            }
            returns.append(total)
            spends.append(spent)
        }
    }
    return (returns, spends, minimumRemaining, bookkeepingError)
}

@Suite struct BudgetPacingTests {
    let env = try! Registry.standard.make("BudgetPacing-v0", as: BudgetPacing.self)

    @Test func numericalLagrangianOptimumMatchesTheClosedForm() throws {
        let numeric = lagrangianOptimum(env)
        let m = env.closedFormMultiplier()
        #expect(m < 1, "the default budget binds")
        #expect(abs(numeric.spend - env.budget) < 1e-6 * env.budget, "the budget binds at the optimum")
        for (b, w) in zip(numeric.bids, env.values) { #expect(abs(b / w - m) < 1e-6, "one multiplier for every slot") }
        #expect(abs(1 / (1 + numeric.mu) - m) < 1e-6, "λ* = 1 + μ")
        #expect(abs(env.expectedValue(multiplier: m) - numeric.value) < 1e-7 * numeric.value)
        #expect(abs(env.spec.oracle.expectedReturn! - numeric.value) < 1e-7 * numeric.value)
        #expect(abs(env.expectedSpend(multiplier: m) - env.budget) < 1e-6 * env.budget)
        var rng = Xoshiro256(seed: 0)
        #expect(abs(Double(env.oracleAction(using: &rng)) - m) < 1e-6)
        // expectedValue agrees with the numerical integral for other multipliers, bids above M included.
        for k in [0.3, 1.0, 1.6, 3.0] {
            let direct = zip(env.opportunities, env.values).reduce(0) {
                $0 + Double($1.0) * auction(value: $1.1, bid: k * $1.1, rivalMax: env.rivalMaxBid).utility
            }
            #expect(abs(env.expectedValue(multiplier: k) - direct) < 1e-9 * abs(direct))
        }
        // With a budget that never binds, bidding the value is optimal.
        let rich = try Registry.standard.make("BudgetPacing-v0", as: BudgetPacing.self, overrides: [Override("budget", 1e6)])
        let free = lagrangianOptimum(rich)
        #expect(free.mu == 0 && rich.closedFormMultiplier() == 1)
        for (b, w) in zip(free.bids, rich.values) { #expect(abs(b - w) < 1e-6) }
    }

    @Test func oracleReturnMatchesTheClosedFormUpToTheSmallCutoffLoss() {
        let numeric = lagrangianOptimum(env)
        let value = numeric.value
        // The hard cut-off loses the auctions the uncapped policy would win past the budget: about
        // E[(S − B)+] of spend, each unit of which buys (2λ − 1) of utility at these bids. With the
        // spend S roughly normal around B, E[(S − B)+] = σ_S / sqrt(2π). Allow twice that.
        var variance = 0.0
        for i in env.values.indices {
            let a = auction(value: env.values[i], bid: numeric.bids[i], rivalMax: env.rivalMaxBid)
            variance += Double(env.opportunities[i]) * (a.spendSquared - a.spend * a.spend)
        }
        let lambda = 1 + numeric.mu
        let cutoffLoss = (2 * lambda - 1) * variance.squareRoot() / (2 * Double.pi).squareRoot()
        #expect(cutoffLoss < 0.005 * value, "the cut-off loss is tiny with the defaults")
        let rollout = Rollout(env, policy: .oracle, seed: 1, episodes: 300)
        let (mean, halfWidth) = meanAndHalfWidth99(rollout.returns)
        #expect(mean <= value + halfWidth, "the relaxation bounds the return: \(mean) ± \(halfWidth) vs \(value)")
        #expect(mean >= value - 2 * cutoffLoss - halfWidth, "\(mean) ± \(halfWidth) vs \(value) − loss \(cutoffLoss)")
        #expect(rollout.terminations == 0 && rollout.lengths.allSatisfy { $0 == env.slots })
    }

    @Test func scaledMultipliersDoWorse() throws {
        let m = Float(env.closedFormMultiplier())
        let oracle = meanAndHalfWidth99(try constantMultiplierEpisodes(env, multiplier: m, seed: 5, episodes: 100).returns)
        for k: Float in [0.7, 1.3] {
            let other = meanAndHalfWidth99(try constantMultiplierEpisodes(env, multiplier: k * m, seed: 5, episodes: 100).returns)
            #expect(other.mean + other.halfWidth < oracle.mean - oracle.halfWidth, "×\(k): \(other.mean) vs \(oracle.mean)")
            if k < 1 {
                // Under-bidding leaves budget unspent, so the uncapped formula is exact for it.
                let exact = env.expectedValue(multiplier: Double(k * m))
                #expect(abs(other.mean - exact) <= other.halfWidth, "×\(k): \(other.mean) ± \(other.halfWidth) vs \(exact)")
            }
        }
    }

    @Test func budgetIsNeverExceeded() throws {
        let m = Float(env.closedFormMultiplier())
        for multiplier in [m, 1.3 * m, 1, env.maxMultiplier, nil] {
            let run = try constantMultiplierEpisodes(env, multiplier: multiplier, seed: 9, episodes: 30)
            #expect(run.spends.allSatisfy { $0 <= env.budget * (1 + 1e-12) }, "multiplier \(String(describing: multiplier))")
            #expect(run.minimumRemaining >= 0)
            #expect(run.bookkeepingError < 1e-9 * env.budget)
            if let multiplier, multiplier >= 1 {
                // Aggressive bidding runs the budget down to (almost) nothing.
                #expect(run.spends.allSatisfy { $0 > env.budget * 0.999 })
            }
        }
    }

    @Test func auctionsFollowTheSecondPriceModelWithoutABudget() throws {
        var env = try Registry.standard.make("BudgetPacing-v0", as: BudgetPacing.self, overrides: [Override("budget", 1e9)])
        var r = env.reset(seed: 3)
        #expect(r.observation[0] == 0 && r.observation[1] == 1 && r.observation[4] == 1 && r.observation[5] == 0)
        #expect(r.observation[2] == Float(env.values[0]) && r.observation[3] == Float(env.opportunities[0]) / 2550)
        var wins = 0.0, cost = 0.0, utility = 0.0, rivalMean = 0.0
        for i in 0..<env.slots {
            let s = try env.step(1)
            #expect(s.info[.auctions] == Double(env.opportunities[i]))
            #expect(s.info[.impressions] == s.info[.wins])
            #expect(s.terminated == false && s.truncated == (i == env.slots - 1))
            #expect(env.spec.observationSpace.contains(s.observation))
            wins += s.info[.wins]
            cost += s.info[.cost]
            utility += s.reward
            rivalMean += s.info[.leastWinningCost] * s.info[.auctions]
            // Truthful bidding never pays more than the value.
            #expect(s.reward >= 0)
            r = ResetResult(observation: s.observation, info: s.info)
        }
        #expect(r.observation[0] == 1 && r.observation[2] == 0 && r.observation[4] == 0)
        let n = Double(env.opportunities.reduce(0, +))
        let expectedWins = zip(env.opportunities, env.values).reduce(0) { $0 + Double($1.0) * $1.1 }
        let expectedCost = zip(env.opportunities, env.values).reduce(0) { $0 + Double($1.0) * $1.1 * $1.1 / 2 }
        #expect(abs(wins - expectedWins) < 4 * expectedWins.squareRoot())
        #expect(abs(cost - expectedCost) < 0.02 * expectedCost)
        #expect(abs(utility - env.expectedValue(multiplier: 1)) < 0.02 * utility)
        #expect(abs(rivalMean / n - 0.5) < 4 * (1.0 / 12 / n).squareRoot(), "least winning cost is the rival bid, uniform on [0, 1]")
        #expect(throws: ActionError.needsReset) { try env.step(1) }
    }

    @Test func invalidActionsAreRefusedAndChangeNothing() throws {
        var env = env
        #expect(throws: ActionError.needsReset) { try env.step(1) }
        _ = env.reset(seed: 2)
        _ = try env.step(0.5)
        let before = env
        #expect(throws: ActionError.notFinite(action: "nan")) { try env.step(Float.nan) }
        #expect(throws: ActionError.notFinite(action: "inf")) { try env.step(Float.infinity) }
        #expect(throws: ActionError.outOfSpace(action: "-0.5", space: "Box(0.0, 4.0, (1,), float32)")) { try env.step(-0.5) }
        #expect(throws: ActionError.outOfSpace(action: "4.5", space: "Box(0.0, 4.0, (1,), float32)")) { try env.step(4.5) }
        var row: [Float] = [.nan], observation = [Float](repeating: 0, count: env.spec.observationCount)
        #expect(throws: ActionError.notFinite(action: "nan")) {
            try row.withUnsafeBufferPointer { r in
                try observation.withUnsafeMutableBufferPointer { o in _ = try env.step(row: .reals(r), observation: o) }
            }
        }
        row[0] = 9
        #expect(throws: ActionError.outOfSpace(action: "9.0", space: "Box(0.0, 4.0, (1,), float32)")) {
            try row.withUnsafeBufferPointer { r in
                try observation.withUnsafeMutableBufferPointer { o in _ = try env.step(row: .reals(r), observation: o) }
            }
        }
        var a = before, b = env
        for _ in 1..<env.slots {
            let x = try a.step(0.8), y = try b.step(0.8)
            #expect(x.reward == y.reward && x.observation == y.observation && x.info.values == y.info.values)
        }
    }

    @Test func badParametersNameTheField() {
        func error(_ overrides: [Override]) -> ScenarioError? {
            do {
                _ = try Registry.standard.make("BudgetPacing-v0", as: BudgetPacing.self, overrides: overrides)
                return nil
            } catch { return error }
        }
        #expect(error([try! Override("values[3]", 1.5)]) == .outOfRange(path: "parameters.values[3]", value: "1.5", allowed: "(0, 1]"))
        #expect(error([try! Override("budget", 0)]) == .outOfRange(path: "parameters.budget", value: "0", allowed: "(0, 1000000000000]"))
        #expect(error([try! Override("max_multiplier", 0.5)]) == .outOfRange(path: "parameters.max_multiplier", value: "0.5", allowed: "[1, 100]"))
        for (overrides, path) in [
            ([try! Override("values", [0.5, 0.5])], "parameters.values"),
            ([try! Override("opportunities", [0, 0]), try! Override("values", [0.5, 0.5])], "parameters.opportunities"),
            ([try! Override("max_episode_steps", 10)], "max_episode_steps"),
        ] {
            guard case .invalidValue(let p, _)? = error(overrides) else { Issue.record("\(overrides) must be refused"); continue }
            #expect(p == path)
        }
        guard case .unknownKey(let key, _)? = error([try! Override("budjet", 1)]) else { Issue.record("typo accepted"); return }
        #expect(key == "parameters.budjet")
    }
}
