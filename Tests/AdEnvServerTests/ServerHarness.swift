import AdEnv
import CZeroMQ
import Foundation
import Testing
@testable import AdEnvServer

/// A server running its loop on its own thread, on `tcp://127.0.0.1:*` unless told otherwise.
final class ServerHarness: @unchecked Sendable {
    let server: Server
    private let done = DispatchSemaphore(value: 0)
    private var stopped = false

    init(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        var configuration = ServerConfiguration(endpoint: "tcp://127.0.0.1:*")
        configuration.drainMilliseconds = 20
        configure(&configuration)
        server = try Server(configuration)
        let server = self.server, done = self.done
        Thread.detachNewThread {
            try? server.run()
            done.signal()
        }
    }

    var endpoint: String { server.endpoint }

    func connection(timeoutMilliseconds: Int = 5000) throws -> Connection {
        try Connection(endpoint: endpoint, timeoutMilliseconds: timeoutMilliseconds, retries: 0)
    }

    /// Stops the server and waits for its thread.
    func stop() {
        guard !stopped else { return }
        stopped = true
        server.requestStop()
        done.wait()
    }

    deinit { stop() }
}

/// A DEALER that sends arbitrary frames, for malformed requests.
final class RawClient {
    let socket: ZeroMQSocket
    private let frames = ZeroMQFrames(capacity: 80)

    init(endpoint: String) throws {
        socket = try ZeroMQSocket(context: Connection.sharedContext, type: .dealer)
        try socket.connect(endpoint)
    }

    func send(_ frames: [[UInt8]]) throws {
        #expect(try socket.send(frames: frames))
    }

    /// The next reply's frames, or nil after `timeoutMilliseconds`.
    func receive(timeoutMilliseconds: Int = 5000) throws -> [[UInt8]]? {
        var items = [socket.pollItem()]
        guard try zeroMQPoll(&items, timeoutMilliseconds: timeoutMilliseconds) > 0, try socket.receive(into: frames, dontWait: true) else { return nil }
        return (0..<frames.count).map { frames[$0].byteArray }
    }

    /// Sends `frames` and returns the reply's header and body (after an echoed empty delimiter).
    func exchange(_ frames: [[UInt8]]) throws -> (header: MessageHeader, body: [[UInt8]])? {
        try send(frames)
        guard let reply = try receive() else { return nil }
        let start = reply.first?.isEmpty == true ? 1 : 0
        guard reply.count > start else { return nil }
        let header = try reply[start].withUnsafeBytes { try MessageHeader(parsing: $0) }
        return (header, Array(reply[(start + 1)...]))
    }

    /// Sends and expects an ERROR reply; returns its error.
    func expectError(_ frames: [[UInt8]], sourceLocation: SourceLocation = #_sourceLocation) throws -> WireError? {
        guard let reply = try exchange(frames) else {
            Issue.record("no reply", sourceLocation: sourceLocation)
            return nil
        }
        #expect(reply.header.status == MessageHeader.error, sourceLocation: sourceLocation)
        #expect(reply.body.count == 1, sourceLocation: sourceLocation)
        return WireError(json: String(decoding: reply.body.first ?? [], as: UTF8.self))
    }
}

/// A request's frames: `[empty] [header] [body…]`.
func request(_ type: MessageType, session: UInt64 = 0, seq: UInt64 = 1, _ body: [UInt8]...) -> [[UInt8]] {
    [[], MessageHeader(type, session: session, seq: seq).bytes] + body
}

func json(_ text: String) -> [UInt8] { Array(text.utf8) }

func bytes<T>(_ values: [T]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }

/// Opens a session with a raw client; returns its id.
func openRaw(_ client: RawClient, _ body: String = #"{"env":"StrategyBandit-v0","num_envs":2}"#, seq: UInt64 = 1) throws -> UInt64 {
    let reply = try #require(try client.exchange(request(.open, seq: seq, json(body))))
    try #require(reply.header.status == MessageHeader.ok, "\(String(decoding: reply.body.first ?? [], as: UTF8.self))")
    return reply.header.session
}

/// A fresh client opens a session, resets and steps it, and gets what an in-process vector env gives.
func expectHealthy(_ harness: ServerHarness, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let connection = try harness.connection()
    let remote = try RemoteVectorEnv(connection: connection, scenario: ScenarioRequest(env: "StrategyBandit-v0"), count: 3)
    defer { try? remote.close() }
    let local = try Registry.standard.make("StrategyBandit-v0").makeBatch(count: 3, threads: 1)
    try remote.reset(seed: 11)
    try local.reset(seed: 11)
    let actions: [Int64] = [0, 1, 2]
    try actions.withUnsafeBufferPointer { try remote.step(flat: $0) }
    try actions.withUnsafeBufferPointer { try local.step(flat: $0) }
    #expect(remote.observations == local.observations, sourceLocation: sourceLocation)
    #expect(remote.rewards == local.rewards, sourceLocation: sourceLocation)
}
