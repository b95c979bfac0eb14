import AdEnv

/// The body of an OPEN reply: the session's id and tensor shapes, and the env's spec.
public struct OpenReply: Sendable {
    public var session: UInt64
    public var numEnvs: Int
    public var observationCount: Int
    public var actionCount: Int
    public var actionDType: ActionDType
    public var maskWidth: Int
    public var infoFields: [InfoField]
    /// The spec document (``EnvSpec/jsonDescription``).
    public var spec: ConfigValue

    public init(session: UInt64, numEnvs: Int, spec: EnvSpec, maskWidth: Int) {
        self.session = session
        self.numEnvs = numEnvs
        self.observationCount = spec.observationCount
        self.actionCount = spec.actionCount
        self.actionDType = spec.actionDType
        self.maskWidth = maskWidth
        self.infoFields = spec.infoFields
        self.spec = spec.jsonDescription
    }

    public var json: String {
        var writer = JSONWriter()
        writer.field("session", session)
        writer.field("num_envs", numEnvs)
        writer.field("observation_count", observationCount)
        writer.field("action_count", actionCount)
        writer.field("action_dtype", actionDType.rawValue)
        writer.field("mask_width", maskWidth)
        writer.field("info_fields", .array(infoFields.map { .string($0.rawValue) }))
        writer.field("spec", spec)
        return writer.finish()
    }

    /// Decodes a reply body. The session id is taken from the reply header, which is authoritative.
    public init(frame: ZeroMQMessage, session: UInt64) throws(WireError) {
        var reader = try RequestReader(frame: frame, message: "OPEN reply")
        self.session = session
        _ = reader.value("session")
        numEnvs = try reader.int("num_envs", in: 1...Int.max) ?? 0
        observationCount = try reader.int("observation_count", in: 0...Int.max) ?? 0
        actionCount = try reader.int("action_count", in: 0...Int.max) ?? 0
        let dtype = try reader.string("action_dtype") ?? ""
        guard let actionDType = ActionDType(rawValue: dtype) else { throw WireError(.internal, "OPEN reply: unknown action_dtype '\(dtype)'") }
        self.actionDType = actionDType
        maskWidth = try reader.int("mask_width", in: 0...Int.max) ?? 0
        guard case .array(let fields)? = reader.value("info_fields") else { throw WireError(.internal, "OPEN reply: info_fields is missing") }
        infoFields = try fields.map { value throws(WireError) in
            guard case .string(let name) = value, let field = InfoField(rawValue: name) else {
                throw WireError(.internal, "OPEN reply: unknown info field \(value.jsonString())")
            }
            return field
        }
        spec = reader.value("spec") ?? .null
    }
}

extension EnvSpec {
    /// The dtype of the flat action form: int64 for Discrete and MultiDiscrete, float32 for Box.
    public var actionDType: ActionDType {
        if case .box = actionSpace { .float32 } else { .int64 }
    }
}
