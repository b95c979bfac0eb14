/// The two policies every scenario ships, used as the anchors of normalized scores:
/// `normalized = (agent − random) / (oracle − random)`.
public enum ScenarioPolicy: String, Sendable, CaseIterable {
    /// A uniformly random valid action (the action mask is respected).
    case random
    /// The scenario's oracle: optimal where computable, otherwise privileged (see ``OracleSpec``).
    case oracle

    /// This policy's action for `env` in its current state.
    @inlinable
    public func action<E: Env>(for env: E, using rng: inout Xoshiro256) -> E.Action {
        switch self {
        case .random: env.randomAction(using: &rng)
        case .oracle: env.oracleAction(using: &rng)
        }
    }

    /// The seed of the policy's own random stream for a rollout with env seed `seed`. Kept apart
    /// from the env's streams so that the policy's draws never shift the env's.
    public static func policySeed(forEnvSeed seed: UInt64) -> UInt64 {
        seed ^ 0x7A3F_19C2_D55E_0B61
    }
}
