import AdEnv
import Testing
@testable import AdBench

@Suite struct BenchSuiteTests {
    static func parse(_ text: String) throws(ScenarioError) -> BenchSuite { try BenchSuite(json: text, source: "s.json") }

    @Test func aSuiteFileReadsEveryField() throws {
        let suite = try Self.parse("""
            {"name": "n", "description": "d", "seeds": {"start": 3, "count": 4},
             "scenarios": [{"id": "StrategyBandit-v0", "steps": 100, "protocol": "train-eval", "eval_episodes": 7,
                            "overrides": ["means=[0.5,0.1]"], "seeds": {"start": 0, "count": 2},
                            "agents": ["ucb1", {"label": "g", "preset": "linucb", "envs": 3, "set": ["alpha=0"]}]}]}
            """)
        #expect(suite.name == "n" && suite.summary == "d" && suite.seeds == SeedRange(start: 3, count: 4))
        let scenario = try #require(suite.scenarios.first)
        #expect(scenario.steps == 100 && scenario.evaluationEpisodes == 7 && scenario.measurement == .trainEval)
        #expect(scenario.overrides == ["means=[0.5,0.1]"] && scenario.seeds == SeedRange(start: 0, count: 2))
        #expect(scenario.agents == [BenchAgent(preset: "ucb1"), BenchAgent(label: "g", preset: "linucb", envs: 3, overrides: ["alpha=0"])])
    }

    @Test(arguments: [
        (#"{"scenarios": [{"id": "A", "agents": ["ucb1"]}]}"#, "scenarios[0].steps"),
        (#"{"scenarios": [{"id": "A", "steps": 5, "agents": []}]}"#, "scenarios[0].agents"),
        (#"{"scenarios": [{"id": "A", "steps": 5, "agents": ["ucb1", "ucb1"]}]}"#, "scenarios[0].agents[1]"),
        (#"{"scenarios": [{"id": "A", "steps": 5, "agents": [{"preset": "ucb1", "label": "../x"}]}]}"#, "scenarios[0].agents[0]"),
        (#"{"scenarios": [{"id": "A", "steps": 5, "protocol": "sometimes", "agents": ["ucb1"]}]}"#, "scenarios[0].protocol"),
        (#"{"scenarios": [{"id": "A", "steps": 5, "agent": ["ucb1"]}]}"#, "scenarios[0]"),
        (#"{"scenarios": [{"id": "A", "steps": 5, "agents": [{"preset": "ucb1", "envs": 0}]}]}"#, "scenarios[0].agents[0].envs"),
        (#"{"seeds": {"start": 0, "count": 0}, "scenarios": [{"id": "A", "steps": 5, "agents": ["ucb1"]}]}"#, "seeds.count"),
        (#"{"scenarios": []}"#, "scenarios"),
    ])
    func aBadSuiteNamesTheField(text: String, field: String) {
        #expect {
            _ = try Self.parse(text)
        } throws: { error in
            "\(error)".contains("s.json: \(field)")
        }
    }

    @Test func seedRangesIncludeBothEnds() throws {
        #expect(try SeedRange(parsing: "0..9").seeds == Array(0...9))
        #expect(try SeedRange(parsing: "7").seeds == [7])
        for bad in ["9..0", "a..b", "1...3", "", "-1..2", "0..100000"] {
            #expect(throws: ScenarioError.self, "\(bad)") { try SeedRange(parsing: bad) }
        }
    }

    @Test func banditKindsAreMeasuredOnlineAndTheRestTrainThenEvaluate() {
        #expect(BenchProtocol.default(forKind: "bernoulli-bandit") == .online)
        #expect(BenchProtocol.default(forKind: "contextual-bandit") == .online)
        #expect(BenchProtocol.default(forKind: "budgeted-bandit") == .online)
        #expect(BenchProtocol.default(forKind: "fatigue-mdp") == .trainEval)
        #expect(BenchProtocol.default(forKind: "ad-market") == .trainEval)
    }

    @Test func theShippedSuitesParseAndResolve() throws {
        for name in ["default", "full"] {
            let plan = try BenchPlan(try BenchSuite.named(name))
            #expect(!plan.runs.isEmpty, "\(name)")
            for scenario in plan.scenarios {
                #expect(scenario.skipped.isEmpty, "\(name) \(scenario.id) skips \(scenario.skipped)")
                if scenario.measurement == .online { #expect(scenario.seeds.count >= 50, "\(name) \(scenario.id): bandits need 50 seeds") }
                else { #expect(scenario.seeds.count >= 10, "\(name) \(scenario.id)") }
            }
        }
    }
}
