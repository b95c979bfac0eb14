import CZeroMQ

/// The socket patterns AdEnv uses.
public enum ZeroMQSocketType: Sendable {
    /// The server's socket: routes replies by the peer identity frame it prepends to requests.
    case router
    /// The recommended client socket: asynchronous request/reply.
    case dealer
    /// A strict send/receive/send client socket.
    case request

    var rawValue: Int32 {
        switch self {
        case .router: ZMQ_ROUTER
        case .dealer: ZMQ_DEALER
        case .request: ZMQ_REQ
        }
    }
}
