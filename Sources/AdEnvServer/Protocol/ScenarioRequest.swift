import AdEnv

/// Which env a SPEC or OPEN request asks for: a registered ID or an inline scenario, plus overrides.
public struct ScenarioRequest: Sendable {
    /// A registered env ID; `nil` when ``scenario`` is given.
    public var env: String?
    /// An inline scenario document (the schema of `Envs/*.json`).
    public var scenario: ConfigValue?
    /// Dotted-path overrides in request order, as `adenv --set` takes them.
    public var overrides: [(key: String, value: ConfigValue)]

    public init(env: String, overrides: [(key: String, value: ConfigValue)] = []) {
        self.env = env
        self.scenario = nil
        self.overrides = overrides
    }

    public init(scenario: ConfigValue, overrides: [(key: String, value: ConfigValue)] = []) {
        self.env = nil
        self.scenario = scenario
        self.overrides = overrides
    }

    /// Reads `env`, `scenario` and `overrides` from a request.
    init(reading reader: inout RequestReader) throws(WireError) {
        env = try reader.string("env")
        switch reader.value("scenario") {
        case nil, .null?: scenario = nil
        case .object(let o)?: scenario = .object(o)
        case let other?: throw WireError(.badRequest, "\(reader.message).scenario must be an object, found \(other.typeName)")
        }
        guard (env == nil) != (scenario == nil) else {
            throw WireError(.badRequest, "\(reader.message) needs exactly one of 'env' (a registered ID) and 'scenario' (an inline scenario)")
        }
        overrides = try reader.object("overrides")?.entries ?? []
    }

    /// Writes `env`/`scenario` and `overrides` into a request object.
    func write(to writer: inout JSONWriter) {
        if let env { writer.field("env", env) }
        if let scenario { writer.field("scenario", scenario) }
        if !overrides.isEmpty { writer.field("overrides", .object(ConfigObject(overrides))) }
    }

    /// Builds the env.
    ///
    /// - Throws: `UNKNOWN_ENV` for an ID that is not registered (file paths are not accepted over the
    ///   wire); `BAD_SCENARIO` for an invalid scenario or override.
    public func makeEnv(registry: Registry) throws(WireError) -> any ScenarioEnv {
        if let env, !Scenario.isValidID(env) {
            throw WireError(.unknownEnv, "'\(env.prefix(100))' is not a registered env ID (IDs look like AdMarket-v0; file paths are not accepted over the wire)")
        }
        do throws(ScenarioError) {
            var resolved: Scenario
            if let env {
                resolved = try registry.scenario(env)
            } else {
                resolved = try Scenario(json: (scenario ?? .null).jsonString(), source: "request")
            }
            try resolved.apply(overrides.map { entry throws(ScenarioError) in try Override(entry.key, entry.value) })
            return try Registry.make(resolved)
        } catch {
            throw WireError(error)
        }
    }
}
