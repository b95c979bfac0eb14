import Testing
import AdAgents

#if canImport(Glibc)
import Glibc
#endif

@Suite struct CheckpointTests {
    static func sample() -> Checkpoint {
        var c = Checkpoint(agent: "dqn")
        c.set("weights", .floats([1.5, -0.0, .infinity, Float(bitPattern: 0x7FC0_0001)]))
        c.set("moments", .doubles([1e-300, -2.25]))
        c.set("step", .integers([-7]))
        c.set("rng", .words([0xFFFF_FFFF_FFFF_FFFF, 1, 2, 3]))
        c.set("note", .text("héllo"))
        return c
    }

    static func temporaryPath(_ name: String) -> String {
        "/tmp/adagents-test-\(getpid())-\(name)"
    }

    @Test func encodingRoundTripsEveryBit() throws {
        let c = Self.sample()
        let decoded = try Checkpoint(decoding: c.encoded())
        #expect(decoded.agent == "dqn")
        #expect(try decoded.floats("weights").map(\.bitPattern) == [1.5, -0.0, .infinity, Float(bitPattern: 0x7FC0_0001)].map(\.bitPattern))
        #expect(try decoded.doubles("moments") == [1e-300, -2.25])
        #expect(try decoded.integer("step") == -7)
        #expect(try decoded.words("rng") == [0xFFFF_FFFF_FFFF_FFFF, 1, 2, 3])
        #expect(try decoded.text("note") == "héllo")
    }

    @Test func writeIsAtomicAndReadReturnsTheSameCheckpoint() throws {
        let path = Self.temporaryPath("atomic.ckpt")
        defer { unlink(path) }
        try Self.sample().write(to: path)
        try Self.sample().write(to: path)  // overwrites in place
        #expect(try Checkpoint.read(from: path).encoded() == Self.sample().encoded())
        #expect(access(path + ".tmp-\(getpid())", F_OK) != 0)
    }

    @Test func everyFlippedByteIsDetected() throws {
        let bytes = Self.sample().encoded()
        for i in stride(from: 0, to: bytes.count, by: 3) {
            var corrupt = bytes
            corrupt[i] ^= 0x20
            #expect(throws: CheckpointError.self) { try Checkpoint(decoding: corrupt) }
        }
    }

    @Test func truncatedFilesAreCorruptNotCrashes() throws {
        let bytes = Self.sample().encoded()
        for n in [0, 4, 8, 12, 30, bytes.count - 9, bytes.count - 1] {
            #expect(throws: CheckpointError.self) { try Checkpoint(decoding: Array(bytes[0..<n])) }
        }
    }

    @Test func anotherFormatVersionIsRefusedByName() throws {
        var bytes = Self.sample().encoded()
        bytes[8] = 9
        #expect(throws: CheckpointError.unsupportedVersion(found: 9, supported: Checkpoint.formatVersion)) {
            try Checkpoint(decoding: bytes)
        }
    }

    @Test func aFileThatIsNotACheckpointSaysSo() throws {
        #expect(throws: CheckpointError.notACheckpoint(path: "x.json")) {
            try Checkpoint(decoding: Array("{\"agent\": \"dqn\"}".utf8), path: "x.json")
        }
    }

    @Test func accessorsNameMissingMistypedAndMissizedEntries() throws {
        let c = Self.sample()
        #expect(throws: CheckpointError.missingEntry("absent")) { try c.floats("absent") }
        #expect(throws: CheckpointError.wrongType("step", expected: "float32", found: "int64")) { try c.floats("step") }
        #expect(throws: CheckpointError.wrongSize("rng", expected: 5, found: 4)) { try c.words("rng", count: 5) }
    }

    @Test func readingAMissingFileIsAnIOError() {
        #expect(throws: CheckpointError.self) { try Checkpoint.read(from: "/nonexistent/dir/x.ckpt") }
    }
}
