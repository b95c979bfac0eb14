import AdEnv
import Foundation
import Testing
@testable import AdEnvServer

#if canImport(Glibc)
import Glibc
#endif

extension ServerTests {
    /// Non-ZeroMQ traffic on the TCP port: libzmq drops the connection; the server keeps serving.
    @Test(arguments: ["http", "random"])
    func garbageOnTheRawPortIsDropped(kind: String) throws {
        let harness = try ServerHarness()
        var rng = Xoshiro256(seed: 5)
        let payload: [UInt8] = kind == "http"
            ? Array("GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test\r\n\r\n".utf8)
            : (0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let fd = try connectRawTCP(harness.endpoint)
        defer { close(fd) }
        _ = payload.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        // Whatever libzmq answers (its greeting) or when it closes, nothing reaches the protocol layer.
        var buffer = [UInt8](repeating: 0, count: 256)
        var timeout = timeval(tv_sec: 0, tv_usec: 300_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = read(fd, &buffer, buffer.count)
        try expectHealthy(harness)
        #expect(harness.server.sessionCount == 0)
    }

    @Test func capacityAtTheSessionAndEnvLimits() throws {
        let harness = try ServerHarness {
            $0.limits.maxSessions = 3
            $0.limits.maxTotalEnvs = 10
        }
        let client = try RawClient(endpoint: harness.endpoint)
        var ids: [UInt64] = []
        for seq in UInt64(1)...3 { ids.append(try openRaw(client, #"{"env":"StrategyBandit-v0","num_envs":2}"#, seq: seq)) }
        let full = try client.expectError(request(.open, seq: 4, json(#"{"env":"StrategyBandit-v0"}"#)))
        #expect(full?.code == .capacity)
        #expect(full?.retryable == true)
        _ = try client.exchange(request(.close, session: ids.removeLast(), seq: 1))
        // A session slot is free, but 4 + 7 envs exceed the total of 10.
        let envs = try client.expectError(request(.open, seq: 5, json(#"{"env":"StrategyBandit-v0","num_envs":7}"#)))
        #expect(envs?.code == .capacity)
        #expect(envs?.retryable == true)
        ids.append(try openRaw(client, #"{"env":"StrategyBandit-v0","num_envs":4}"#, seq: 6))
        #expect(harness.server.sessionCount == 3)
        for id in ids { _ = try client.exchange(request(.close, session: id, seq: 1)) }
        try expectHealthy(harness)
    }

    /// 50 clients open, step and close sessions repeatedly; file descriptors and sessions return to
    /// where they were, and memory does not grow from round to round.
    @Test func manyClientsLeaveFileDescriptorsAndSessionsFlat() throws {
        let harness = try ServerHarness()
        try expectHealthy(harness)  // warm up the shared context and the server
        let baseline = openFileDescriptors()
        var residentAfterRound: [Int] = []
        for round in 0..<3 {
            var connections: [Connection] = []
            for _ in 0..<50 { connections.append(try harness.connection()) }
            for connection in connections {
                let env = try RemoteVectorEnv(connection: connection, scenario: ScenarioRequest(env: "StrategyBandit-v0"), count: 2)
                try env.reset(seed: UInt64(round))
                try [Int64(0), 1].withUnsafeBufferPointer { try env.step(flat: $0) }
                try env.close()
            }
            #expect(harness.server.sessionCount == 0)
            residentAfterRound.append(residentBytes())
        }
        // The first round warms allocator arenas; later rounds must not keep what they used.
        #expect(residentAfterRound[2] - residentAfterRound[0] < 16 << 20, "resident bytes per round: \(residentAfterRound)")
        // libzmq closes sockets on its reaper thread: wait (bounded) for the count to settle.
        var now = openFileDescriptors()
        for _ in 0..<200 where now > baseline {
            usleep(20_000)
            now = openFileDescriptors()
        }
        #expect(now <= baseline, "fds: \(baseline) before, \(now) after")
        try expectHealthy(harness)
    }

    @Test func stoppingServerAnswersShuttingDown() throws {
        let harness = try ServerHarness { $0.drainMilliseconds = 3000 }
        let client = try RawClient(endpoint: harness.endpoint)
        harness.server.requestStop()
        var error: WireError?
        for seq in UInt64(1)...200 where error == nil {
            let reply = try #require(try client.exchange(request(.ping, seq: seq)))
            if reply.header.status == MessageHeader.error { error = WireError(json: String(decoding: reply.body[0], as: UTF8.self)) }
            else { usleep(10_000) }
        }
        #expect(error?.code == .shuttingDown)
        #expect(error?.retryable == true)
    }

    @Test func curveRoundTrip() throws {
        let keys = try ZeroMQCurve.keypair()
        let harness = try ServerHarness { $0.curveSecretKey = keys.secretKey }
        #expect(harness.server.curvePublicKey == keys.publicKey)
        let secure = try Connection(endpoint: harness.endpoint, timeoutMilliseconds: 5000, curveServerKey: keys.publicKey)
        let env = try RemoteVectorEnv(connection: secure, scenario: ScenarioRequest(env: "StrategyBandit-v0"), count: 2)
        try env.reset(seed: 1)
        try [Int64(1), 1].withUnsafeBufferPointer { try env.step(flat: $0) }
        let local = try Registry.standard.make("StrategyBandit-v0").makeBatch(count: 2, threads: 1)
        try local.reset(seed: 1)
        try [Int64(1), 1].withUnsafeBufferPointer { try local.step(flat: $0) }
        #expect(env.observations == local.observations)
        // A client without the key gets no reply at all.
        let plain = try Connection(endpoint: harness.endpoint, timeoutMilliseconds: 200, retries: 0)
        #expect(throws: RemoteError.timeout(request: "PING", attempts: 1)) { try plain.ping() }
        #expect(throws: ServerError.self) {
            try Server({ var c = ServerConfiguration(endpoint: "tcp://127.0.0.1:*"); c.curveSecretKey = "short"; return c }())
        }
    }

    @Test func nonLoopbackBindsNeedAllowRemote() throws {
        for endpoint in ["tcp://0.0.0.0:*", "tcp://10.1.2.3:5555", "tcp://eth0:5555", "tcp://[::]:5555", "tcp://127.0.0.1.evil.com:5555", "udp://127.0.0.1:5"] {
            #expect(!ServerConfiguration.isLocal(endpoint), "\(endpoint)")
            #expect(throws: ServerError.remoteBindRefused(endpoint: endpoint)) { try Server(ServerConfiguration(endpoint: endpoint)) }
        }
        for endpoint in ["tcp://127.0.0.1:*", "tcp://127.5.0.1:80", "tcp://localhost:5555", "tcp://[::1]:5555", "ipc:///tmp/adenv.sock"] {
            #expect(ServerConfiguration.isLocal(endpoint), "\(endpoint)")
        }
    }

    @Test func ipcEndpointsWork() throws {
        let path = "/tmp/adenv-test-\(getpid()).sock"
        defer { unlink(path) }
        let harness = try ServerHarness { $0.endpoint = "ipc://\(path)" }
        #expect(harness.endpoint == "ipc://\(path)")
        try expectHealthy(harness)
    }

    // MARK: Helpers

    private func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return -1 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    private func openFileDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
    }

    private func connectRawTCP(_ endpoint: String) throws -> Int32 {
        let port = try #require(UInt16(endpoint.split(separator: ":").last ?? ""))
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(status == 0)
        return fd
    }
}

extension ServerTests {
    /// A client that timed out resends the same seq; late duplicate replies are skipped.
    @Test func clientRetriesUntilTheServerAnswersAndSkipsStaleReplies() throws {
        let path = "/tmp/adenv-retry-\(getpid()).sock"
        defer { unlink(path) }
        let connection = try Connection(endpoint: "ipc://\(path)", timeoutMilliseconds: 50, retries: 100)
        let started = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var harness: ServerHarness?
        Thread.detachNewThread {
            usleep(200_000)
            harness = try? ServerHarness { $0.endpoint = "ipc://\(path)" }
            started.signal()
        }
        // Several copies of this PING queue up before the server binds; exactly one reply is used.
        try connection.ping()
        started.wait()
        let server = try #require(harness)
        // The duplicates' replies arrive later and must not be mistaken for this OPEN's reply.
        let env = try RemoteVectorEnv(connection: connection, scenario: ScenarioRequest(env: "StrategyBandit-v0"), count: 2)
        try env.reset(seed: 3)
        #expect(server.server.sessionCount == 1)
        try env.close()
        server.stop()
    }
}
