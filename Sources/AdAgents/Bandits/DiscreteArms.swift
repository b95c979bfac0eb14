import AdEnv

/// The arms of a Discrete action space as the bandits see them: `count` arms, arm `k` sent to the
/// env as the action `start + k`.
///
/// Bandits act on any env with a `Discrete` action space; any other space is refused with
/// ``AgentError/unsupported(agent:env:reason:)``.
public struct DiscreteArms: Sendable, Equatable {
    /// The number of arms, `K`.
    public let count: Int
    /// The value of arm 0 in the env's action space (`Discrete(n, start)`).
    public let start: Int

    /// The arms of `spec`'s action space.
    ///
    /// - Throws: ``AgentError/unsupported(agent:env:reason:)`` when the action space is not
    ///   `Discrete`.
    public init(spec: EnvSpec, agent: String) throws(AgentError) {
        guard case .discrete(let space) = spec.actionSpace else {
            throw .unsupported(agent: agent, env: spec.id, reason: "it needs a Discrete action space, not \(spec.actionSpace.description)")
        }
        count = space.n
        start = space.start
    }
}

/// The action masks of one batch step, read once per `act`: arm `k` of copy `i` is allowed unless
/// the env has a mask that forbids it.
struct ArmMask {
    let masks: [Bool]
    let width: Int

    init<Env: BatchEnv>(_ env: Env) {
        masks = env.actionMasks
        width = env.maskWidth
    }

    /// Whether copy `copy` may pull `arm`.
    @inline(__always)
    func allows(copy: Int, arm: Int) -> Bool {
        width == 0 || masks[copy &* width &+ arm]
    }

    /// The number of arms copy `copy` may pull (all of them without a mask); at least 1, because
    /// an env whose mask forbids every arm ignores the action anyway.
    func allowedCount(copy: Int, arms: Int) -> Int {
        guard width > 0 else { return arms }
        var n = 0
        for k in 0..<arms where masks[copy &* width &+ k] { n &+= 1 }
        return max(n, 1)
    }

    /// The `number`-th allowed arm of copy `copy` (arm `number` without a mask; arm 0 when no arm
    /// is allowed).
    func allowedArm(number: Int, copy: Int, arms: Int) -> Int {
        guard width > 0 else { return number }
        var n = number
        for k in 0..<arms where masks[copy &* width &+ k] {
            if n == 0 { return k }
            n -= 1
        }
        return 0
    }

    /// The allowed arm with the highest `score` (the lowest index on ties), or arm 0 when no arm is
    /// allowed. `score` is called once per allowed arm, in order.
    @inline(__always)
    func argmax(copy: Int, arms: Int, _ score: (Int) -> Double) -> Int {
        var best = -Double.infinity, chosen = -1
        for k in 0..<arms where allows(copy: copy, arm: k) {
            let s = score(k)
            if chosen < 0 || s > best { best = s; chosen = k }
        }
        return max(chosen, 0)
    }
}

extension EnvSpec {
    /// Refuses envs whose rewards can leave [0, 1], which Bernoulli-model bandits (KL-UCB,
    /// Thompson sampling) need.
    func requireUnitRewards(agent: String) throws(AgentError) {
        guard rewardRange.lowerBound >= 0 && rewardRange.upperBound <= 1 else {
            throw .unsupported(
                agent: agent, env: id,
                reason: "its Bernoulli model needs rewards in [0, 1], and this env's reward range is \(rewardRange)")
        }
    }
}
