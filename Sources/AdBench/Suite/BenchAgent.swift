import AdEnv

/// One agent column of a suite scenario: a preset, how many env copies it steps together, and
/// hyper-parameter overrides, under a label unique within the scenario.
public struct BenchAgent: Sendable, Equatable {
    /// The name in tables, figures and the run directory (`runs/<scenario>/<label>/`).
    public var label: String
    /// A preset name (`Agents/<name>.json`) or a preset file path.
    public var preset: String
    /// Copies of the env stepped together (PPO's `num_envs`); 1 by default.
    public var envs: Int
    /// Hyper-parameter overrides, `key=JSON`, applied after the preset.
    public var overrides: [String]

    public init(label: String? = nil, preset: String, envs: Int = 1, overrides: [String] = []) {
        self.label = label ?? preset
        self.preset = preset
        self.envs = envs
        self.overrides = overrides
    }

    /// Reads a preset name (`"ppo"`) or an object `{label, preset, envs, set}` at `path`.
    init(reading value: ConfigValue, path: String) throws(ScenarioError) {
        switch value {
        case .string(let name):
            self.init(preset: name)
        case .object(let object):
            var reader = ConfigReader(object, path: path)
            let preset = try reader.string("preset", default: "")
            guard !preset.isEmpty else { throw .missingKey(path: reader.path(of: "preset")) }
            let label = try reader.string("label", default: preset)
            let envs = try reader.int("envs", default: 1, in: .closed(1, 1000))
            let overrides = try BenchScenario.strings(try reader.raw("set"), path: reader.path(of: "set"))
            try reader.finish()
            self.init(label: label, preset: preset, envs: envs, overrides: overrides)
        default:
            throw .wrongType(path: path, expected: "a preset name or an object {label, preset, envs, set}", found: value.typeName)
        }
        guard Self.isValidLabel(label) else {
            throw .invalidValue(path: path, reason: "label '\(label)' must be 1-64 letters, digits, '-', '_' or '.' (it names a directory)")
        }
    }

    /// Whether `label` is safe as a directory name: 1–64 of `A-Z a-z 0-9 - _ .`, not `.` or `..`.
    static func isValidLabel(_ label: String) -> Bool {
        guard (1...64).contains(label.utf8.count), label != ".", label != ".." else { return false }
        return label.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F || c == 0x2E
        }
    }
}
