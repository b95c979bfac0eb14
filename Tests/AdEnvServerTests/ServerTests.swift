import AdEnv
import Foundation
import Testing
@testable import AdEnvServer

/// Every server test, serialized: some count the process's file descriptors and sessions.
@Suite(.serialized)
struct ServerTests {}

extension ServerTests {
    @Test func helloReportsProtocolAndLimits() throws {
        let harness = try ServerHarness { $0.limits.maxSessions = 7 }
        let hello = try harness.connection().hello()
        guard case .object(let object) = hello, case .object(let limits)? = object["limits"] else {
            Issue.record("HELLO reply is not an object with limits: \(hello)")
            return
        }
        #expect(object["server"] == "adenv")
        #expect(object["protocol"] == [1, 0])
        #expect(limits["max_sessions"] == 7)
        #expect(object["message_types"] == .array(MessageType.allCases.map { .string($0.name) }))
    }

    @Test func listNamesEveryRegisteredEnv() throws {
        let harness = try ServerHarness()
        guard case .object(let object) = try harness.connection().list(), case .array(let envs)? = object["envs"] else {
            Issue.record("LIST reply has no envs")
            return
        }
        let ids = envs.compactMap { env -> String? in if case .object(let o) = env, case .string(let id)? = o["id"] { id } else { nil } }
        #expect(ids == (try Registry.standard.scenarios()).map(\.id))
    }

    @Test func specMatchesTheLocalSpecWithOverrides() throws {
        let harness = try ServerHarness()
        let remote = try harness.connection().spec(ScenarioRequest(env: "StrategyBandit-v0", overrides: [("max_episode_steps", 17)]))
        let local = try Registry.standard.make("StrategyBandit-v0", overrides: [Override("max_episode_steps", 17)]).spec
        #expect(remote == local.jsonDescription)
        // And it parses back into the same spec.
        #expect(try EnvSpec(wire: remote).jsonDescription == local.jsonDescription)
    }

    @Test func pingWithoutSessionAndWithSession() throws {
        let harness = try ServerHarness()
        let client = try RawClient(endpoint: harness.endpoint)
        let ok = try #require(try client.exchange(request(.ping, seq: 5)))
        #expect(ok.header == MessageHeader(.ping, status: 0, session: 0, seq: 5))
        #expect(ok.body.isEmpty)
        let id = try openRaw(client)
        #expect(try client.exchange(request(.ping, session: id, seq: 2))?.header.status == MessageHeader.ok)
        #expect(try client.expectError(request(.ping, session: id &+ 1, seq: 3))?.code == .unknownSession)
    }

    @Test func envelopeIsMirroredWithAndWithoutDelimiter() throws {
        let harness = try ServerHarness()
        let client = try RawClient(endpoint: harness.endpoint)
        try client.send([MessageHeader(.ping, seq: 9).bytes])
        let bare = try #require(try client.receive())
        #expect(bare == [MessageHeader(.ping, seq: 9).bytes])
        try client.send([[], MessageHeader(.ping, seq: 10).bytes])
        let delimited = try #require(try client.receive())
        #expect(delimited == [[], MessageHeader(.ping, seq: 10).bytes])
    }
}
