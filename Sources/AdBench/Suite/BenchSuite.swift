import AdEnv

/// A benchmark matrix: scenarios × agents × seeds, read from a suite file (`Benchmarks/suites/`)
/// or built from `adenv bench` options. The format is in `docs/BENCH.md`.
public struct BenchSuite: Sendable, Equatable {
    public var name: String
    public var summary: String
    /// The seeds of scenarios that do not name their own.
    public var seeds: SeedRange
    public var scenarios: [BenchScenario]

    public init(name: String, summary: String = "", seeds: SeedRange = SeedRange(start: 0, count: 10), scenarios: [BenchScenario]) {
        self.name = name
        self.summary = summary
        self.seeds = seeds
        self.scenarios = scenarios
    }

    /// Parses a suite file's text; errors name the field (`suite.json: scenarios[1].steps`).
    public init(json text: String, source: String) throws(ScenarioError) {
        let root = try ConfigValue.parse(json: text, source: source)
        guard case .object(let object) = root else { throw .wrongType(path: "\(source): (root)", expected: "object", found: root.typeName) }
        var reader = ConfigReader(object, path: "")
        do {
            let name = try reader.string("name", default: "suite")
            let summary = try reader.string("description", default: "")
            let seeds = try reader.object("seeds") { (r: inout ConfigReader) throws(ScenarioError) in try SeedRange(reading: &r) }
            let scenarios = try reader.objects("scenarios", default: [], count: 1...1000) { (r: inout ConfigReader, _: Int) throws(ScenarioError) in
                try BenchScenario(reading: &r)
            }
            try reader.finish()
            self.init(name: name, summary: summary, seeds: seeds, scenarios: scenarios)
        } catch {
            throw error.located(in: source)
        }
    }

    /// Loads a suite: a path to a JSON file, or the name of one in the suites directory
    /// (`Benchmarks/suites/<name>.json`, found from `ADENV_SUITES_DIR`, `./Benchmarks/suites`, or
    /// beside the executable or the source checkout).
    public static func named(_ nameOrPath: String) throws(ScenarioError) -> BenchSuite {
        var path = nameOrPath
        if !(nameOrPath.hasSuffix(".json") || nameOrPath.contains("/")) {
            guard let directory = FileSystem.locateDirectory(named: "Benchmarks/suites", environmentVariable: "ADENV_SUITES_DIR") else {
                throw .unreadableFile(path: "Benchmarks/suites/\(nameOrPath).json", reason: "the suites directory was not found (set ADENV_SUITES_DIR)")
            }
            path = directory + "/" + nameOrPath + ".json"
        }
        let text: String
        do { text = try FileSystem.read(path) } catch { throw .unreadableFile(path: path, reason: error.reason) }
        return try BenchSuite(json: text, source: path)
    }
}
