import AdEnv
import Foundation
import Testing
@testable import AdEnvServer

#if canImport(Glibc)
import Glibc
#endif

extension ServerTests {
    /// Malformed messages, each answered with its typed error, and a healthy client served after.
    @Test func malformedMessagesGetTypedErrors() throws {
        let harness = try ServerHarness { $0.limits.maxMessageBytes = 4096 }
        let client = try RawClient(endpoint: harness.endpoint)
        var header = MessageHeader(.ping, seq: 3)
        var wrongMagic = header.bytes
        wrongMagic[0] = 0x42
        header.major = 2
        let wrongVersion = header.bytes
        header.major = 1
        header.type = 42
        let unknownType = header.bytes
        header.type = MessageType.ping.rawValue
        header.status = 1
        let nonZeroStatus = header.bytes
        let cases: [(String, [[UInt8]], WireErrorCode)] = [
            ("empty message", [[]], .badMessage),
            ("truncated header", [[], Array(MessageHeader(.ping).bytes.prefix(10))], .badMessage),
            ("long header", [[], MessageHeader(.ping).bytes + [0]], .badMessage),
            ("wrong magic", [[], wrongMagic], .badMessage),
            ("wrong version", [[], wrongVersion], .badVersion),
            ("unknown type", [[], unknownType], .unknownType),
            ("status set in a request", [[], nonZeroStatus], .badMessage),
            ("missing OPEN body", request(.open), .badMessage),
            ("missing STEP body", request(.step, session: 1), .badMessage),
            ("extra frames", request(.ping, [1], [2]), .badMessage),
            ("hundreds of frames", [[], MessageHeader(.ping).bytes] + Array(repeating: [7], count: 300), .badMessage),
            ("oversized message", request(.hello, Array(repeating: 32, count: 5000)), .tooLarge),
            ("OPEN body not JSON", request(.open, [0xFF, 0x00, 0x13]), .badRequest),
            ("OPEN body an array", request(.open, json("[1,2]")), .badRequest),
            ("OPEN unknown key", request(.open, json(#"{"env":"StrategyBandit-v0","nmu_envs":2}"#)), .badRequest),
            ("OPEN both env and scenario", request(.open, json(#"{"env":"StrategyBandit-v0","scenario":{}}"#)), .badRequest),
            ("OPEN N = 0", request(.open, json(#"{"env":"StrategyBandit-v0","num_envs":0}"#)), .badRequest),
            ("OPEN N negative", request(.open, json(#"{"env":"StrategyBandit-v0","num_envs":-5}"#)), .badRequest),
            ("OPEN N fractional", request(.open, json(#"{"env":"StrategyBandit-v0","num_envs":1.5}"#)), .badRequest),
            ("OPEN other autoreset", request(.open, json(#"{"env":"StrategyBandit-v0","autoreset_mode":"same_step"}"#)), .badRequest),
            ("OPEN unknown env", request(.open, json(#"{"env":"Nope-v0"}"#)), .unknownEnv),
            ("OPEN a file path", request(.open, json(#"{"env":"/etc/passwd"}"#)), .unknownEnv),
            ("OPEN bad override", request(.open, json(#"{"env":"StrategyBandit-v0","overrides":{"means":[2]}}"#)), .badScenario),
            ("OPEN bad inline scenario", request(.open, json(#"{"scenario":{"id":"X-v0","kind":"nope"}}"#)), .badScenario),
        ]
        for (name, frames, code) in cases {
            let error = try client.expectError(frames)
            #expect(error?.code == code, "\(name): \(String(describing: error))")
            #expect(error?.retryable == false, "\(name)")
        }
        try expectHealthy(harness)
    }

    @Test func unparseableHeaderRepliesWithZeroTypeSessionAndSeq() throws {
        let harness = try ServerHarness()
        let client = try RawClient(endpoint: harness.endpoint)
        let reply = try #require(try client.exchange([[], [1, 2, 3]]))
        #expect(reply.header == MessageHeader(type: 0, status: MessageHeader.error, session: 0, seq: 0))
        let versioned = try #require(try client.exchange([[], MessageHeader(type: 4, session: 77, seq: 5, major: 9).bytes]))
        #expect(versioned.header == MessageHeader(type: 4, status: MessageHeader.error, session: 77, seq: 5))
    }

    @Test func scenarioErrorsNameTheField() throws {
        let harness = try ServerHarness()
        let client = try RawClient(endpoint: harness.endpoint)
        let error = try client.expectError(request(.open, json(#"{"env":"StrategyBandit-v0","overrides":{"means":[0.5,2]}}"#)))
        #expect(error?.code == .badScenario)
        #expect(error?.field?.contains("means") == true, "\(String(describing: error))")
    }

    @Test func absurdAndOverLimitNAreRefused() throws {
        let harness = try ServerHarness {
            $0.limits.maxEnvsPerSession = 100
            $0.limits.maxMessageBytes = 4096
        }
        let client = try RawClient(endpoint: harness.endpoint)
        for n in ["1e300", "99999999999999999999", "101"] {
            let error = try client.expectError(request(.open, json(#"{"env":"StrategyBandit-v0","num_envs":\#(n)}"#)))
            #expect(error?.code == (n == "1e300" || n.count > 10 ? .badRequest : .capacity), "\(n): \(String(describing: error))")
            #expect(error?.retryable == false)
        }
        // 100 copies fit the per-session limit but not the 4 KiB message limit.
        let tooBig = try client.expectError(request(.open, json(#"{"env":"AdMarket-v0","num_envs":100}"#)))
        #expect(tooBig?.code == .capacity)
        #expect(harness.server.sessionCount == 0)
        try expectHealthy(harness)
    }

    /// Actions that are NaN, infinite, out of range, masked or of the wrong size: refused whole,
    /// nothing stepped.
    @Test func invalidActionsAreRefusedAndChangeNothing() throws {
        let harness = try ServerHarness()
        let client = try RawClient(endpoint: harness.endpoint)
        // Box actions (BudgetPacing: one float in [0, max]).
        let box = try openRaw(client, #"{"env":"BudgetPacing-v0","num_envs":2}"#)
        var seq: UInt64 = 1
        func next() -> UInt64 { seq += 1; return seq }
        #expect(try client.exchange(request(.reset, session: box, seq: next(), json(#"{"seed":3}"#)))?.header.status == 0)
        let boxCases: [([Float], String)] = [([1, .nan], "not_finite"), ([.infinity, 1], "not_finite"), ([1, 1e9], "out_of_space"), ([-1, 1], "out_of_space")]
        for (actions, reason) in boxCases {
            let error = try client.expectError(request(.step, session: box, seq: next(), bytes(actions)))
            #expect(error?.code == .invalidAction)
            #expect(error?.reason == reason, "\(actions)")
            #expect(error?.index == actions.firstIndex { !$0.isFinite || $0 < 0 || $0 > 1e6 })
        }
        #expect(try client.expectError(request(.step, session: box, seq: next(), bytes([Float(1)])))?.code == .badTensor)
        #expect(try client.expectError(request(.step, session: box, seq: next(), bytes([Float](repeating: 1, count: 3))))?.code == .badTensor)
        #expect(try client.expectError(request(.step, session: box, seq: next(), bytes([Int64(1), 1])))?.code == .badTensor)
        // After every refusal, the session steps exactly like a fresh in-process vector.
        let good: [Float] = [1, 0.5]
        let stepped = try #require(try client.exchange(request(.step, session: box, seq: next(), bytes(good))))
        let local = try Registry.standard.make("BudgetPacing-v0").makeBatch(count: 2, threads: 1)
        try local.reset(seed: 3)
        try good.withUnsafeBufferPointer { try local.step(flat: $0) }
        #expect(stepped.body.first == bytes(local.observations))

        // Discrete with a mask (BudgetedBandit): out of range and masked.
        let masked = try openRaw(client, #"{"env":"BudgetedBandit-v0","num_envs":1,"overrides":{"budget":2.5}}"#)
        #expect(try client.exchange(request(.reset, session: masked, seq: 1, json(#"{"seed":1}"#)))?.header.status == 0)
        let outOfRange = try client.expectError(request(.step, session: masked, seq: 2, bytes([Int64(1000)])))
        #expect(outOfRange?.reason == "out_of_space")
        let negative = try client.expectError(request(.step, session: masked, seq: 3, bytes([Int64.min])))
        #expect(negative?.reason == "out_of_space")
        // Exhaust arm 0's budget until the env masks it, then step it.
        let batch = try Registry.standard.make("BudgetedBandit-v0", overrides: [Override("budget", 2.5)]).makeBatch(count: 1, threads: 1)
        try batch.reset(seed: 1)
        var s: UInt64 = 3
        var maskedArm: Int64?
        for _ in 0..<10_000 where maskedArm == nil {
            guard let arm = batch.actionMasks.firstIndex(of: true) else { break }
            let action = [Int64(arm)]
            try action.withUnsafeBufferPointer { try batch.step(flat: $0) }
            s += 1
            _ = try client.exchange(request(.step, session: masked, seq: s, bytes(action)))
            if batch.needsReset[0] { break }
            maskedArm = batch.actionMasks.firstIndex(of: false).map { Int64($0) }
        }
        if let maskedArm {
            s += 1
            let error = try client.expectError(request(.step, session: masked, seq: s, bytes([maskedArm])))
            #expect(error?.code == .invalidAction)
            #expect(error?.reason == "masked")
        } else {
            Issue.record("BudgetedBandit never masked an arm")
        }
        try expectHealthy(harness)
    }

    @Test func sessionLifecycleErrors() throws {
        let harness = try ServerHarness()
        let client = try RawClient(endpoint: harness.endpoint)
        let id = try openRaw(client)
        #expect(try client.expectError(request(.step, session: id, seq: 1, bytes([Int64(0), 0])))?.code == .needsReset)
        #expect(try client.expectError(request(.oracle, session: id, seq: 2))?.code == .needsReset)
        #expect(try client.expectError(request(.reset, session: id, seq: 3, json(#"{"seed":[1]}"#)))?.code == .badRequest)
        #expect(try client.expectError(request(.reset, session: id, seq: 4, json(#"{"seed":-1}"#)))?.code == .badRequest)
        #expect(try client.expectError(request(.reset, session: id, seq: 5, json(#"{"seed":1,"options":{"x":1}}"#)))?.code == .badRequest)
        #expect(try client.exchange(request(.reset, session: id, seq: 6, json(#"{"seed":["18446744073709551615",null]}"#)))?.header.status == 0)
        let close = try #require(try client.exchange(request(.close, session: id, seq: 7)))
        #expect(close.body == [json(#"{"closed":true}"#)])
        #expect(try client.expectError(request(.step, session: id, seq: 8, bytes([Int64(0), 0])))?.code == .unknownSession)
        let again = try #require(try client.exchange(request(.close, session: id, seq: 9)))
        #expect(again.header.status == 0)
        #expect(again.body == [json(#"{"closed":false}"#)])
        // Guessed ids: zero, neighbours of a real one, random values.
        var rng = Xoshiro256(seed: 99)
        for guess in [0, id &+ 1, id &- 1, rng.next(), rng.next()] {
            #expect(try client.expectError(request(.step, session: guess, seq: 1, bytes([Int64(0), 0])))?.code == .unknownSession)
            #expect(try client.expectError(request(.reset, session: guess, seq: 1))?.code == .unknownSession)
        }
        try expectHealthy(harness)
    }

    @Test func duplicateSeqReplaysWithoutSteppingTwice() throws {
        let harness = try ServerHarness()
        let client = try RawClient(endpoint: harness.endpoint)
        let id = try openRaw(client)
        _ = try client.exchange(request(.reset, session: id, seq: 1, json(#"{"seed":8}"#)))
        let first = try #require(try client.receiveAfter(request(.step, session: id, seq: 2, bytes([Int64(1), 2]))))
        let replay = try #require(try client.receiveAfter(request(.step, session: id, seq: 2, bytes([Int64(4), 4]))))
        #expect(replay == first)
        let third = try #require(try client.exchange(request(.step, session: id, seq: 3, bytes([Int64(0), 0]))))
        // An in-process vector stepped exactly twice gives the same third observation.
        let local = try Registry.standard.make("StrategyBandit-v0").makeBatch(count: 2, threads: 1)
        try local.reset(seed: 8)
        try [Int64(1), 2].withUnsafeBufferPointer { try local.step(flat: $0) }
        try [Int64(0), 0].withUnsafeBufferPointer { try local.step(flat: $0) }
        #expect(third.body.first == bytes(local.observations))
        #expect(third.body[1] == bytes(local.rewards))
        // Lower seq, or the same seq with another type: BAD_SEQUENCE, not cached.
        #expect(try client.expectError(request(.step, session: id, seq: 2, bytes([Int64(0), 0])))?.code == .badSequence)
        #expect(try client.expectError(request(.oracle, session: id, seq: 3))?.code == .badSequence)
        #expect(try client.exchange(request(.oracle, session: id, seq: 4))?.header.status == 0)
    }

    @Test func idleSessionsExpire() throws {
        let harness = try ServerHarness { $0.limits.idleTimeoutSeconds = 0.2 }
        let client = try RawClient(endpoint: harness.endpoint)
        let id = try openRaw(client)
        let kept = try openRaw(client, seq: 2)
        for seq in UInt64(1)...6 {
            usleep(100_000)
            #expect(try client.exchange(request(.ping, session: kept, seq: seq))?.header.status == MessageHeader.ok)
        }
        #expect(try client.expectError(request(.reset, session: id, seq: 1))?.code == .unknownSession)
        #expect(harness.server.sessionCount == 1)
        try expectHealthy(harness)
    }
}

extension RawClient {
    /// Sends and returns all reply frames.
    func receiveAfter(_ frames: [[UInt8]]) throws -> [[UInt8]]? {
        try send(frames)
        return try receive()
    }
}
