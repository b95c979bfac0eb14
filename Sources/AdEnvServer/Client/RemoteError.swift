/// Why a request to an AdEnv server failed.
public enum RemoteError: Error, Sendable, Equatable {
    /// The server answered with an ERROR reply.
    case server(WireError)
    /// No reply within the timeout, after every retry (each with the same seq).
    case timeout(request: String, attempts: Int)
    /// A libzmq call failed.
    case transport(ZeroMQError)
    /// The reply broke the protocol (wrong frame count or length, unreadable JSON).
    case protocolViolation(String)
    /// The session's action dtype or width does not fit the client's action type.
    case actionTypeMismatch(String)
    /// The connection or session was closed by this client.
    case closed

    /// The wire error code of a server error.
    public var code: WireErrorCode? {
        if case .server(let error) = self { error.code } else { nil }
    }

    /// Whether the same request may succeed later: retryable server errors and timeouts.
    public var isRetryable: Bool {
        switch self {
        case .server(let error): error.retryable
        case .timeout: true
        default: false
        }
    }
}

extension RemoteError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .server(let error): error.description
        case let .timeout(request, attempts): "\(request): no reply after \(attempts) attempts"
        case .transport(let error): error.description
        case .protocolViolation(let reason): "protocol violation: \(reason)"
        case .actionTypeMismatch(let reason): reason
        case .closed: "the session is closed"
        }
    }
}
