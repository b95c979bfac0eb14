import AdAgents
import AdBench
import AdEnv
import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// The files of a training run's output directory:
/// - `run.json`: the scenario (ID, the `--env-set` overrides, the resolved parameters), the agent
///   and its resolved hyper-parameters, the seed, steps, copies and the command lines that made it;
/// - `episodes.csv`: one row per finished episode (`copy,step,return,length,regret,terminated`);
/// - `checkpoint.adck`: the ``TrainingLoop`` checkpoint.
/// Every file is written atomically (a temporary file renamed over the old one).
struct RunDirectory {
    let path: String

    var runFile: String { path + "/run.json" }
    var episodesFile: String { path + "/episodes.csv" }
    var checkpointFile: String { path + "/checkpoint.adck" }

    /// What `run.json` records.
    struct Record {
        var scenario: String
        var envOverrides: [String]
        var parameters: ConfigObject
        var preset: ConfigValue
        var presetSource: String
        var agent: String
        var hyperparameters: ConfigObject
        var seed: UInt64
        var steps: Int
        var envs: Int
        var commandLines: [[String]]

        var json: ConfigValue {
            [
                "scenario": ["id": .string(scenario), "overrides": .array(envOverrides.map { .string($0) }), "parameters": .object(parameters)],
                "agent": .string(agent),
                "preset": ["source": .string(presetSource), "resolved": preset],
                "hyperparameters": .object(hyperparameters),
                "seed": .string(String(seed)),
                "steps": .number(Double(steps)),
                "envs": .number(Double(envs)),
                "command_lines": .array(commandLines.map { .array($0.map { .string($0) }) }),
            ]
        }

        /// Parses `run.json`.
        init(json text: String, source: String) throws(ScenarioError) {
            guard case .object(let root) = try ConfigValue.parse(json: text, source: source) else {
                throw .wrongType(path: "\(source): (root)", expected: "object", found: "another value")
            }
            func field(_ key: String) throws(ScenarioError) -> ConfigValue {
                guard let value = root[key] else { throw .missingKey(path: "\(source): \(key)") }
                return value
            }
            guard case .object(let scenarioObject) = try field("scenario"), case .string(let id)? = scenarioObject["id"],
                  case .array(let overrides)? = scenarioObject["overrides"], case .object(let parameters)? = scenarioObject["parameters"]
            else { throw .invalidValue(path: "\(source): scenario", reason: "needs id, overrides and parameters") }
            guard case .string(let agent) = try field("agent") else { throw .invalidValue(path: "\(source): agent", reason: "is not a string") }
            guard case .object(let hyperparameters) = try field("hyperparameters") else {
                throw .invalidValue(path: "\(source): hyperparameters", reason: "is not an object")
            }
            guard case .string(let seedText) = try field("seed"), let seed = UInt64(seedText) else {
                throw .invalidValue(path: "\(source): seed", reason: "is not a seed string")
            }
            guard case .number(let steps) = try field("steps"), case .number(let envs) = try field("envs"), envs >= 1, envs <= 1_048_576, steps >= 0 else {
                throw .invalidValue(path: "\(source): steps/envs", reason: "are not valid numbers")
            }
            var presetSource = "built-in", preset = ConfigValue.null
            if case .object(let p)? = root["preset"] {
                if case .string(let s)? = p["source"] { presetSource = s }
                preset = p["resolved"] ?? .null
            }
            var lines: [[String]] = []
            if case .array(let items)? = root["command_lines"] {
                for case .array(let words) in items { lines.append(words.compactMap { if case .string(let w) = $0 { w } else { nil } }) }
            }
            self.init(
                scenario: id, envOverrides: overrides.compactMap { if case .string(let s) = $0 { s } else { nil } }, parameters: parameters,
                preset: preset, presetSource: presetSource, agent: agent, hyperparameters: hyperparameters, seed: seed,
                steps: Int(steps), envs: Int(envs), commandLines: lines)
        }

        init(scenario: String, envOverrides: [String], parameters: ConfigObject, preset: ConfigValue, presetSource: String, agent: String,
             hyperparameters: ConfigObject, seed: UInt64, steps: Int, envs: Int, commandLines: [[String]]) {
            self.scenario = scenario
            self.envOverrides = envOverrides
            self.parameters = parameters
            self.preset = preset
            self.presetSource = presetSource
            self.agent = agent
            self.hyperparameters = hyperparameters
            self.seed = seed
            self.steps = steps
            self.envs = envs
            self.commandLines = commandLines
        }
    }

    /// Creates the directory (and its parents) if needed.
    func create() throws {
        do { try FileWriter.createDirectory(path) } catch { throw ValidationError("cannot create \(error)") }
    }

    /// Reads `run.json`.
    func readRecord() throws -> Record {
        let text: String
        do { text = try FileSystem.read(runFile) } catch { throw ValidationError("\(runFile): \(error.reason)") }
        do { return try Record(json: text, source: runFile) } catch { throw ValidationError("\(error)") }
    }

    /// Reads the checkpoint.
    func readCheckpoint() throws -> Checkpoint {
        do { return try Checkpoint.read(from: checkpointFile) } catch { throw ValidationError("\(error)") }
    }

    func write(record: Record) throws {
        try Self.writeAtomically(record.json.jsonString(pretty: true) + "\n", to: runFile)
    }

    func write(episodes: [EpisodeRecord]) throws {
        var text = "copy,step,return,length,regret,terminated\n"
        for e in episodes {
            text += "\(e.copy),\(e.step),\(ConfigValue.format(e.reward)),\(e.length),\(ConfigValue.format(e.regret)),\(e.terminated ? 1 : 0)\n"
        }
        try Self.writeAtomically(text, to: episodesFile)
    }

    func write(checkpoint: Checkpoint) throws {
        do { try checkpoint.write(to: checkpointFile) } catch { throw ValidationError("\(error)") }
    }

    /// Writes `text` to `path` atomically (see ``FileWriter/writeAtomically(_:to:)``).
    static func writeAtomically(_ text: String, to path: String) throws {
        do { try FileWriter.writeAtomically(text, to: path) } catch { throw ValidationError("cannot write \(error)") }
    }
}
