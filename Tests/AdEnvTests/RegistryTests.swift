import Testing
@testable import AdEnv

#if canImport(Glibc)
import Glibc
#endif

@Suite struct RegistryTests {
    let registry = Registry.standard

    @Test func everyScenarioFileBuildsAndHasAVersionedID() throws {
        let scenarios = try registry.scenarios()
        #expect(scenarios.count >= 2)
        for scenario in scenarios {
            #expect(Scenario.isValidID(scenario.id))
            #expect(scenario.source.hasSuffix("/\(scenario.id).json"), "file name must be the ID: \(scenario.source)")
            let env = try Registry.make(scenario)
            #expect(env.spec.id == scenario.id)
            #expect(!env.spec.summary.isEmpty)
        }
    }

    @Test func unknownIDListsTheRegisteredOnes() throws {
        #expect {
            try registry.make("Missing-v0")
        } throws: { error in
            guard case ScenarioError.unknownScenario(let id, let known) = error else { return false }
            return id == "Missing-v0" && known.contains("StrategyBandit-v0")
        }
    }

    @Test(arguments: ["Missing", "Bad-v", "Bad-vx", "9Bad-v0", "Ba d-v1", "Ünï-v1", "Bad-v٣"])
    func invalidIDsAreRejected(id: String) {
        #expect(!Scenario.isValidID(id))
    }

    @Test func overridesChangeParametersAndTheTimeLimit() throws {
        let env = try registry.make(
            "StrategyBandit-v0", as: BernoulliBandit.self,
            overrides: [Override(parsing: "means=[0.2,0.9]"), Override(parsing: "max_episode_steps=7")])
        #expect(env.means == [0.2, 0.9])
        #expect(env.spec.maxEpisodeSteps == 7)
        #expect(env.spec.parameters["means"] == [0.2, 0.9])
    }

    @Test func overrideOfAnUnknownKeyIsAnErrorNamingIt() {
        #expect(throws: ScenarioError.unknownKey(path: "parameters.meens", known: ["means"])) {
            try registry.make("StrategyBandit-v0", overrides: [Override(parsing: "meens=[0.5,0.5]")])
        }
    }

    @Test func overrideWithWrongTypeOrRangeIsAnError() {
        #expect(throws: ScenarioError.wrongType(path: "parameters.means", expected: "array of numbers", found: "string")) {
            try registry.make("StrategyBandit-v0", overrides: [Override(parsing: "means=lots")])
        }
        #expect(throws: ScenarioError.invalidOverride(text: "max_episode_steps=0", reason: "max_episode_steps must be an integer in [1, 100000000]")) {
            try registry.make("StrategyBandit-v0", overrides: [Override(parsing: "max_episode_steps=0")])
        }
        #expect(throws: ScenarioError.invalidOverride(text: "noequals", reason: "expected key=value")) {
            try Override(parsing: "noequals")
        }
        #expect(throws: ScenarioError.invalidOverride(text: "kind=x", reason: "'kind' cannot be overridden")) {
            try registry.make("StrategyBandit-v0", overrides: [Override(parsing: "kind=x")])
        }
        #expect(throws: ScenarioError.invalidOverride(text: "means[9]=0.1", reason: "index [9] is out of range (the array has 5 elements)")) {
            try registry.make("StrategyBandit-v0", overrides: [Override(parsing: "means[9]=0.1")])
        }
    }

    @Test func malformedOverrideValuesAndPathsAreErrorsNotStrings() {
        #expect(throws: ScenarioError.invalidOverride(text: "means=[0.1,]", reason: "the value is not valid JSON (column 6: unexpected character ']')")) {
            try Override(parsing: "means=[0.1,]")
        }
        #expect(throws: ScenarioError.invalidOverride(text: "means=1e400", reason: "the value is not valid JSON (column 1: number out of range: 1e400)")) {
            try Override(parsing: "means=1e400")
        }
        #expect(throws: ScenarioError.invalidOverride(text: "means[+0]=1", reason: "bad index in 'means[+0]'")) {
            try Override(parsing: "means[+0]=1")
        }
        #expect(throws: ScenarioError.invalidOverride(text: "parameters=5", reason: "parameters must be an object")) {
            try registry.make("StrategyBandit-v0", overrides: [Override(parsing: "parameters=5")])
        }
        #expect(throws: ScenarioError.wrongType(path: "parameters.means", expected: "a value (leave the key out to take the default)", found: "null")) {
            try registry.make("StrategyBandit-v0", overrides: [Override(parsing: "means=null")])
        }
    }

    @Test func aMissingOrEmptyScenariosDirectoryIsAnError() throws {
        #expect(throws: ScenarioError.unreadableFile(path: "/nonexistent-adenv", reason: "the scenarios directory does not exist (set ADENV_ENVS_DIR)")) {
            try Registry(directory: "/nonexistent-adenv").scenarios()
        }
        #expect(throws: ScenarioError.unreadableFile(path: "/proc/self", reason: "the scenarios directory has no .json scenario files")) {
            try Registry(directory: "/proc/self").scenarios()
        }
    }

    @Test func fieldErrorsInAScenarioFileNameTheFile() throws {
        let path = try writeTemporary(#"{"id": "Mine", "kind": "bernoulli-bandit"}"#)
        #expect {
            try Scenario.load(path: path)
        } throws: { error in
            guard case ScenarioError.invalidValue(let p, _) = error else { return false }
            return p == path + ": id"
        }
    }

    @Test func indexedOverrideChangesOneElement() throws {
        let env = try registry.make("StrategyBandit-v0", as: BernoulliBandit.self, overrides: [Override(parsing: "means[4]=0.9")])
        #expect(env.means == [0.3, 0.2, 0.1, 0.05, 0.9])
        #expect(env.bestArm == 4)
    }

    @Test func aUsersOwnScenarioFileIsAcceptedByPath() throws {
        let path = try writeTemporary(#"{"id": "Mine-v3", "kind": "bernoulli-bandit", "parameters": {"means": [0.5, 0.6]}}"#)
        let env = try registry.make(path, as: BernoulliBandit.self)
        #expect(env.spec.id == "Mine-v3")
        #expect(env.spec.maxEpisodeSteps == BernoulliBandit.defaultMaxEpisodeSteps)
        #expect(env.bestArm == 1)
    }

    @Test func malformedScenarioFilesGiveErrorsNamingFileAndField() throws {
        let broken = try writeTemporary("{\"id\": \"Mine-v0\",\n \"kind\": }")
        #expect(throws: ScenarioError.malformedJSON(source: broken, line: 2, column: 10, reason: "unexpected character '}'")) {
            try registry.make(broken)
        }
        let badKind = try writeTemporary(#"{"id": "Mine-v0", "kind": "roulette"}"#)
        #expect {
            try registry.make(badKind)
        } throws: { error in
            guard case ScenarioError.unknownKind(let kind, let known) = error else { return false }
            return kind == "roulette" && known.contains("bernoulli-bandit")
        }
        let extraKey = try writeTemporary(#"{"id": "Mine-v0", "kind": "bernoulli-bandit", "paramters": {}}"#)
        #expect(throws: ScenarioError.self) { try registry.make(extraKey) }
        let badID = try writeTemporary(#"{"id": "Mine", "kind": "bernoulli-bandit"}"#)
        #expect(throws: ScenarioError.self) { try registry.make(badID) }
        #expect(throws: ScenarioError.unreadableFile(path: "/nonexistent/x.json", reason: "No such file or directory")) {
            try registry.make("/nonexistent/x.json")
        }
    }

    @Test func tooFewArmsIsAnError() {
        #expect(throws: ScenarioError.invalidValue(path: "parameters.means", reason: "has 1 elements, needs 2 to 1024")) {
            try registry.make("StrategyBandit-v0", overrides: [Override(parsing: "means=[0.5]")])
        }
    }

    private func writeTemporary(_ text: String) throws -> String {
        var template = Array("/tmp/adenv-test-XXXXXX.json".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 5) }
        #expect(fd >= 0)
        _ = text.withCString { write(fd, $0, strlen($0)) }
        close(fd)
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
