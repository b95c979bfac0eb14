/// Why a ``Server`` could not start or stopped with an error.
public enum ServerError: Error, Sendable, Equatable {
    /// A `tcp://` bind to a non-loopback address without ``ServerConfiguration/allowRemote``.
    case remoteBindRefused(endpoint: String)
    /// The CURVE secret key is not 40 Z85 characters, or this libzmq lacks CURVE.
    case badCurveKey(reason: String)
    /// A libzmq call failed (for example `bind` with `EADDRINUSE`).
    case zeroMQ(ZeroMQError)
}

extension ServerError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .remoteBindRefused(let endpoint):
            "refusing to bind \(endpoint): it is not a loopback address; pass --allow-remote to serve other hosts (and consider --curve-secret-key)"
        case .badCurveKey(let reason): "bad CURVE secret key: \(reason)"
        case .zeroMQ(let error): error.description
        }
    }
}
