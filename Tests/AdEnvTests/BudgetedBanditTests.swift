import Testing
@testable import AdEnv

/// Solves `max T Σ x_k r_k` s.t. `T Σ x_k c_k ≤ B`, `Σ x_k ≤ 1`, `x ≥ 0` by enumerating the vertices
/// of the feasible polytope. With two constraints besides `x ≥ 0`, a vertex has at most two non-zero
/// coordinates: the origin, one arm at `min(1, ρ / c_k)`, or two arms with both constraints tight.
private func lpByEnumeration(means r: [Double], costs c: [Double], budget: Double, horizon: Int) -> (value: Double, mix: [Double]) {
    let T = Double(horizon), rho = budget / T, K = r.count
    var best = (value: 0.0, mix: [Double](repeating: 0, count: K))
    func consider(_ x: [Double]) {
        guard x.allSatisfy({ $0 >= -1e-12 }) else { return }
        let total = x.reduce(0, +)
        let spend = zip(x, c).reduce(0) { $0 + $1.0 * $1.1 }
        guard total <= 1 + 1e-12, spend <= rho + 1e-12 else { return }
        let value = T * zip(x, r).reduce(0) { $0 + $1.0 * $1.1 }
        if value > best.value + 1e-9 { best = (value, x) }
    }
    for k in 0..<K {
        var x = [Double](repeating: 0, count: K)
        x[k] = min(1, rho / c[k])
        consider(x)
    }
    for i in 0..<K {
        for j in (i + 1)..<K where c[i] != c[j] {
            // x_i + x_j = 1 and x_i c_i + x_j c_j = rho.
            var x = [Double](repeating: 0, count: K)
            x[j] = (rho - c[i]) / (c[j] - c[i])
            x[i] = 1 - x[j]
            consider(x)
        }
    }
    return best
}

private let z99 = 2.5758

private func meanAndHalfWidth99(_ xs: [Double]) -> (mean: Double, halfWidth: Double) {
    let s = Summary(xs)
    return (s.mean, z99 * s.standardDeviation / Double(xs.count).squareRoot())
}

private func bandit(means: [Double], costs: [Double], budget: Double, horizon: Int, randomCosts: Bool = false) throws -> BudgetedBandit {
    let parameters = ConfigObject([
        (key: "means", value: .array(means.map { .number($0) })),
        (key: "costs", value: .array(costs.map { .number($0) })),
        (key: "budget", value: .number(budget)),
        (key: "random_costs", value: .bool(randomCosts)),
    ])
    return try BudgetedBandit(scenario: Scenario(id: "Test-v0", kind: BudgetedBandit.kind, maxEpisodeSteps: horizon, parameters: parameters))
}

/// Returns of `episodes` episodes that always play `arm` until it is masked.
private func singleArmReturns(_ env: BudgetedBandit, arm: Int, seed: UInt64, episodes: Int) throws -> [Double] {
    var env = env
    var returns: [Double] = []
    var observation = [Float](repeating: 0, count: env.spec.observationCount)
    try observation.withUnsafeMutableBufferPointer { obs in
        for e in 0..<episodes {
            _ = env.reset(seed: e == 0 ? seed : nil, observation: obs)
            var total = 0.0
            while env.budgetRemaining + 1e-9 >= env.costs[arm] {
                let t = try env.step(arm, observation: obs)
                total += t.reward
                if t.isDone { break }
            }
            returns.append(total)
        }
    }
    return returns
}

@Suite struct BudgetedBanditTests {
    let env = try! Registry.standard.make("BudgetedBandit-v0", as: BudgetedBandit.self)

    var bestRatioArm: Int { env.means.indices.max { env.means[$0] / env.costs[$0] < env.means[$1] / env.costs[$1] }! }
    var bestMeanArm: Int { env.means.indices.max { env.means[$0] < env.means[$1] }! }

    @Test func lpByVertexEnumerationMatchesTheEnvAndMixesTwoArms() {
        let expected = lpByEnumeration(means: env.means, costs: env.costs, budget: env.budget, horizon: env.horizon)
        let lp = env.lpOptimum()
        #expect(abs(lp.value - expected.value) < 1e-9 * expected.value)
        for (a, b) in zip(lp.mix, expected.mix) { #expect(abs(a - b) < 1e-12) }
        #expect(env.spec.oracle.expectedReturn == lp.value)
        // The defaults make the problem non-trivial: two arms share the optimum, and neither the best
        // reward/cost arm nor the best-mean arm is one of them.
        let support = lp.mix.indices.filter { lp.mix[$0] > 1e-12 }
        #expect(support.count == 2)
        #expect(!support.contains(bestRatioArm) && !support.contains(bestMeanArm))
        #expect(abs(lp.mix.reduce(0, +) - 1) < 1e-12)
        #expect(abs(zip(lp.mix, env.costs).reduce(0) { $0 + $1.0 * $1.1 } * Double(env.horizon) - env.budget) < 1e-6)
    }

    @Test func lpMatchesEnumerationOnRandomInstances() throws {
        var rng = Xoshiro256(seed: 99)
        for _ in 0..<300 {
            let K = 2 + rng.below(7)
            let means = (0..<K).map { _ in (rng.uniform() * 20).rounded() / 20 }
            let costs = (0..<K).map { _ in 0.05 + (rng.uniform() * 20).rounded() / 20 }
            let horizon = 100 + rng.below(1000)
            let budget = max(costs.min()!, rng.uniform(0, 1.2) * Double(horizon))
            let env = try bandit(means: means, costs: costs, budget: budget, horizon: horizon)
            let expected = lpByEnumeration(means: means, costs: costs, budget: budget, horizon: horizon)
            let lp = env.lpOptimum()
            #expect(abs(lp.value - expected.value) <= 1e-9 * max(1, expected.value), "means \(means) costs \(costs) B \(budget) T \(horizon)")
            // The env's mix is feasible and achieves its value.
            let total = lp.mix.reduce(0, +)
            let spend = zip(lp.mix, costs).reduce(0) { $0 + $1.0 * $1.1 } * Double(horizon)
            #expect(total <= 1 + 1e-12 && spend <= budget * (1 + 1e-12) && lp.mix.allSatisfy { $0 >= 0 })
            #expect(abs(zip(lp.mix, means).reduce(0) { $0 + $1.0 * $1.1 } * Double(horizon) - lp.value) <= 1e-9 * max(1, lp.value))
        }
    }

    @Test func oracleReachesTheLPBoundWithinAFewPercent() {
        let lp = lpByEnumeration(means: env.means, costs: env.costs, budget: env.budget, horizon: env.horizon).value
        let rollout = Rollout(env, policy: .oracle, seed: 3, episodes: 40)
        let (mean, halfWidth) = meanAndHalfWidth99(rollout.returns)
        #expect(mean > 0.98 * lp, "oracle \(mean) ± \(halfWidth), LP \(lp)")
        #expect(mean - halfWidth <= lp, "the LP value is an upper bound")
        #expect(halfWidth < 0.01 * lp)
    }

    @Test func bestRatioArmAloneAndBestMeanArmAloneDoClearlyWorse() throws {
        let lp = lpByEnumeration(means: env.means, costs: env.costs, budget: env.budget, horizon: env.horizon).value
        let oracle = meanAndHalfWidth99(Rollout(env, policy: .oracle, seed: 8, episodes: 20).returns)
        for arm in [bestRatioArm, bestMeanArm] {
            // Always playing one arm pulls it min(T, ⌊B / c⌋) times.
            let pulls = min(Double(env.horizon), (env.budget / env.costs[arm] + 1e-9).rounded(.down))
            let exact = pulls * env.means[arm]
            let (mean, halfWidth) = meanAndHalfWidth99(try singleArmReturns(env, arm: arm, seed: 8, episodes: 20))
            #expect(abs(mean - exact) <= halfWidth, "arm \(arm): \(mean) ± \(halfWidth) vs exact \(exact)")
            #expect(mean + halfWidth < oracle.mean - oracle.halfWidth)
            #expect(exact < 0.8 * lp)
        }
    }

    @Test func unaffordableArmsAreMaskedAndNoAffordableArmTerminates() throws {
        var env = try Registry.standard.make("BudgetedBandit-v0", as: BudgetedBandit.self, overrides: [Override("budget", 0.65)])
        let r = env.reset(seed: 1)
        #expect(r.info.actionMask == [true, true, false, false, true])
        #expect(r.info[.budgetRemaining] == 0.65)
        let before = env
        #expect(throws: ActionError.self) { try env.step(2) }
        do {
            _ = try env.step(3)
            Issue.record("a masked arm must be refused")
        } catch {
            guard case .masked(let action, _) = error else { Issue.record("expected .masked, got \(error)"); return }
            #expect(action == 3)
        }
        var a = before
        let s = try env.step(4)
        let t = try a.step(4)
        #expect(s.reward == t.reward && s.observation == t.observation, "the refused steps changed nothing")
        #expect(s.terminated && !s.truncated, "0.05 left pays for no arm")
        #expect(abs(s.info[.budgetRemaining] - 0.05) < 1e-12 && s.info[.cost] == 0.6)
        #expect(s.info.actionMask == [false, false, false, false, false])
        #expect(throws: ActionError.needsReset) { try env.step(1) }
    }

    @Test func anExactlyAffordablePullIsNotLostToRounding() throws {
        // 0.1 is not exact in binary: 30 subtractions from 3.0 leave a rounding residue.
        var env = try Registry.standard.make("BudgetedBandit-v0", as: BudgetedBandit.self, overrides: [Override("budget", 3)])
        _ = env.reset(seed: 0)
        var pulls = 0
        while true {
            let s = try env.step(1)
            pulls += 1
            if s.terminated || s.truncated { break }
        }
        #expect(pulls == 30)
        #expect(env.budgetRemaining < 1e-9)
    }

    @Test func randomPolicyRespectsTheMaskAndNeverOverspends() throws {
        var env = env
        var rng = Xoshiro256(seed: 17)
        for episode in 0..<5 {
            var r = env.reset(seed: UInt64(episode))
            #expect(env.spec.observationSpace.contains(r.observation))
            var spent = 0.0
            while true {
                let arm = env.randomAction(using: &rng)
                #expect(r.info.actionMask![arm])
                let s = try env.step(arm)
                spent += s.info[.cost]
                #expect(s.info[.budgetRemaining] >= 0)
                #expect(env.spec.observationSpace.contains(s.observation))
                r = ResetResult(observation: s.observation, info: s.info)
                if s.terminated || s.truncated {
                    #expect(s.terminated, "the random policy spends 0.58 per step and runs out before T")
                    break
                }
            }
            #expect(spent <= env.budget * (1 + 1e-9))
        }
    }

    @Test func randomCostsAreBernoulliWithTheGivenMeans() throws {
        var env = try Registry.standard.make(
            "BudgetedBandit-v0", as: BudgetedBandit.self,
            overrides: [Override("random_costs", true), Override("budget", 100_000), Override("max_episode_steps", 20_000)])
        _ = env.reset(seed: 5)
        var paid = 0.0
        for _ in 0..<20_000 {
            let s = try env.step(0)
            #expect(s.info[.cost] == 0 || s.info[.cost] == 1)
            paid += s.info[.cost]
        }
        let p = env.costs[0], sigma = (p * (1 - p) / 20_000).squareRoot()
        #expect(abs(paid / 20_000 - p) < 4 * sigma)
        // With costs of up to 1, an arm needs a whole unit of budget left.
        var small = try Registry.standard.make(
            "BudgetedBandit-v0", as: BudgetedBandit.self, overrides: [Override("random_costs", true), Override("budget", 1.5)])
        #expect(small.reset(seed: 0).info.actionMask == [true, true, true, true, true])
        // The LP uses expected costs, so it bounds the random-cost problem too, and the oracle nearly reaches it.
        let random = try Registry.standard.make("BudgetedBandit-v0", as: BudgetedBandit.self, overrides: [Override("random_costs", true)])
        let lp = lpByEnumeration(means: random.means, costs: random.costs, budget: random.budget, horizon: random.horizon).value
        #expect(abs(random.lpOptimum().value - lp) < 1e-9 * lp)
        let oracle = meanAndHalfWidth99(Rollout(random, policy: .oracle, seed: 4, episodes: 20).returns)
        #expect(oracle.mean > 0.97 * lp, "oracle \(oracle.mean) ± \(oracle.halfWidth), LP \(lp)")
        #expect(oracle.mean - oracle.halfWidth <= lp)
    }

    @Test func invalidActionsAndBadParametersAreRefused() throws {
        var env = env
        #expect(throws: ActionError.needsReset) { try env.step(0) }
        _ = env.reset(seed: 0)
        #expect(throws: ActionError.outOfSpace(action: "5", space: "Discrete(5)")) { try env.step(5) }
        #expect(throws: ActionError.outOfSpace(action: "-1", space: "Discrete(5)")) { try env.step(-1) }
        func error(_ overrides: [Override]) -> ScenarioError? {
            do {
                _ = try Registry.standard.make("BudgetedBandit-v0", as: BudgetedBandit.self, overrides: overrides)
                return nil
            } catch { return error }
        }
        #expect(error([try Override("means[1]", 1.5)]) == .outOfRange(path: "parameters.means[1]", value: "1.5", allowed: "[0, 1]"))
        #expect(error([try Override("costs[0]", 0)]) == .outOfRange(path: "parameters.costs[0]", value: "0", allowed: "(0, 1000000000]"))
        for (overrides, path) in [
            ([try Override("costs", [1, 2])], "parameters.costs"),
            ([try Override("budget", 0.05)], "parameters.budget"),
            ([try Override("random_costs", true), try Override("budget", 0.5)], "parameters.budget"),
            ([try Override("random_costs", true), try Override("costs[2]", 1.5)], "parameters.costs[2]"),
        ] {
            guard case .invalidValue(let p, _)? = error(overrides) else { Issue.record("\(overrides) must be refused"); continue }
            #expect(p == path)
        }
        guard case .unknownKey(let key, _)? = error([try Override("budgets", 1)]) else { Issue.record("typo accepted"); return }
        #expect(key == "parameters.budgets")
    }
}
