#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AdEnv

/// PID budget pacing, the industry's standard controller (and AuctionNet's baseline): it sets the
/// bid multiplier so that the budget left tracks the ideal spend curve.
///
/// Each step, for each copy, with `f` the fraction of the budget left and `f*` the fraction the
/// ideal curve leaves at this point of the day:
/// - error `e = f − f*` (positive: spending too slowly, so bid higher);
/// - integral `I += e`, derivative `D = e − e_previous` (0 at the episode's first step);
/// - multiplier `m = clamp(initial_multiplier · exp(k_p e + k_i I + k_d D), box)`.
/// The controller is multiplicative (it acts on `log m`), so the same gains work whatever the
/// multiplier's scale. `I` and `e_previous` restart at 0 with every episode.
///
/// The scenarios it reads (by their observation labels; any other env is refused):
/// - BudgetPacing (`budget_remaining_fraction`, `remaining_opportunity_share`): `f*` is the share
///   of the day's spendable value still ahead, `Σ_{j≥i} N_j w_j² / Σ_j N_j w_j²`, the budget a
///   constant multiplier — the closed-form optimum's shape — would have left.
/// - AutoBidding (`budget_left`, `time_left`): `f*` is the fraction of the day left (linear pacing).
///
/// Default gains `k_p = 5`, `k_i = 1`, `k_d = 1`, `initial_multiplier = 1` (truthful bidding) were
/// chosen on BudgetPacing-v0's fluid model from `k_p ∈ {5, 10, 15, 20, 30}`, `k_i ∈ {0, 1, 2, 5, 10}`
/// and `k_d ∈ {−1, 0, 1, 2, 5}`; larger gains oscillate over its 24 steps.
///
/// - Probability logged: 1 (deterministic). Learns nothing between episodes. Acting modes are the
///   same. The checkpoint holds each copy's integral and previous error.
public struct PIDPacer: Agent {
    public struct Hyperparameters: AgentHyperparameters {
        /// Proportional gain. Default 5, in [0, 1000].
        public var proportional: Double
        /// Integral gain. Default 1, in [0, 1000].
        public var integral: Double
        /// Derivative gain. Default 1, in [−1000, 1000].
        public var derivative: Double
        /// The multiplier at zero error. Default 1, in (0, 1000] (clamped to the action box).
        public var initialMultiplier: Double

        public init(reading reader: inout ConfigReader) throws(ScenarioError) {
            proportional = try reader.double("k_p", default: 5, in: .closed(0, 1000))
            integral = try reader.double("k_i", default: 1, in: .closed(0, 1000))
            derivative = try reader.double("k_d", default: 1, in: .closed(-1000, 1000))
            initialMultiplier = try reader.double("initial_multiplier", default: 1, in: Bounds(lower: 0, upper: 1000, lowerInclusive: false))
        }
    }

    public static let name = "pid"
    public let hyperparameters: Hyperparameters
    /// The observation elements read: the budget fraction left, and the ideal curve's.
    private let budgetIndex: Int
    private let targetIndex: Int
    private let low: Double
    private let high: Double
    /// Each copy's error integral.
    public private(set) var integrals: [Double]
    /// Each copy's previous error (NaN at an episode's first step).
    public private(set) var previousErrors: [Double]

    public init(spec: EnvSpec, count: Int, hyperparameters: Hyperparameters, using rng: inout Xoshiro256) throws(AgentError) {
        self.hyperparameters = hyperparameters
        guard case .box(let box) = spec.actionSpace, box.count == 1 else {
            throw .unsupported(agent: Self.name, env: spec.id, reason: "it sets one bid multiplier: it needs a one-element Box action")
        }
        let labels = spec.observationLabels
        if let budget = labels.firstIndex(of: "budget_remaining_fraction"), let target = labels.firstIndex(of: "remaining_opportunity_share") {
            (budgetIndex, targetIndex) = (budget, target)
        } else if let budget = labels.firstIndex(of: "budget_left"), let target = labels.firstIndex(of: "time_left") {
            (budgetIndex, targetIndex) = (budget, target)
        } else {
            throw .unsupported(agent: Self.name, env: spec.id, reason: "its observation has no budget-left fraction and ideal-curve fraction (BudgetPacing and AutoBidding have)")
        }
        low = Double(box.low[0])
        high = Double(box.high[0])
        integrals = Array(repeating: 0, count: count)
        previousErrors = Array(repeating: .nan, count: count)
    }

    public mutating func act<Env: BatchEnv>(on env: Env, mode: ActingMode, into actions: inout ActionBatch, using rng: inout Xoshiro256) {
        let observations = env.observations, needsReset = env.needsReset
        let d = env.spec.observationCount
        let h = hyperparameters
        for i in 0..<env.count {
            actions.probabilities[i] = 1
            if needsReset[i] {
                // This step only resets the copy: start the next episode's controller afresh.
                integrals[i] = 0
                previousErrors[i] = .nan
                actions.reals[i] = Float(min(max(h.initialMultiplier, low), high))
                continue
            }
            let error = Double(observations[i * d + budgetIndex]) - Double(observations[i * d + targetIndex])
            integrals[i] += error
            let change = previousErrors[i].isNaN ? 0 : error - previousErrors[i]
            previousErrors[i] = error
            let m = h.initialMultiplier * exp(h.proportional * error + h.integral * integrals[i] + h.derivative * change)
            actions.reals[i] = min(Float(min(max(m, low), high)), Float(high))
        }
    }

    public mutating func learn<Env: BatchEnv>(from env: Env, actions: ActionBatch, using rng: inout Xoshiro256) {}

    /// Every copy starts a new episode: its controller starts afresh.
    public mutating func resetEpisodes() {
        for i in integrals.indices {
            integrals[i] = 0
            previousErrors[i] = .nan
        }
    }

    public func save(to checkpoint: inout Checkpoint) {
        checkpoint.set("pid.integrals", .doubles(integrals))
        checkpoint.set("pid.previous_errors", .doubles(previousErrors))
    }

    public mutating func load(from checkpoint: Checkpoint) throws(CheckpointError) {
        integrals = try checkpoint.doubles("pid.integrals", count: integrals.count)
        previousErrors = try checkpoint.doubles("pid.previous_errors", count: previousErrors.count)
    }
}
