import Testing
@testable import AdEnv
#if canImport(Glibc)
import Glibc
#endif

/// The fatigue MDP written out from its parameters, solved here independently of the env's code.
private struct FatigueModel {
    let levels: Int
    let decay: Double
    let churnBase: Double
    let churnPerLevel: Double

    init(_ env: FatigueMDP) {
        levels = env.maxLevel + 1
        decay = env.decay
        churnBase = env.churnBase
        churnPerLevel = env.churnPerLevel
    }

    /// (reward, next level, probability the user stays) of action `a` at level `f`.
    func outcome(_ f: Int, _ a: Int) -> (reward: Double, next: Int, stay: Double) {
        var reward = 0.0
        if a == 1 {
            reward = 1
            for _ in 0..<f { reward *= decay }
        }
        let next = a == 1 ? min(f + 1, levels - 1) : max(f - 1, 0)
        return (reward, next, 1 - churnBase - churnPerLevel * Double(f))
    }

    /// Value iteration, Jacobi style (a full sweep from the previous vector), for 20,000 sweeps.
    func valueIteration(discount: Double) -> (values: [Double], policy: [Int]) {
        var v = [Double](repeating: 0, count: levels)
        for _ in 0..<20_000 {
            v = (0..<levels).map { f in
                (0...1).map { a in let o = outcome(f, a); return o.reward + discount * o.stay * v[o.next] }.max()!
            }
        }
        let policy = (0..<levels).map { f in
            let qs = (0...1).map { a in let o = outcome(f, a); return o.reward + discount * o.stay * v[o.next] }
            return qs[1] >= qs[0] ? 1 : 0
        }
        return (v, policy)
    }

    /// Exact policy evaluation: solves `(I − γP) v = r` by Gaussian elimination with partial pivoting.
    func evaluate(_ policy: [Int], discount: Double) -> [Double] {
        let n = levels
        var a = [[Double]](repeating: [Double](repeating: 0, count: n + 1), count: n)
        for f in 0..<n {
            let o = outcome(f, policy[f])
            a[f][f] += 1
            a[f][o.next] -= discount * o.stay
            a[f][n] = o.reward
        }
        for col in 0..<n {
            let pivot = (col..<n).max { abs(a[$0][col]) < abs(a[$1][col]) }!
            a.swapAt(col, pivot)
            for row in 0..<n where row != col {
                let factor = a[row][col] / a[col][col]
                for k in col...n { a[row][k] -= factor * a[col][k] }
            }
        }
        return (0..<n).map { a[$0][n] / a[$0][$0] }
    }
}

/// The 0.995 quantile of the standard normal: a two-sided 99% interval.
private let z99 = 2.5758

private func options(_ key: String, _ value: Double) -> ConfigObject {
    ConfigObject([(key: key, value: .number(value))])
}

private func meanAndHalfWidth99(_ xs: [Double]) -> (mean: Double, halfWidth: Double) {
    let s = Summary(xs)
    return (s.mean, z99 * s.standardDeviation / Double(xs.count).squareRoot())
}

@Suite struct FatigueMDPTests {
    let env = try! Registry.standard.make("FatigueMDP-v0", as: FatigueMDP.self)

    @Test func valueIterationInTheTestFindsShowOnlyWhenFreshAndTheEnvAgrees() {
        let model = FatigueModel(env)
        let (values, policy) = model.valueIteration(discount: env.discount)
        #expect(policy == [1, 0, 0, 0, 0], "show only at f = 0")
        let solution = env.optimalValues(discount: env.discount)
        #expect(solution.policy == policy)
        #expect(env.solution == solution)
        for (a, b) in zip(solution.values, values) { #expect(abs(a - b) < 1e-9) }
        #expect(abs(env.spec.oracle.expectedReturn! - values[0]) < 1e-9)
        // The values are monotone: a fresher user is worth more.
        for f in 1..<values.count { #expect(values[f] < values[f - 1]) }
    }

    @Test func oracleDiscountedReturnMatchesValueIteration() {
        let model = FatigueModel(env)
        let v0 = model.valueIteration(discount: env.discount).values[0]
        let rollout = Rollout(env, policy: .oracle, seed: 11, episodes: 6_000, discount: env.discount)
        let (mean, halfWidth) = meanAndHalfWidth99(rollout.discountedReturns)
        #expect(abs(mean - v0) <= halfWidth, "MC \(mean) ± \(halfWidth) vs V*(0) = \(v0)")
        #expect(halfWidth < 0.05 * v0)
        #expect(rollout.terminations == 6_000, "every episode ends by churn long before the time limit")
    }

    @Test func alwaysShowMatchesItsExactValueAndIsFarWorse() throws {
        let model = FatigueModel(env)
        let alwaysShow = [Int](repeating: 1, count: model.levels)
        let exact = model.evaluate(alwaysShow, discount: env.discount)
        #expect(abs(env.policyValues(alwaysShow, discount: env.discount)[0] - exact[0]) < 1e-9)
        var env = env
        var returns: [Double] = []
        _ = env.reset(seed: 5)
        for _ in 0..<6_000 {
            var total = 0.0, weight = 1.0
            while true {
                let r = try env.step(FatigueMDP.show)
                total += weight * r.reward
                weight *= env.discount
                if r.terminated || r.truncated { break }
            }
            returns.append(total)
            _ = env.reset()
        }
        let (mean, halfWidth) = meanAndHalfWidth99(returns)
        #expect(abs(mean - exact[0]) <= halfWidth, "MC \(mean) ± \(halfWidth) vs exact \(exact[0])")
        let v0 = model.valueIteration(discount: env.discount).values[0]
        #expect(exact[0] < 0.5 * v0)
    }

    @Test func everySingleStateDeviationFromTheOptimalPolicyIsWorse() {
        let model = FatigueModel(env)
        let (_, policy) = model.valueIteration(discount: env.discount)
        let best = model.evaluate(policy, discount: env.discount)
        for f in policy.indices {
            var deviant = policy
            deviant[f] = 1 - deviant[f]
            let v = model.evaluate(deviant, discount: env.discount)
            #expect(v[f] < best[f] - 1e-6, "deviating at f = \(f)")
            for g in v.indices { #expect(v[g] <= best[g] + 1e-9) }
        }
    }

    @Test func showAndRestMoveFatigueAndPayDecayToTheF() throws {
        var env = try Registry.standard.make(
            "FatigueMDP-v0", as: FatigueMDP.self, overrides: [Override("churn_base", 0), Override("churn_per_level", 0)])
        var r = env.reset(seed: 1)
        #expect(r.observation == [1, 0, 0, 0, 0, 0])
        var expected = 1.0
        for f in 0..<6 {
            let s = try env.step(FatigueMDP.show)
            #expect(abs(s.reward - expected) < 1e-12)
            #expect(s.info[.impressions] == 1)
            #expect(env.currentFatigue == min(f + 1, 4))
            if f < 4 { expected *= env.decay }
        }
        #expect(env.currentFatigue == 4)
        let s = try env.step(FatigueMDP.rest)
        #expect(s.reward == 0 && s.info[.impressions] == 0)
        #expect(s.observation == [0, 0, 0, 1, 0, 0.75])
        r = env.reset()
        #expect(env.currentFatigue == 0 && r.observation.count == env.spec.observationLabels.count)
        #expect(try env.step(FatigueMDP.rest).observation == [1, 0, 0, 0, 0, 0], "rest at 0 stays at 0")
    }

    @Test func churnRateUsesTheFatigueBeforeTheAction() throws {
        var env = env
        let trials = 20_000
        for f in 0...env.maxLevel {
            var churned = 0
            _ = try env.reset(seed: UInt64(100 + f), options: options("initial_fatigue", Double(f)))
            for i in 0..<trials {
                // Resting from f and showing from f must churn at the rate of f, not of f ± 1.
                let s = try env.step(i % 2 == 0 ? FatigueMDP.rest : FatigueMDP.show)
                if s.terminated {
                    churned += 1
                    #expect(s.info[.churned] == 1)
                }
                _ = try env.reset(options: options("initial_fatigue", Double(f)))
            }
            let p = env.churnBase + env.churnPerLevel * Double(f)
            let sigma = (p * (1 - p) / Double(trials)).squareRoot()
            #expect(abs(Double(churned) / Double(trials) - p) < 4 * sigma, "level \(f)")
        }
    }

    @Test func resetOptionsAreValidatedAndARejectedOptionChangesNothing() throws {
        var env = env
        let r = try env.reset(seed: 2, options: options("initial_fatigue", 3))
        #expect(r.observation == [0, 0, 0, 1, 0, 0.75])
        let before = env
        #expect(throws: ScenarioError.unknownKey(path: "options.initial_fatigeu", known: ["initial_fatigue"])) {
            try env.reset(seed: 9, options: options("initial_fatigeu", 1))
        }
        #expect(throws: ScenarioError.outOfRange(path: "options.initial_fatigue", value: "5", allowed: "[0, 4]")) {
            try env.reset(seed: 9, options: options("initial_fatigue", 5))
        }
        #expect(env.currentFatigue == 3)
        var a = before, b = env
        for _ in 0..<50 {
            let x = try a.step(1), y = try b.step(1)
            #expect(x.reward == y.reward && x.terminated == y.terminated && x.observation == y.observation)
            if x.terminated { break }
        }
    }

    @Test func invalidActionsAreRefusedAndChangeNothing() throws {
        var env = env
        #expect(throws: ActionError.needsReset) { try env.step(0) }
        _ = env.reset(seed: 4)
        let before = env
        #expect(throws: ActionError.outOfSpace(action: "2", space: "Discrete(2)")) { try env.step(2) }
        #expect(throws: ActionError.outOfSpace(action: "-1", space: "Discrete(2)")) { try env.step(-1) }
        var a = before, b = env
        var steps = 0
        while true {
            let x = try a.step(1), y = try b.step(1)
            #expect(x.reward == y.reward && x.terminated == y.terminated && x.observation == y.observation)
            steps += 1
            if x.terminated || x.truncated { break }
        }
        #expect(throws: ActionError.needsReset) { try a.step(0) }
    }

    @Test func truncatesAtTheTimeLimitWhenNobodyChurns() throws {
        var env = try Registry.standard.make(
            "FatigueMDP-v0", as: FatigueMDP.self,
            overrides: [Override("max_episode_steps", 3), Override("churn_base", 0), Override("churn_per_level", 0)])
        _ = env.reset(seed: 0)
        let flags = try (0..<3).map { _ in let r = try env.step(1); return (r.terminated, r.truncated) }
        #expect(flags.map(\.0) == [false, false, false])
        #expect(flags.map(\.1) == [false, false, true])
        #expect(throws: ActionError.needsReset) { try env.step(0) }
    }

    @Test func badParametersNameTheField() {
        func error(_ overrides: [Override]) -> ScenarioError? {
            do {
                _ = try Registry.standard.make("FatigueMDP-v0", as: FatigueMDP.self, overrides: overrides)
                return nil
            } catch { return error }
        }
        #expect(error([try! Override("decay", 0)]) == .outOfRange(path: "parameters.decay", value: "0", allowed: "(0, 1]"))
        #expect(error([try! Override("discount", 1)]) == .outOfRange(path: "parameters.discount", value: "1", allowed: "[0, 1)"))
        #expect(error([try! Override("max_level", 0)]) == .outOfRange(path: "parameters.max_level", value: "0", allowed: "[1, 64]"))
        guard case .invalidValue(let path, _)? = error([try! Override("churn_per_level", 0.3)]) else {
            Issue.record("churn above 1 must be refused")
            return
        }
        #expect(path == "parameters.churn_per_level")
        guard case .unknownKey(let key, _)? = error([try! Override("decai", 0.5)]) else {
            Issue.record("a misspelt key must be refused")
            return
        }
        #expect(key == "parameters.decai")
    }

    @Test func otherLevelCountsWork() throws {
        let env = try Registry.standard.make("FatigueMDP-v0", as: FatigueMDP.self, overrides: [Override("max_level", 7), Override("churn_per_level", 0.01)])
        #expect(env.spec.observationCount == 9)
        let model = FatigueModel(env)
        let (values, policy) = model.valueIteration(discount: 0.95)
        let solution = env.optimalValues(discount: 0.95)
        #expect(solution.policy == policy)
        for (a, b) in zip(solution.values, values) { #expect(abs(a - b) < 1e-9) }
    }
}

extension FatigueMDPTests {
    /// Policy iteration with an exact linear solve finishes for discounts arbitrarily close to 1,
    /// where value iteration with an absolute tolerance takes seconds or never stops.
    @Test func theSolutionIsExactAndFastForDiscountsNearOne() throws {
        let env = try Registry.standard.make(
            "FatigueMDP-v0", as: FatigueMDP.self,
            overrides: [Override("churn_base", 0), Override("churn_per_level", 0), Override("discount", 0.99999999)])
        let solution = env.solution
        // With no churn and γ → 1 the value is about (average reward per step)/(1 − γ); every
        // Bellman equation holds to rounding.
        for f in 0...env.maxLevel {
            let next = solution.policy[f] == FatigueMDP.show ? min(f + 1, env.maxLevel) : max(f - 1, 0)
            let reward = solution.policy[f] == FatigueMDP.show ? pow(env.decay, Double(f)) : 0
            let rhs = reward + env.discount * solution.values[next]
            #expect(abs(solution.values[f] - rhs) <= 1e-9 * solution.values[f])
        }
        #expect(solution.values[0] > 1e7)
    }
}
