import AdEnv
import CZeroMQ
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The AdEnv ZeroMQ server: one ROUTER socket served by one thread (docs/PROTOCOL.md).
///
/// ``run()`` loops on `zmq_poll` with a short timeout, so that it notices a stop request, a signal
/// or an idle session within 100 ms while never blocking on a peer. Every request gets exactly one
/// reply. Requests are handled in arrival order, so those of one session are handled in order.
///
/// Thread safety: call ``run()`` on one thread; ``requestStop()`` and ``sessionCount`` may be used
/// from any thread.
public final class Server: @unchecked Sendable {
    /// The most frames a request may have after its envelope.
    public static let maxFrames = 64

    public let configuration: ServerConfiguration
    /// The bound endpoint, with a wildcard port resolved (`ZMQ_LAST_ENDPOINT`).
    public let endpoint: String
    /// The server's Z85 CURVE public key, when it serves with CURVE.
    public let curvePublicKey: String?

    private var socket: ZeroMQSocket?
    private let stopRequested = Atomic<Bool>(false)
    private let openSessions = Atomic<Int>(0)
    private var sessions: [UInt64: Session] = [:]
    private var totalEnvs = 0
    private let frames = ZeroMQFrames(capacity: Server.maxFrames + 3)
    private let sharedReply = Reply()
    private let scratch = ZeroMQMessage()
    private var lastSweep: UInt64 = 0
    private var stopping = false
    private let idleNanoseconds: UInt64

    /// Creates the socket, sets its options and binds.
    ///
    /// - Throws: ``ServerError/remoteBindRefused(endpoint:)`` for a non-loopback `tcp://` address
    ///   without `allowRemote`; ``ServerError/badCurveKey(reason:)``; ``ServerError/zeroMQ(_:)``
    ///   when libzmq refuses (for example, the port is in use).
    public init(_ configuration: ServerConfiguration) throws(ServerError) {
        guard configuration.allowRemote || ServerConfiguration.isLocal(configuration.endpoint) else {
            throw .remoteBindRefused(endpoint: configuration.endpoint)
        }
        self.configuration = configuration
        let limits = configuration.limits
        idleNanoseconds = UInt64(max(0, limits.idleTimeoutSeconds) * 1e9)
        if let secret = configuration.curveSecretKey {
            guard ZeroMQCurve.isAvailable else { throw .badCurveKey(reason: "this libzmq was built without CURVE") }
            do { curvePublicKey = try ZeroMQCurve.publicKey(secretKey: secret) } catch {
                throw .badCurveKey(reason: "it must be 40 Z85 characters")
            }
        } else {
            curvePublicKey = nil
        }
        do throws(ZeroMQError) {
            let socket = try ZeroMQSocket(context: ZeroMQContext(), type: .router)
            try socket.setOption(ZMQ_MAXMSGSIZE, Int64(limits.maxMessageBytes) * 2)
            try socket.setOption(ZMQ_HEARTBEAT_IVL, Int32(1000))
            try socket.setOption(ZMQ_HEARTBEAT_TIMEOUT, Int32(5000))
            try socket.setOption(ZMQ_HEARTBEAT_TTL, Int32(5000))
            try socket.setOption(ZMQ_ROUTER_MANDATORY, Int32(0))
            try socket.setOption(ZMQ_SNDHWM, Int32(1000))
            try socket.setOption(ZMQ_RCVHWM, Int32(1000))
            if let secret = configuration.curveSecretKey {
                try socket.setOption(ZMQ_CURVE_SERVER, Int32(1))
                try socket.setOption(ZMQ_CURVE_SECRETKEY, secret)
            }
            try socket.bind(configuration.endpoint)
            endpoint = try socket.lastEndpoint
            self.socket = socket
        } catch {
            throw .zeroMQ(error)
        }
    }

    /// Asks ``run()`` to stop: it answers `SHUTTING_DOWN` for the drain time, then returns.
    public func requestStop() {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
    }

    /// The number of open sessions.
    public var sessionCount: Int { openSessions.load(ordering: .sequentiallyConsistent) }

    private var shouldStop: Bool {
        stopRequested.load(ordering: .sequentiallyConsistent) || (configuration.stopsOnSignal && ShutdownSignal.isRaised)
    }

    /// Serves until a stop is requested (``requestStop()``, a signal when `stopsOnSignal`, or the
    /// end of standard input when `exitWithStdin`), drains, and closes the socket.
    public func run() throws(ZeroMQError) {
        guard let socket else { return }
        var items = [socket.pollItem()]
        if configuration.exitWithStdin { items.append(zmq_pollitem_t(socket: nil, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)) }
        lastSweep = MonotonicClock.nanoseconds
        while !shouldStop {
            if try zeroMQPoll(&items, timeoutMilliseconds: 100) > 0 {
                if items[0].revents & Int16(ZMQ_POLLIN) != 0 { try serveReady(socket) }
                if items.count > 1, items[1].revents != 0, stdinReachedEnd() { requestStop() }
            }
            sweepExpiredSessions()
        }
        // Drain: answer what arrives with SHUTTING_DOWN, then close with LINGER 0.
        stopping = true
        let deadline = MonotonicClock.nanoseconds + UInt64(configuration.drainMilliseconds) * 1_000_000
        var socketItem = [socket.pollItem()]
        while case let now = MonotonicClock.nanoseconds, now < deadline {
            let wait = Int((deadline - now) / 1_000_000) + 1
            if try zeroMQPoll(&socketItem, timeoutMilliseconds: wait) > 0 { try serveReady(socket) }
        }
        for session in sessions.values { totalEnvs -= session.count }
        sessions.removeAll()
        openSessions.store(0, ordering: .sequentiallyConsistent)
        self.socket = nil
    }

    /// Handles the requests already queued (at most 256, so expiry and stop checks stay timely).
    private func serveReady(_ socket: ZeroMQSocket) throws(ZeroMQError) {
        for _ in 0..<256 {
            guard try socket.receive(into: frames, dontWait: true) else { return }
            guard frames.count > 0 else { continue }
            let delimited = frames.count > 1 && frames[1].count == 0
            let reply = process(headerAt: delimited ? 2 : 1)
            try send(reply, delimited: delimited, on: socket)
        }
    }

    /// Sends `reply` to the peer of the current request, mirroring its envelope. The reply's frames
    /// are shared, not moved, so a session's cached reply stays intact.
    private func send(_ reply: Reply, delimited: Bool, on socket: ZeroMQSocket) throws(ZeroMQError) {
        // The identity frame is moved: the next receive overwrites it anyway. A ROUTER without
        // ROUTER_MANDATORY drops messages to vanished peers instead of failing or blocking.
        guard try socket.send(frames[0], more: true, dontWait: true) else { return }
        if delimited {
            scratch.resize(to: 0)
            try socket.send(scratch, more: true, dontWait: true)
        }
        scratch.copy(from: reply.headerMessage)
        try socket.send(scratch, more: reply.count > 0, dontWait: true)
        for i in 0..<reply.count {
            scratch.copy(from: reply[i])
            try socket.send(scratch, more: i < reply.count - 1, dontWait: true)
        }
    }

    /// Whether standard input reached end of file (its data, if any, is discarded).
    private func stdinReachedEnd() -> Bool {
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        let n = withUnsafeMutableBytes(of: &buffer) { read(0, $0.baseAddress, $0.count) }
        return n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)
    }

    // MARK: Requests

    /// Handles the request in ``frames`` whose header is frame `start`, and returns its reply.
    private func process(headerAt start: Int) -> Reply {
        let reply = sharedReply
        let unparsed = MessageHeader(type: 0)
        guard start < frames.count else {
            reply.setError(WireError(.badMessage, "the message has no header frame"), for: unparsed)
            return reply
        }
        let header: MessageHeader
        do { header = try MessageHeader(parsing: frames[start].bytes) } catch {
            reply.setError(error, for: unparsed)
            return reply
        }
        do throws(WireError) {
            guard header.major == MessageHeader.major else {
                throw WireError(.badVersion, "protocol major version \(header.major) is not supported; this server speaks 1.0")
            }
            guard header.status == 0 else { throw WireError(.badMessage, "a request's status byte must be 0, got \(header.status)") }
            guard let type = MessageType(rawValue: header.type) else {
                throw WireError(.unknownType, "message type \(header.type) is unknown (1...9 are defined)")
            }
            let frameCount = frames.count - start + frames.droppedCount
            guard frameCount <= Server.maxFrames else {
                throw WireError(.badMessage, "the message has \(frameCount) frames after its envelope; at most \(Server.maxFrames) are allowed")
            }
            let size = frames.byteCount(from: start)
            guard size <= configuration.limits.maxMessageBytes else {
                throw WireError(.tooLarge, "the message has \(size) bytes; the limit is \(configuration.limits.maxMessageBytes)")
            }
            let bodyCount = frameCount - 1
            guard type.requestBodyFrames.contains(bodyCount) else {
                let expected = type.requestBodyFrames
                throw WireError(.badMessage, "\(type.name) takes \(expected.lowerBound == expected.upperBound ? "\(expected.lowerBound)" : "\(expected.lowerBound) or \(expected.upperBound)") body frames, got \(bodyCount)")
            }
            guard !stopping else { throw WireError(.shuttingDown, "the server is shutting down") }
            let body = bodyCount > 0 ? frames[start + 1] : nil
            switch type {
            case .hello: try hello(body, header)
            case .list: try list(header)
            case .spec: try spec(body!, header)
            case .open: try open(body!, header)
            case .ping where header.session == 0: reply.start(header.reply(status: MessageHeader.ok))
            case .reset, .step, .oracle, .close, .ping: return try sessionRequest(type, header, body)
            }
        } catch {
            reply.setError(error, for: header)
        }
        return reply
    }

    private func hello(_ body: ZeroMQMessage?, _ header: MessageHeader) throws(WireError) {
        // The body is informational; it only has to be a JSON object.
        if let body { _ = try RequestReader(frame: body, message: "HELLO") }
        var writer = JSONWriter()
        writer.field("server", "adenv")
        writer.field("version", configuration.version)
        writer.field("protocol", json: "[\(MessageHeader.major),\(MessageHeader.minor)]")
        writer.field("limits", json: configuration.limits.json)
        writer.field("message_types", .array(MessageType.allCases.map { .string($0.name) }))
        sharedReply.start(header.reply(status: MessageHeader.ok))
        sharedReply.append(json: writer.finish())
    }

    private func list(_ header: MessageHeader) throws(WireError) {
        let scenarios: [Scenario]
        do { scenarios = try configuration.registry.scenarios() } catch { throw WireError(.internal, "cannot list scenarios: \(error)") }
        let envs: [ConfigValue] = scenarios.map { ["id": .string($0.id), "kind": .string($0.kind), "summary": .string($0.summary)] }
        sharedReply.start(header.reply(status: MessageHeader.ok))
        sharedReply.append(json: ConfigValue.object(ConfigObject([("envs", .array(envs))])).jsonString())
    }

    private func spec(_ body: ZeroMQMessage, _ header: MessageHeader) throws(WireError) {
        var reader = try RequestReader(frame: body, message: "SPEC")
        let request = try ScenarioRequest(reading: &reader)
        try reader.finish()
        let env = try request.makeEnv(registry: configuration.registry)
        sharedReply.start(header.reply(status: MessageHeader.ok))
        sharedReply.append(json: env.spec.jsonDescription.jsonString())
    }

    private func open(_ body: ZeroMQMessage, _ header: MessageHeader) throws(WireError) {
        let request = try OpenRequest(frame: body)
        let limits = configuration.limits, n = request.numEnvs
        guard n <= limits.maxEnvsPerSession else {
            throw WireError(.capacity, "num_envs \(n) exceeds this server's limit of \(limits.maxEnvsPerSession) envs per session", retryable: false)
        }
        guard n <= limits.maxTotalEnvs else {
            throw WireError(.capacity, "num_envs \(n) exceeds this server's limit of \(limits.maxTotalEnvs) envs in total", retryable: false)
        }
        guard sessions.count < limits.maxSessions else {
            throw WireError(.capacity, "the server has its maximum of \(limits.maxSessions) sessions open; close one or retry later")
        }
        guard totalEnvs + n <= limits.maxTotalEnvs else {
            throw WireError(.capacity, "\(totalEnvs) of \(limits.maxTotalEnvs) envs are in use; \(n) more do not fit; retry later")
        }
        let env = try request.scenario.makeEnv(registry: configuration.registry)
        let spec = env.spec
        let maskWidth = spec.hasActionMask ? spec.discreteActionCount : 0
        let replyBytes = Session.stepReplyBytes(count: n, spec: spec, maskWidth: maskWidth)
        guard replyBytes <= limits.maxMessageBytes else {
            throw WireError(.capacity, "a STEP reply for \(n) envs would have \(replyBytes) bytes, over the \(limits.maxMessageBytes)-byte message limit", retryable: false)
        }
        let threads = max(1, min(request.threads, limits.maxThreads, n))
        let (batch, oracle) = makeBatchWithOracle(env, count: n, threads: threads)
        var id = SessionID.random()
        while sessions[id] != nil { id = SessionID.random() }
        sessions[id] = Session(id: id, batch: batch, oracle: oracle, now: MonotonicClock.nanoseconds)
        totalEnvs += n
        openSessions.store(sessions.count, ordering: .sequentiallyConsistent)
        sharedReply.start(header.reply(status: MessageHeader.ok, session: id))
        sharedReply.append(json: OpenReply(session: id, numEnvs: n, spec: spec, maskWidth: maskWidth).json)
    }

    /// RESET, STEP, ORACLE, CLOSE and PING with a session: the sequence rules of PROTOCOL.md §8.
    private func sessionRequest(_ type: MessageType, _ header: MessageHeader, _ body: ZeroMQMessage?) throws(WireError) -> Reply {
        guard let session = sessions[header.session] else {
            guard type == .close else {
                throw WireError(.unknownSession, "session \(header.session) is unknown, closed or expired")
            }
            sharedReply.start(header.reply(status: MessageHeader.ok))
            sharedReply.append(json: #"{"closed":false}"#)
            return sharedReply
        }
        session.lastActive = MonotonicClock.nanoseconds
        if let last = session.lastSeq {
            if header.seq == last {
                guard header.type == session.lastType else {
                    throw WireError(.badSequence, "seq \(header.seq) was already used by another request type on this session")
                }
                return session.reply
            }
            guard header.seq > last else {
                throw WireError(.badSequence, "seq \(header.seq) is below the session's last seq \(last)")
            }
        }
        session.lastSeq = header.seq
        session.lastType = header.type
        do throws(WireError) {
            switch type {
            case .reset: try session.reset(ResetSeeds(frame: body), request: header)
            case .step: try session.step(body!, request: header)
            case .oracle: try session.oracleActions(request: header)
            case .ping: session.reply.start(header.reply(status: MessageHeader.ok))
            case .close:
                remove(session)
                sharedReply.start(header.reply(status: MessageHeader.ok))
                sharedReply.append(json: #"{"closed":true}"#)
                return sharedReply
            case .hello, .open, .list, .spec:
                throw WireError(.internal, "\(type.name) is not a session request")
            }
        } catch {
            session.reply.setError(error, for: header)
        }
        return session.reply
    }

    private func remove(_ session: Session) {
        sessions[session.id] = nil
        totalEnvs -= session.count
        openSessions.store(sessions.count, ordering: .sequentiallyConsistent)
    }

    /// Closes sessions idle for longer than the idle timeout; runs at most every 100 ms.
    private func sweepExpiredSessions() {
        let now = MonotonicClock.nanoseconds
        guard now - lastSweep >= 100_000_000 || idleNanoseconds < 100_000_000 else { return }
        lastSweep = now
        let expired = sessions.values.filter { now > $0.lastActive && now - $0.lastActive > idleNanoseconds }
        for session in expired { remove(session) }
    }
}
