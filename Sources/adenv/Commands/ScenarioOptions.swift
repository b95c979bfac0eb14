import AdEnv
import ArgumentParser

/// The scenario to act on: a registered ID or a path to a scenario file, plus overrides.
struct ScenarioOptions: ParsableArguments {
    @Argument(help: "A registered env ID (see `adenv list`) or the path of a scenario JSON file.")
    var id: String

    @Option(name: [.customLong("set")], help: ArgumentHelp(
        "Override a parameter, as key=value (value in JSON). Repeatable. Example: --set means=[0.1,0.2] --set max_episode_steps=500",
        valueName: "key=value"))
    var overrides: [String] = []

    /// Builds the env, turning scenario errors into one-line command errors.
    func makeEnv() throws -> any ScenarioEnv {
        do {
            let parsed = try overrides.map { text throws(ScenarioError) in try Override(parsing: text) }
            return try Registry.standard.make(id, overrides: parsed)
        } catch {
            // Field errors name a path inside the scenario; say which scenario.
            throw ValidationError(error.path == nil || error.path!.contains(".json: ") ? error.description : "\(id): \(error)")
        }
    }
}
