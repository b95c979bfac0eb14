import AdEnv

/// One client session: N env copies behind a ``BatchEnv``, their oracle streams, and the last reply
/// kept for replay.
///
/// The server core only calls ``BatchEnv`` methods; replies are encoded straight from the batch's
/// buffers into libzmq messages (one copy), and actions are stepped straight from the request frame
/// when it is aligned.
final class Session {
    let id: UInt64
    let batch: any BatchEnv
    let oracle: (any OracleSource)?
    let spec: EnvSpec
    let count: Int
    let observationCount: Int
    let actionCount: Int
    let maskWidth: Int
    let infoFields: [InfoField]
    let actionDType: ActionDType

    /// The seq and type of the last processed request, whose reply is ``reply``; `nil` before the first.
    var lastSeq: UInt64?
    var lastType: UInt8 = 0
    let reply = Reply()
    /// When the session last received a request, in ``MonotonicClock`` nanoseconds.
    var lastActive: UInt64
    private(set) var hasReset = false
    /// Per-copy oracle streams, reseeded by seeded resets (as `VectorEnv`'s policy streams).
    private var oracleRNGs: [Xoshiro256]
    /// Aligned scratch for action frames whose bytes are not aligned.
    private var intActions: [Int64]
    private var realActions: [Float]

    init(id: UInt64, batch: any BatchEnv, oracle: (any OracleSource)?, now: UInt64) {
        self.id = id
        self.batch = batch
        self.oracle = oracle
        spec = batch.spec
        count = batch.count
        observationCount = spec.observationCount
        actionCount = spec.actionCount
        maskWidth = batch.maskWidth
        infoFields = spec.infoFields
        actionDType = spec.actionDType
        lastActive = now
        oracleRNGs = (0..<count).map { Xoshiro256(seed: ScenarioPolicy.policySeed(forEnvSeed: UInt64($0))) }
        intActions = actionDType == .int64 ? Array(repeating: 0, count: count * actionCount) : []
        realActions = actionDType == .float32 ? Array(repeating: 0, count: count * actionCount) : []
    }

    /// The byte size of a STEP reply's body for `count` copies of an env with `spec`.
    static func stepReplyBytes(count: Int, spec: EnvSpec, maskWidth: Int) -> Int {
        let row = 4 * spec.observationCount + 8 + 2 + 8 * spec.infoFields.count + maskWidth
        let (total, overflow) = count.multipliedReportingOverflow(by: row)
        return overflow ? Int.max : total
    }

    // MARK: Requests

    /// RESET: reseeds, resets every copy and writes `[obs] [infos] [masks]` into ``reply``.
    func reset(_ seeds: ResetSeeds, request: MessageHeader) throws(WireError) {
        var perEnv = try seeds.seeds(count: count)
        if !hasReset {
            // As VectorEnv: on the first reset a nil seed means seed i.
            for i in perEnv.indices where perEnv[i] == nil { perEnv[i] = UInt64(i) }
        }
        do { try batch.reset(seeds: perEnv) } catch { throw WireError(.internal, "reset failed: \(error)") }
        hasReset = true
        for (i, seed) in perEnv.enumerated() {
            if let seed { oracleRNGs[i] = Xoshiro256(seed: ScenarioPolicy.policySeed(forEnvSeed: seed)) }
        }
        reply.start(request.reply(status: MessageHeader.ok))
        writeObservations()
        writeInfos()
        writeMasks()
    }

    /// STEP: checks and steps a batch of actions, and writes the six result frames into ``reply``.
    /// A refused batch changes nothing.
    func step(_ actions: ZeroMQMessage, request: MessageHeader) throws(WireError) {
        let total = count * actionCount
        do {
            switch actionDType {
            case .int64:
                try Self.withActions(actions, count: total, scratch: &intActions, name: "actions (int64)") { try batch.step(flat: $0) }
            case .float32:
                try Self.withActions(actions, count: total, scratch: &realActions, name: "actions (float32)") { try batch.step(flat: $0) }
            }
        } catch let error as WireError {
            throw error
        } catch let error as VectorStepError {
            throw WireError(error)
        } catch {
            throw WireError(.internal, "step failed: \(error)")
        }
        reply.start(request.reply(status: MessageHeader.ok))
        writeObservations()
        batch.rewards.withUnsafeBufferPointer { TensorCodec.encode($0, into: reply.appendFrame()) }
        batch.terminated.withUnsafeBufferPointer { TensorCodec.encode($0, into: reply.appendFrame()) }
        batch.truncated.withUnsafeBufferPointer { TensorCodec.encode($0, into: reply.appendFrame()) }
        writeInfos()
        writeMasks()
    }

    /// Checks an action frame of `count` values of `T` and runs `body` on them: in place when the
    /// frame is aligned for `T`, else decoded into `scratch` first.
    private static func withActions<T: BitwiseCopyable>(
        _ actions: ZeroMQMessage, count: Int, scratch: inout [T], name: String, _ body: (UnsafeBufferPointer<T>) throws -> Void
    ) throws {
        try TensorCodec.check(actions, count: count, of: T.self, name: name)
        if Int(bitPattern: actions.data) % MemoryLayout<T>.alignment == 0 {
            try body(UnsafeBufferPointer(start: actions.data.assumingMemoryBound(to: T.self), count: count))
        } else {
            try scratch.withUnsafeMutableBufferPointer { buffer in
                try TensorCodec.decode(actions, into: buffer, name: name)
                try body(UnsafeBufferPointer(buffer))
            }
        }
    }

    /// ORACLE: writes each copy's oracle action into ``reply``.
    func oracleActions(request: MessageHeader) throws(WireError) {
        guard hasReset else { throw WireError(ActionError.needsReset, index: -1) }
        guard let oracle else { throw WireError(.internal, "this session's env has no oracle available to the server") }
        reply.start(request.reply(status: MessageHeader.ok))
        let frame = reply.appendFrame()
        oracleRNGs.withUnsafeMutableBufferPointer { oracle.writeOracleActions(into: frame, rngs: $0) }
    }

    private func writeObservations() {
        batch.observations.withUnsafeBufferPointer { TensorCodec.encode($0, into: reply.appendFrame()) }
    }

    private func writeInfos() {
        batch.infos.withUnsafeBufferPointer { TensorCodec.encode($0, fields: infoFields, into: reply.appendFrame()) }
    }

    private func writeMasks() {
        batch.actionMasks.withUnsafeBufferPointer { TensorCodec.encode($0, into: reply.appendFrame()) }
    }
}
