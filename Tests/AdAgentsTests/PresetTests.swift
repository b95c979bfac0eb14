import Testing
import AdAgents
import AdEnv

/// A two-field hyper-parameter struct, read as every agent's is.
private struct Toy: AgentHyperparameters {
    var learningRate: Double
    var layers: Int

    init(reading reader: inout ConfigReader) throws(ScenarioError) {
        learningRate = try reader.double("learning_rate", default: 0.001, in: .positive)
        layers = try reader.int("layers", default: 2, in: .closed(1, 8))
    }
}

@Suite struct PresetTests {
    @Test func missingKeysTakeTheDefaults() throws {
        let toy = Toy.defaults
        #expect(toy.learningRate == 0.001)
        #expect(toy.layers == 2)
    }

    @Test func aPresetFileAndOverridesResolveInOrder() throws {
        var preset = try Preset(json: #"{"agent": "toy", "hyperparameters": {"learning_rate": 0.01}}"#, source: "toy.json")
        try preset.apply([Override(parsing: "layers=4")])
        let (toy, resolved) = try Toy.read(preset.hyperparameters)
        #expect(toy.learningRate == 0.01)
        #expect(toy.layers == 4)
        #expect(resolved.keys == ["learning_rate", "layers"])
    }

    @Test func anUnknownOrOutOfRangeKeyIsAnErrorNamingTheField() throws {
        #expect(throws: ScenarioError.self) { try Toy.read(ConfigObject([(key: "learnig_rate", value: .number(0.1))])) }
        do {
            _ = try Toy.read(ConfigObject([(key: "layers", value: .number(99))]))
            Issue.record("layers=99 was accepted")
        } catch {
            #expect(error.path == "hyperparameters.layers")
        }
    }

    @Test func aPresetWithoutAgentIsRefused() {
        #expect(throws: ScenarioError.self) { try Preset(json: #"{"hyperparameters": {}}"#, source: "p.json") }
    }
}
