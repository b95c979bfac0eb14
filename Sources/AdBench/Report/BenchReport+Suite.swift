extension BenchReport {
    /// `suite.json`: the resolved matrix.
    public struct Suite: Sendable {
        public var name: String
        public var description: String
        public var scenarios: [Scenario]
    }

    /// One scenario of the suite with its agents and seeds.
    public struct Scenario: Sendable {
        public var id: String
        public var source: String
        public var kind: String
        public var measurement: BenchProtocol
        public var steps: Int
        /// `nil` under the online protocol.
        public var evaluationEpisodes: Int?
        public var overrides: [String]
        public var seeds: [Int]
        /// The arm means of a Bernoulli bandit (`parameters.means`), for its Lai–Robbins line.
        public var armMeans: [Double]?
        /// The spec's oracle kind and expected return.
        public var oracleKind: String
        public var oracleExpectedReturn: Double?
        /// The discount the oracle optimises, which train-eval returns use (1 when absent).
        public var discount: Double
        public var agents: [Agent]
        public var skipped: [SkippedAgent]
    }

    /// An agent of a scenario.
    public struct Agent: Sendable {
        public var label: String
        public var preset: String
        public var agent: String
        public var envs: Int
        public var set: [String]
    }

    /// An agent that cannot act in a scenario, with the reason.
    public struct SkippedAgent: Sendable {
        public var label: String
        public var reason: String
    }
}

extension BenchReport.Suite {
    static let format = "adenv-bench-suite/1"

    init(json text: String, file: String) throws(BenchReportError) {
        let top = try JSONFields(parsing: text, file: file)
        let format = try top.string("format")
        guard format == Self.format else { throw top.invalid("format", "expected '\(Self.format)', found '\(format)'") }
        name = try top.string("name")
        description = try top.optionalString("description") ?? ""
        var scenarios: [BenchReport.Scenario] = []
        for fields in try top.objects("scenarios") {
            let scenario = try BenchReport.Scenario(fields)
            if scenarios.contains(where: { $0.id == scenario.id }) { throw fields.invalid("id", "scenario '\(scenario.id)' appears twice") }
            scenarios.append(scenario)
        }
        self.scenarios = scenarios
    }
}

extension BenchReport.Scenario {
    init(_ fields: JSONFields) throws(BenchReportError) {
        id = try fields.string("id")
        guard !id.isEmpty, !id.contains("/"), id != ".", id != ".." else { throw fields.invalid("id", "'\(id)' cannot name a directory") }
        source = try fields.optionalString("source") ?? id
        kind = try fields.string("kind")
        let protocolName = try fields.string("protocol")
        guard let measurement = BenchProtocol(rawValue: protocolName) else {
            throw fields.invalid("protocol", "'\(protocolName)' is not one of 'online', 'train-eval'")
        }
        self.measurement = measurement
        steps = try fields.int("steps")
        evaluationEpisodes = try fields.optionalInt("eval_episodes")
        overrides = fields.object["overrides"] == nil ? [] : try fields.strings("overrides")
        seeds = try fields.ints("seeds")
        if let parameters = try fields.optionalObject("parameters"), parameters.object["means"] != nil {
            armMeans = try parameters.numbers("means")
        } else {
            armMeans = nil
        }
        if let oracle = try fields.optionalObject("oracle") {
            oracleKind = try oracle.optionalString("kind") ?? "none"
            oracleExpectedReturn = try oracle.optionalNumber("expected_return")
            discount = try oracle.optionalNumber("discount") ?? 1
        } else {
            oracleKind = "none"
            oracleExpectedReturn = nil
            discount = 1
        }
        var agents: [BenchReport.Agent] = []
        for agent in try fields.objects("agents") {
            let label = try agent.string("label")
            guard !label.isEmpty, !label.contains("/"), label != ".", label != ".." else { throw agent.invalid("label", "'\(label)' cannot name a directory") }
            if agents.contains(where: { $0.label == label }) { throw agent.invalid("label", "'\(label)' appears twice in the scenario") }
            agents.append(BenchReport.Agent(
                label: label, preset: try agent.optionalString("preset") ?? label, agent: try agent.optionalString("agent") ?? label,
                envs: try agent.optionalInt("envs") ?? 1, set: agent.object["set"] == nil ? [] : try agent.strings("set")))
        }
        self.agents = agents
        var skipped: [BenchReport.SkippedAgent] = []
        if fields.object["skipped"] != nil {
            for entry in try fields.objects("skipped") {
                skipped.append(BenchReport.SkippedAgent(label: try entry.string("label"), reason: try entry.string("reason")))
            }
        }
        self.skipped = skipped
    }
}
