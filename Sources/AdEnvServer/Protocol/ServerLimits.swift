/// The server's limits, set by `adenv serve` flags and reported by HELLO.
public struct ServerLimits: Sendable, Equatable {
    /// Open sessions, all clients together.
    public var maxSessions = 64
    /// N per session.
    public var maxEnvsPerSession = 65536
    /// N summed over open sessions.
    public var maxTotalEnvs = 262_144
    /// The cap on OPEN's `threads`.
    public var maxThreads = 2
    /// The soft limit on a request's size and on a session's STEP reply, in bytes. The hard libzmq
    /// `MAXMSGSIZE` is twice it.
    public var maxMessageBytes = 64 << 20
    /// Seconds without a request after which a session expires.
    public var idleTimeoutSeconds = 300.0

    public init() {}

    /// The `limits` object of a HELLO reply.
    var json: String {
        var writer = JSONWriter()
        writer.field("max_sessions", maxSessions)
        writer.field("max_envs_per_session", maxEnvsPerSession)
        writer.field("max_total_envs", maxTotalEnvs)
        writer.field("max_threads", maxThreads)
        writer.field("max_message_bytes", maxMessageBytes)
        writer.field("idle_timeout_seconds", .number(idleTimeoutSeconds))
        return writer.finish()
    }
}
