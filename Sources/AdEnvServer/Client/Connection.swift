import AdEnv
import CZeroMQ

/// A client connection to an AdEnv server: one DEALER socket (docs/PROTOCOL.md).
///
/// Requests are synchronous: ``request(_:session:body:)`` sends, then waits for the reply whose seq
/// matches, up to the timeout. On a timeout it resends the **same** seq, which the server's replay
/// cache answers without executing twice, up to ``retries`` times. Late replies to earlier requests
/// are recognized by their seq and discarded.
///
/// Not `Sendable`: like its socket, a connection is used by one thread at a time.
public final class Connection {
    /// A process-wide context shared by connections that are not given one.
    public static let sharedContext: ZeroMQContext = {
        do { return try ZeroMQContext() } catch { fatalError("cannot create a ZeroMQ context: \(error)") }
    }()

    public let endpoint: String
    /// How long to wait for each reply, in milliseconds.
    public var timeoutMilliseconds: Int
    /// How many times a timed-out request is resent (with the same seq).
    public var retries: Int

    private let socket: ZeroMQSocket
    private var nextSeq: UInt64 = 1
    private let frames = ZeroMQFrames(capacity: 16)
    private let outgoing = ZeroMQMessage()
    private var pollItems: [zmq_pollitem_t]

    /// Connects a DEALER socket (connecting is asynchronous: a missing server shows as a timeout).
    ///
    /// - Parameter curveServerKey: the server's Z85 CURVE public key, for a server that serves with
    ///   CURVE; the client uses a fresh keypair of its own.
    public init(
        endpoint: String, timeoutMilliseconds: Int = 10_000, retries: Int = 2, curveServerKey: String? = nil,
        context: ZeroMQContext = Connection.sharedContext
    ) throws(RemoteError) {
        self.endpoint = endpoint
        self.timeoutMilliseconds = timeoutMilliseconds
        self.retries = retries
        do throws(ZeroMQError) {
            socket = try ZeroMQSocket(context: context, type: .dealer)
            try socket.setOption(ZMQ_HEARTBEAT_IVL, Int32(1000))
            try socket.setOption(ZMQ_HEARTBEAT_TIMEOUT, Int32(5000))
            if let curveServerKey {
                let pair = try ZeroMQCurve.keypair()
                try socket.setOption(ZMQ_CURVE_SERVERKEY, curveServerKey)
                try socket.setOption(ZMQ_CURVE_PUBLICKEY, pair.publicKey)
                try socket.setOption(ZMQ_CURVE_SECRETKEY, pair.secretKey)
            }
            try socket.connect(endpoint)
        } catch {
            throw .transport(error)
        }
        pollItems = [socket.pollItem()]
    }

    /// Sends a request and returns its OK reply.
    ///
    /// - Parameter body: the single body frame, if any (every v1 request has at most one).
    /// - Throws: ``RemoteError/server(_:)`` for an ERROR reply, ``RemoteError/timeout(request:attempts:)``
    ///   when no reply came after every retry.
    public func request(_ type: MessageType, session: UInt64 = 0, body: UnsafeRawBufferPointer? = nil) throws(RemoteError) -> RemoteReply {
        let seq = nextSeq
        nextSeq += 1
        for _ in 0...max(0, retries) {
            try send(MessageHeader(type, session: session, seq: seq), body: body)
            if let reply = try awaitReply(seq: seq) {
                if reply.header.status != MessageHeader.ok {
                    guard reply.count == 1, let text = String(validating: reply[0].bytes, as: UTF8.self) else {
                        throw .protocolViolation("an ERROR reply must have one JSON body frame")
                    }
                    throw .server(WireError(json: text))
                }
                return reply
            }
        }
        throw .timeout(request: type.name, attempts: max(0, retries) + 1)
    }

    /// Sends a request whose body is `text` (JSON).
    public func request(_ type: MessageType, session: UInt64 = 0, json text: String) throws(RemoteError) -> RemoteReply {
        var text = text
        return try text.withUTF8 { bytes in
            Result { () throws(RemoteError) in try request(type, session: session, body: UnsafeRawBufferPointer(bytes)) }
        }.get()
    }

    /// Sends a request without waiting for its reply (a best-effort CLOSE from a deinit). Its reply,
    /// if any, is discarded by a later request as a stale seq.
    public func post(_ type: MessageType, session: UInt64) {
        let seq = nextSeq
        nextSeq += 1
        try? send(MessageHeader(type, session: session, seq: seq), body: nil, dontWait: true)
    }

    private func send(_ header: MessageHeader, body: UnsafeRawBufferPointer?, dontWait: Bool = false) throws(RemoteError) {
        do throws(ZeroMQError) {
            outgoing.resize(to: 0)
            try socket.send(outgoing, more: true, dontWait: dontWait)
            outgoing.resize(to: MessageHeader.size)
            header.write(to: outgoing.data)
            try socket.send(outgoing, more: body != nil, dontWait: dontWait)
            if let body { try socket.send(bytes: body, more: false, dontWait: dontWait) }
        } catch {
            throw .transport(error)
        }
    }

    /// Waits up to the timeout for the reply with `seq`, discarding stale replies.
    private func awaitReply(seq: UInt64) throws(RemoteError) -> RemoteReply? {
        var remaining = timeoutMilliseconds
        let deadline = MonotonicClock.nanoseconds + UInt64(max(0, timeoutMilliseconds)) * 1_000_000
        while true {
            if try receive(timeoutMilliseconds: remaining) {
                let start = frames.count > 0 && frames[0].count == 0 ? 1 : 0
                guard start < frames.count, frames.droppedCount == 0 else { throw .protocolViolation("a reply without a header") }
                let header: MessageHeader
                do { header = try MessageHeader(parsing: frames[start].bytes) } catch {
                    throw .protocolViolation("unreadable reply header: \(error)")
                }
                if header.seq == seq { return RemoteReply(header: header, frames: frames, start: start + 1) }
                // A late reply to an earlier (retried or posted) request: skip it.
                continue
            }
            let now = MonotonicClock.nanoseconds
            guard now < deadline else { return nil }
            remaining = Int((deadline - now) / 1_000_000) + 1
        }
    }

    /// Waits up to `timeoutMilliseconds` for a message and receives it into ``frames``.
    private func receive(timeoutMilliseconds: Int) throws(RemoteError) -> Bool {
        do throws(ZeroMQError) {
            guard try zeroMQPoll(&pollItems, timeoutMilliseconds: timeoutMilliseconds) > 0 else { return false }
            return try socket.receive(into: frames, dontWait: true)
        } catch {
            throw .transport(error)
        }
    }

    // MARK: Control requests

    /// HELLO: the server's JSON description (version, limits, message types).
    public func hello() throws(RemoteError) -> ConfigValue {
        try parse(request(.hello, json: #"{"client":"adenv-swift","protocol":[1,0]}"#).text("HELLO"))
    }

    /// LIST: the registered envs.
    public func list() throws(RemoteError) -> ConfigValue {
        try parse(request(.list).text("LIST"))
    }

    /// SPEC: the spec document of the env OPEN would build.
    public func spec(_ scenario: ScenarioRequest) throws(RemoteError) -> ConfigValue {
        var writer = JSONWriter()
        scenario.write(to: &writer)
        return try parse(request(.spec, json: writer.finish()).text("SPEC"))
    }

    /// PING: checks the server is alive, and refreshes `session`'s idle timer when given.
    public func ping(session: UInt64 = 0) throws(RemoteError) {
        _ = try request(.ping, session: session)
    }

    /// CLOSE: closes a session; false if it was unknown, closed or expired.
    @discardableResult
    public func close(session: UInt64) throws(RemoteError) -> Bool {
        let text = try request(.close, session: session).text("CLOSE")
        guard case .object(let object) = try parse(text), case .bool(let closed)? = object["closed"] else {
            throw .protocolViolation("CLOSE reply lacks 'closed'")
        }
        return closed
    }

    private func parse(_ text: String) throws(RemoteError) -> ConfigValue {
        do { return try ConfigValue.parse(json: text, source: "reply") } catch { throw .protocolViolation("unreadable JSON reply: \(error)") }
    }
}
