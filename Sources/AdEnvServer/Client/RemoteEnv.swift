import AdEnv

/// One env in a server session (N = 1), as an ``Env``: code generic over `some Env` runs against a
/// server unchanged.
///
/// - Action type: `Action.dtype` and width must match the session's (`Int` for Discrete, `Float` for
///   a one-dimensional Box, ``Slate`` for MultiDiscrete); ``init(connection:scenario:)`` checks it.
/// - Checking is local: ``check(_:)`` tests the action against the spec's space, the last action
///   mask and the episode state without a round trip, so a refused step costs nothing and changes
///   nothing. Episodes end as for any ``Env``: after `terminated` or `truncated`, `step` throws
///   ``ActionError/needsReset`` until `reset` (the server's autoreset is never triggered).
/// - ``randomAction(using:)`` samples the action space locally from `rng`, honouring the mask;
///   MultiDiscrete spaces whose dimensions are all equal are sampled without repeats (slates need
///   distinct items). ``oracleAction(using:)`` asks the server (ORACLE); `rng` is unused.
/// - Copies share the one remote session: unlike in-process envs, copying does not fork the state.
/// - Transport failures: `Env`'s `reset`, `step`, `oracleAction` cannot throw them, so they stop
///   the program with the error. Use ``resetRemote(seed:observation:)`` and ``vector`` to handle them.
public struct RemoteEnv<Action: EnvAction>: Env, @unchecked Sendable {
    /// The session, with N = 1.
    public let vector: RemoteVectorEnv

    public var spec: EnvSpec { vector.spec }

    /// Opens a session of one env.
    ///
    /// - Throws: ``RemoteError/actionTypeMismatch(_:)`` if `Action` does not fit the env's action
    ///   space (the session is then closed), or any error of OPEN.
    public init(connection: Connection, scenario: ScenarioRequest) throws(RemoteError) {
        let vector = try RemoteVectorEnv(connection: connection, scenario: scenario, count: 1)
        guard Action.dtype == vector.actionDType else {
            try? vector.close()
            throw .actionTypeMismatch("\(vector.spec.id) takes \(vector.actionDType.rawValue) actions; \(Action.self) is \(Action.dtype.rawValue)")
        }
        var rng = Xoshiro256(seed: 0)
        let sample = Self.sampleRow(vector.spec.actionSpace, mask: nil, using: &rng)
        do { _ = try Self.action(from: sample, count: vector.actionCount) } catch {
            try? vector.close()
            throw .actionTypeMismatch("\(vector.spec.id)'s actions have \(vector.actionCount) values, which \(Action.self) cannot hold: \(error)")
        }
        self.vector = vector
    }

    /// Closes the session.
    public func close() throws(RemoteError) {
        try vector.close()
    }

    // MARK: Env

    public mutating func reset(seed: UInt64?, observation: UnsafeMutableBufferPointer<Float>) -> StepInfo {
        do { return try resetRemote(seed: seed, observation: observation) } catch {
            fatalError("RemoteEnv.reset: \(error)")
        }
    }

    /// Resets the env, throwing transport and server errors instead of stopping.
    public func resetRemote(seed: UInt64?, observation: UnsafeMutableBufferPointer<Float>) throws(RemoteError) -> StepInfo {
        try vector.reset(seed.map { .base($0) } ?? .none)
        copyObservation(into: observation)
        return vector.infos[0]
    }

    public func check(_ action: Action) throws(ActionError) {
        guard !vector.needsReset[0] else { throw .needsReset }
        switch spec.actionSpace {
        case .discrete(let space):
            var value: Int64 = 0
            withUnsafeMutablePointer(to: &value) { action.write(to: UnsafeMutableBufferPointer(start: $0, count: 1)) }
            let x = Int(value)
            guard space.contains(x) else { throw .outOfSpace(action: "\(x)", space: "\(spec.actionSpace)") }
            if vector.maskWidth > 0, !vector.actionMasks[x - space.start] {
                throw .masked(action: x, reason: "masked in the current state")
            }
        case .box(let space):
            var values = [Float](repeating: 0, count: vector.actionCount)
            values.withUnsafeMutableBufferPointer { action.write(to: $0) }
            guard values.allSatisfy(\.isFinite) else { throw .notFinite(action: "\(values)") }
            guard space.contains(values) else { throw .outOfSpace(action: "\(values)", space: "\(spec.actionSpace)") }
        case .multiDiscrete, .multiBinary, .dict:
            var values = [Int64](repeating: 0, count: vector.actionCount)
            values.withUnsafeMutableBufferPointer { action.write(to: $0) }
            guard spec.actionSpace.contains(.ints(values.map { Int($0) })) else {
                throw .outOfSpace(action: "\(values)", space: "\(spec.actionSpace)")
            }
        }
    }

    public mutating func step(_ action: Action, observation: UnsafeMutableBufferPointer<Float>) throws(ActionError) -> Transition {
        try check(action)
        do {
            switch vector.actionDType {
            case .int64:
                var row = [Int64](repeating: 0, count: vector.actionCount)
                try row.withUnsafeMutableBufferPointer { buffer in
                    action.write(to: buffer)
                    try vector.step(flat: UnsafeBufferPointer(buffer))
                }
            case .float32:
                var row = [Float](repeating: 0, count: vector.actionCount)
                try row.withUnsafeMutableBufferPointer { buffer in
                    action.write(to: buffer)
                    try vector.step(flat: UnsafeBufferPointer(buffer))
                }
            }
        } catch let error as RemoteError {
            // The server refused what the local check let through (a constraint the space does not
            // express, such as distinct slate items): nothing changed.
            if case .server(let wire) = error, wire.code == .invalidAction {
                throw .outOfSpace(action: "(see message)", space: wire.message)
            }
            if error.code == .needsReset { throw .needsReset }
            fatalError("RemoteEnv.step: \(error)")
        } catch {
            fatalError("RemoteEnv.step: \(error)")
        }
        copyObservation(into: observation)
        return Transition(reward: vector.rewards[0], terminated: vector.terminated[0], truncated: vector.truncated[0], info: vector.infos[0])
    }

    public func writeActionMask(into mask: UnsafeMutableBufferPointer<Bool>) {
        if vector.maskWidth > 0 {
            vector.actionMasks.withUnsafeBufferPointer { source in
                for i in 0..<min(mask.count, source.count) { mask[i] = source[i] }
            }
        } else {
            for i in mask.indices { mask[i] = true }
        }
    }

    public func oracleAction(using rng: inout Xoshiro256) -> Action {
        do {
            switch vector.actionDType {
            case .int64:
                var row = [Int64](repeating: 0, count: vector.actionCount)
                try row.withUnsafeMutableBufferPointer { try vector.oracleActions(into: $0) }
                return try row.withUnsafeBufferPointer { try Action(row: .integers($0), count: vector.actionCount) }
            case .float32:
                var row = [Float](repeating: 0, count: vector.actionCount)
                try row.withUnsafeMutableBufferPointer { try vector.oracleActions(into: $0) }
                return try row.withUnsafeBufferPointer { try Action(row: .reals($0), count: vector.actionCount) }
            }
        } catch {
            fatalError("RemoteEnv.oracleAction: \(error)")
        }
    }

    public func randomAction(using rng: inout Xoshiro256) -> Action {
        let row = Self.sampleRow(spec.actionSpace, mask: vector.maskWidth > 0 ? vector.actionMasks : nil, using: &rng)
        do { return try Self.action(from: row, count: vector.actionCount) } catch {
            preconditionFailure("checked at open: \(error)")
        }
    }

    // MARK: Helpers

    private func copyObservation(into observation: UnsafeMutableBufferPointer<Float>) {
        vector.observations.withUnsafeBufferPointer { source in
            for i in 0..<min(observation.count, source.count) { observation[i] = source[i] }
        }
    }

    /// A flat random element of `space`: integers for Discrete/MultiDiscrete, reals for a Box.
    private static func sampleRow(_ space: Space, mask: [Bool]?, using rng: inout Xoshiro256) -> SampledRow {
        switch space {
        case .discrete(let d):
            guard let mask else { return .integers([Int64(d.sample(using: &rng))]) }
            return .integers([Int64(mask.withUnsafeBufferPointer { d.sample(using: &rng, mask: $0) })])
        case .box(let b):
            return .reals(b.sample(using: &rng))
        case .multiDiscrete(let m) where m.nvec.allSatisfy({ $0 == m.nvec[0] }) && m.nvec.count <= m.nvec[0]:
            // Distinct items, as slates need: a partial Fisher–Yates shuffle of 0..<n.
            var pool = Array(0..<m.nvec[0])
            for k in 0..<m.nvec.count { pool.swapAt(k, k + rng.below(pool.count - k)) }
            return .integers(pool.prefix(m.nvec.count).map { Int64($0) })
        default:
            if case .ints(let values) = space.sample(using: &rng) { return .integers(values.map { Int64($0) }) }
            return .integers([])
        }
    }

    private enum SampledRow {
        case integers([Int64])
        case reals([Float])
    }

    private static func action(from row: SampledRow, count: Int) throws(ActionError) -> Action {
        switch row {
        case .integers(let values):
            return try values.withUnsafeBufferPointer { buffer in
                Result { () throws(ActionError) in try Action(row: .integers(buffer), count: count) }
            }.get()
        case .reals(let values):
            return try values.withUnsafeBufferPointer { buffer in
                Result { () throws(ActionError) in try Action(row: .reals(buffer), count: count) }
            }.get()
        }
    }
}
