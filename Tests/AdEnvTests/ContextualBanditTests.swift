import Testing
@testable import AdEnv

@Suite struct ContextualBanditTests {
    let env = try! Registry.standard.make("ContextualBanner-v0", as: ContextualBandit.self)

    /// The scenario file's own weights and CTR table, parsed here without the env.
    static func fileTable() throws -> (weights: [Double], ctr: [[Double]]) {
        let scenario = try Registry.standard.scenario("ContextualBanner-v0")
        func numbers(_ value: ConfigValue?) -> [Double] {
            guard case .array(let items)? = value else { return [] }
            return items.map { if case .number(let x) = $0 { x } else { .nan } }
        }
        guard case .array(let rows)? = scenario.parameters["ctr"] else { return ([], []) }
        return (numbers(scenario.parameters["segment_weights"]), rows.map { numbers($0) })
    }

    static func argmax(_ xs: [Double]) -> Int { xs.indices.max { xs[$0] < xs[$1] || (xs[$0] == xs[$1] && $0 > $1) }! }

    /// The segment of the user in an observation, read from its one-hot part.
    static func segment(in observation: UnsafeMutableBufferPointer<Float>, count: Int) -> Int {
        (0..<count).first { observation[1 + $0] == 1 }!
    }

    /// Runs `steps` steps of a fixed policy `banner(segment)` and returns the summed pseudo-regret
    /// and the per-step regret values' sum of squares.
    static func regret(of env: ContextualBandit, steps: Int, seed: UInt64, policy: (Int) -> Int) throws -> (total: Double, squares: Double) {
        var env = env
        var total = 0.0, squares = 0.0
        var observation = [Float](repeating: 0, count: env.spec.observationCount)
        try observation.withUnsafeMutableBufferPointer { obs in
            _ = env.reset(seed: seed, observation: obs)
            for _ in 0..<steps {
                let t = try env.step(policy(segment(in: obs, count: env.segmentCount)), observation: obs)
                total += t.info.regret
                squares += t.info.regret * t.info.regret
                if t.isDone { _ = env.reset(seed: nil, observation: obs) }
            }
        }
        return (total, squares)
    }

    @Test func everySegmentHasItsOwnBestBannerAndTheBestOnAverageIsBestForNone() throws {
        let (weights, ctr) = try Self.fileTable()
        #expect(weights.count == 4 && ctr.count == 4 && ctr.allSatisfy { $0.count == 5 })
        let best = ctr.map(Self.argmax)
        #expect(Set(best).count == ctr.count, "each segment needs a different best banner")
        for s in ctr.indices { #expect(env.bestBanner(segment: s) == best[s]) }
        let average = (0..<5).map { k in zip(weights, ctr).reduce(0.0) { $0 + $1.0 * $1.1[k] } }
        let bestOnAverage = Self.argmax(average)
        #expect(!best.contains(bestOnAverage), "the context-free best banner must be best in no segment")
        // Low rates: every CTR is at most 10%, so early estimates are noisy.
        #expect(ctr.joined().allSatisfy { $0 > 0 && $0 <= 0.10 })
    }

    @Test func empiricalRatesConvergeToTheTableAndIdentifyTheBestBanners() throws {
        let (_, ctr) = try Self.fileTable()
        var env = env
        let s = env.segmentCount, k = env.bannerCount
        var shows = [Double](repeating: 0, count: s * k), clicks = shows
        var rng = Xoshiro256(seed: 11)
        var observation = [Float](repeating: 0, count: env.spec.observationCount)
        try observation.withUnsafeMutableBufferPointer { obs in
            _ = env.reset(seed: 10, observation: obs)
            for _ in 0..<300_000 {
                let segment = Self.segment(in: obs, count: s)
                let banner = rng.below(k)
                let t = try env.step(banner, observation: obs)
                shows[segment * k + banner] += 1
                clicks[segment * k + banner] += t.reward
                if t.isDone { _ = env.reset(seed: nil, observation: obs) }
            }
        }
        // 20 cells: a Bonferroni z of 3.48 keeps the family-wise error below 1%.
        for segment in 0..<s {
            let empirical = (0..<k).map { clicks[segment * k + $0] / shows[segment * k + $0] }
            for banner in 0..<k {
                let p = ctr[segment][banner], n = shows[segment * k + banner]
                #expect(abs(empirical[banner] - p) < 3.48 * (p * (1 - p) / n).squareRoot(), "segment \(segment) banner \(banner)")
            }
            #expect(Self.argmax(empirical) == Self.argmax(ctr[segment]))
        }
    }

    @Test func oracleMeanReturnMatchesTheClosedForm() throws {
        let (weights, ctr) = try Self.fileTable()
        let expected = 10_000 * zip(weights, ctr).reduce(0.0) { $0 + $1.0 * $1.1.max()! }
        #expect(abs(env.spec.oracle.expectedReturn! - expected) < 1e-9)
        let rollout = Rollout(env, policy: .oracle, seed: 21, episodes: 40)
        let summary = Summary(rollout.returns)
        // 99% confidence interval of the mean.
        #expect(abs(summary.mean - expected) < 2.576 * summary.standardDeviation / Double(summary.count).squareRoot())
        #expect(rollout.regret == 0)
    }

    @Test func aContextFreeBannerHasLinearRegret() throws {
        let (weights, ctr) = try Self.fileTable()
        let average = (0..<5).map { k in zip(weights, ctr).reduce(0.0) { $0 + $1.0 * $1.1[k] } }
        let banner = Self.argmax(average)
        let gap = zip(weights, ctr).reduce(0.0) { $0 + $1.0 * ($1.1.max()! - $1.1[banner]) }
        let t = 10_000
        let long = try Registry.standard.make(
            "ContextualBanner-v0", as: ContextualBandit.self, overrides: [Override("max_episode_steps", .number(Double(2 * t)))])
        let atT = try Self.regret(of: env, steps: t, seed: 4) { _ in banner }
        let at2T = try Self.regret(of: long, steps: 2 * t, seed: 4) { _ in banner }
        // Per-step regret is Δ(segment); its mean is `gap`. 99% interval on the mean at T.
        let meanSquare = atT.squares / Double(t), mean = atT.total / Double(t)
        let sd = (meanSquare - mean * mean).squareRoot()
        #expect(gap > 0.02)
        #expect(abs(mean - gap) < 2.576 * sd / Double(t).squareRoot())
        // Linear growth: the same seed's first T steps are shared, the next T add as much again.
        #expect(abs(at2T.total / atT.total - 2) < 0.1)
        #expect(abs(at2T.total / Double(2 * t) - gap) < 2.576 * sd / Double(2 * t).squareRoot())
    }

    @Test func greedyWithoutExplorationOftenLocksOntoAWrongBanner() throws {
        // Per-segment greedy on empirical CTRs (unplayed banners count 0, ties to the lowest index):
        // it keeps the first banner that gets a click, which is often not the best.
        var lockedWrong = 0
        var totalRegret = 0.0
        for seed in 0..<20 as Range<UInt64> {
            var env = env
            let s = env.segmentCount, k = env.bannerCount
            var shows = [Double](repeating: 0, count: s * k), clicks = shows
            var observation = [Float](repeating: 0, count: env.spec.observationCount)
            var rng = Xoshiro256(seed: seed &+ 100)
            try observation.withUnsafeMutableBufferPointer { obs in
                _ = env.reset(seed: seed, observation: obs)
                for _ in 0..<10_000 {
                    let segment = Self.segment(in: obs, count: s)
                    let estimates = (0..<k).map { shows[segment * k + $0] > 0 ? clicks[segment * k + $0] / shows[segment * k + $0] : 0 }
                    let top = estimates.max()!
                    let ties = (0..<k).filter { estimates[$0] == top }
                    let banner = ties[rng.below(ties.count)]
                    let t = try env.step(banner, observation: obs)
                    shows[segment * k + banner] += 1
                    clicks[segment * k + banner] += t.reward
                    totalRegret += t.info.regret
                }
            }
            let finalChoice = (0..<s).map { segment in Self.argmax((0..<k).map { shows[segment * k + $0] }) }
            if (0..<s).contains(where: { finalChoice[$0] != env.bestBanner(segment: $0) }) { lockedWrong += 1 }
        }
        #expect(lockedWrong >= 10, "greedy locked onto a wrong banner in \(lockedWrong) of 20 seeds")
        #expect(totalRegret / 20 > 100)
    }

    @Test func observationIsBiasOneHotSegmentAndNoise() throws {
        var env = env
        #expect(env.spec.observationLabels == ["bias", "segment_0", "segment_1", "segment_2", "segment_3", "noise_0", "noise_1", "noise_2", "noise_3"])
        var result = env.reset(seed: 2)
        var sum = 0.0, squares = 0.0, n = 0.0
        for _ in 0..<5_000 {
            let o = result.observation
            #expect(env.spec.observationSpace.contains(o))
            #expect(o[0] == 1 && o[1...4].reduce(0, +) == 1 && o[1 + env.segment] == 1)
            for x in o[5...] { sum += Double(x); squares += Double(x * x); n += 1 }
            let step = try env.step(0)
            result = ResetResult(observation: step.observation, info: step.info)
        }
        #expect(abs(sum / n) < 0.03 && abs(squares / n - 1) < 0.05)
    }

    @Test func badParametersNameTheField() {
        func failure(_ parameters: ConfigValue) -> String {
            guard case .object(let object) = parameters else { return "" }
            do {
                _ = try ContextualBandit(scenario: Scenario(id: "Bad-v0", kind: ContextualBandit.kind, parameters: object))
                return "no error"
            } catch { return error.path ?? "\(error)" }
        }
        #expect(failure(["segment_weights": [0.5, 0.5], "ctr": [[0.1, 0.2], [0.1]]]) == "parameters.ctr[1]")
        #expect(failure(["segment_weights": [0.5, 0.4], "ctr": [[0.1, 0.2], [0.1, 0.3]]]) == "parameters.segment_weights")
        #expect(failure(["segment_weights": [0.5, 0.5], "ctr": [[0.1, 1.2], [0.1, 0.3]]]) == "parameters.ctr[0][1]")
        #expect(failure(["segment_weights": [0.5, 0.5], "ctr": [[0.1, 0.2], [0.1, -0.3]]]) == "parameters.ctr[1][1]")
        #expect(failure(["segment_weights": [0.5, 0.5], "ctr": [[0.1, 0.2], [0.1, 0.3], [0.2, 0.2]]]) == "parameters.ctr")
        #expect(failure(["segment_weights": [1.5, -0.5]]) == "parameters.segment_weights[0]")
        #expect(failure(["noise_features": 65]) == "parameters.noise_features")
        #expect(failure(["ctrs": [[0.1]]]) == "parameters.ctrs")
        #expect(failure(["segment_weights": [0.5, 0.5], "ctr": [[0.1, 0.2], [0.1, 0.3]], "noise_features": 0]) == "no error")
    }

    @Test func zeroWeightSegmentsNeverArrive() throws {
        var env = try ContextualBandit(scenario: Scenario(
            id: "Zero-v0", kind: ContextualBandit.kind,
            parameters: ConfigObject([("segment_weights", [0, 0.5, 0.5, 0]), ("ctr", [[0.1, 0.2], [0.1, 0.3], [0.2, 0.1], [0.5, 0.4]])])))
        _ = env.reset(seed: 1)
        var seen = Set<Int>()
        for _ in 0..<2_000 {
            seen.insert(env.segment)
            _ = try env.step(0)
        }
        #expect(seen == [1, 2])
    }

    @Test func invalidActionsAreRefusedAndChangeNothing() throws {
        var env = env
        #expect(throws: ActionError.needsReset) { try env.step(0) }
        _ = env.reset(seed: 3)
        let before = env
        #expect(throws: ActionError.outOfSpace(action: "5", space: "Discrete(5)")) { try env.step(5) }
        #expect(throws: ActionError.outOfSpace(action: "-1", space: "Discrete(5)")) { try env.step(-1) }
        var a = before, b = env
        for banner in [2, 0, 4, 1, 3] {
            let x = try a.step(banner), y = try b.step(banner)
            #expect(x.observation == y.observation && x.reward == y.reward && x.info.values == y.info.values)
        }
    }
}
