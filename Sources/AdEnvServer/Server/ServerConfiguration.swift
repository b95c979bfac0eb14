import AdEnv

/// How a ``Server`` binds and what it allows.
public struct ServerConfiguration: Sendable {
    /// Where to bind: `tcp://host:port` (port `*` picks a free one) or `ipc:///path`.
    public var endpoint = "tcp://127.0.0.1:5555"
    /// Allows a `tcp://` bind to a non-loopback address.
    public var allowRemote = false
    /// The server's Z85 CURVE secret key; `nil` serves without CURVE.
    public var curveSecretKey: String?
    public var limits = ServerLimits()
    /// Where env IDs are looked up.
    public var registry = Registry.standard
    /// Stop, as on SIGTERM, when standard input reaches end of file.
    public var exitWithStdin = false
    /// Also stop when ``ShutdownSignal`` has been raised (SIGINT/SIGTERM).
    public var stopsOnSignal = false
    /// How long a stopping server answers new requests with `SHUTTING_DOWN` before it exits.
    public var drainMilliseconds = 200
    /// The version string HELLO reports.
    public var version = "0.1.0"

    public init(endpoint: String = "tcp://127.0.0.1:5555") {
        self.endpoint = endpoint
    }

    /// Whether `endpoint` may be bound without ``allowRemote``: `ipc://`, `inproc://`, or `tcp://`
    /// on a loopback address (`127.0.0.0/8`, `::1`, `localhost`).
    public static func isLocal(_ endpoint: String) -> Bool {
        if endpoint.hasPrefix("ipc://") || endpoint.hasPrefix("inproc://") { return true }
        guard endpoint.hasPrefix("tcp://") else { return false }
        var host = Substring(endpoint.dropFirst("tcp://".count))
        // A ZeroMQ tcp endpoint may name a source interface first: `source;host:port`.
        if host.contains(";") { return false }
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            host = host[host.index(after: host.startIndex)..<close]
            return host == "::1"
        }
        guard let colon = host.lastIndex(of: ":") else { return false }
        host = host[..<colon]
        if host == "localhost" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy { $0.isASCII && $0.isNumber } && Int($0)! <= 255 }) else {
            return false
        }
        return parts[0] == "127"
    }
}
