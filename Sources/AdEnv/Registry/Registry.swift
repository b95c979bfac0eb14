#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds scenario files and builds envs from them.
///
/// Registered IDs are the files in the scenarios directory (`Envs/`), one JSON file per ID. A path
/// to any other scenario file is accepted wherever an ID is, so users run their own scenarios
/// without recompiling.
///
/// The directory is found, in order, from the `ADENV_ENVS_DIR` environment variable, `./Envs`, an
/// `Envs` folder beside or above the running executable, and the source checkout this library was
/// built from.
public struct Registry: Sendable {
    /// The scenarios directory.
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The registry of the scenarios directory found as described above.
    public static var standard: Registry {
        Registry(directory: locateScenariosDirectory() ?? "Envs")
    }

    /// Every simulator kind, by its `kind` string.
    public static var kinds: [any ScenarioEnv.Type] { registeredKinds }

    /// The registered scenarios, sorted by ID.
    ///
    /// - Throws: ``ScenarioError`` if a file in the directory is malformed or two files share an ID.
    public func scenarios() throws(ScenarioError) -> [Scenario] {
        guard FileSystem.isDirectory(directory) else {
            throw .unreadableFile(path: directory, reason: "the scenarios directory does not exist (set ADENV_ENVS_DIR)")
        }
        let files = FileSystem.list(directory).filter { $0.hasSuffix(".json") }
        guard !files.isEmpty else {
            throw .unreadableFile(path: directory, reason: "the scenarios directory has no .json scenario files")
        }
        var result: [Scenario] = []
        for name in files {
            let scenario = try Scenario.load(path: directory + "/" + name)
            if let other = result.first(where: { $0.id == scenario.id }) {
                throw .invalidValue(path: "id", reason: "'\(scenario.id)' is registered twice: \(other.source) and \(scenario.source)")
            }
            result.append(scenario)
        }
        return result.sorted { $0.id < $1.id }
    }

    /// The scenario for a registered ID, or for a path to a scenario file (anything containing `/`
    /// or ending in `.json`).
    public func scenario(_ idOrPath: String) throws(ScenarioError) -> Scenario {
        if idOrPath.contains("/") || idOrPath.hasSuffix(".json") {
            return try Scenario.load(path: idOrPath)
        }
        let candidate = directory + "/" + idOrPath + ".json"
        if FileSystem.exists(candidate) {
            let scenario = try Scenario.load(path: candidate)
            if scenario.id == idOrPath { return scenario }
        }
        let all = try scenarios()
        if let match = all.first(where: { $0.id == idOrPath }) { return match }
        throw .unknownScenario(id: idOrPath, known: all.map(\.id))
    }

    /// Builds the env for an ID or scenario path, with overrides applied.
    public func make(_ idOrPath: String, overrides: [Override] = []) throws(ScenarioError) -> any ScenarioEnv {
        var scenario = try scenario(idOrPath)
        try scenario.apply(overrides)
        return try Registry.make(scenario)
    }

    /// Builds the env for an ID or scenario path as a concrete type.
    ///
    /// - Throws: ``ScenarioError/invalidValue(path:reason:)`` if the scenario's kind is not `E`.
    public func make<E: ScenarioEnv>(_ idOrPath: String, as type: E.Type, overrides: [Override] = []) throws(ScenarioError) -> E {
        var scenario = try scenario(idOrPath)
        try scenario.apply(overrides)
        guard scenario.kind == E.kind else {
            throw .invalidValue(path: "kind", reason: "scenario '\(scenario.id)' is of kind '\(scenario.kind)', not '\(E.kind)'")
        }
        return try E(scenario: scenario)
    }

    /// Builds the env for a scenario value.
    public static func make(_ scenario: Scenario) throws(ScenarioError) -> any ScenarioEnv {
        guard let type = registeredKinds.first(where: { $0.kind == scenario.kind }) else {
            throw .unknownKind(kind: scenario.kind, known: registeredKinds.map { $0.kind })
        }
        return try type.init(scenario: scenario)
    }

    static func locateScenariosDirectory() -> String? {
        FileSystem.locateDirectory(named: "Envs", environmentVariable: "ADENV_ENVS_DIR")
    }
}

extension Scenario {
    /// Reads and parses a scenario file.
    ///
    /// - Throws: ``ScenarioError``; errors about a field of the file name the file in their path
    ///   (`Envs/Bad-v0.json: id`).
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        let text: String
        do { text = try FileSystem.read(path) } catch { throw .unreadableFile(path: path, reason: error.reason) }
        do { return try Scenario(json: text, source: path) } catch { throw error.located(in: path) }
    }
}
