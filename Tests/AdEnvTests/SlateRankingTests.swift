import Testing
@testable import AdEnv

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct SlateRankingTests {
    let env = try! Registry.standard.make("SlateRanking-v0", as: SlateRanking.self)

    static func make(
        _ alpha: [Double], slots: Int = 3, eta: Double = 1, model: String = "position", steps: Int = 1_000_000
    ) throws -> SlateRanking {
        try SlateRanking(scenario: Scenario(
            id: "Small-v0", kind: SlateRanking.kind, maxEpisodeSteps: steps,
            parameters: ConfigObject([
                ("attractiveness", .array(alpha.map { .number($0) })), ("slots", .number(Double(slots))),
                ("eta", .number(eta)), ("click_model", .string(model)),
            ])))
    }

    /// Every ordered slate of `slots` distinct items out of `n`.
    static func allSlates(n: Int, slots: Int) -> [[Int]] {
        var result: [[Int]] = [[]]
        for _ in 0..<slots {
            result = result.flatMap { prefix in (0..<n).filter { !prefix.contains($0) }.map { prefix + [$0] } }
        }
        return result
    }

    /// The exact mean and variance of a slate's clicks, written out here from the click models.
    static func exact(_ slate: [Int], alpha: [Double], eta: Double, cascade: Bool) -> (mean: Double, variance: Double) {
        if cascade {
            // At most one click: P(click) = Σ_k P(examine k, no click before) α_k, and with no click
            // so far slot k is examined with probability θ_k.
            var p = 0.0, noClick = 1.0
            for (k, item) in slate.enumerated() {
                p += pow(Double(k + 1), -eta) * noClick * alpha[item]
                noClick *= 1 - alpha[item]
            }
            return (p, p * (1 - p))
        }
        // Independent Bernoulli(θ_k α) per slot.
        var mean = 0.0, variance = 0.0
        for (k, item) in slate.enumerated() {
            let q = pow(Double(k + 1), -eta) * alpha[item]
            mean += q
            variance += q * (1 - q)
        }
        return (mean, variance)
    }

    /// Mean clicks of `slate` over `steps` steps from `seed`, through the flat-row API.
    static func simulate(_ env: SlateRanking, slate: [Int], steps: Int, seed: UInt64) throws -> Double {
        var env = env
        var total = 0.0
        let row = slate.map(Int64.init)
        var observation: [Float] = [0]
        try row.withUnsafeBufferPointer { items in
            try observation.withUnsafeMutableBufferPointer { obs in
                _ = env.reset(seed: seed, observation: obs)
                for _ in 0..<steps { total += try env.step(row: .integers(items), observation: obs).reward }
            }
        }
        return total / Double(steps)
    }

    /// Enumerates all 24 ordered slates of a 4-ad, 3-slot instance, simulates each, and checks that
    /// (1) every simulated mean lies in its 99% interval (Bonferroni over the 24: z = 3.53), (2) the
    /// exact optimum is the slate sorted by attractiveness, with no exact tie, and (3) its simulated
    /// mean beats every other slate's with one-sided separation z = 3.33 (Bonferroni over 23 at 1%).
    func checkEnumeration(alpha: [Double], eta: Double, cascade: Bool, steps: Int) throws {
        let env = try Self.make(alpha, eta: eta, model: cascade ? "cascade" : "position")
        let slates = Self.allSlates(n: alpha.count, slots: 3)
        #expect(slates.count == 24)
        let exact = slates.map { Self.exact($0, alpha: alpha, eta: eta, cascade: cascade) }
        let sorted = Array(alpha.indices.sorted { alpha[$0] > alpha[$1] }.prefix(3))
        let bestIndex = slates.firstIndex(of: sorted)!
        #expect(env.bestSlate.array == sorted)
        #expect(abs(env.spec.oracle.expectedReturn! - 1_000_000 * exact[bestIndex].mean) < 1e-6)
        for i in slates.indices where i != bestIndex {
            #expect(exact[i].mean < exact[bestIndex].mean, "slate \(slates[i]) ties or beats the sorted slate: no exact ties expected")
        }
        var simulated: [Double] = []
        for (i, slate) in slates.enumerated() {
            let mean = try Self.simulate(env, slate: slate, steps: steps, seed: 500 + UInt64(i))
            simulated.append(mean)
            let se = (exact[i].variance / Double(steps)).squareRoot()
            #expect(abs(mean - exact[i].mean) < 3.53 * se, "slate \(slate): simulated \(mean), exact \(exact[i].mean)")
        }
        for i in slates.indices where i != bestIndex {
            let se = ((exact[i].variance + exact[bestIndex].variance) / Double(steps)).squareRoot()
            #expect(simulated[bestIndex] - simulated[i] > 3.33 * se, "sorted slate not separated from \(slates[i])")
        }
    }

    @Test func positionModelSortedSlateIsBestAmongAll24AndEachMeanMatchesItsExactValue() throws {
        try checkEnumeration(alpha: [0.3, 0.9, 0.05, 0.6], eta: 1, cascade: false, steps: 20_000)
    }

    @Test func cascadeModelSortedSlateIsBestAmongAll24AndEachMeanMatchesItsExactValue() throws {
        try checkEnumeration(alpha: [0.3, 0.65, 0.05, 0.7], eta: 0.5, cascade: true, steps: 50_000)
    }

    @Test func oracleAndRandomReturnsMatchTheirClosedForms() throws {
        let scenario = try Registry.standard.scenario("SlateRanking-v0")
        guard case .array(let values)? = scenario.parameters["attractiveness"] else { Issue.record("no attractiveness"); return }
        let alpha: [Double] = values.map { (value: ConfigValue) -> Double in
            if case .number(let x) = value { x } else { .nan }
        }
        let theta: [Double] = [1, 1.0 / 2, 1.0 / 3]
        let top = alpha.sorted(by: >)
        var oracle = 0.0
        for k in 0..<3 { oracle += 1_000 * theta[k] * top[k] }
        // A uniformly random slate puts a uniformly random ad in each slot.
        let meanAlpha = alpha.reduce(0, +) / Double(alpha.count)
        let random = 1_000 * (theta[0] + theta[1] + theta[2]) * meanAlpha
        #expect(abs(env.spec.oracle.expectedReturn! - oracle) < 1e-9)
        for (policy, expected) in [(ScenarioPolicy.oracle, oracle), (.random, random)] {
            let summary = Summary(Rollout(env, policy: policy, seed: 31, episodes: 40).returns)
            #expect(abs(summary.mean - expected) < 2.576 * summary.standardDeviation / Double(summary.count).squareRoot(), "\(policy)")
        }
    }

    @Test func randomActionIsAUniformPermutation() throws {
        let env = try Self.make([0.1, 0.2, 0.3, 0.4])
        let slates = Self.allSlates(n: 4, slots: 3)
        var counts = [Int](repeating: 0, count: slates.count)
        var rng = Xoshiro256(seed: 9)
        var e = env
        _ = e.reset(seed: 0)
        for _ in 0..<24_000 {
            let slate = env.randomAction(using: &rng)
            try e.check(slate)
            counts[slates.firstIndex(of: slate.array)!] += 1
        }
        let chiSquare = counts.reduce(0.0) { $0 + pow(Double($1) - 1_000, 2) / 1_000 }
        #expect(chiSquare < 49.7)  // the 0.999 quantile of χ² with 23 degrees of freedom
        // Larger instances: always K distinct items in range.
        var big = try Self.make((0..<40).map { Double($0) / 40 }, slots: 8)
        _ = big.reset(seed: 0)
        for _ in 0..<2_000 { try big.check(big.randomAction(using: &rng)) }
    }

    @Test func infoReportsExpectedClicksAndImpressions() throws {
        var env = env
        _ = env.reset(seed: 4)
        let slate = Slate([5, 0, 2])
        let result = try env.step(slate)
        let alpha = env.attractiveness
        #expect(abs(result.info[.expectedReward] - (alpha[5] + alpha[0] / 2 + alpha[2] / 3)) < 1e-12)
        let top = alpha.sorted(by: >)
        #expect(abs(result.info[.optimalExpectedReward] - (top[0] + top[1] / 2 + top[2] / 3)) < 1e-12)
        #expect(result.info[.impressions] == 3 && result.info[.clicks] == result.reward)
        #expect(env.spec.observationLabels == ["progress"] && result.observation == [0.001])
    }

    @Test func invalidSlatesThrowAndChangeNothing() throws {
        var env = env
        #expect(throws: ActionError.needsReset) { try env.step(Slate([0, 1, 2])) }
        _ = env.reset(seed: 8)
        _ = try env.step(Slate([1, 3, 5]))
        let before = env
        let space = "MultiDiscrete([6, 6, 6]) with distinct items"
        #expect(throws: ActionError.outOfSpace(action: "[1, 1, 2]", space: space)) { try env.step(Slate([1, 1, 2])) }
        #expect(throws: ActionError.outOfSpace(action: "[0, 6, 2]", space: space)) { try env.step(Slate([0, 6, 2])) }
        #expect(throws: ActionError.outOfSpace(action: "[-1, 1, 2]", space: space)) { try env.step(Slate([-1, 1, 2])) }
        #expect(throws: ActionError.wrongCount(expected: 3, got: 2)) { try env.step(Slate([0, 1])) }
        var observation: [Float] = [0]
        for row: [Int64] in [[0, 1], [0, 1, 2, 3], [-5, 1, 2], [0, 9, 1], [2, 2, 0]] {
            row.withUnsafeBufferPointer { items in
                observation.withUnsafeMutableBufferPointer { obs in
                    do throws(ActionError) {
                        _ = try env.step(row: .integers(items), observation: obs)
                        Issue.record("row \(row) was accepted")
                    } catch {
                        let expected: ActionError = row.count == 3
                            ? .outOfSpace(action: "\(row.map { $0 < 0 ? -1 : $0 })", space: space)
                            : .wrongCount(expected: 3, got: row.count)
                        #expect(error == expected)
                    }
                }
            }
        }
        var a = before, b = env
        for slate in [[1, 0, 2], [5, 4, 3], [1, 3, 5], [0, 2, 4]] {
            let x = try a.step(Slate(slate)), y = try b.step(Slate(slate))
            #expect(x.observation == y.observation && x.reward == y.reward && x.info.values == y.info.values)
        }
    }

    @Test func truncatesAtTheTimeLimit() throws {
        var env = try Registry.standard.make("SlateRanking-v0", as: SlateRanking.self, overrides: [Override("max_episode_steps", 2)])
        _ = env.reset(seed: 0)
        #expect(try env.step(env.bestSlate).truncated == false)
        let last = try env.step(env.bestSlate)
        #expect(last.truncated && !last.terminated)
        #expect(throws: ActionError.needsReset) { try env.step(env.bestSlate) }
    }

    @Test func badParametersNameTheField() {
        func failure(_ parameters: ConfigValue) -> String {
            guard case .object(let object) = parameters else { return "" }
            do {
                _ = try SlateRanking(scenario: Scenario(id: "Bad-v0", kind: SlateRanking.kind, parameters: object))
                return "no error"
            } catch { return error.path ?? "\(error)" }
        }
        #expect(failure(["attractiveness": [0.1, 0.2], "slots": 3]) == "parameters.slots")
        #expect(failure(["attractiveness": .array(Array(repeating: 0.1, count: 10)), "slots": 9]) == "parameters.slots")
        #expect(failure(["slots": 0]) == "parameters.slots")
        #expect(failure(["eta": -1]) == "parameters.eta")
        #expect(failure(["click_model": "dbn"]) == "parameters.click_model")
        #expect(failure(["attractiveness": [0.1, 1.5, 0.2]]) == "parameters.attractiveness[1]")
        #expect(failure(["attractiveness": [0.1]]) == "parameters.attractiveness")
        #expect(failure(["slot": 2]) == "parameters.slot")
        #expect(failure(["attractiveness": [0.1, 0.2], "slots": 2, "click_model": "cascade"]) == "no error")
    }

    @Test func vectorEnvStepsFlatSlateRowsAndRefusesABadOneWholesale() throws {
        let vector = VectorEnv(env, count: 3, threads: 1)
        vector.reset(seed: 1)
        let good: [Int64] = [1, 3, 5, 0, 1, 2, 5, 4, 3]
        try good.withUnsafeBufferPointer { try vector.step(flat: $0) }
        let alpha = env.attractiveness
        #expect(abs(vector.infos[0].expectedReward - (alpha[1] + alpha[3] / 2 + alpha[5] / 3)) < 1e-12)
        let before = vector.observations
        let bad: [Int64] = [1, 3, 5, 0, 0, 2, 5, 4, 3]
        #expect(throws: VectorStepError(index: 1, error: .outOfSpace(action: "[0, 0, 2]", space: "MultiDiscrete([6, 6, 6]) with distinct items"))) {
            try bad.withUnsafeBufferPointer { try vector.step(flat: $0) }
        }
        #expect(vector.observations == before)
        for _ in 0..<10 { vector.step(policy: .random) }
        #expect(vector.envs.allSatisfy { $0.spec.id == "SlateRanking-v0" })
    }
}
