import AdEnv

/// An agent that needs more of the env than its spec — the concrete env behind a ``BatchEnv``
/// (``OracleAgent``, ``GreedyAgent``) — and can say, before acting, whether a given env offers it.
/// Callers holding an agent type check `(A.self as? any EnvChecking.Type)?.check(env)`; acting on
/// an env that fails the check stops the program.
public protocol EnvChecking {
    /// - Throws: ``AgentError/unsupported(agent:env:reason:)`` when the agent cannot act on `env`.
    static func check<Env: BatchEnv>(_ env: Env) throws(AgentError)
}
