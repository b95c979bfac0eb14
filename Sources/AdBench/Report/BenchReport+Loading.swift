import AdEnv

extension BenchReport {
    /// Loads the bench in `directory`: `suite.json` (required), `provenance.json` (optional) and
    /// every run the suite plans whose `runs/<scenario>/<label>/seed-<s>/` directory exists; the
    /// others are ``missingRuns``. Directories the suite does not plan (and `.partial` leftovers)
    /// are ignored.
    ///
    /// - Throws: ``BenchReportError`` naming the file (and field) that is unreadable or malformed.
    public init(directory: String) throws(BenchReportError) {
        let root = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.directory = root
        let suiteFile = root + "/suite.json"
        guard FileSystem.exists(suiteFile) else { throw .notABenchDirectory(path: root) }
        suite = try Suite(json: try Self.read(suiteFile), file: suiteFile)
        let provenanceFile = root + "/provenance.json"
        provenance = FileSystem.exists(provenanceFile) ? try Provenance(json: try Self.read(provenanceFile), file: provenanceFile) : nil
        var runs: [Run] = [], missing: [RunKey] = []
        for scenario in suite.scenarios {
            for agent in scenario.agents {
                for seed in scenario.seeds {
                    let key = RunKey(scenario: scenario.id, label: agent.label, seed: seed)
                    let path = root + "/" + key.directory
                    if FileSystem.isDirectory(path) {
                        runs.append(try Run(directory: path, key: key, in: scenario))
                    } else {
                        missing.append(key)
                    }
                }
            }
        }
        self.runs = runs
        self.missingRuns = missing
    }

    static func read(_ path: String) throws(BenchReportError) -> String {
        do { return try FileSystem.read(path) } catch { throw .unreadableFile(path: path, reason: error.reason) }
    }
}
