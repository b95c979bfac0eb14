import AdEnv
import Foundation
import Testing
@testable import AdEnvServer

#if canImport(Glibc)
import Glibc
#endif

/// `adenv serve` as a process.
final class ServeProcess {
    let process = Process()
    let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
    private(set) var endpoint = ""

    static var executable: URL {
        let testBinary = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "")
        return testBinary.deletingLastPathComponent().appendingPathComponent("adenv")
    }

    /// Starts `adenv` with `arguments` and, for `serve`, reads its READY line.
    init(_ arguments: [String], expectReady: Bool = true) throws {
        process.executableURL = Self.executable
        process.arguments = arguments
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        guard expectReady else { return }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        try #require(text.hasPrefix("READY ") && text.hasSuffix("\n") && text.split(separator: "\n").count == 1, "stdout: \(text)")
        endpoint = String(text.dropFirst("READY ".count).dropLast())
    }

    func waitForExit() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        // A test that failed half-way must not leave a server behind.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

extension ServerTests {
    @Test func serveSaysReadyServesAndStopsOnSigtermThenRestartsOnTheSamePort() throws {
        let first = try ServeProcess(["serve", "--bind", "tcp://127.0.0.1:*"])
        #expect(first.endpoint.hasPrefix("tcp://127.0.0.1:"))
        let connection = try Connection(endpoint: first.endpoint, timeoutMilliseconds: 5000, retries: 0)
        let env = try RemoteVectorEnv(connection: connection, scenario: ScenarioRequest(env: "StrategyBandit-v0"), count: 2)
        try env.reset(seed: 1)
        kill(first.process.processIdentifier, SIGTERM)
        #expect(first.waitForExit() == 0)
        #expect(first.process.terminationReason == .exit)
        // The same port binds at once.
        let second = try ServeProcess(["serve", "--bind", first.endpoint])
        #expect(second.endpoint == first.endpoint)
        let again = try Connection(endpoint: second.endpoint, timeoutMilliseconds: 5000, retries: 0)
        #expect(throws: RemoteError.self) { try again.ping(session: env.session) }  // sessions did not survive
        try again.ping()
        kill(second.process.processIdentifier, SIGINT)
        #expect(second.waitForExit() == 0)
    }

    @Test func serveExitsWithStdin() throws {
        let server = try ServeProcess(["serve", "--bind", "tcp://127.0.0.1:*", "--exit-with-stdin"])
        try Connection(endpoint: server.endpoint, timeoutMilliseconds: 5000, retries: 0).ping()
        try server.stdin.fileHandleForWriting.close()
        #expect(server.waitForExit() == 0)
    }

    @Test(arguments: [["serve", "--bind", "tcp://0.0.0.0:*"], ["serve", "--max-sessions", "0"], ["serve", "--bind", "tcp://127.0.0.1:notaport"]])
    func serveRefusesBadSetupsWithOneLine(arguments: [String]) throws {
        let server = try ServeProcess(arguments, expectReady: false)
        let status = server.waitForExit()
        let stderr = String(decoding: server.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stdout = server.stdout.fileHandleForReading.readDataToEndOfFile()
        #expect(status != 0)
        #expect(stderr.hasPrefix("adenv: "), "\(stderr)")
        #expect(stderr.split(separator: "\n").count == 1, "\(stderr)")
        #expect(stdout.isEmpty)
    }

    /// A client process killed mid-episode: the server keeps serving and the session expires.
    @Test func clientKilledMidEpisodeLeavesAnExpiringSession() throws {
        let harness = try ServerHarness { $0.limits.idleTimeoutSeconds = 0.5 }
        let client = try ServeProcess(["perf-remote", "StrategyBandit-v0", "--endpoint", harness.endpoint, "--seconds", "60"], expectReady: false)
        for _ in 0..<500 where harness.server.sessionCount == 0 { usleep(10_000) }
        try #require(harness.server.sessionCount == 1, "the child never opened its session")
        usleep(50_000)  // mid-episode: it is stepping now
        kill(client.process.processIdentifier, SIGKILL)
        _ = client.waitForExit()
        try expectHealthy(harness)
        for _ in 0..<300 where harness.server.sessionCount > 0 { usleep(10_000) }
        #expect(harness.server.sessionCount == 0)
        try expectHealthy(harness)
    }
}
