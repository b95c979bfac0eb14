import AdEnv

extension EnvSpec {
    /// Rebuilds a spec from its JSON document (``EnvSpec/jsonDescription``), as a SPEC or OPEN reply
    /// carries it. Infinite bounds arrive as `null`.
    ///
    /// - Throws: ``RemoteError/protocolViolation(_:)`` naming the first missing or malformed field.
    public convenience init(wire document: ConfigValue) throws(RemoteError) {
        guard case .object(let object) = document else { throw .protocolViolation("the spec document is not an object") }
        func string(_ key: String) throws(RemoteError) -> String {
            guard case .string(let s)? = object[key] else { throw .protocolViolation("spec.\(key) is not a string") }
            return s
        }
        func number(_ value: ConfigValue?, _ name: String, null: Double? = nil) throws(RemoteError) -> Double {
            switch value {
            case .number(let x)?: return x
            case .null? where null != nil: return null!
            default: throw .protocolViolation("\(name) is not a number")
            }
        }
        let observationSpace: Box
        let actionSpace: Space
        do {
            guard case .box(let box) = try Space(description: object["observation_space"] ?? .null, path: "spec.observation_space") else {
                throw RemoteError.protocolViolation("spec.observation_space is not a Box")
            }
            observationSpace = box
            actionSpace = try Space(description: object["action_space"] ?? .null, path: "spec.action_space")
        } catch let error as RemoteError {
            throw error
        } catch {
            throw .protocolViolation("\(error)")
        }
        guard case .array(let labelValues)? = object["observation_labels"], labelValues.count == observationSpace.count else {
            throw .protocolViolation("spec.observation_labels is not a list of \(observationSpace.count) strings")
        }
        let labels = labelValues.map { if case .string(let s) = $0 { s } else { "" } }
        guard case .array(let range)? = object["reward_range"], range.count == 2 else { throw .protocolViolation("spec.reward_range is not a pair") }
        let low = try number(range[0], "spec.reward_range[0]", null: -.infinity)
        let high = try number(range[1], "spec.reward_range[1]", null: .infinity)
        guard low <= high else { throw .protocolViolation("spec.reward_range is empty") }
        guard case .array(let fieldValues)? = object["info_fields"] else { throw .protocolViolation("spec.info_fields is not a list") }
        var fields: [InfoField] = []
        for value in fieldValues {
            guard case .string(let name) = value, let field = InfoField(rawValue: name) else {
                throw .protocolViolation("spec.info_fields has an unknown field \(value.jsonString())")
            }
            fields.append(field)
        }
        guard case .bool(let hasMask)? = object["action_mask"] else { throw .protocolViolation("spec.action_mask is not a boolean") }
        guard case .object(let oracle)? = object["oracle"], case .string(let kindName)? = oracle["kind"],
            let kind = OracleSpec.Kind(rawValue: kindName)
        else { throw .protocolViolation("spec.oracle is malformed") }
        let expected: Double? = if case .number(let x)? = oracle["expected_return"] { x } else { nil }
        let discount = try number(oracle["discount"], "spec.oracle.discount")
        guard discount > 0 && discount <= 1 else { throw .protocolViolation("spec.oracle.discount is not in (0, 1]") }
        let note: String = if case .string(let s)? = oracle["note"] { s } else { "" }
        let steps = try number(object["max_episode_steps"], "spec.max_episode_steps")
        guard let maxSteps = Int(exactly: steps), maxSteps >= 1 else { throw .protocolViolation("spec.max_episode_steps is not a positive integer") }
        let parameters: ConfigObject = if case .object(let p)? = object["parameters"] { p } else { ConfigObject() }
        let source: String = if case .string(let s)? = object["source"] { s } else { "remote" }
        self.init(
            id: try string("id"), kind: try string("kind"), summary: (try? string("description")) ?? "",
            observationSpace: observationSpace, observationLabels: labels, actionSpace: actionSpace, maxEpisodeSteps: maxSteps,
            rewardRange: low...high, autoresetMode: .nextStep, infoFields: fields, hasActionMask: hasMask, parameters: parameters,
            oracle: OracleSpec(kind: kind, expectedReturn: expected, note: note, discount: discount), source: source)
    }
}
