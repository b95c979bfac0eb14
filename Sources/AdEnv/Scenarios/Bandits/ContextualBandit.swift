/// A contextual Bernoulli bandit over user segments × banners: each step a user from a random
/// segment arrives, the agent sees the segment (and some irrelevant noise) and shows one banner; the
/// user clicks with the banner's click-through rate in that segment.
///
/// - Observation: `[bias, segment_0 … segment_{S−1}, noise_0 … noise_{d−1}]`: a constant 1, the
///   one-hot segment of the user who has just arrived, and `d` distractor features drawn afresh for
///   each user, independent of everything else and irrelevant to the reward.
/// - Action: `Discrete(K)`, the banner shown to that user.
/// - Reward: 1 for a click, else 0, drawn with probability `ctr[s][k]`.
/// - Episode: never terminates; truncated after `max_episode_steps` (default 10,000).
/// - Info: `expected_reward` (`ctr[s][k]` for this user's segment and the chosen banner),
///   `optimal_expected_reward` (`max_k ctr[s][k]`), whose running difference is the pseudo-regret;
///   `clicks` (the reward) and `impressions` (always 1).
/// - Oracle: the best banner of the user's segment (``bestBanner(segment:)``); its expected return is
///   `T · Σ_s w_s · max_k ctr[s][k]`.
///
/// Random draws per step: one uniform for the click, one for the next user's segment (a scan of the
/// cumulative segment weights), and one 64-bit draw per four noise features (each feature takes 16
/// bits). `reset` draws the first user the same way.
///
/// Parameters:
/// - `segment_weights`: the probability that a user comes from each segment, 1 to 64 of them, each
///   in [0, 1], summing to 1 (within 1e-6). Default `[0.4, 0.3, 0.2, 0.1]`.
/// - `ctr`: the click-through rate of each banner in each segment, an `S × K` matrix (one row per
///   segment, 2 to 256 banners), each in [0, 1]. The default (4 × 5) gives every segment a different
///   best banner, and its banner 4, the best on average over segments, is the best in none of them:
///   a learner that ignores the context has linear regret.
/// - `noise_features`: the number `d` of distractor features, 0 to 64, each uniform on [−√3, √3]
///   (mean 0, variance 1). Default 4.
public struct ContextualBandit: ScenarioEnv {
    public static let kind = "contextual-bandit"
    public static let defaultMaxEpisodeSteps = 10_000
    public static let defaultSegmentWeights = [0.4, 0.3, 0.2, 0.1]
    public static let defaultCTR: [[Double]] = [
        [0.060, 0.015, 0.010, 0.005, 0.040],
        [0.010, 0.070, 0.020, 0.010, 0.040],
        [0.005, 0.020, 0.080, 0.015, 0.045],
        [0.010, 0.005, 0.020, 0.100, 0.035],
    ]

    public var spec: EnvSpec { tables.spec }
    /// The probability that a user comes from each segment (normalized to sum to exactly 1).
    public var segmentWeights: [Double] { tables.segmentWeights }
    /// The click-through rates, `ctr[segment][banner]`.
    public var ctr: [[Double]] { tables.ctr }
    /// The number of segments `S`.
    public let segmentCount: Int
    /// The number of banners `K`.
    public let bannerCount: Int
    /// The number of noise features `d`.
    public let noiseFeatureCount: Int
    /// The segment of the user who is waiting for a banner now.
    public private(set) var segment = 0

    private let tables: Tables
    private var clock: EpisodeClock
    private var rng = Xoshiro256(seed: 0)

    /// The immutable parameters and precomputed tables, shared by every copy of the env. Generic
    /// drivers copy the env on each non-mutating call (`randomAction`, `oracleAction`), and a copy
    /// retains every reference it holds; keeping them all here makes that one retain.
    private final class Tables: Sendable {
        let spec: EnvSpec
        let segmentWeights: [Double]
        let ctr: [[Double]]
        /// `ctr` flattened row by row: `flatCTR[s * K + k]`.
        let flatCTR: [Double]
        /// The best banner of each segment (the first one, on ties).
        let bestBanners: [Int]
        /// The best rate of each segment.
        let bestCTR: [Double]
        /// Cumulative segment weights; the last segment with positive weight has +∞, so rounding
        /// never selects a segment of weight 0.
        let cumulativeWeights: [Double]

        init(spec: EnvSpec, segmentWeights: [Double], ctr: [[Double]], bestBanners: [Int], bestCTR: [Double], cumulativeWeights: [Double]) {
            self.spec = spec
            self.segmentWeights = segmentWeights
            self.ctr = ctr
            self.flatCTR = ctr.flatMap { $0 }
            self.bestBanners = bestBanners
            self.bestCTR = bestCTR
            self.cumulativeWeights = cumulativeWeights
        }
    }

    public init(scenario: Scenario) throws(ScenarioError) {
        var reader = ConfigReader(scenario.parameters, path: "parameters")
        let weights = try reader.doubles("segment_weights", default: Self.defaultSegmentWeights, count: 1...64, each: .probability)
        let total = weights.reduce(0, +)
        guard abs(total - 1) <= 1e-6 else {
            throw .invalidValue(path: reader.path(of: "segment_weights"), reason: "sums to \(total), must sum to 1 (within 1e-6)")
        }
        let ctr = try reader.matrix(
            "ctr", default: Self.defaultCTR, rows: weights.count...weights.count, columns: 2...256, each: .probability)
        let noise = try reader.int("noise_features", default: 4, in: .closed(0, 64))
        try reader.finish()

        let steps = scenario.maxEpisodeSteps ?? Self.defaultMaxEpisodeSteps
        let s = weights.count, k = ctr[0].count
        let normalized = weights.map { $0 / total }
        let best = ctr.map { row in row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }! }
        let bestRates = (0..<s).map { ctr[$0][best[$0]] }
        let lastPositive = normalized.lastIndex { $0 > 0 }!
        var cumulative = [Double](repeating: .infinity, count: s)
        var running = 0.0
        for i in 0..<lastPositive {
            running += normalized[i]
            cumulative[i] = running
        }

        let optimalPerStep = zip(normalized, bestRates).reduce(0.0) { $0 + $1.0 * $1.1 }
        let bound = Float(3).squareRoot()
        let low: [Float] = [1] + Array(repeating: 0, count: s) + Array(repeating: -bound, count: noise)
        let high: [Float] = [1] + Array(repeating: 1, count: s) + Array(repeating: bound, count: noise)
        let labels = ["bias"] + (0..<s).map { "segment_\($0)" } + (0..<noise).map { "noise_\($0)" }
        let spec = EnvSpec(
            id: scenario.id, kind: Self.kind, summary: scenario.summary,
            observationSpace: Box(low: low, high: high), observationLabels: labels,
            actionSpace: .discrete(Discrete(k)), maxEpisodeSteps: steps, rewardRange: 0...1,
            infoFields: [.expectedReward, .optimalExpectedReward, .clicks, .impressions], parameters: reader.resolved,
            oracle: OracleSpec(
                kind: .optimal, expectedReturn: Double(steps) * optimalPerStep,
                note: "Shows each user the best banner of their segment; expected return T·Σ_s w_s·max_k ctr[s][k]."),
            source: scenario.source)
        self.tables = Tables(
            spec: spec, segmentWeights: normalized, ctr: ctr, bestBanners: best, bestCTR: bestRates, cumulativeWeights: cumulative)
        self.segmentCount = s
        self.bannerCount = k
        self.noiseFeatureCount = noise
        self.clock = EpisodeClock(maxSteps: steps)
    }

    /// The banner with the highest click-through rate in `segment` (the first one, on ties).
    public func bestBanner(segment: Int) -> Int { tables.bestBanners[segment] }

    public mutating func reset(seed: UInt64?, observation: UnsafeMutableBufferPointer<Float>) -> StepInfo {
        if let seed { rng = Xoshiro256(seed: seed) }
        clock.start()
        nextUser(observation: observation)
        return StepInfo()
    }

    public func check(_ action: Int) throws(ActionError) {
        try clock.ensureRunning()
        guard action >= 0 && action < bannerCount else {
            throw .outOfSpace(action: "\(action)", space: "Discrete(\(bannerCount))")
        }
    }

    public mutating func step(_ action: Int, observation: UnsafeMutableBufferPointer<Float>) throws(ActionError) -> Transition {
        try check(action)
        let rate = tables.flatCTR[segment &* bannerCount &+ action]
        let click = rng.uniform() < rate
        var info = StepInfo()
        info.expectedReward = rate
        info.optimalExpectedReward = tables.bestCTR[segment]
        info.clicks = click ? 1 : 0
        info.impressions = 1
        let truncated = clock.advance(terminated: false)
        nextUser(observation: observation)
        return Transition(reward: click ? 1 : 0, terminated: false, truncated: truncated, info: info)
    }

    public func oracleAction(using rng: inout Xoshiro256) -> Int { tables.bestBanners[segment] }

    /// A uniform banner: one call to ``Xoshiro256/below(_:)``, as `Discrete(K).sample` draws.
    public func randomAction(using rng: inout Xoshiro256) -> Int { rng.below(bannerCount) }

    /// Draws the next user's segment and noise features and writes their observation.
    @inline(__always)
    private mutating func nextUser(observation: UnsafeMutableBufferPointer<Float>) {
        let u = rng.uniform()
        var s = 0
        tables.cumulativeWeights.withUnsafeBufferPointer { cumulative in
            while u >= cumulative[s] { s &+= 1 }
        }
        segment = s
        observation[0] = 1
        for i in 0..<segmentCount { observation[1 &+ i] = 0 }
        observation[1 &+ s] = 1
        let base = 1 &+ segmentCount
        var i = 0
        while i < noiseFeatureCount {
            var bits = rng.next()
            var j = 0
            while j < 4 && i < noiseFeatureCount {
                // A 16-bit uniform on (0, 1), mapped to [−√3, √3]: mean 0, variance 1 (up to 2^−16).
                let x = (Float(bits & 0xFFFF) + 0.5) * 0x1.0p-16
                observation[base &+ i] = (2 * x - 1) * 1.7320508
                bits >>= 16
                i &+= 1
                j &+= 1
            }
        }
    }
}
