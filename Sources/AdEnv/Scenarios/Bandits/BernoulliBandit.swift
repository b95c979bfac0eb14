/// A K-armed Bernoulli bandit: each step the agent picks an arm (a banner, a bidding strategy) and
/// receives 1 with the arm's probability, else 0.
///
/// - Observation: `[progress]`, the fraction of the episode elapsed, in [0, 1].
/// - Action: `Discrete(K)`, the arm.
/// - Reward: a Bernoulli draw with the arm's mean. One uniform draw per step.
/// - Episode: never terminates; truncated after `max_episode_steps` (default 10,000).
/// - Info: `expected_reward` (the arm's mean) and `optimal_expected_reward` (the best mean), whose
///   running difference is the pseudo-regret.
/// - Oracle: always the best arm; its expected return is `T · max(means)`.
///
/// Parameters:
/// - `means`: the arms' success probabilities, 2 to 1,024 of them, each in [0, 1].
///   Default `[0.3, 0.2, 0.1, 0.05, 0.02]`.
public struct BernoulliBandit: ScenarioEnv {
    public static let kind = "bernoulli-bandit"
    public static let defaultMaxEpisodeSteps = 10_000

    public let spec: EnvSpec
    /// The arms' success probabilities.
    public let means: [Double]
    /// The index of the best arm (the first one, on ties).
    public let bestArm: Int
    private var clock: EpisodeClock
    private var rng = Xoshiro256(seed: 0)

    public init(scenario: Scenario) throws(ScenarioError) {
        var reader = ConfigReader(scenario.parameters, path: "parameters")
        let means = try reader.doubles("means", default: [0.3, 0.2, 0.1, 0.05, 0.02], count: 2...1024, each: .probability)
        try reader.finish()
        let steps = scenario.maxEpisodeSteps ?? Self.defaultMaxEpisodeSteps
        self.means = means
        self.bestArm = means.indices.max { means[$0] < means[$1] || (means[$0] == means[$1] && $0 > $1) }!
        self.clock = EpisodeClock(maxSteps: steps)
        self.spec = EnvSpec(
            id: scenario.id, kind: Self.kind, summary: scenario.summary,
            observationSpace: Box(low: 0, high: 1, shape: [1]), observationLabels: ["progress"],
            actionSpace: .discrete(Discrete(means.count)), maxEpisodeSteps: steps, rewardRange: 0...1,
            infoFields: [.expectedReward, .optimalExpectedReward], parameters: reader.resolved,
            oracle: OracleSpec(
                kind: .optimal, expectedReturn: Double(steps) * means[bestArm],
                note: "Always pulls the arm with the highest mean; expected return T·max(means)."),
            source: scenario.source)
    }

    public mutating func reset(seed: UInt64?, observation: UnsafeMutableBufferPointer<Float>) -> StepInfo {
        if let seed { rng = Xoshiro256(seed: seed) }
        clock.start()
        observation[0] = 0
        return StepInfo()
    }

    public func check(_ action: Int) throws(ActionError) {
        try clock.ensureRunning()
        guard action >= 0 && action < means.count else {
            throw .outOfSpace(action: "\(action)", space: "Discrete(\(means.count))")
        }
    }

    public mutating func step(_ action: Int, observation: UnsafeMutableBufferPointer<Float>) throws(ActionError) -> Transition {
        try check(action)
        let mean = means[action]
        let reward: Double = rng.uniform() < mean ? 1 : 0
        let truncated = clock.advance(terminated: false)
        observation[0] = clock.progress
        var info = StepInfo()
        info.expectedReward = mean
        info.optimalExpectedReward = means[bestArm]
        return Transition(reward: reward, terminated: false, truncated: truncated, info: info)
    }

    public func oracleAction(using rng: inout Xoshiro256) -> Int { bestArm }

    public func randomAction(using rng: inout Xoshiro256) -> Int { rng.below(means.count) }
}
