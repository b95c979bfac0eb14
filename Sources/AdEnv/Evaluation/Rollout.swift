/// Episodes of a scenario policy, with their returns and a digest of every bit they produced.
public struct Rollout: Sendable {
    /// Undiscounted return of each episode.
    public var returns: [Double]
    /// Return of each episode discounted by the rollout's `discount` (equal to ``returns`` for 1).
    public var discountedReturns: [Double]
    /// Steps in each episode.
    public var lengths: [Int]
    /// Episodes that ended by termination rather than truncation.
    public var terminations: Int
    /// The pseudo-regret: the sum of `optimal_expected_reward − expected_reward` over all steps, for
    /// envs that report both fields; `nil` for the others.
    public var regret: Double?
    /// FNV-1a over every observation, action, reward and flag, in order. See ``TrajectoryDigest``.
    public var digest: TrajectoryDigest

    /// Runs `episodes` episodes of `policy` on `env`.
    ///
    /// The first episode resets with `seed`, later ones continue the env's stream, so the whole
    /// rollout is a pure function of the scenario, the policy and `seed`. The policy draws from its
    /// own stream, seeded with ``ScenarioPolicy/policySeed(forEnvSeed:)``.
    ///
    /// The digest covers, in order: each reset observation; then for each step the action's flat
    /// form, the observation, the reward (float64) and the terminated and truncated flags (one byte
    /// each).
    public init<E: Env>(_ env: E, policy: ScenarioPolicy, seed: UInt64, episodes: Int, discount: Double = 1) {
        precondition(episodes > 0, "a rollout needs at least one episode")
        var env = env
        var rng = Xoshiro256(seed: ScenarioPolicy.policySeed(forEnvSeed: seed))
        var digest = TrajectoryDigest()
        var returns: [Double] = [], discounted: [Double] = [], lengths: [Int] = []
        var terminations = 0
        var regret = 0.0
        // A raw buffer rather than `withUnsafeMutableBufferPointer`: an env captured by a closure is
        // boxed, and every call on a boxed value copies it.
        let obs = UnsafeMutableBufferPointer<Float>.allocate(capacity: env.spec.observationCount)
        defer { obs.deallocate() }
        for episode in 0..<episodes {
            _ = env.reset(seed: episode == 0 ? seed : nil, observation: obs)
            digest.combine(UnsafeBufferPointer(obs))
            var total = 0.0, totalDiscounted = 0.0, weight = 1.0, length = 0
            while true {
                let action = policy.action(for: env, using: &rng)
                let t: Transition
                do { t = try env.step(action, observation: obs) } catch {
                    preconditionFailure("\(env.spec.id): the \(policy) policy chose an invalid action: \(error)")
                }
                action.combine(into: &digest)
                digest.combine(UnsafeBufferPointer(obs))
                digest.combine(t.reward)
                digest.combine(t.terminated)
                digest.combine(t.truncated)
                total += t.reward
                totalDiscounted += weight * t.reward
                weight *= discount
                regret += t.info.regret
                length += 1
                if t.isDone {
                    if t.terminated { terminations += 1 }
                    break
                }
            }
            returns.append(total)
            discounted.append(totalDiscounted)
            lengths.append(length)
        }
        self.returns = returns
        self.discountedReturns = discounted
        self.lengths = lengths
        self.terminations = terminations
        let fields = env.spec.infoFields
        self.regret = fields.contains(.expectedReward) && fields.contains(.optimalExpectedReward) ? regret : nil
        self.digest = digest
    }

    /// Total steps over all episodes.
    public var steps: Int { lengths.reduce(0, +) }
}
