#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Slate ranking under position bias: each step the agent fills K slots with K distinct ads out of n
/// candidates, and the user clicks on them according to a click model with examination probabilities
/// `θ_k = k^(−η)` (slot k = 1, 2, …).
///
/// - Observation: `[progress]`, the fraction of the episode elapsed, in [0, 1]. The attractiveness
///   of the ads is hidden: the agent learns it from clicks.
/// - Action: a ``Slate`` of exactly K distinct items, `MultiDiscrete([n] * K)` in flat form. A slate
///   with a repeated item or an item outside `0 ..< n` is refused with ``ActionError/outOfSpace``,
///   one with the wrong number of items with ``ActionError/wrongCount(expected:got:)``.
/// - Reward: the number of clicks on the slate.
///   - `position` (the position-based model): slot k is clicked with probability `θ_k · α_{a_k}`,
///     independently of the other slots. One uniform per slot.
///   - `cascade` (a cascade with position-based abandonment): the user scans from the top; at each
///     examined slot they click with probability `α` and stop; otherwise they examine the next slot
///     with probability `θ_{k+1} / θ_k`. At most one click; with no click, slot k is examined with
///     probability `θ_k`, as in the position model. One uniform per examined slot.
/// - Episode: never terminates; truncated after `max_episode_steps` (default 1,000).
/// - Info: `expected_reward` (the slate's expected clicks), `optimal_expected_reward` (the sorted
///   slate's), `clicks` (the reward) and `impressions` (K).
/// - Oracle: the K most attractive ads in descending order of attractiveness (``bestSlate``), optimal
///   for both models (an exchange argument: for `θ` non-increasing, swapping a less attractive ad
///   below a more attractive one, or replacing it by a more attractive unused one, never lowers the
///   expected clicks). Expected return `T · Σ_k θ_k α_(k)` (position) or
///   `T · Σ_k θ_k α_(k) Π_{j<k} (1 − α_(j))` (cascade), with `α_(1) ≥ α_(2) ≥ …`.
///
/// Parameters:
/// - `attractiveness`: each candidate ad's click probability when examined, 2 to 256 of them, each
///   in [0, 1]. Default `[0.12, 0.35, 0.05, 0.25, 0.02, 0.18]`.
/// - `slots`: the number of slots K, 1 to `min(n, 8)`. Default 3.
/// - `eta`: the position-bias exponent η in `θ_k = k^(−η)`, in [0, 4]; 0 means every slot is
///   examined. Default 1 (θ = 1, 1/2, 1/3).
/// - `click_model`: `"position"` (default) or `"cascade"`.
public struct SlateRanking: ScenarioEnv {
    public static let kind = "slate-ranking"
    public static let defaultMaxEpisodeSteps = 1_000

    /// How users click on a slate.
    public enum ClickModel: String, Sendable, CaseIterable {
        /// Slot k is clicked with probability `θ_k α`, independently of the others.
        case position
        /// Top-down scan, at most one click, abandonment with probability `1 − θ_{k+1}/θ_k`.
        case cascade
    }

    public var spec: EnvSpec { tables.spec }
    /// Each candidate ad's click probability when examined.
    public var attractiveness: [Double] { tables.attractiveness }
    /// The examination probability of each slot, `θ_k = k^(−η)` (index 0 is slot 1).
    public var examination: [Double] { tables.examination }
    /// The number of candidate ads n.
    public let itemCount: Int
    /// The number of slots K.
    public let slotCount: Int
    public let clickModel: ClickModel
    /// The oracle's slate: the K most attractive ads, most attractive first (lower index on ties).
    public let bestSlate: Slate

    private let optimalExpected: Double
    private let tables: Tables
    private var clock: EpisodeClock
    private var rng = Xoshiro256(seed: 0)

    /// The immutable parameters, shared by every copy of the env. Generic drivers copy the env on
    /// each non-mutating call (`randomAction`, `oracleAction`), and a copy retains every reference
    /// it holds; keeping them all here makes that one retain.
    private final class Tables: Sendable {
        let spec: EnvSpec
        let attractiveness: [Double]
        let examination: [Double]
        /// `continuation[k] = θ_k / θ_{k−1}` for k ≥ 1 (cascade model); `continuation[0]` is unused.
        let continuation: [Double]

        init(spec: EnvSpec, attractiveness: [Double], examination: [Double]) {
            self.spec = spec
            self.attractiveness = attractiveness
            self.examination = examination
            self.continuation = examination.indices.map { $0 == 0 ? 1 : examination[$0] / examination[$0 - 1] }
        }
    }

    public init(scenario: Scenario) throws(ScenarioError) {
        var reader = ConfigReader(scenario.parameters, path: "parameters")
        let alpha = try reader.doubles(
            "attractiveness", default: [0.12, 0.35, 0.05, 0.25, 0.02, 0.18], count: 2...256, each: .probability)
        let slots = try reader.int("slots", default: 3, in: .closed(1, Double(Slate.capacity)))
        guard slots <= alpha.count else {
            throw .invalidValue(path: reader.path(of: "slots"), reason: "\(slots) slots need at least \(slots) ads, attractiveness has \(alpha.count)")
        }
        let eta = try reader.double("eta", default: 1, in: .closed(0, 4))
        let model = try reader.choice("click_model", default: ClickModel.position)
        try reader.finish()

        let steps = scenario.maxEpisodeSteps ?? Self.defaultMaxEpisodeSteps
        let theta = (0..<slots).map { pow(Double($0 + 1), -eta) }
        let ranked = alpha.indices.sorted { alpha[$0] > alpha[$1] || (alpha[$0] == alpha[$1] && $0 < $1) }
        let best = Slate(Array(ranked.prefix(slots)))
        let optimal = Self.expectedClicks(of: best, attractiveness: alpha, examination: theta, model: model)
        let n = alpha.count
        let formula = model == .position ? "T·Σ_k θ_k·α_(k)" : "T·Σ_k θ_k·α_(k)·Π_{j<k}(1−α_(j))"
        let spec = EnvSpec(
            id: scenario.id, kind: Self.kind, summary: scenario.summary,
            observationSpace: Box(low: 0, high: 1, shape: [1]), observationLabels: ["progress"],
            actionSpace: .multiDiscrete(MultiDiscrete(Array(repeating: n, count: slots))), maxEpisodeSteps: steps,
            rewardRange: 0...(model == .position ? Double(slots) : 1),
            infoFields: [.expectedReward, .optimalExpectedReward, .clicks, .impressions], parameters: reader.resolved,
            oracle: OracleSpec(
                kind: .optimal, expectedReturn: Double(steps) * optimal,
                note: "Ranks the \(slots) most attractive ads in descending attractiveness; expected return \(formula)."),
            source: scenario.source)
        self.tables = Tables(spec: spec, attractiveness: alpha, examination: theta)
        self.itemCount = n
        self.slotCount = slots
        self.clickModel = model
        self.bestSlate = best
        self.optimalExpected = optimal
        self.clock = EpisodeClock(maxSteps: steps)
    }

    /// The expected clicks of a valid slate under this env's click model.
    public func expectedClicks(of slate: Slate) -> Double {
        Self.expectedClicks(of: slate, attractiveness: tables.attractiveness, examination: tables.examination, model: clickModel)
    }

    @inline(__always)
    static func expectedClicks(of slate: Slate, attractiveness alpha: [Double], examination theta: [Double], model: ClickModel) -> Double {
        var total = 0.0
        var noClickYet = 1.0
        for k in 0..<theta.count {
            let a = alpha[slate[k]]
            switch model {
            case .position: total += theta[k] * a
            case .cascade:
                total += theta[k] * a * noClickYet
                noClickYet *= 1 - a
            }
        }
        return total
    }

    public mutating func reset(seed: UInt64?, observation: UnsafeMutableBufferPointer<Float>) -> StepInfo {
        if let seed { rng = Xoshiro256(seed: seed) }
        clock.start()
        observation[0] = 0
        return StepInfo()
    }

    public func check(_ action: Slate) throws(ActionError) {
        try clock.ensureRunning()
        guard action.count == slotCount else { throw .wrongCount(expected: slotCount, got: action.count) }
        let n = itemCount
        for k in 0..<slotCount {
            let item = action[k]
            var valid = item >= 0 && item < n
            for j in 0..<k where action[j] == item { valid = false }
            if !valid {
                throw .outOfSpace(
                    action: "\(action.array)",
                    space: "MultiDiscrete(\(Array(repeating: n, count: slotCount))) with distinct items")
            }
        }
    }

    public mutating func step(_ action: Slate, observation: UnsafeMutableBufferPointer<Float>) throws(ActionError) -> Transition {
        try check(action)
        var clicks = 0
        let alpha = tables.attractiveness, theta = tables.examination
        switch clickModel {
        case .position:
            for k in 0..<slotCount {
                if rng.uniform() < theta[k] * alpha[action[k]] { clicks &+= 1 }
            }
        case .cascade:
            for k in 0..<slotCount {
                let a = alpha[action[k]]
                let u = rng.uniform()
                if u < a {
                    clicks = 1
                    break
                }
                // No click: go on to the next slot with probability θ_{k+1}/θ_k.
                guard k + 1 < slotCount, u < a + (1 - a) * tables.continuation[k + 1] else { break }
            }
        }
        let truncated = clock.advance(terminated: false)
        observation[0] = clock.progress
        var info = StepInfo()
        info.expectedReward = Self.expectedClicks(of: action, attractiveness: alpha, examination: theta, model: clickModel)
        info.optimalExpectedReward = optimalExpected
        info.clicks = Double(clicks)
        info.impressions = Double(slotCount)
        return Transition(reward: Double(clicks), terminated: false, truncated: truncated, info: info)
    }

    public func oracleAction(using rng: inout Xoshiro256) -> Slate { bestSlate }

    /// A uniformly random ordered slate of K distinct items: slot k takes the r-th unused item, r
    /// uniform in `0 ..< n − k`. Exactly K calls to ``Xoshiro256/below(_:)``; the scratch space is a
    /// temporary (stack) buffer, so nothing is allocated on the heap.
    public func randomAction(using rng: inout Xoshiro256) -> Slate {
        let n = itemCount, slots = slotCount
        return withUnsafeTemporaryAllocation(of: Int64.self, capacity: 2 * slots) { scratch in
            // scratch[0 ..< slots]: the slate; scratch[slots ..< slots + k]: the items chosen so far, ascending.
            let used = slots
            for k in 0..<slots {
                var item = Int64(rng.below(n - k))
                var j = 0
                while j < k && scratch[used + j] <= item {
                    item += 1
                    j += 1
                }
                var i = k
                while i > j {
                    scratch[used + i] = scratch[used + i - 1]
                    i -= 1
                }
                scratch[used + j] = item
                scratch[k] = item
            }
            return try! Slate(row: .integers(UnsafeBufferPointer(rebasing: scratch[0..<slots])), count: slots)
        }
    }
}
