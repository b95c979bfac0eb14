/// The spec as JSON: what `adenv describe --json` prints and what a server sends as `SPEC`.
extension EnvSpec {
    public var jsonDescription: ConfigValue {
        var object = ConfigObject()
        object["id"] = .string(id)
        object["kind"] = .string(kind)
        object["description"] = .string(summary)
        object["observation_space"] = Space.box(observationSpace).jsonDescription
        object["observation_labels"] = .array(observationLabels.map { .string($0) })
        object["action_space"] = actionSpace.jsonDescription
        object["max_episode_steps"] = .number(Double(maxEpisodeSteps))
        object["reward_range"] = .array([rewardRange.lowerBound, rewardRange.upperBound].map { $0.isFinite ? .number($0) : .null })
        object["autoreset_mode"] = .string(autoresetMode.rawValue)
        object["info_fields"] = .array(infoFields.map { .string($0.rawValue) })
        object["action_mask"] = .bool(hasActionMask)
        object["oracle"] = [
            "kind": .string(oracle.kind.rawValue),
            "expected_return": oracle.expectedReturn.map { .number($0) } ?? .null,
            "discount": .number(oracle.discount),
            "note": .string(oracle.note),
        ]
        object["parameters"] = .object(parameters)
        object["source"] = .string(source)
        return .object(object)
    }
}
