import AdEnv

/// N env copies in one server session, as a ``BatchEnv``: learners generic over `some BatchEnv`
/// train against a server unchanged.
///
/// Semantics are ``VectorEnv``'s (the server runs one): NEXT_STEP autoreset, seeding `s + i`,
/// reset before step, all-or-nothing batches. Buffers are allocated once and every reply is decoded
/// straight into them.
///
/// Errors: a batch of the wrong size or dtype throws ``VectorStepError`` before anything is sent,
/// as ``VectorEnv`` does; errors from the server throw ``RemoteError`` (`NEEDS_RESET`,
/// `INVALID_ACTION` with the copy's index, …), and a refused batch changed nothing.
///
/// Not `Sendable`: use it from one thread at a time. Releasing it sends a best-effort CLOSE.
public final class RemoteVectorEnv: BatchEnv {
    public let connection: Connection
    /// The server's session id.
    public let session: UInt64
    public let spec: EnvSpec
    public let count: Int
    public let maskWidth: Int
    public let actionDType: ActionDType
    public let infoFields: [InfoField]
    public let observationCount: Int
    public let actionCount: Int

    public private(set) var observations: [Float]
    public private(set) var rewards: [Double]
    public private(set) var terminated: [Bool]
    public private(set) var truncated: [Bool]
    public private(set) var infos: [StepInfo]
    public private(set) var actionMasks: [Bool]
    public private(set) var needsReset: [Bool]
    public private(set) var isClosed = false

    /// Opens a session of `count` copies.
    ///
    /// - Throws: ``RemoteError`` — `UNKNOWN_ENV`, `BAD_SCENARIO`, `CAPACITY`, a timeout, ….
    public init(connection: Connection, scenario: ScenarioRequest, count: Int = 1, threads: Int = 1) throws(RemoteError) {
        let request = OpenRequest(scenario, numEnvs: count, threads: threads)
        let reply = try connection.request(.open, json: request.json)
        try reply.expectFrames(1, "OPEN")
        let opened: OpenReply
        do { opened = try OpenReply(frame: reply[0], session: reply.header.session) } catch { throw .protocolViolation("\(error)") }
        self.connection = connection
        session = opened.session
        do {
            spec = try EnvSpec(wire: opened.spec)
        } catch {
            connection.post(.close, session: opened.session)
            throw error
        }
        self.count = opened.numEnvs
        maskWidth = opened.maskWidth
        actionDType = opened.actionDType
        infoFields = opened.infoFields
        observationCount = opened.observationCount
        actionCount = opened.actionCount
        observations = Array(repeating: 0, count: count * observationCount)
        rewards = Array(repeating: 0, count: count)
        terminated = Array(repeating: false, count: count)
        truncated = Array(repeating: false, count: count)
        infos = Array(repeating: StepInfo(), count: count)
        actionMasks = Array(repeating: true, count: count * maskWidth)
        needsReset = Array(repeating: true, count: count)
    }

    deinit {
        if !isClosed { connection.post(.close, session: session) }
    }

    /// Closes the session (idempotent).
    public func close() throws(RemoteError) {
        guard !isClosed else { return }
        isClosed = true
        try connection.close(session: session)
    }

    // MARK: BatchEnv

    public func reset(seeds: [UInt64?]) throws {
        try reset(.perEnv(seeds))
    }

    /// Resets every copy: copy `i` gets `seed + i`, or continues its stream when `seed` is nil.
    public func reset(seed: UInt64?) throws {
        try reset(seed.map { .base($0) } ?? .none)
    }

    /// Sends RESET and decodes `[obs] [infos] [masks]`.
    public func reset(_ seeds: ResetSeeds) throws(RemoteError) {
        guard !isClosed else { throw .closed }
        let reply = try connection.request(.reset, session: session, json: seeds.json)
        try reply.expectFrames(3, "RESET")
        try decode { () throws(WireError) in
            try TensorCodec.decode(reply[0], into: &observations, name: "observations")
            try TensorCodec.decode(reply[1], fields: infoFields, into: &infos)
            try TensorCodec.decode(reply[2], into: &actionMasks, name: "masks")
        }
        for i in 0..<count {
            rewards[i] = 0
            terminated[i] = false
            truncated[i] = false
            needsReset[i] = false
        }
    }

    public func step(flat actions: UnsafeBufferPointer<Int64>) throws {
        guard actionDType == .int64 else { throw VectorStepError(index: 0, error: .wrongDType(expected: actionDType.rawValue, got: "int64")) }
        try step(UnsafeRawBufferPointer(actions), count: actions.count)
    }

    public func step(flat actions: UnsafeBufferPointer<Float>) throws {
        guard actionDType == .float32 else { throw VectorStepError(index: 0, error: .wrongDType(expected: actionDType.rawValue, got: "float32")) }
        try step(UnsafeRawBufferPointer(actions), count: actions.count)
    }

    private func step(_ bytes: UnsafeRawBufferPointer, count total: Int) throws {
        guard total == count * actionCount else {
            throw VectorStepError(index: -1, error: .wrongCount(expected: count * actionCount, got: total))
        }
        guard !isClosed else { throw RemoteError.closed }
        let reply = try connection.request(.step, session: session, body: bytes)
        try reply.expectFrames(6, "STEP")
        try decode { () throws(WireError) in
            try TensorCodec.decode(reply[0], into: &observations, name: "observations")
            try TensorCodec.decode(reply[1], into: &rewards, name: "rewards")
            try TensorCodec.decode(reply[2], into: &terminated, name: "terminated")
            try TensorCodec.decode(reply[3], into: &truncated, name: "truncated")
            try TensorCodec.decode(reply[4], fields: infoFields, into: &infos)
            try TensorCodec.decode(reply[5], into: &actionMasks, name: "masks")
        }
        for i in 0..<count { needsReset[i] = terminated[i] || truncated[i] }
    }

    // MARK: Oracle

    /// The scenario oracle's action for each copy (zeros for copies the next step resets).
    public func oracleActions(into out: UnsafeMutableBufferPointer<Int64>) throws(RemoteError) {
        guard actionDType == .int64 else { throw .actionTypeMismatch("the session's actions are \(actionDType.rawValue), not int64") }
        try oracle(into: UnsafeMutableRawBufferPointer(out), count: out.count)
    }

    /// The scenario oracle's action for each copy (zeros for copies the next step resets).
    public func oracleActions(into out: UnsafeMutableBufferPointer<Float>) throws(RemoteError) {
        guard actionDType == .float32 else { throw .actionTypeMismatch("the session's actions are \(actionDType.rawValue), not float32") }
        try oracle(into: UnsafeMutableRawBufferPointer(out), count: out.count)
    }

    private func oracle(into out: UnsafeMutableRawBufferPointer, count total: Int) throws(RemoteError) {
        guard total == count * actionCount else { throw .actionTypeMismatch("oracle buffer has \(total) values, expected \(count * actionCount)") }
        guard !isClosed else { throw .closed }
        let reply = try connection.request(.oracle, session: session)
        try reply.expectFrames(1, "ORACLE")
        guard reply[0].count == out.count else {
            throw .protocolViolation("ORACLE reply has \(reply[0].count) bytes, expected \(out.count)")
        }
        if out.count > 0 { out.copyMemory(from: reply[0].bytes) }
    }

    /// Runs `body`, turning a malformed tensor in a reply into a protocol violation.
    private func decode(_ body: () throws(WireError) -> Void) throws(RemoteError) {
        do throws(WireError) { try body() } catch { throw .protocolViolation("malformed reply: \(error.message)") }
    }
}
