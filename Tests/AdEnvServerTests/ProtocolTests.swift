import AdEnv
import Testing
@testable import AdEnvServer

@Suite struct ProtocolTests {
    @Test func headerRoundTripsLittleEndian() throws {
        let header = MessageHeader(.step, status: 1, session: 0x0102_0304_0506_0708, seq: 0x1122_3344_5566_7788)
        let bytes = header.bytes
        #expect(bytes.count == 24)
        #expect(Array(bytes[0..<4]) == Array("ADEV".utf8))
        #expect(Array(bytes[4..<8]) == [1, 0, 4, 1])
        #expect(Array(bytes[8..<16]) == [8, 7, 6, 5, 4, 3, 2, 1])
        #expect(Array(bytes[16..<24]) == [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11])
        #expect(try bytes.withUnsafeBytes { try MessageHeader(parsing: $0) } == header)
    }

    @Test func headerRejectsWrongLengthAndMagic() {
        for bytes in [[UInt8](), Array(MessageHeader(.ping).bytes.dropLast()), [0x41, 0x44, 0x45, 0x57] + Array(repeating: 0, count: 20)] {
            #expect(throws: WireError.self) { try bytes.withUnsafeBytes { try MessageHeader(parsing: $0) } }
        }
    }

    @Test func wireErrorJSONRoundTrips() {
        let error = WireError(.invalidAction, "env 3: \"bad\"\n", index: 3, reason: "masked")
        #expect(WireError(json: error.json) == error)
        #expect(WireError(json: "not json").code == .internal)
        #expect(WireError(.capacity, "full").retryable)
        #expect(!WireError(.capacity, "too many per session", retryable: false).retryable)
    }

    @Test func resetSeedsRoundTripIncludingLargeSeeds() throws {
        for seeds in [ResetSeeds.none, .base(7), .base(UInt64.max), .perEnv([1, nil, 1 << 60])] {
            let message = ZeroMQMessage(Array(seeds.json.utf8))
            #expect(try ResetSeeds(frame: message) == seeds, "\(seeds.json)")
        }
        #expect(try ResetSeeds.base(UInt64.max).seeds(count: 2) == [UInt64.max, 0])
        #expect(throws: WireError.self) { try ResetSeeds.perEnv([1]).seeds(count: 2) }
        for bad in [#"{"seed":1.5}"#, #"{"seed":1e300}"#, #"{"seed":"12a"}"#, #"{"seed":true}"#, #"{"sed":1}"#, #"{"seed":18014398509481984}"#] {
            #expect(throws: WireError.self, "\(bad)") { try ResetSeeds(frame: ZeroMQMessage(Array(bad.utf8))) }
        }
    }

    @Test func tensorDecodeChecksTheLength() throws {
        var out = [Float](repeating: -1, count: 3)
        let frame = ZeroMQMessage([Float(1), 2, 3].withUnsafeBytes { Array($0) })
        try TensorCodec.decode(frame, into: &out, name: "obs")
        #expect(out == [1, 2, 3])
        var short = [Float](repeating: -1, count: 4)
        #expect(throws: WireError.self) { try TensorCodec.decode(frame, into: &short, name: "obs") }
        #expect(short == [-1, -1, -1, -1])
        var flags = [Bool](repeating: false, count: 3)
        try TensorCodec.decode(ZeroMQMessage([0, 7, 1]), into: &flags, name: "flags")
        #expect(flags == [false, true, true])
    }
}

extension ServerTests {
    /// Code generic over `some BatchEnv` (as the built-in agents are) runs unchanged against a server.
    @Test func genericBatchCodeGivesTheSameReturnRemotely() throws {
        let harness = try ServerHarness()
        let remote = try RemoteVectorEnv(connection: harness.connection(), scenario: ScenarioRequest(env: "ContextualBanner-v0"), count: 8)
        let local = try Registry.standard.make("ContextualBanner-v0").makeBatch(count: 8, threads: 1)
        #expect(try greedyReturn(remote, steps: 30) == greedyReturn(local, steps: 30))
    }

    private func greedyReturn(_ batch: some BatchEnv, steps: Int) throws -> Double {
        try batch.reset(seed: 12)
        var total = 0.0
        var actions = [Int64](repeating: 0, count: batch.count * batch.spec.actionCount)
        for t in 0..<steps {
            for i in actions.indices { actions[i] = Int64((t + i) % batch.spec.discreteActionCount) }
            try actions.withUnsafeBufferPointer { try batch.step(flat: $0) }
            total += batch.rewards.reduce(0, +)
        }
        return total
    }
}
